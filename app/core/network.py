"""The 2-H-C network: tanh (or relu, sigmoid, ...) hidden layer, softmax output, mean cross-entropy.

Batch in rows, as the classroom derivation writes it (shapes for N samples, H hidden units,
C classes):

    X (N, 2)    W1 (2, H)   b1 (H,)    W2 (H, C)   b2 (C,)    Y (N, C), rows sum to 1

Parameters travel as a dict {"W1", "b1", "W2", "b2"} and gradients under the same names, so
params["W2"] and grads["W2"] always belong together. Nothing here keeps state between calls.
The activation f, f' and the loss come from activations.py and losses.py, by name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import Activation, get_activation
from .bounds import MAX_CLASSES, MAX_HIDDEN, MIN_CLASSES, MIN_HIDDEN
from .checks import check_float, check_int
from .losses import get_loss
from .softmax import log_softmax

PARAM_NAMES = ("W1", "b1", "W2", "b2")
WEIGHT_NAMES = ("W1", "W2")  # the ones L2 regularisation acts on; biases are not penalised

Params = dict[str, np.ndarray]


def init_params(H: int, C: int, *, seed: int = 0, scale="fan_in", dtype=np.float64) -> Params:
    """Seeded initial parameters.

    W1 (2, H) and W2 (H, C) are standard normal times `scale`: "fan_in" means 1/sqrt(fan_in)
    (1/sqrt(2) for W1, 1/sqrt(H) for W2, as the from-scratch notebook does), a number means that
    fixed scale for both (CS231n uses 0.01). Biases start at 0. Draw order W1 then W2 from
    RandomState(seed), so seed 0 gives the notebook's own numbers.
    """
    H = check_int("H", H, MIN_HIDDEN, MAX_HIDDEN)
    C = check_int("C", C, MIN_CLASSES, MAX_CLASSES)
    seed = check_int("seed", seed, 0, 2**32 - 1)
    rng = np.random.RandomState(seed)
    if isinstance(scale, str):
        if scale != "fan_in":
            raise ValueError(f"scale must be 'fan_in' or a positive number, got {scale!r}")
        W1 = rng.randn(2, H) / np.sqrt(2)  # divided, not multiplied by 1/sqrt: the notebook's bits
        W2 = rng.randn(H, C) / np.sqrt(H)
    else:
        scale = check_float("scale", scale, 0.0, 100.0, lo_open=True)
        W1 = rng.randn(2, H) * scale
        W2 = rng.randn(H, C) * scale
    params = {"W1": W1, "b1": np.zeros(H), "W2": W2, "b2": np.zeros(C)}
    return {name: value.astype(dtype) for name, value in params.items()}


def check_params(params: Params) -> tuple[int, int]:
    """(H, C) of a parameter dict whose shapes fit together; ValueError naming the parameter otherwise."""
    missing = [name for name in PARAM_NAMES if name not in params]
    if missing:
        raise ValueError(f"params is missing {', '.join(missing)}")
    W1, b1, W2, b2 = (np.asarray(params[name]) for name in PARAM_NAMES)
    if W1.ndim != 2 or W1.shape[0] != 2:
        raise ValueError(f"W1 must have shape (2, H), got {W1.shape}")
    H = W1.shape[1]
    if W2.ndim != 2 or W2.shape[0] != H:
        raise ValueError(f"W2 must have shape (H={H}, C), got {W2.shape}")
    C = W2.shape[1]
    if b1.shape != (H,):
        raise ValueError(f"b1 must have shape ({H},), got {b1.shape}")
    if b2.shape != (C,):
        raise ValueError(f"b2 must have shape ({C},), got {b2.shape}")
    return H, C


@dataclass
class Forward:
    """Every intermediate of the forward pass, kept for the backward pass and for display."""

    X: np.ndarray  # (N, 2)
    z1: np.ndarray  # (N, H)  pre-activation
    a1: np.ndarray  # (N, H)  hidden activation f(z1)
    z2: np.ndarray  # (N, C)  logits
    log_y_hat: np.ndarray  # (N, C)  log softmax(z2)
    y_hat: np.ndarray  # (N, C)  class probabilities
    activation: str


def forward(params: Params, X: np.ndarray, activation: str = "tanh") -> Forward:
    """Forward pass on X (N, 2) in the parameters' dtype."""
    f = get_activation(activation).f
    W1, b1 = params["W1"], params["b1"]
    X = np.asarray(X, dtype=W1.dtype)
    z1 = X @ W1 + b1  # (N, H)
    a1 = f(z1)  # (N, H)
    return Forward(X, z1, a1, *output_layer(params, a1), activation)


