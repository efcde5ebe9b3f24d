"""Benchmarks: `make bench` (or `python -m bench`) prints speed and memory figures; nothing here asserts times."""
