"""Benchmarks for issue 7; see bench/README.md. Run each as python -m bench.NAME."""
