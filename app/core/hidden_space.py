"""Where a hidden layer puts the points: a(l) (N, H(l)) seen in 2-D, with the input plane's grid
lines carried through the same map (the run's features, then layers 1 to l) so the warping shows.

For H(l) = 2 the hidden space is the plane itself (no projection); for H(l) = 1 the second axis
is 0; otherwise the two principal components of the training points' a(l). After the last hidden
layer, L, the output layer is linear and a softmax: it separates classes with straight lines
(hyperplanes) in a(L)'s space, which is what the hidden layers are for. After an inner layer l < L
come more nonlinear layers, so no straight boundary is true in a(l)'s space, and none is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import check_int
from .features import DEFAULT_FEATURES, expand
from .network import Params, depth, forward, output_layer


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


def hidden_activations(
    params: Params, X: np.ndarray, activation: str, layer: int = 1, features=DEFAULT_FEATURES
) -> np.ndarray:
    """a(l) (M, H(l)) for points X (M, 2) of the plane: their features, then layers 1 to l of
    network.py's forward pass (a1 = f(X @ W1 + b1) for the first layer fed x1, x2)."""
    return forward(params, expand(X, features), activation).a[layer - 1]


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
    """The output layer's decision over the last hidden layer's plane: (label (cells, cells) int,
    confidence (cells, cells)), the winning class and its y_hat = softmax(a(L) @ W(L+1) + b(L+1))
    at the centre of each cell of a cells x cells grid over extent, rows are y from the bottom up
    (as decision_grid). Only an exact projection (H(L) <= 2) has one a(L) per point of the plane."""
    cells = check_int("cells", cells, 2, 400)
    x_min, x_max, y_min, y_max = extent
    xs = x_min + (np.arange(cells) + 0.5) / cells * (x_max - x_min)
    ys = y_min + (np.arange(cells) + 0.5) / cells * (y_max - y_min)
    gx, gy = np.meshgrid(xs, ys)
    a_L = projection.back(np.column_stack([gx.ravel(), gy.ravel()]).astype(params["W1"].dtype))
    _, _, y_hat = output_layer(params, a_L)  # (cells * cells, C)
    label = np.argmax(y_hat, axis=1)
    confidence = y_hat[np.arange(len(y_hat)), label]
    return label.reshape(cells, cells), confidence.reshape(cells, cells)


@dataclass
class HiddenSpace:
    points: np.ndarray  # (N, 2)  the training points' a(l), projected
    grid: np.ndarray  # (2 * lines, samples, 2)  the input grid lines, mapped and projected
    projection: Projection
    input_grid: np.ndarray | None = None  # (2 * lines, samples, 2)  the same lines before the map
    extent: tuple[float, float, float, float] = (-1.0, 1.0, -1.0, 1.0)  # what shows points and grid
    decision: tuple[np.ndarray, np.ndarray] | None = None  # (label, confidence); exact, last layer only
    layer: int = 1  # l: the hidden layer shown
    last: bool = True  # l = L: only the output layer, linear and a softmax, comes after it


def hidden_space(
    params: Params,
    X: np.ndarray,
    box,
    activation: str,
    lines: int = 11,
    samples: int = 40,
    decision_cells: int | None = None,
    layer: int = 1,
    features=DEFAULT_FEATURES,
) -> HiddenSpace:
    """The training points X (N, 2) and the grid over box, as hidden layer `layer` (1..L) sees
    them through the run's features; with decision_cells, the output layer's decision over the
    plane when it is true there: the last hidden layer, an exact projection."""
    L = depth(params)
    layer = check_int("layer", layer, 1, L)
    a = hidden_activations(params, X, activation, layer, features)
    projection = fit_projection(a)
    grid = grid_lines(box, lines, samples)
    on_grid = hidden_activations(params, grid.reshape(-1, 2), activation, layer, features)
    mapped = projection(on_grid).reshape(grid.shape)
    points = projection(a)
    extent = view_extent(points, mapped)
    decision = None
    if decision_cells is not None and projection.exact and layer == L:
        decision = decision_in_hidden_space(params, projection, extent, decision_cells)
    return HiddenSpace(points, mapped, projection, grid, extent, decision, layer, layer == L)
