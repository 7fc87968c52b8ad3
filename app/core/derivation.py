"""The worked forward and backward pass for one sample n, every staged quantity with its value.

The backward pass is shown twice for the output layer: the long way through the softmax Jacobian

    dL/dy_hat = -Y[n] / y_hat[n] / N
    J         = diag(y_hat[n]) - outer(y_hat[n], y_hat[n])     (C, C)
    dz2[n]    = J.T @ dL/dy_hat

and the short way (y_hat[n] - Y[n]) / N, which is what that product simplifies to because the
row Y[n] sums to 1. The two agree to rounding; their difference is one of the stages.

Every gradient here is sample n's contribution to the mean loss L over the N training samples:
summing dW2 over all n and adding lam * W2 gives network.backward's dW2 (likewise dW1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import get_activation
from .checks import check_int
from .network import PARAM_NAMES, Params, check_params, log_softmax
from .targets import check_targets


@dataclass
class Stage:
    """One line of the derivation: a named quantity, the equation that makes it, its value."""

    name: str
    equation: str
    value: np.ndarray
    phase: str  # "forward" or "backward"

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape


@dataclass
class Derivation:
    n: int
    N: int
    activation: str
    stages: list[Stage]

    def __getitem__(self, name: str) -> np.ndarray:
        for stage in self.stages:
            if stage.name == name:
                return stage.value
        raise KeyError(name)


def derive(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    n: int,
    activation: str = "tanh",
) -> Derivation:
    """Derivation for sample n of (X (N, 2), Y (N, C)), in float64. The regularisation term's
    gradient lam * W is not a per-sample quantity and is not part of these contributions."""
    check_params(params)
    W1, b1, W2, b2 = (np.asarray(params[name], dtype=np.float64) for name in PARAM_NAMES)
    X = np.asarray(X, dtype=np.float64)
    Y = check_targets(np.asarray(Y, dtype=np.float64), N=X.shape[0], C=W2.shape[1])
    N = X.shape[0]
    n = check_int("n", n, 0, N - 1)
    act = get_activation(activation)

    x = X[n]  # (2,)
    y = Y[n]  # (C,)
    z1 = x @ W1 + b1  # (H,)
    a1 = act.f(z1)  # (H,)
    z2 = a1 @ W2 + b2  # (C,)
    log_y_hat = log_softmax(z2[None, :])[0]  # (C,)
    y_hat = np.exp(log_y_hat)  # (C,)
    loss_n = -np.sum(y * log_y_hat)  # ()  this sample's cross-entropy; it adds loss_n / N to L
    # The long way divides by y_hat: when a y_hat underflows it overflows (the reason frameworks
    # fuse softmax with cross-entropy). Show the inf or nan it gives rather than warn.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        dL_dy_hat = np.where(y > 0, -y / y_hat / N, 0.0)  # (C,)  classes with y = 0 add nothing
        J = np.diag(y_hat) - np.outer(y_hat, y_hat)  # (C, C)  dy_hat_j / dz2_i, symmetric
        dz2_long = J.T @ dL_dy_hat  # (C,)
    dz2 = (y_hat - y) / N  # (C,)
    dW2 = np.outer(a1, dz2)  # (H, C)
    db2 = dz2  # (C,)
    da1 = W2 @ dz2  # (H,)
    dz1 = da1 * act.df(z1, a1)  # (H,)
    dW1 = np.outer(x, dz1)  # (2, H)
    db1 = dz1  # (H,)
    dx = W1 @ dz1  # (2,)

    f = activation
    stages = [
        Stage("x", f"x = X[{n}]", x, "forward"),
        Stage("z1", "z1 = x @ W1 + b1", z1, "forward"),
        Stage("a1", f"a1 = {f}(z1)", a1, "forward"),
        Stage("z2", "z2 = a1 @ W2 + b2", z2, "forward"),
        Stage("y_hat", "y_hat = softmax(z2) = exp(z2) / sum(exp(z2))", y_hat, "forward"),
        Stage("y", f"y = Y[{n}]", y, "forward"),
        Stage(
            "loss", "loss_n = -sum(y * log(y_hat))   (adds loss_n / N to L)", np.asarray(loss_n), "forward"
        ),
        Stage("dL_dy_hat", "dL/dy_hat = -y / y_hat / N", dL_dy_hat, "backward"),
        Stage("J", "J = diag(y_hat) - outer(y_hat, y_hat)", J, "backward"),
        Stage("dz2_long", "dz2 = J.T @ dL/dy_hat   (the long way)", dz2_long, "backward"),
        Stage("dz2", "dz2 = (y_hat - y) / N   (the short way)", dz2, "backward"),
        Stage("dz2_difference", "long way - short way", np.subtract(dz2_long, dz2), "backward"),
        Stage("dW2", "dW2 = outer(a1, dz2)", dW2, "backward"),
        Stage("db2", "db2 = dz2", db2, "backward"),
        Stage("da1", "da1 = W2 @ dz2", da1, "backward"),
        Stage("dz1", f"dz1 = da1 * {act.df_text()}", dz1, "backward"),
        Stage("dW1", "dW1 = outer(x, dz1)", dW1, "backward"),
        Stage("db1", "db1 = dz1", db1, "backward"),
        Stage("dx", "dx = W1 @ dz1", dx, "backward"),
    ]
    return Derivation(n, N, activation, stages)
