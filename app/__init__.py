"""backprop-visualizer: see backpropagation through a tanh-softmax network, live."""

import os

# One BLAS thread, set before numpy is first imported: on two cores a threaded BLAS stalled steps
# to 16-96 ms whenever other threads were busy, and frame builds to 27-80 ms (measured); with one
# it stays steady and leaves the other core to the event loop. An explicit setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
