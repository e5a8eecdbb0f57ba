from .reply_compare import register  # noqa: F401 - Pelican looks for register here
