from .case_metadata import register  # noqa: F401 - Pelican looks for register here
