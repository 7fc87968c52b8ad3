"""backprop-visualizer: see backpropagation through a tanh-softmax network, live."""

import os

# One BLAS thread, set before numpy is first imported (every entry point, python -m app and the
# frame process, imports this package first; OpenBLAS reads it once, when numpy loads, for the
# whole process). On two cores a BLAS thread a core stalled steps to 16-96 ms whenever other
# threads were busy, and frame builds to 27-80 ms; with other processes busy, two threads made
# the step at 6 x 64 33-230 times slower and the REST reports 1.2-9 times, while with none of
# ours busy a second thread saved at most a quarter of a step (and once lost 7 times over), and
# the server's step shares the cores with the frame process anyway (bench/blas_threads.py). An
# explicit setting wins; OMP's and MKL's for a numpy built on them.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

__version__ = "0.1.0"
