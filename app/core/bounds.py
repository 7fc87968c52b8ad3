"""Hard bounds of the core math: what the network and the data generators accept at all.

The server may set tighter limits of its own (app/api/settings.py); these are the outer ones.
"""

MIN_HIDDEN, MAX_HIDDEN = 1, 1024
MIN_CLASSES, MAX_CLASSES = 2, 8
MIN_GRID, MAX_GRID = 2, 200
MAX_SAMPLES = 100_000
SOFT_LABEL_TOLERANCE = 1e-6  # how far a soft-label row may be from summing to 1
MIN_LAYERS, MAX_LAYERS = 1, 6  # hidden layers
