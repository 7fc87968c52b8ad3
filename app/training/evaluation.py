"""What a frame or a REST reply reports about the parameters as they are now, on the full sets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.core.activations import get_activation
from app.core.network import Params, backward, forward, loss

SATURATED_BELOW = 0.06  # f'(z) under 6% of its largest value: tanh |a| > 0.97, relu switched off


@dataclass
class Evaluation:
    train_loss: float
    train_accuracy: float
    test_loss: float | None  # None when there is no test set
    test_accuracy: float | None
    grads: Params  # at the current parameters, full training set, same names as params
    dX: np.ndarray  # (N_train, 2)
    residual: np.ndarray  # (N_train,)  sum over classes of |y_hat - y|: how hard each point pulls
    saturation: float  # share of (sample, unit) pairs where f'(z1) is nearly 0


def saturation_share(z1: np.ndarray, a1: np.ndarray, activation: str) -> float:
    """Share of entries of z1 (N, H) where the activation's slope is under SATURATED_BELOW of its
    peak (tanh and relu peak at 1, sigmoid at 1/4): there the backward pass lets almost nothing through."""
    act = get_activation(activation)
    return float(np.mean(act.df(z1, a1) < SATURATED_BELOW * act.peak_slope))


def evaluate(
    params: Params,
    X_train: np.ndarray,
    Y_train: np.ndarray,
    labels_train: np.ndarray,
    X_test: np.ndarray,
    Y_test: np.ndarray,
    labels_test: np.ndarray,
    activation: str,
    lam: float,
) -> Evaluation:
    """Losses and accuracies on both sets and the gradients on the training set, in params' dtype."""
    fwd = forward(params, X_train, activation)
    back = backward(params, fwd, Y_train, lam)
    test_loss = test_accuracy = None
    if len(X_test):
        fwd_test = forward(params, X_test, activation)
        test_loss = loss(params, fwd_test, Y_test, lam)
        test_accuracy = float(np.mean(np.argmax(fwd_test.z2, axis=1) == labels_test))
    return Evaluation(
        train_loss=loss(params, fwd, Y_train, lam),
        train_accuracy=float(np.mean(np.argmax(fwd.z2, axis=1) == labels_train)),
        test_loss=test_loss,
        test_accuracy=test_accuracy,
        grads=back.grads(),
        dX=back.dX,
        residual=np.abs(fwd.y_hat - Y_train).sum(axis=1),
        saturation=saturation_share(fwd.z1, fwd.a1, activation),
    )
