"""The decision grid: class probabilities y_hat on a G x G grid of points over the data's box."""

from __future__ import annotations

import functools

import numpy as np

from .activations import get_activation
from .bounds import MAX_GRID, MIN_GRID
from .checks import check_int
from .features import DEFAULT_FEATURES, expand
from .network import Params, depth
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
def _points_with_ones(box: tuple, G: int, dtype_name: str, features: tuple = DEFAULT_FEATURES) -> np.ndarray:
    """[x, y, 1] of grid point [i*G + j] = (xs[j], ys[i]), as grid_points, read-only. Kept for the
    last boxes and sizes asked: a run's grid is the same every frame, and writing it took a small
    run's frame a fifth of its time. Other features than (x1, x2): [features of (x, y), 1]."""
    dtype = np.dtype(dtype_name)
    if features != DEFAULT_FEATURES:
        P = expand(grid_points(box, G, np.float64), features)
        P1 = np.column_stack([P, np.ones(G * G)]).astype(dtype)
        P1.flags.writeable = False
        return P1
    xs, ys = grid_axes(box, G, dtype)
    P1 = np.ones((G * G, 3), dtype)
    P1.reshape(G, G, 3)[:, :, 0] = xs
    P1.reshape(G, G, 3)[:, :, 1] = ys[:, None]
    P1.flags.writeable = False
    return P1


def decision_grid(
    params: Params, box, G: int, activation: str = "tanh", features: tuple = DEFAULT_FEATURES
) -> np.ndarray:
    """y_hat (G, G, C) over the grid, [i, j] at (xs[j], ys[i]): heatmap order, rows are y.

    network.forward's equations in the parameters' dtype, in blocks of grid points whose (B, H)
    array stays in cache, into buffers allocated once per call; b1 is folded into the first
    product by a column of ones (P1 = [P, 1], W1b = [W1; b1]: z1 = P1 @ W1b = P @ W1 + b1).
    The softmax runs on z2.T (C, G*G), class-major: its max and sum over the classes of a point
    are then contiguous elementwise operations, where z2.max(axis=1) is a slow reduction per point.
    A deeper network runs its hidden layers z(l) = a(l-1) @ W(l) + b(l), a(l) = f(z(l)) on the
    same block; the network's input is the run's features of each grid point.
    """
    act = get_activation(activation)  # ValueError naming `activation` for an unknown one
    L = depth(params)
    out = L + 1
    W1, b1, W_out, b2 = params["W1"], params["b1"], params[f"W{out}"], params[f"b{out}"]
    dtype = W1.dtype
    C = W_out.shape[1]
    widths = [params[f"b{l}"].shape[0] for l in range(1, L + 1)]
    G = check_int("G", G, MIN_GRID, MAX_GRID)
    P1 = _points_with_ones(tuple(float(v) for v in box), G, dtype.name, tuple(features))  # [x, y, 1]
    W1b = np.vstack([W1, b1])  # (F+1, H1)
    B = min(G * G, max(1, BLOCK_ELEMENTS // sum(widths)))
    blocks = [np.empty((B, H), dtype) for H in widths]
    z2 = np.empty((G * G, C), dtype)
    for start in range(0, G * G, B):
        rows = slice(start, start + B)
        n = len(P1[rows])
        z1 = np.matmul(P1[rows], W1b, out=blocks[0][:n])  # z1 = P @ W1 + b1  (B, H1)
        # No scratch for the activation: a (B, H) scratch array allocated per call made the tanh
        # grid 8% slower (measured) and the sigmoid one no faster.
        a = act.f_in_place(z1)  # a1 = f(z1)
        for l in range(2, L + 1):
            z = np.matmul(a, params[f"W{l}"], out=blocks[l - 1][:n])
            z += params[f"b{l}"]  # z(l) = a(l-1) @ W(l) + b(l)
            a = act.f_in_place(z)  # a(l) = f(z(l))
        np.matmul(a, W_out, out=z2[rows])  # a(L) @ W(L+1)  (B, C)
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
