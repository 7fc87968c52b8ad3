"""One hidden unit j seen on its own: where it fires over the plane, and the error it receives."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import get_activation
from .checks import check_int
from .grid import grid_points
from .network import Params, backward, forward


@dataclass
class UnitView:
    j: int
    a1_grid: np.ndarray  # (G, G)  a1[:, j] over the grid, rows are y (as decision_grid)
    a1: np.ndarray  # (N,)  a1[:, j] at the training points
    dz1: np.ndarray  # (N,)  dz1[:, j]: the backpropagated error unit j gets from each training point
    w_in: np.ndarray  # (2,)  W1[:, j]: the unit's line w . x + b = 0 in the input plane
    b: float  # b1[j]
    w_out: np.ndarray  # (C,)  W2[j, :]: how the unit votes for each class
    db1: float = 0.0  # db1[j] = dz1[:, j].sum(): the unit's bias gradient (no lam on biases)
    a1_range: tuple[float, float] = (-1.0, 1.0)  # what a1 spans: f's range, or +-max|a1_grid| if unbounded


def activation_range(activation: str, a1: np.ndarray) -> tuple[float, float]:
    """(low, high) a colour scale for a1 should span: the activation's own range where it is
    bounded on both sides, otherwise +-max|a1| (at least 1e-9), so that 0 sits in the middle."""
    low, high = get_activation(activation).value_range
    if low is not None and high is not None:
        return low, high
    top = max(1e-9, float(np.max(np.abs(a1), initial=0.0, where=np.isfinite(a1))))
    return -top, top


def unit_view(
    params: Params, X: np.ndarray, Y: np.ndarray, box, G: int, j: int, activation: str, lam: float = 0.0
) -> UnitView:
    """Unit j's activation over the G x G grid over box, and its a1 and dz1 on (X (N, 2), Y (N, C))."""
    H = params["W1"].shape[1]
    j = check_int("unit", j, 0, H - 1)
    f = get_activation(activation).f
    P = grid_points(box, G, params["W1"].dtype)
    a1_grid = f(P @ params["W1"][:, j] + params["b1"][j]).reshape(G, G)  # only column j: (G*G,)
    fwd = forward(params, X, activation)
    back = backward(params, fwd, Y, lam)
    return UnitView(
        j,
        a1_grid,
        fwd.a1[:, j],
        back.dz1[:, j],
        params["W1"][:, j].copy(),
        float(params["b1"][j]),
        params["W2"][j, :].copy(),
        db1=float(back.db1[j]),
        a1_range=activation_range(activation, a1_grid),
    )
