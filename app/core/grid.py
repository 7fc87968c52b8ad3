"""The decision grid: class probabilities y_hat on a G x G grid of points over the data's box."""

from __future__ import annotations

import numpy as np

from .bounds import MAX_GRID, MIN_GRID
from .checks import check_int
from .network import Params, forward

BLOCK_ROWS = 4096  # grid points per forward pass: bounds the temporaries to BLOCK_ROWS x H


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


def decision_grid(params: Params, box, G: int, activation: str = "tanh") -> np.ndarray:
    """y_hat (G, G, C) over the grid, [i, j] at (xs[j], ys[i]): heatmap order, rows are y.

    Computed in the parameters' dtype, in blocks of BLOCK_ROWS points, with no Python loop per point.
    """
    dtype = params["W1"].dtype
    P = grid_points(box, G, dtype)
    C = params["W2"].shape[1]
    y_hat = np.empty((P.shape[0], C), dtype=dtype)
    for start in range(0, P.shape[0], BLOCK_ROWS):
        block = slice(start, start + BLOCK_ROWS)
        y_hat[block] = forward(params, P[block], activation).y_hat
    return y_hat.reshape(G, G, C)