def output_layer(params: Params, a1: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(z2, log_y_hat, y_hat), each (N, C), from the hidden activations a1 (N, H)."""
    z2 = a1 @ params["W2"] + params["b2"]  # (N, C)
    log_y_hat = log_softmax(z2)  # (N, C)
    y_hat = np.exp(log_y_hat)  # (N, C)  = softmax(z2)
    return z2, log_y_hat, y_hat


def data_loss(fwd: Forward, Y: np.ndarray, loss_name: str = "cross_entropy") -> float:
    """The data loss of the forward pass against Y (N, C): -(1/N) * sum(Y * log y_hat) for
    cross-entropy."""
    return get_loss(loss_name).value(fwd.log_y_hat, fwd.y_hat, Y)


def reg_loss(params: Params, lam: float) -> float:
    """L2 penalty (lam/2) * (|W1|^2 + |W2|^2); biases are not penalised."""
    W1, W2 = params["W1"], params["W2"]
    return float(lam / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2)))


def loss(
    params: Params, fwd: Forward, Y: np.ndarray, lam: float = 0.0, loss_name: str = "cross_entropy"
) -> float:
    """L = -(1/N) * sum(Y * log_softmax(z2)) + (lam/2) * (|W1|^2 + |W2|^2)."""
    return data_loss(fwd, Y, loss_name) + reg_loss(params, lam)


@dataclass
class Backward:
    """Every gradient of the backward pass, named d<quantity> = dL/d<quantity>."""

    dz2: np.ndarray  # (N, C)
    dW2: np.ndarray  # (H, C)
    db2: np.ndarray  # (C,)
    da1: np.ndarray  # (N, H)
    dz1: np.ndarray  # (N, H)
    dW1: np.ndarray  # (2, H)
    db1: np.ndarray  # (H,)
    dX: np.ndarray  # (N, 2)  which way the loss pushes each input point

    def grads(self) -> Params:
        """The parameter gradients under the parameters' own names."""
        return {"W1": self.dW1, "b1": self.db1, "W2": self.dW2, "b2": self.db2}


def backward(
    params: Params, fwd: Forward, Y: np.ndarray, lam: float = 0.0, loss_name: str = "cross_entropy"
) -> Backward:
    """Backward pass of the mean cross-entropy loss, derived by hand, one equation a line.

    dz2 = (y_hat - Y) / N is the softmax Jacobian and the cross-entropy derivative multiplied out;
    it holds because every row of Y sums to 1 (see derivation.py for the long way).
    """
    dz2 = output_delta(fwd, Y, loss_name)  # (N, C)  (y_hat - Y) / N
    return backward_from_dz2(params, fwd, dz2, lam)


def output_delta(fwd: Forward, Y: np.ndarray, loss_name: str = "cross_entropy") -> np.ndarray:
    """dz2 = dL/dz2 (N, C), where the backward pass starts: (y_hat - Y) / N for cross-entropy."""
    return get_loss(loss_name).delta(fwd.y_hat, Y, Y.shape[0])


def backward_from_dz2(
    params: Params, fwd: Forward, dz2: np.ndarray, lam: float = 0.0, activation: Activation | None = None
) -> Backward:
    """The backward pass from the output delta dz2 (N, C) down: every line after dz2.

    The lines below do not care where dz2 came from: the loss's own, one sample's row of it (the
    derivation), or a wrong one (the mistakes). `activation` replaces fwd's own f' (a mistake's
    wrong derivative); without it, fwd.activation's.
    """
    df = (activation or get_activation(fwd.activation)).df
    W1, W2 = params["W1"], params["W2"]
    dW2 = fwd.a1.T @ dz2 + lam * W2  # (H, C)
    db2 = dz2.sum(axis=0)  # (C,)
    da1 = dz2 @ W2.T  # (N, H)
    dz1 = da1 * df(fwd.z1, fwd.a1)  # (N, H)  f'(z1) as the activation computes it
    dW1 = fwd.X.T @ dz1 + lam * W1  # (2, H)
    db1 = dz1.sum(axis=0)  # (H,)
    dX = dz1 @ W1.T  # (N, 2)
    return Backward(dz2, dW2, db2, da1, dz1, dW1, db1, dX)


def loss_and_grads(
    params: Params, X: np.ndarray, Y: np.ndarray, activation: str = "tanh", lam: float = 0.0
) -> tuple[float, Params]:
    """Loss and parameter gradients at `params` on (X, Y): one forward and one backward pass."""
    fwd = forward(params, X, activation)
    return loss(params, fwd, Y, lam), backward(params, fwd, Y, lam).grads()


def predict(params: Params, X: np.ndarray, activation: str = "tanh") -> np.ndarray:
    """Predicted class (N,) for each row of X."""
    return np.argmax(forward(params, X, activation).z2, axis=1)


def accuracy(params: Params, X: np.ndarray, labels: np.ndarray, activation: str = "tanh") -> float:
    """Share of rows of X whose predicted class equals labels (N,)."""
    return float(np.mean(predict(params, X, activation) == labels))
