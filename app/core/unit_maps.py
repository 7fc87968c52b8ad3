"""Every hidden unit's activation over the plane: the small maps the network diagram draws in its
nodes. The core's own forward pass on the grid's points, so no second copy of the equations."""

from __future__ import annotations

import numpy as np

from .bounds import MAX_UNIT_MAP_GRID, MAX_UNIT_MAP_VALUES, MIN_GRID
from .checks import check_int
from .features import DEFAULT_FEATURES, expand
from .grid import grid_points
from .network import Params, depth, forward
from .units import activation_range


def hidden_widths(params: Params) -> list[int]:
    """H_1, ..., H_L: the widths of the hidden layers (each W(l)'s columns, the output's left out)."""
    return [params[f"W{layer}"].shape[1] for layer in range(1, depth(params) + 1)]


def unit_map_limit(units: int) -> int:
    """The largest G whose maps for `units` hidden units stay within MAX_UNIT_MAP_VALUES numbers."""
    return max(0, min(MAX_UNIT_MAP_GRID, int(np.sqrt(MAX_UNIT_MAP_VALUES // max(1, units)))))


def chosen_units(params: Params, units: dict[int, list[int]] | None) -> dict[int, list[int]]:
    """Per hidden layer l (from 1), the unit indices asked for: `units`' (checked: ValueError
    naming `units` for a layer or unit the network has not), or every unit when it is None."""
    widths = hidden_widths(params)
    if units is None:
        return {layer: list(range(H)) for layer, H in enumerate(widths, start=1)}
    for layer, js in units.items():
        if not 1 <= layer <= len(widths):
            raise ValueError(f"units: layer {layer} is not a hidden layer, 1 to {len(widths)}")
        bad = [j for j in js if not 0 <= j < widths[layer - 1]]
        if bad:
            raise ValueError(f"units: layer {layer} has units 0 to {widths[layer - 1] - 1}; got {bad[0]}")
    return {layer: sorted(set(js)) for layer, js in sorted(units.items())}


def unit_maps(
    params: Params,
    box,
    G: int,
    activation: str,
    units: dict[int, list[int]] | None = None,
    features: tuple[str, ...] = DEFAULT_FEATURES,
) -> list[dict]:
    """Per hidden layer l (from 1) with units asked for (all by default, else `units`: {l: [j]}):
    {"layer", "units" [j], "maps" (len(units), G, G), "range" (low, high)}.

    maps[n][i][k] is unit units[n]'s activation at grid point (xs[k], ys[i]) of the G x G grid over
    box (rows are y, as decision_grid), through the network's input `features` of the point;
    range is what a colour scale of the layer's maps should
    span (the activation's own range, or +-max|a| over the whole layer where it is unbounded)."""
    G = check_int("G", G, MIN_GRID, MAX_UNIT_MAP_GRID)
    chosen = chosen_units(params, units)
    count = sum(len(js) for js in chosen.values())
    if count * G * G > MAX_UNIT_MAP_VALUES:
        raise ValueError(
            f"G must be at most {unit_map_limit(count)} for {count} hidden units "
            f"(units x G^2 at most {MAX_UNIT_MAP_VALUES}); got {G}"
        )
    layers = forward(params, expand(grid_points(box, G, params["W1"].dtype), features), activation).a
    return [
        {
            "layer": layer,
            "units": js,
            "maps": layers[layer - 1][:, js].T.reshape(len(js), G, G),
            "range": activation_range(activation, layers[layer - 1]),
        }
        for layer, js in chosen.items()
    ]
