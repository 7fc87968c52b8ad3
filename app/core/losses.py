"""The loss on the network's output y_hat = softmax(z2): its value, the output delta dz2 it starts
the backward pass with, and how the derivation writes them, in one entry per loss.

The derivation works dz2 out two ways, and a Loss carries both ends: dL/dy_hat, which the softmax
Jacobian J turns into dz2 row by row (dz2[n] = J[n].T @ dL/dy_hat[n]), and `delta`, that product
multiplied out. For cross-entropy it is (y_hat - Y) / N, which holds because every row of Y sums
to 1. Mean squared error on the softmax output has no such shortcut: its delta is the Jacobian
product itself, y_hat * (g - sum(g * y_hat)) with g = (y_hat - Y) / N, which is why it learns
slowly from a confident wrong answer (y_hat near 0 or 1 makes it small). A new loss is one new
entry in LOSSES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .checks import check_choice


@dataclass(frozen=True)
class Loss:
    name: str
    value: Callable[[np.ndarray, np.ndarray, np.ndarray], float]
    """value(log_y_hat, y_hat, Y): the data loss, averaged over the N rows of Y (N, C)."""
    dL_dy_hat: Callable[[np.ndarray, np.ndarray, int], np.ndarray]
    """dL_dy_hat(y_hat, Y, N): dL/dy_hat (n, C) for rows of a batch of N, the long way's start."""
    delta: Callable[[np.ndarray, np.ndarray, int], np.ndarray]
    """delta(y_hat, Y, N): dz2 = dL/dz2 (n, C) for rows of a batch of N, multiplied out."""
    delta_in_place: Callable[[np.ndarray, np.ndarray, int, np.ndarray], np.ndarray]
    """delta_in_place(y_hat, Y, N, out): out <- delta(y_hat, Y, N), returned; the training step's form."""
    text: str
    """The data loss L in plain text."""
    sample_text: str
    """One sample's loss (N times its share of L) in plain text, in y and y_hat."""
    sample_tex: str
    dL_dy_hat_text: str
    dL_dy_hat_tex: str
    delta_text: str
    delta_tex: str
    batch_delta_text: str
    """dz2 for the whole batch (N, C) in plain text, in Y and y_hat (N, C)."""
    batch_delta_tex: str
    delta_why_tex: str = ""
    """Why dz2 = J.T @ dL/dy_hat is the `delta` line, the product worked out entry by entry."""
    delta_note: str = ""
    """What that product means for learning, in words."""
    has_short_way: bool = False
    """The product simplifies to a line that no longer needs J (cross-entropy's y_hat - y)."""


def _cross_entropy(log_y_hat, y_hat, Y) -> float:  # -(1/N) * sum(Y * log y_hat)
    return -float(np.vdot(Y, log_y_hat)) / Y.shape[0]  # a dot product: no (N, C) temporary


def _cross_entropy_dL_dy_hat(y_hat, Y, N):
    return np.where(Y > 0, -Y / y_hat / N, 0.0)  # classes with y = 0 add nothing, even where y_hat is 0


def _cross_entropy_delta_in_place(y_hat, Y, N, out):
    np.subtract(y_hat, Y, out=out)
    out /= N
    return out


