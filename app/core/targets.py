"""Targets Y (N, C): one-hot rows, label-smoothed rows, or any soft rows that sum to 1.

Every row summing to 1 is what makes dz2 = (y_hat - Y) / N hold (see network.backward), so it is
checked here, once, for every Y that enters the math.
"""

from __future__ import annotations

import numpy as np

from .bounds import MAX_CLASSES, MIN_CLASSES, SOFT_LABEL_TOLERANCE
from .checks import check_float, check_int


def check_labels(labels, C: int) -> np.ndarray:
    """Integer class labels (N,) in [0, C); ValueError naming `labels` otherwise."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError(f"labels must be a non-empty 1-D array, got shape {labels.shape}")
    if labels.dtype.kind == "f":
        if not np.all(np.isfinite(labels)) or not np.all(labels == np.round(labels)):
            raise ValueError("labels must be whole numbers")
    elif labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be integers, got dtype {labels.dtype}")
    labels = labels.astype(np.int64)
    bad = (labels < 0) | (labels >= C)
    if np.any(bad):
        raise ValueError(
            f"labels must be in [0, {C - 1}] for C={C} classes; "
            f"got {labels[bad][0]} at index {int(np.flatnonzero(bad)[0])}"
        )
    return labels


def one_hot(labels, C: int, *, smoothing: float = 0.0, dtype=np.float64) -> np.ndarray:
    """Y (N, C): row n is the one-hot of labels[n], or with label smoothing eps
    (1 - eps) * one_hot + eps / C, which still sums to 1."""
    C = check_int("C", C, MIN_CLASSES, MAX_CLASSES)
    smoothing = check_float("smoothing", smoothing, 0.0, 1.0)
    labels = check_labels(labels, C)
    Y = np.zeros((labels.size, C), dtype=dtype)
    Y[np.arange(labels.size), labels] = 1
    if smoothing:
        Y = (1 - smoothing) * Y + smoothing / C
    return Y


def check_targets(Y, N: int | None = None, C: int | None = None) -> np.ndarray:
    """Y (N, C) with finite entries >= 0 and rows summing to 1; ValueError naming `Y` otherwise."""
    Y = np.asarray(Y)
    if Y.ndim != 2:
        raise ValueError(f"Y must be 2-D (N, C), got shape {Y.shape}")
    if N is not None and Y.shape[0] != N:
        raise ValueError(f"Y must have one row per sample ({N}), got {Y.shape[0]}")
    if C is not None and Y.shape[1] != C:
        raise ValueError(f"Y must have one column per class ({C}), got {Y.shape[1]}")
    if not np.all(np.isfinite(Y)) or np.any(Y < 0):
        raise ValueError("Y must have finite entries >= 0")
    row_sums = Y.sum(axis=1)
    worst = int(np.argmax(np.abs(row_sums - 1)))
    if abs(row_sums[worst] - 1) > SOFT_LABEL_TOLERANCE:
        raise ValueError(
            f"Y rows must sum to 1 (soft labels are probabilities); row {worst} sums to {row_sums[worst]:.6g}"
        )
    return Y
