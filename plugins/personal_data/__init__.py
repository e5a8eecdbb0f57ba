from .personal_data import register  # noqa: F401 - Pelican looks for register here
