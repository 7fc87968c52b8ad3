"""Benchmarks of speed and size against baselines measured in the same run; see bench/README.md.
Run each as python -m bench.NAME."""
