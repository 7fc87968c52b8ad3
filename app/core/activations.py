"""Hidden-layer activations f, each with its derivative f' written right beside it.

f' takes both z and a = f(z) because the cheap form differs per function: tanh and sigmoid are
expressed through their output a (1 - a**2, a * (1 - a)), relu through the sign of z.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .checks import check_choice


@dataclass(frozen=True)
class Activation:
    name: str
    f: Callable[[np.ndarray], np.ndarray]
    """a = f(z), elementwise."""
    df: Callable[[np.ndarray, np.ndarray], np.ndarray]
    """f'(z) from (z, a), elementwise; same shape and dtype as z."""
    derivative_text: str
    """f'(z) as the lecture notes write it."""


TANH = Activation(
    "tanh",
    f=np.tanh,
    df=lambda z, a: 1 - a**2,
    derivative_text="1 - a1**2",
)

RELU = Activation(
    "relu",
    f=lambda z: np.maximum(z, 0),
    df=lambda z, a: (z > 0).astype(z.dtype),
    derivative_text="1 if z1 > 0 else 0",
)

SIGMOID = Activation(
    "sigmoid",
    # 0.5 * (1 + tanh(z / 2)) is the logistic function without exp overflow for large |z|.
    f=lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
    df=lambda z, a: a * (1 - a),
    derivative_text="a1 * (1 - a1)",
)

ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (TANH, RELU, SIGMOID)}


def get_activation(name: str) -> Activation:
    """The Activation called `name` (tanh, relu, sigmoid); ValueError naming `activation` otherwise."""
    return ACTIVATIONS[check_choice("activation", name, ACTIVATIONS)]
