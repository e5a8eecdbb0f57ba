from .reader_extras import register  # noqa: F401 - Pelican looks for register here
