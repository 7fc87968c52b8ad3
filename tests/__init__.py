# The app package sets numpy's BLAS to one thread before numpy loads, as the server runs it; the
# scripts here (python -m tests.mistake_matrix --time) import numpy themselves, so load it first.
import app  # noqa: F401
