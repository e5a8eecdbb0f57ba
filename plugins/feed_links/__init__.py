from .feed_links import register  # noqa: F401
