"""What a frame or a REST reply reports about the parameters as they are now, on the full sets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.core.activations import get_activation
from app.core.network import Params, backward, forward, loss

SATURATED_BELOW = 0.06  # f'(z) under 6% of its largest value: tanh |a| > 0.97, relu switched off
SLOPE_BINS = 50  # the slope histogram's bins over 0..1 of the peak: 0.02 wide, so 0.06 is an edge


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
    slopes: list[int]  # SLOPE_BINS counts of (sample, unit) pairs by f'(z1) / peak slope, 0 to 1


def relative_slopes(z1: np.ndarray, a1: np.ndarray, activation: str) -> np.ndarray:
    """f'(z1) / its peak (tanh and relu peak at 1, sigmoid at 1/4), entry by entry of z1 (N, H): the
    share of the error da1 a unit passes back to dz1 = da1 * f'(z1) at each sample, 0 to 1."""
    act = get_activation(activation)
    return act.df(z1, a1) / act.peak_slope


def saturation_share(z1: np.ndarray, a1: np.ndarray, activation: str) -> float:
    """Share of entries of z1 (N, H) where the activation's slope is under SATURATED_BELOW of its
    peak: there the backward pass lets almost nothing through."""
    return float(np.mean(relative_slopes(z1, a1, activation) < SATURATED_BELOW))


def slope_histogram(slopes: np.ndarray) -> list[int]:
    """How many entries of `slopes` (f'(z1) / peak) fall in each of SLOPE_BINS equal bins over 0..1;
    a value of 1 (the peak itself) counts in the last bin, and a non-finite one in none."""
    s = slopes[np.isfinite(slopes)].ravel()
    bins = np.clip((s * SLOPE_BINS).astype(np.int64), 0, SLOPE_BINS - 1)
    return np.bincount(bins, minlength=SLOPE_BINS).tolist()


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
    slopes = relative_slopes(fwd.z1, fwd.a1, activation)
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
        saturation=float(np.mean(slopes < SATURATED_BELOW)),
        slopes=slope_histogram(slopes),
    )
