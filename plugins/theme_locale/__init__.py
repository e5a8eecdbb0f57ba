from .theme_locale import register  # noqa: F401
