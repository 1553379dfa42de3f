"""Benchmarks and measurements (see bench/README.md)."""
