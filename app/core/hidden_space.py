"""Where the hidden layer puts the points: a1 (N, H) seen in 2-D, with the input plane's grid
lines carried through the same map so the warping shows.

For H = 2 the hidden space is the plane itself (no projection); for H = 1 the second axis is 0;
otherwise the two principal components of the training points' a1. The output layer separates
classes with straight lines (hyperplanes) in this space: that is what the hidden layer is for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import get_activation
from .checks import check_int
from .network import Params


@dataclass
class Projection:
    mean: np.ndarray  # (H,)
    components: np.ndarray  # (H, 2)  orthonormal columns
    exact: bool  # H <= 2: nothing is lost
    explained: float  # share of a1's variance the two axes keep

    def __call__(self, a1: np.ndarray) -> np.ndarray:
        """(M, H) -> (M, 2)"""
        return (a1 - self.mean) @ self.components


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
    """a1 = f(X @ W1 + b1), (M, H)."""
    return get_activation(activation).f(np.asarray(X, dtype=params["W1"].dtype) @ params["W1"] + params["b1"])


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


@dataclass
class HiddenSpace:
    points: np.ndarray  # (N, 2)  the training points' a1, projected
    grid: np.ndarray  # (2 * lines, samples, 2)  the input grid lines, mapped and projected
    projection: Projection


def hidden_space(
    params: Params, X: np.ndarray, box, activation: str, lines: int = 11, samples: int = 40
) -> HiddenSpace:
    """The training points X (N, 2) and the grid over box, as the hidden layer sees them."""
    a1 = hidden_activations(params, X, activation)
    projection = fit_projection(a1)
    grid = grid_lines(box, lines, samples)
    mapped = projection(hidden_activations(params, grid.reshape(-1, 2), activation))
    return HiddenSpace(projection(a1), mapped.reshape(grid.shape), projection)
