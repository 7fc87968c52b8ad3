"""Every hidden unit's activation over the plane: the small maps the network diagram draws in its
nodes. The core's own forward pass on the grid's points, so no second copy of the equations."""

from __future__ import annotations

import numpy as np

from .bounds import MAX_UNIT_MAP_GRID, MAX_UNIT_MAP_VALUES, MIN_GRID
from .checks import check_int
from .grid import grid_points
from .network import Forward, Params, forward
from .units import activation_range


def hidden_activations(fwd: Forward) -> list[np.ndarray]:
    """The hidden layers' activations a(l), each (N, H_l), in layer order."""
    return [fwd.a1]


def hidden_widths(params: Params) -> list[int]:
    """H_1, ..., H_L: the widths of the hidden layers, read from W1 ... W{L+1} (the last is the output's)."""
    L = sum(1 for name in params if name.startswith("W")) - 1
    return [params[f"W{layer}"].shape[1] for layer in range(1, L + 1)]


def unit_map_limit(units: int) -> int:
    """The largest G whose maps for `units` hidden units stay within MAX_UNIT_MAP_VALUES numbers."""
    return max(0, min(MAX_UNIT_MAP_GRID, int(np.sqrt(MAX_UNIT_MAP_VALUES // max(1, units)))))


def unit_maps(params: Params, box, G: int, activation: str) -> list[dict]:
    """Per hidden layer l (from 1): {"layer", "maps" (H_l, G, G), "range" (low, high)}.

    maps[j][i][k] is unit j's activation at grid point (xs[k], ys[i]) of the G x G grid over box
    (rows are y, as decision_grid); range is what a colour scale of the layer's maps should span
    (the activation's own range, or +-max|a| where it is unbounded)."""
    G = check_int("G", G, MIN_GRID, MAX_UNIT_MAP_GRID)
    units = sum(hidden_widths(params))
    if units * G * G > MAX_UNIT_MAP_VALUES:
        raise ValueError(
            f"G must be at most {unit_map_limit(units)} for {units} hidden units "
            f"(units x G^2 at most {MAX_UNIT_MAP_VALUES}); got {G}"
        )
    fwd = forward(params, grid_points(box, G, params["W1"].dtype), activation)
    return [
        {
            "layer": layer,
            "maps": a.T.reshape(a.shape[1], G, G),
            "range": activation_range(activation, a),
        }
        for layer, a in enumerate(hidden_activations(fwd), start=1)
    ]
