"""Reproducible benchmarks. `make bench` runs them all; `make bench BENCH=name` runs one."""
