from .reply_compare import register  # noqa: F401
