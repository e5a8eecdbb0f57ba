from .feed_links import register  # noqa: F401 - Pelican looks for register here
