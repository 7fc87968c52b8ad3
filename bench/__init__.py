"""Benchmarks of speed and size against baselines measured in the same run; see bench/README.md.
Run each as python -m bench.NAME.

One BLAS thread, as the server runs (app/__init__.py), set here, when the package loads, before
any of its modules imports numpy: a module's own imports are sorted (numpy before bench._common),
so a setting in _common came too late and bench.step timed two threads while recording one."""

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
