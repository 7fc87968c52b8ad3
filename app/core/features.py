"""The network's input features, each computed from a point's (x1, x2): one entry a feature.

TensorFlow Playground's feature crosses: with x1² and x2² a network without hidden units worth the
name separates circles, a lesson in what depth buys and what a good input buys instead. The first
layer's width F is the number of features chosen; the default (x1, x2) is the plain plane.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Feature:
    name: str
    compute: Callable[[np.ndarray, np.ndarray], np.ndarray]
    """compute(x1, x2): the feature of every point, from the columns x1 (N,) and x2 (N,)."""
    tex: str
    text: str
    """compute's formula in plain Python, in x1, x2 and numpy's sin: how the derivation writes it."""


FEATURES: dict[str, Feature] = {
    f.name: f
    for f in (
        Feature("x1", lambda x1, x2: x1, "x_1", "x1"),
        Feature("x2", lambda x1, x2: x2, "x_2", "x2"),
        Feature("x1_sq", lambda x1, x2: x1 * x1, "x_1^2", "x1 * x1"),
        Feature("x2_sq", lambda x1, x2: x2 * x2, "x_2^2", "x2 * x2"),
        Feature("x1_x2", lambda x1, x2: x1 * x2, r"x_1 x_2", "x1 * x2"),
        Feature("sin_x1", lambda x1, x2: np.sin(x1), r"\sin x_1", "sin(x1)"),
        Feature("sin_x2", lambda x1, x2: np.sin(x2), r"\sin x_2", "sin(x2)"),
    )
}
FEATURE_NAMES = tuple(FEATURES)
DEFAULT_FEATURES = ("x1", "x2")
MAX_FEATURES = len(FEATURES)


def check_features(names: Sequence[str]) -> tuple[str, ...]:
    """`names` as a tuple if it is a list of at least one known feature, none twice; ValueError
    naming `features` otherwise."""
    names = tuple(names)
    if not names:
        raise ValueError("features must name at least one feature")
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        raise ValueError(
            f"features: unknown {', '.join(map(repr, unknown))}; known: {', '.join(FEATURE_NAMES)}"
        )
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ValueError(f"features: each may be chosen once, got {', '.join(twice)} more than once")
    return names


def expand(points: np.ndarray, names: Sequence[str] = DEFAULT_FEATURES) -> np.ndarray:
    """The network's input (N, F) for points (N, 2) in the plane, in points' dtype. The default
    features give the points themselves (the same array, not a copy)."""
    names = check_features(names)
    if names == DEFAULT_FEATURES:
        return points
    x1, x2 = points[:, 0], points[:, 1]
    return np.column_stack([FEATURES[name].compute(x1, x2) for name in names]).astype(
        points.dtype, copy=False
    )