CROSS_ENTROPY = Loss(
    "cross_entropy",
    value=_cross_entropy,
    dL_dy_hat=_cross_entropy_dL_dy_hat,
    delta=lambda y_hat, Y, N: (y_hat - Y) / N,
    delta_in_place=_cross_entropy_delta_in_place,
    text="-(1/N) sum(Y * log softmax(z2))",
    sample_text="-sum(y * log(y_hat))",
    sample_tex=r"-\textstyle\sum_k y_k \log \hat y_k",
    dL_dy_hat_text="-y / y_hat / N",
    dL_dy_hat_tex=r"-\,\frac{y}{\hat y}\,\frac{1}{N}",
    delta_text="(y_hat - y) / N",
    delta_tex=r"(\hat y - y)\,/\,N",
    batch_delta_text="(y_hat - Y) / N",
    batch_delta_tex=r"(\hat Y - Y)\,/\,N",
    # J's entries are y_hat_k (delta_kr - y_hat_r): the 1/y_hat of dL/dy_hat cancels them.
    delta_why_tex=r"""\Big(\tfrac{\partial L}{\partial \hat y} J\Big)_r
  = \sum_k \frac{-y_k}{N \hat y_k}\, \hat y_k (\delta_{kr} - \hat y_r)
  = \frac{-y_r + \hat y_r \sum_k y_k}{N} = \frac{\hat y_r - y_r}{N}
  \quad\text{because}\ \textstyle\sum_k y_k = 1""",
    delta_note="Cross-entropy's 1/ŷ cancels the ŷ in every entry of J: what is left, (ŷ − y)/N, is largest "
    "where the network is confidently wrong, so that is where it learns fastest.",
    has_short_way=True,
)


def _mse(log_y_hat, y_hat, Y) -> float:  # (1/N) * sum(1/2 * |y_hat - Y|^2)
    residual = y_hat - Y
    return 0.5 * float(np.vdot(residual, residual)) / Y.shape[0]


def _mse_delta(y_hat, Y, N):
    g = (y_hat - Y) / N  # dL/dy_hat
    return y_hat * (g - np.sum(g * y_hat, axis=1, keepdims=True))  # J.T @ g row by row, J = diag(y) - y y.T


def _mse_delta_in_place(y_hat, Y, N, out):
    np.subtract(y_hat, Y, out=out)
    out /= N  # g = dL/dy_hat
    out -= np.sum(out * y_hat, axis=1, keepdims=True)  # g - sum(g * y_hat)
    out *= y_hat
    return out


MSE = Loss(
    "mse",
    value=_mse,
    dL_dy_hat=lambda y_hat, Y, N: (y_hat - Y) / N,
    delta=_mse_delta,
    delta_in_place=_mse_delta_in_place,
    text="(1/N) sum(1/2 * |softmax(z2) - Y|^2)",
    sample_text="1/2 * sum((y_hat - y)**2)",
    sample_tex=r"\tfrac12 \textstyle\sum_k (\hat y_k - y_k)^2",
    dL_dy_hat_text="(y_hat - y) / N",
    dL_dy_hat_tex=r"(\hat y - y)\,/\,N",
    delta_text="y_hat * ((y_hat - y) / N - sum((y_hat - y) / N * y_hat))",
    delta_tex=r"\hat y \odot \big(g - \textstyle\sum_k g_k \hat y_k\big),\ g = (\hat y - y)/N",
    batch_delta_text="y_hat * ((y_hat - Y) / N - sum((y_hat - Y) / N * y_hat, axis=1, keepdims=True))",
    batch_delta_tex=r"\hat Y \odot \big(G - (G \odot \hat Y)\,\mathbf{1}\mathbf{1}^\top\big),"
    r"\ G = (\hat Y - Y)/N",
    delta_why_tex=r"""\Big(\tfrac{\partial L}{\partial \hat y} J\Big)_r
  = \sum_k g_k\, \hat y_k (\delta_{kr} - \hat y_r)
  = \hat y_r \Big(g_r - \textstyle\sum_k g_k \hat y_k\Big),
  \quad g = \frac{\hat y - y}{N}\ \text{: nothing cancels}""",
    delta_note="Nothing cancels here: every entry of mse's dz keeps J's factor ŷ, so there is no short way "
    "past J. At a confident wrong answer (ŷ near 0 for the true class, near 1 for one other) that "
    "factor makes dz small, and mse learns slowly from exactly the points cross-entropy, whose "
    "(ŷ − y)/N is largest there, learns from fastest.",
)

LOSSES: dict[str, Loss] = {loss.name: loss for loss in (CROSS_ENTROPY, MSE)}
LOSS_NAMES = tuple(LOSSES)


def get_loss(name: str) -> Loss:
    """The Loss called `name` (one of LOSSES); ValueError naming `loss` otherwise."""
    return LOSSES[check_choice("loss", name, LOSSES)]
