"""The decision grid: class probabilities y_hat on a G x G grid of points over the data's box."""

from __future__ import annotations

import functools

import numpy as np

from .activations import get_activation
from .bounds import MAX_GRID, MIN_GRID
from .checks import check_int
from .network import PARAM_NAMES, Params
from .softmax import softmax_columns_in_place

# Grid points x H per block. A block's z1 (B, H) then stays in the core's cache through the
# activation and the second product; 1 << 17 is 256 points at H=500 (measured: 17 ms in one
# float32 pass over G=100, 3.6 ms in such blocks), more points per block for a small H.
BLOCK_ELEMENTS = 1 << 17


def grid_axes(box, G: int, dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    """The G x-coordinates and G y-coordinates of the grid over box (x_min, x_max, y_min, y_max)."""
    G = check_int("G", G, MIN_GRID, MAX_GRID)
    x_min, x_max, y_min, y_max = box
    return np.linspace(x_min, x_max, G, dtype=dtype), np.linspace(y_min, y_max, G, dtype=dtype)


def grid_points(box, G: int, dtype=np.float64) -> np.ndarray:
    """The G*G grid points (G*G, 2), row-major with y outer: point [i*G + j] is (xs[j], ys[i])."""
    xs, ys = grid_axes(box, G, dtype)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


@functools.lru_cache(maxsize=64)
def _points_with_ones(box: tuple, G: int, dtype_name: str) -> np.ndarray:
    """[x, y, 1] of grid point [i*G + j] = (xs[j], ys[i]), as grid_points, read-only. Kept for the
    last boxes and sizes asked: a run's grid is the same every frame, and writing it took a small
    run's frame a fifth of its time."""
    dtype = np.dtype(dtype_name)
    xs, ys = grid_axes(box, G, dtype)
    P1 = np.ones((G * G, 3), dtype)
    P1.reshape(G, G, 3)[:, :, 0] = xs
    P1.reshape(G, G, 3)[:, :, 1] = ys[:, None]
    P1.flags.writeable = False
    return P1


def decision_grid(params: Params, box, G: int, activation: str = "tanh") -> np.ndarray:
    """y_hat (G, G, C) over the grid, [i, j] at (xs[j], ys[i]): heatmap order, rows are y.

    network.forward's equations in the parameters' dtype, in blocks of grid points whose (B, H)
    array stays in cache, into buffers allocated once per call; b1 is folded into the first
    product by a column of ones (P1 = [P, 1], W1b = [W1; b1]: z1 = P1 @ W1b = P @ W1 + b1).
    The softmax runs on z2.T (C, G*G), class-major: its max and sum over the classes of a point
    are then contiguous elementwise operations, where z2.max(axis=1) is a slow reduction per point.
    """
    act = get_activation(activation)  # ValueError naming `activation` for an unknown one
    W1, b1, W2, b2 = (params[name] for name in PARAM_NAMES)
    dtype = W1.dtype
    H, C = W2.shape
    G = check_int("G", G, MIN_GRID, MAX_GRID)
    P1 = _points_with_ones(tuple(float(v) for v in box), G, dtype.name)  # [x, y, 1] per point
    W1b = np.vstack([W1, b1])  # (3, H)
    B = min(G * G, max(1, BLOCK_ELEMENTS // H))
    a1_block = np.empty((B, H), dtype)
    z2 = np.empty((G * G, C), dtype)
    for start in range(0, G * G, B):
        rows = slice(start, start + B)
        z1 = np.matmul(P1[rows], W1b, out=a1_block[: len(P1[rows])])  # z1 = P @ W1 + b1  (B, H)
        # No scratch for the activation: a (B, H) scratch array allocated per call made the tanh
        # grid 8% slower (measured) and the sigmoid one no faster.
        a1 = act.f_in_place(z1)  # a1 = f(z1)
        np.matmul(a1, W2, out=z2[rows])  # a1 @ W2  (B, C)
    # Transposed here, class by class, rather than computed as W2.T @ a1.T, which OpenBLAS does
    # 4x slower at some shapes (H=100); numpy's own transposing copy is 4-7x slower than this.
    z2_T = np.empty((C, G * G), dtype)
    for c in range(C):
        z2_T[c] = z2[:, c]
    z2_T += b2[:, None]  # z2 = a1 @ W2 + b2
    y_hat_T = softmax_columns_in_place(z2_T)  # y_hat = softmax(z2)
    y_hat = z2
    for c in range(C):
        y_hat[:, c] = y_hat_T[c]
    return y_hat.reshape(G, G, C)
