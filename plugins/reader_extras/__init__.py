from .reader_extras import register  # noqa: F401
