from .parallel_build import register  # noqa: F401
