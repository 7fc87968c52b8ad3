"""Where the hidden layer puts the points: a1 (N, H) seen in 2-D, with the input plane's grid
lines carried through the same map so the warping shows.

For H = 2 the hidden space is the plane itself (no projection); for H = 1 the second axis is 0;
otherwise the two principal components of the training points' a1. The output layer separates
classes with straight lines (hyperplanes) in this space: that is what the hidden layer is for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import check_int
from .network import Params, forward, output_layer


@dataclass
class Projection:
    mean: np.ndarray  # (H,)
    components: np.ndarray  # (H, 2)  orthonormal columns
    exact: bool  # H <= 2: nothing is lost
    explained: float  # share of a1's variance the two axes keep

    def __call__(self, a1: np.ndarray) -> np.ndarray:
        """(M, H) -> (M, 2)"""
        return (a1 - self.mean) @ self.components

    def back(self, points: np.ndarray) -> np.ndarray:
        """(M, 2) -> (M, H): the a1 that projects to each point and lies in the plane of the axes
        (for an exact projection, the one a1 that projects there)."""
        return points @ self.components.T + self.mean


def fit_projection(a1: np.ndarray) -> Projection:
    """PCA of a1 (N, H) to 2-D; each axis signed so its largest loading is positive, so the picture
    does not flip between two nearly equal steps."""
    N, H = a1.shape
    if H <= 2:
        components = np.eye(H, 2, dtype=a1.dtype)
        return Projection(np.zeros(H, a1.dtype), components, True, 1.0)
    mean = a1.mean(axis=0)
    _, s, Vt = np.linalg.svd(a1 - mean, full_matrices=False)  # Vt: (min(N, H), H)
    components = np.zeros((H, 2), a1.dtype)  # a single point has one axis at most: the other stays 0
    components[:, : len(Vt[:2])] = Vt[:2].T
    signs = np.sign(components[np.abs(components).argmax(axis=0), [0, 1]])
    components *= np.where(signs == 0, 1, signs)
    total = float(np.sum(s**2))
    explained = float(np.sum(s[:2] ** 2) / total) if total > 0 else 1.0
    return Projection(mean, components, False, explained)


def hidden_activations(params: Params, X: np.ndarray, activation: str) -> np.ndarray:
    """a1 = f(X @ W1 + b1), (M, H), for points X (M, 2)."""
    return forward(params, X, activation).a1


def grid_lines(box, lines: int = 11, samples: int = 40) -> np.ndarray:
    """The input plane's grid: `lines` vertical and `lines` horizontal lines, each `samples`
    points long, (2 * lines, samples, 2)."""
    lines = check_int("lines", lines, 2, 50)
    samples = check_int("samples", samples, 2, 200)
    x_min, x_max, y_min, y_max = box
    xs, ys = np.linspace(x_min, x_max, lines), np.linspace(y_min, y_max, lines)
    ts_x, ts_y = np.linspace(x_min, x_max, samples), np.linspace(y_min, y_max, samples)
    vertical = np.stack([np.stack([np.full(samples, x), ts_y], axis=1) for x in xs])
    horizontal = np.stack([np.stack([ts_x, np.full(samples, y)], axis=1) for y in ys])
    return np.concatenate([vertical, horizontal])


def view_extent(points: np.ndarray, grid: np.ndarray) -> tuple[float, float, float, float]:
    """(x_min, x_max, y_min, y_max) that shows the points (N, 2) and the mapped grid (..., 2): the
    points' extent, widened to take in the grid but by at most half the points' span on each side
    (relu units are unbounded, and one far grid corner must not shrink the points to a dot), then
    padded by 4% of its larger side. Entries that are not finite are left out."""
    points = points[np.all(np.isfinite(points), axis=1)]
    low, high = (points.min(axis=0), points.max(axis=0)) if len(points) else (-np.ones(2), np.ones(2))
    span = max(float(np.max(high - low)), 1e-6)
    grid = grid.reshape(-1, 2)
    grid = np.clip(grid[np.all(np.isfinite(grid), axis=1)], low - span / 2, high + span / 2)
    low = np.minimum(low, grid.min(axis=0, initial=np.inf))
    high = np.maximum(high, grid.max(axis=0, initial=-np.inf))
    pad = 0.04 * max(float(np.max(high - low)), 1e-6)
    return (float(low[0] - pad), float(high[0] + pad), float(low[1] - pad), float(high[1] + pad))


def decision_in_hidden_space(
    params: Params, projection: Projection, extent, cells: int
) -> tuple[np.ndarray, np.ndarray]:
    """The output layer's decision over the hidden plane: (label (cells, cells) int, confidence
    (cells, cells)), the winning class and its y_hat = softmax(a1 @ W2 + b2) at the centre of each
    cell of a cells x cells grid over extent, rows are y from the bottom up (as decision_grid).
    Only an exact projection (H <= 2) has one a1 per point of the plane."""
    cells = check_int("cells", cells, 2, 400)
    x_min, x_max, y_min, y_max = extent
    xs = x_min + (np.arange(cells) + 0.5) / cells * (x_max - x_min)
    ys = y_min + (np.arange(cells) + 0.5) / cells * (y_max - y_min)
    gx, gy = np.meshgrid(xs, ys)
    a1 = projection.back(np.column_stack([gx.ravel(), gy.ravel()]).astype(params["W2"].dtype))
    _, _, y_hat = output_layer(params, a1)  # (cells * cells, C)
    label = np.argmax(y_hat, axis=1)
    confidence = y_hat[np.arange(len(y_hat)), label]
    return label.reshape(cells, cells), confidence.reshape(cells, cells)


@dataclass
class HiddenSpace:
    points: np.ndarray  # (N, 2)  the training points' a1, projected
    grid: np.ndarray  # (2 * lines, samples, 2)  the input grid lines, mapped and projected
    projection: Projection
    input_grid: np.ndarray | None = None  # (2 * lines, samples, 2)  the same lines before the map
    extent: tuple[float, float, float, float] = (-1.0, 1.0, -1.0, 1.0)  # what shows points and grid
    decision: tuple[np.ndarray, np.ndarray] | None = None  # (label, confidence); exact projections only


def hidden_space(
    params: Params,
    X: np.ndarray,
    box,
    activation: str,
    lines: int = 11,
    samples: int = 40,
    decision_cells: int | None = None,
) -> HiddenSpace:
    """The training points X (N, 2) and the grid over box, as the hidden layer sees them; with
    decision_cells, the output layer's decision over the hidden plane when it is exact."""
    a1 = hidden_activations(params, X, activation)
    projection = fit_projection(a1)
    grid = grid_lines(box, lines, samples)
    mapped = projection(hidden_activations(params, grid.reshape(-1, 2), activation)).reshape(grid.shape)
    points = projection(a1)
    extent = view_extent(points, mapped)
    decision = None
    if decision_cells is not None and projection.exact:
        decision = decision_in_hidden_space(params, projection, extent, decision_cells)
    return HiddenSpace(points, mapped, projection, grid, extent, decision)
