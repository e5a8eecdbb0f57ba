from .case_metadata import register  # noqa: F401
