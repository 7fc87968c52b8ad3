"""Hidden-layer activations f, each with its derivative f' written right beside it.

f' takes both z and a = f(z) because the cheap form differs per function: tanh and sigmoid are
expressed through their output a (1 - a**2, a * (1 - a)), relu through the sign of z.

Each also has the fast in-place form the training step runs (fast_step.py): the same operations
in the same order, so the same bits, written into buffers the caller owns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .checks import check_choice

# 1 - e^-z rounds to 1 above z = 17.3 in float32 and z = 37.4 in float64, and e^z is finite in
# float32 up to z = 88.7: capped at 40, e^z / (1 + e^z) is exactly 1 wherever sigmoid(z) rounds
# to 1 in either dtype, and never inf / inf.
SIGMOID_Z_CAP = 40.0


@dataclass(frozen=True)
class Activation:
    name: str
    f: Callable[[np.ndarray], np.ndarray]
    """a = f(z), elementwise."""
    df: Callable[[np.ndarray, np.ndarray], np.ndarray]
    """f'(z) from (z, a), elementwise; same shape and dtype as z."""
    f_in_place: Callable[..., np.ndarray]
    """f_in_place(z, scratch=None): z <- f(z) in place and returned; scratch, a float array of
    z's shape, may be spent (without it a sigmoid allocates one)."""
    times_df_in_place: Callable[[np.ndarray, np.ndarray], np.ndarray]
    """times_df_in_place(da, a): da <- da * f'(z) in place and returned (now dz), f'(z) from
    a = f(z) as df computes it; a is spent."""
    derivative_text: str
    """f'(z) as the lecture notes write it."""


def _tanh_in_place(z, scratch=None):
    return np.tanh(z, out=z)


def _tanh_times_df_in_place(da, a):  # f' = 1 - a**2
    np.multiply(a, a, out=a)
    np.subtract(1, a, out=a)
    da *= a
    return da


def _relu_in_place(z, scratch=None):
    return np.maximum(z, 0, out=z)


def _relu_times_df_in_place(da, a):  # f' = 1 where z > 0, which is where a > 0
    np.greater(a, 0, out=a)
    da *= a
    return da


def _sigmoid(z):
    """1 / (1 + e^-z) written as e^z / (1 + e^z): it neither cancels nor overflows at any z, so a
    small sigmoid keeps all its digits down to where e^z underflows. (0.5 * (1 + tanh(z / 2))
    cancels: it is exactly 0 below z = -20 in float32 and z = -38 in float64.)"""
    e = np.exp(np.minimum(z, SIGMOID_Z_CAP))  # e^z
    return e / (1 + e)


def _sigmoid_in_place(z, scratch: np.ndarray | None = None):
    """_sigmoid's operations over z, with 1 + e^z in scratch."""
    # Capped only when some z needs it (or is nan): np.minimum with a scalar costs as much as exp.
    if z.size and not z.max() <= SIGMOID_Z_CAP:
        np.minimum(z, SIGMOID_Z_CAP, out=z)
    e = np.exp(z, out=z)  # e^z
    one_plus_e = np.add(e, 1, out=scratch)
    return np.divide(e, one_plus_e, out=z)


def _sigmoid_times_df_in_place(da, a):  # f' = a * (1 - a)
    da *= a
    np.subtract(1, a, out=a)
    da *= a
    return da


TANH = Activation(
    "tanh",
    f=np.tanh,
    df=lambda z, a: 1 - a**2,
    f_in_place=_tanh_in_place,
    times_df_in_place=_tanh_times_df_in_place,
    derivative_text="1 - a1**2",
)

RELU = Activation(
    "relu",
    f=lambda z: np.maximum(z, 0),
    df=lambda z, a: (z > 0).astype(z.dtype),
    f_in_place=_relu_in_place,
    times_df_in_place=_relu_times_df_in_place,
    derivative_text="1 if z1 > 0 else 0",
)

SIGMOID = Activation(
    "sigmoid",
    f=_sigmoid,
    df=lambda z, a: a * (1 - a),  # keeps full relative accuracy where a is tiny: 1 - a is ~1 there
    f_in_place=_sigmoid_in_place,
    times_df_in_place=_sigmoid_times_df_in_place,
    derivative_text="a1 * (1 - a1)",
)

ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (TANH, RELU, SIGMOID)}


def get_activation(name: str) -> Activation:
    """The Activation called `name` (tanh, relu, sigmoid); ValueError naming `activation` otherwise."""
    return ACTIVATIONS[check_choice("activation", name, ACTIVATIONS)]
