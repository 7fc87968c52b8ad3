"""What both forms of the derivation are made of: a Stage (one line: a named quantity, the equation
that makes it, its value, its layer) and the names of a network's layers as the derivation writes
them.

With one hidden layer the names are the lecture's own: x (2,), z1 (H,), a1, z2 (C,), dW1 (2, H).
Deeper, layer l's quantities carry its number, z3, a3, dW3, and its width is H3; the output layer
is O = L + 1 (z{O}, dz{O}, W{O}). Inputs other than (x1, x2) are F features wide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .features import DEFAULT_FEATURES, FEATURES


@dataclass
class Stage:
    """One line of the derivation: a named quantity, the equation that makes it, its value."""

    name: str
    equation: str
    value: np.ndarray
    phase: str  # "forward" or "backward"
    tex: str = ""  # the equation as the lecture notes typeset it
    dims: tuple[str, ...] = ()  # the shape in the notes' letters: ("N", "C"); () for a scalar
    layer: int = (
        0  # 0 for the input (x, X, dx, dX), l for layer l's z, a, W, dW, db, dz, da; O for the output's
    )

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape


def max_abs(values: np.ndarray) -> float:
    """The largest |entry|; inf if any entry is inf or nan (a difference that is not a number is
    not small)."""
    values = np.abs(np.asarray(values, dtype=np.float64))
    return float(np.max(np.where(np.isnan(values), np.inf, values), initial=0.0))


@dataclass(frozen=True)
class Layers:
    """The names of a network of L hidden layers fed `features`, as its derivation writes them."""

    L: int
    features: tuple[str, ...] = DEFAULT_FEATURES

    @property
    def O(self) -> int:  # noqa: E743, N802 - the notes' letter for the output layer
        """The output layer's number, L + 1."""
        return self.L + 1

    def width(self, l: int) -> str:
        """Layer l's width in the notes' letters: "2" (or "F" for other features), "H" (deeper "H2"), "C"."""
        if l == 0:
            return "2" if self.features == DEFAULT_FEATURES else "F"
        if l == self.O:
            return "C"
        return "H" if self.L == 1 else f"H{l}"

    def hidden(self) -> range:
        """1 ... L."""
        return range(1, self.L + 1)

    def down(self) -> range:
        """O ... 1: the order of the backward pass."""
        return range(self.O, 0, -1)


def feature_text(features: Sequence[str]) -> str:
    """The features of a point (x1, x2) in plain text, as a Python list: "[x1, x2, x1 * x1]"."""
    return "[" + ", ".join(FEATURES[name].text for name in features) + "]"


def feature_tex(features: Sequence[str]) -> str:
    """The features of a point in TeX: "(x_1,\\ x_2,\\ x_1^2)"."""
    return r"\big(" + r",\ ".join(FEATURES[name].tex for name in features) + r"\big)"
