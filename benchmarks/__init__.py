"""Benchmarks of the build and the preview server: `invoke bench` runs them all."""
