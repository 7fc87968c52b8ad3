"""The loss along the gradient: L(theta - t * g) for a range of step sizes t.

One SGD step is t = learning rate. Where that t sits on this curve shows why a step helps, or
overshoots the valley and lands higher than it started (the learning rate is too high).
"""

from __future__ import annotations

import numpy as np

from .checks import check_float, check_int
from .network import PARAM_NAMES, Params, backward, forward, loss


def loss_slice(
    params: Params, X: np.ndarray, Y: np.ndarray, activation: str, lam: float, t_max: float, points: int = 41
) -> dict:
    """{"t": (points,), "loss": (points,), "grad_norm": |g|} for t in linspace(0, t_max), g the
    full gradient at params on (X (N, 2), Y (N, C))."""
    t_max = check_float("t_max", t_max, 0.0, 1e4, lo_open=True)
    points = check_int("points", points, 2, 401)
    fwd = forward(params, X, activation)
    g = backward(params, fwd, Y, lam).grads()
    ts = np.linspace(0.0, t_max, points)
    losses = np.empty(points)
    with np.errstate(over="ignore", invalid="ignore"):
        for k, t in enumerate(ts):
            moved = {name: params[name] - t * g[name] for name in PARAM_NAMES}
            losses[k] = loss(moved, forward(moved, X, activation), Y, lam)
    grad_norm = float(np.sqrt(sum(np.sum(g[name] ** 2) for name in PARAM_NAMES)))
    return {"t": ts, "loss": losses, "grad_norm": grad_norm}
