"""The loss along the gradient: L(theta - t * g) for a range of step sizes t.

One SGD step is t = learning rate. Where that t sits on this curve shows why a step helps, or
overshoots the valley and lands higher than it started (the learning rate is too high).
"""

from __future__ import annotations

import numpy as np

from .checks import check_float, check_int
from .network import Params, backward, forward, loss


def loss_slice(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str,
    lam: float,
    t_max: float,
    points: int = 41,
    t_marked: float | None = None,
    loss_name: str = "cross_entropy",
    l1: float = 0.0,
) -> dict:
    """{"t": (points,), "loss": (points,), "grad_norm": |g|, "slope": dL/dt at t = 0, which is
    -|g|^2, "best_t": the t of the lowest finite loss (None if there is none)} for t in
    linspace(0, t_max), g the full gradient at params on (X (N, 2), Y (N, C)); with t_marked (one
    SGD step's t, the learning rate), also "loss_marked": L(theta - t_marked g)."""
    t_max = check_float("t_max", t_max, 0.0, 1e4, lo_open=True)
    points = check_int("points", points, 2, 401)
    fwd = forward(params, X, activation)
    g = backward(params, fwd, Y, lam, loss_name, l1).grads()

    def loss_at(t: float) -> float:
        moved = {name: params[name] - t * g[name] for name in params}
        return loss(moved, forward(moved, X, activation), Y, lam, loss_name, l1)

    ts = np.linspace(0.0, t_max, points)
    with np.errstate(over="ignore", invalid="ignore"):
        losses = np.array([loss_at(t) for t in ts])
        marked = None if t_marked is None else loss_at(check_float("t_marked", t_marked, 0.0, 1e4))
    grad_norm = float(np.sqrt(sum(np.sum(g[name] ** 2) for name in params)))
    finite = np.isfinite(losses)
    best_t = float(ts[finite][np.argmin(losses[finite])]) if finite.any() else None
    return {
        "t": ts,
        "loss": losses,
        "grad_norm": grad_norm,
        "slope": -(grad_norm**2),
        "best_t": best_t,
        "loss_marked": marked,
    }
