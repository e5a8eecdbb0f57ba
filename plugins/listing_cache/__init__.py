from .listing_cache import register  # noqa: F401
