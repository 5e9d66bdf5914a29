"""Benchmark scripts of the detector: run each with ``python -m benchmarks.<name>``."""
