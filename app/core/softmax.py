"""The softmax y_hat = softmax(z2), row-wise, in each form the code runs, all in this one place.

    log_softmax(z)[n, k] = z[n, k] - m[n] - log(sum_j exp(z[n, j] - m[n])),   m[n] = max_j z[n, j]

Shifting each row by its max changes nothing mathematically and keeps exp() from overflowing, so
logits of +-1e4 stay finite. The fast forms are the same operations over buffers the caller owns:
`log_softmax_rows` for the training step's batch in rows, `softmax_columns_in_place` for the
decision grid, which keeps its logits class-major.
"""

from __future__ import annotations

import numpy as np


def log_softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise log softmax of z (N, C)."""
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of z (N, C): rows of y_hat, each summing to 1."""
    return np.exp(log_softmax(z))


def softmax_jacobian(y_hat: np.ndarray) -> np.ndarray:
    """J = diag(y_hat) - outer(y_hat, y_hat), (C, C), for one sample's y_hat (C,):
    J[k, r] = dy_hat_k / dz2_r = y_hat_k (delta_kr - y_hat_r). It is symmetric."""
    return np.diag(y_hat) - np.outer(y_hat, y_hat)


def over_classes(ufunc, z: np.ndarray, out: np.ndarray) -> np.ndarray:
    """ufunc (np.maximum, np.add) folded over the C >= 2 columns of z (n, C) into out (n,): C-1
    elementwise operations, where z.max(axis=1) would be one slow reduction per row (numpy's
    reduction along a short last axis costs ~70 ns a row)."""
    ufunc(z[:, 0], z[:, 1], out=out)
    for c in range(2, z.shape[1]):
        ufunc(out, z[:, c], out=out)
    return out


def log_softmax_rows(z: np.ndarray, out: np.ndarray, scratch: np.ndarray, per_sample: np.ndarray) -> None:
    """out <- log_softmax(z) row-wise (B, C), the max and the sum taken class by class;
    scratch (B, C) and per_sample (B, 1) are spent."""
    over_classes(np.maximum, z, out=per_sample[:, 0])
    np.subtract(z, per_sample, out=out)  # shifted = z - max
    np.exp(out, out=scratch)
    over_classes(np.add, scratch, out=per_sample[:, 0])
    np.log(per_sample, out=per_sample)
    out -= per_sample  # shifted - log(sum(exp(shifted)))


def softmax_columns_in_place(z_T: np.ndarray) -> np.ndarray:
    """z_T (C, M), one column per point, <- softmax over each column, and returned: class-major,
    the max and the sum over a point's classes are contiguous elementwise operations."""
    z_T -= z_T.max(axis=0)  # shifted by each point's largest logit: exp() cannot overflow
    y_hat_T = np.exp(z_T, out=z_T)
    y_hat_T /= y_hat_T.sum(axis=0)
    return y_hat_T
