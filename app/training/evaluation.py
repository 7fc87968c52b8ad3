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
    deltas: list[float]  # |delta(l)| = |dL/dz(l)| for l = 1 ... L+1, full training set
    dX: np.ndarray  # (N_train, F)
    residual: np.ndarray  # (N_train,)  sum over classes of |y_hat - y|: how hard each point pulls
    saturation: float  # share of (sample, unit) pairs where f'(z) is nearly 0, over every hidden layer
    saturation_layers: list[float]  # the same share in each hidden layer, l = 1 ... L
    slopes: list[int]  # SLOPE_BINS counts of (sample, unit) pairs by f'(z) / peak slope, 0 to 1


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
    loss_name: str = "cross_entropy",
    l1: float = 0.0,
) -> Evaluation:
    """Losses and accuracies on both sets and the gradients on the training set, in params' dtype.
    X_train and X_test are the network's inputs (N, F): the run's features of its points."""
    fwd = forward(params, X_train, activation)
    per_layer = [relative_slopes(z, a, activation).ravel() for z, a in zip(fwd.z[:-1], fwd.a, strict=True)]
    slopes = np.concatenate(per_layer)
    back = backward(params, fwd, Y_train, lam, loss_name, l1)
    test_loss = test_accuracy = None
    if len(X_test):
        fwd_test = forward(params, X_test, activation)
        test_loss = loss(params, fwd_test, Y_test, lam, loss_name, l1)
        test_accuracy = float(np.mean(np.argmax(fwd_test.logits, axis=1) == labels_test))
    return Evaluation(
        train_loss=loss(params, fwd, Y_train, lam, loss_name, l1),
        train_accuracy=float(np.mean(np.argmax(fwd.logits, axis=1) == labels_train)),
        test_loss=test_loss,
        test_accuracy=test_accuracy,
        grads=back.grads(),
        deltas=[float(np.linalg.norm(dz)) for dz in back.dz],
        dX=back.dX,
        residual=np.abs(fwd.y_hat - Y_train).sum(axis=1),
        saturation=float(np.mean(slopes < SATURATED_BELOW)),
        saturation_layers=[float(np.mean(s < SATURATED_BELOW)) for s in per_layer],
        slopes=slope_histogram(slopes),
    )
