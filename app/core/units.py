"""One hidden unit j of layer l seen on its own: where it fires over the plane, and the error it
receives. The names are the first layer's (a1, dz1, W1, b1, W2); for layer l they are a(l), dz(l),
W(l), b(l) and W(l+1)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import get_activation
from .checks import check_int
from .features import DEFAULT_FEATURES, expand
from .grid import grid_points
from .network import Params, backward, depth, forward


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
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    box,
    G: int,
    j: int,
    activation: str,
    lam: float = 0.0,
    *,
    layer: int = 1,
    features: tuple[str, ...] = DEFAULT_FEATURES,
    loss_name: str = "cross_entropy",
    l1: float = 0.0,
) -> UnitView:
    """Unit j of hidden layer `layer`: its activation a(l)[:, j] over the G x G grid over box, and
    its a(l) and dz(l) on (X (N, F), Y (N, C)), X the network's input (the features of the points)."""
    layer = check_int("layer", layer, 1, depth(params))
    W, b, W_next = params[f"W{layer}"], params[f"b{layer}"], params[f"W{layer + 1}"]
    j = check_int("unit", j, 0, W.shape[1] - 1)
    P = grid_points(box, G, W.dtype)
    if layer == 1 and tuple(features) == DEFAULT_FEATURES:
        f = get_activation(activation).f
        a_grid = f(P @ W[:, j] + b[j]).reshape(G, G)  # only column j: (G*G,)
    else:  # the layers below it, over the whole grid
        a_grid = forward(params, expand(P, features), activation).a[layer - 1][:, j].reshape(G, G)
    fwd = forward(params, X, activation)
    back = backward(params, fwd, Y, lam, loss_name, l1)
    return UnitView(
        j,
        a_grid,
        fwd.a[layer - 1][:, j],
        back.dz[layer - 1][:, j],
        W[:, j].copy(),
        float(b[j]),
        W_next[j, :].copy(),
        db1=float(back.db[layer - 1][j]),
        a1_range=activation_range(activation, a_grid),
    )
