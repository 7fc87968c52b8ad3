"""The usual mistakes in a hand-written backprop, each written out as the wrong backward pass it is,
so a student's gradient can be compared with each and the mistake named when one explains it.

Every function takes what network.backward takes and returns the gradients the mistaken derivation
produces, under the parameters' names. Only the marked line differs from network.backward.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .activations import get_activation
from .network import Forward, Params, backward


def _backward_from_dz2(params: Params, fwd: Forward, dz2: np.ndarray, lam: float, df=None) -> Params:
    """network.backward from a given dz2 on (the same lines), with an optional other f'."""
    df = df or get_activation(fwd.activation).df
    W1, W2 = params["W1"], params["W2"]
    dW2 = fwd.a1.T @ dz2 + lam * W2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * df(fwd.z1, fwd.a1)
    dW1 = fwd.X.T @ dz1 + lam * W1
    db1 = dz1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def summed_not_mean(params, fwd, Y, lam):
    """Gradient of the summed loss while the loss printed is the mean: dz2 = y_hat - Y without the
    / N. Every line after dz2 is linear in it (and the summed objective's L2 term is N lam/2 |W|^2),
    so each gradient is exactly N times the right one."""
    N = Y.shape[0]
    return {name: N * g for name, g in backward(params, fwd, Y, lam).grads().items()}  # mistake: x N


def single_term_softmax(params, fwd, Y, lam):
    """dL/dz2_r = -y_r (1 - y_hat_r): the diagonal of the softmax Jacobian only, as if y_hat_r
    depended on z2_r alone. Right for the true class, zero instead of y_hat_r for the others."""
    N = Y.shape[0]
    dz2 = -Y * (1 - fwd.y_hat) / N  # mistake: drops the off-diagonal -y_hat_r y_hat_k terms
    return _backward_from_dz2(params, fwd, dz2, lam)


def no_regularisation(params, fwd, Y, lam):
    """The L2 term's gradient lam * W left out."""
    return backward(params, fwd, Y, 0.0).grads()  # mistake: lam = 0 in the backward pass


def tanh_derivative_from_z(params, fwd, Y, lam):
    """tanh'(z) written as 1 - z**2 instead of 1 - tanh(z)**2 = 1 - a1**2."""
    N = Y.shape[0]
    dz2 = (fwd.y_hat - Y) / N
    return _backward_from_dz2(params, fwd, dz2, lam, df=lambda z, a: 1 - z**2)  # mistake: z, not a


def transposed(params, fwd, Y, lam):
    """The right numbers in the wrong layout: dW1 as (H, 2) and dW2 as (C, H)."""
    grads = backward(params, fwd, Y, lam).grads()
    return {name: g.T for name, g in grads.items()}


@dataclass(frozen=True)
class Mistake:
    name: str
    title: str
    explanation: str
    gradients: Callable[..., Params]
    applies_to: tuple[str, ...] = ("tanh", "relu", "sigmoid")


MISTAKES = [
    Mistake(
        "summed_not_mean",
        "Summed instead of mean",
        "Your gradient is N times ours: it is the gradient of the summed loss. If your loss is the "
        "mean over N samples, divide dz2 by N (dz2 = (y_hat - y) / N).",
        summed_not_mean,
    ),
    Mistake(
        "single_term_softmax",
        "Single-term softmax derivative",
        "You used dL/dz2_r = -y_r (1 - y_hat_r), the diagonal of the softmax Jacobian only. Each "
        "y_hat_k depends on every z2_r; with the off-diagonal terms -y_hat_r y_hat_k included the sum "
        "collapses to dz2 = y_hat - y.",
        single_term_softmax,
    ),
    Mistake(
        "transposed",
        "Transposed matrix",
        "Your numbers are right but the matrix is transposed: dW1 has the shape of W1, (2, H), "
        "and dW2 that of W2, (H, C). With X rows as samples, dW1 = X.T @ dz1.",
        transposed,
    ),
    Mistake(
        "no_regularisation",
        "Missing regularisation term",
        "The L2 penalty (lam/2)|W|^2 adds lam * W to dW1 and dW2; your gradient lacks it "
        "(the biases are not penalised).",
        no_regularisation,
    ),
    Mistake(
        "tanh_derivative_from_z",
        "tanh derivative taken from z",
        "tanh'(z1) is 1 - tanh(z1)^2 = 1 - a1^2, from the activation a1, not 1 - z1^2.",
        tanh_derivative_from_z,
        applies_to=("tanh",),
    ),
]
