"""Hard bounds of the core math: what the network and the data generators accept at all.

The server may set tighter limits of its own (app/api/settings.py); these are the outer ones.
"""

MIN_HIDDEN, MAX_HIDDEN = 1, 1024
MIN_CLASSES, MAX_CLASSES = 2, 8
MIN_GRID, MAX_GRID = 2, 200
MAX_SAMPLES = 100_000
SOFT_LABEL_TOLERANCE = 1e-6  # how far a soft-label row may be from summing to 1
MAX_UNIT_MAP_GRID = 32  # a side of a hidden unit's small map (GET .../unit-maps)
MAX_UNIT_MAP_VALUES = 1 << 16  # hidden units x G^2 in one answer: 1024 units at G = 8, 256 at 16
MIN_LAYERS, MAX_LAYERS = 1, 6  # hidden layers
