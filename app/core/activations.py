"""Hidden-layer activations f: everything about each one in one entry, its derivative beside it.

An `Activation` holds f, its derivative f' (taken from z and a = f(z), whichever is cheap:
tanh and sigmoid through their output a, as 1 - a**2 and a * (1 - a), relu through the sign of
z), the fast in-place forms the training step and the decision grid run, its peak slope, the
range of its values, where f' jumps, and how the derivation writes f and f'. network.py,
fast_step.py, grid.py, the derivation, the mistakes and the reports all read it from here, so a
new activation is one new entry in ACTIVATIONS.

The fast forms do f's operations in the same order, so they give the same bits, written into
buffers the caller owns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from string import Template

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
    """a = f(z), elementwise, a new array."""
    df: Callable[[np.ndarray, np.ndarray], np.ndarray]
    """f'(z) from (z, a), elementwise; same shape and dtype as z."""
    f_in_place: Callable[..., np.ndarray]
    """f_in_place(z, scratch=None): z <- f(z) in place and returned; scratch, a float array of
    z's shape, may be spent (without it a sigmoid allocates one)."""
    times_df_in_place: Callable[[np.ndarray, np.ndarray], np.ndarray]
    """times_df_in_place(da, a): da <- da * f'(z) in place and returned (now dz), f'(z) from
    a = f(z) as df computes it (sigmoid's multiplies by a, then by 1 - a); a is spent."""
    peak_slope: float
    """max over z of f'(z): how much of the error one unit can pass back at best."""
    value_range: tuple[float | None, float | None]
    """(lowest, highest) value of f, None where it is unbounded."""
    kinks: tuple[float, ...]
    """The z where f' jumps (relu's 0): a finite difference across one is not the derivative."""
    tex: str
    """f as the derivation typesets it: a_1 = <tex>(z_1)."""
    derivative_tex: str
    """f'(z) in TeX, written in $z and $a for the layer's z and a = f(z)."""
    derivative_text: str
    """f'(z) in plain text, written in $z and $a."""

    def df_tex(self, z: str = "z_1", a: str = "a_1") -> str:
        """f'(z) in TeX for the layer whose pre-activation and activation are called z and a."""
        return Template(self.derivative_tex).substitute(z=z, a=a)

    def df_text(self, z: str = "z1", a: str = "a1") -> str:
        """f'(z) in plain text for the layer whose pre-activation and activation are called z and a."""
        return Template(self.derivative_text).substitute(z=z, a=a)

    def df_factor_text(self, z: str = "z1", a: str = "a1") -> str:
        """f'(z) as a factor of a product: in brackets when it is a sum or a choice, so that
        "da1 * (1 - a1**2)" cannot be read as (da1 * 1) - a1**2."""
        text = self.df_text(z, a)
        return f"({text})" if _has_top_level(text, (" + ", " - ", " if ")) else text


def _has_top_level(text: str, operators: tuple[str, ...]) -> bool:
    """Whether one of `operators` occurs in `text` outside every bracket."""
    depth = 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and any(text.startswith(op, i) for op in operators):
            return True
    return False


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


def _identity(z):
    return np.array(z, copy=True)  # a new array, as every other f gives: a1 never aliases z1


def _identity_in_place(z, scratch=None):
    return z


def _identity_times_df_in_place(da, a):  # f' = 1
    return da


TANH = Activation(
    "tanh",
    f=np.tanh,
    df=lambda z, a: 1 - a**2,
    f_in_place=_tanh_in_place,
    times_df_in_place=_tanh_times_df_in_place,
    peak_slope=1.0,  # at z = 0
    value_range=(-1.0, 1.0),
    kinks=(),
    tex=r"\tanh",
    derivative_tex=r"(1 - $a^{2})",
    derivative_text="1 - $a**2",
)

RELU = Activation(
    "relu",
    f=lambda z: np.maximum(z, 0),
    df=lambda z, a: (z > 0).astype(z.dtype),
    f_in_place=_relu_in_place,
    times_df_in_place=_relu_times_df_in_place,
    peak_slope=1.0,  # wherever z > 0
    value_range=(0.0, None),
    kinks=(0.0,),
    tex=r"\operatorname{relu}",
    derivative_tex=r"\mathbb{1}[$z > 0]",
    derivative_text="1 if $z > 0 else 0",
)

SIGMOID = Activation(
    "sigmoid",
    f=_sigmoid,
    df=lambda z, a: a * (1 - a),  # keeps full relative accuracy where a is tiny: 1 - a is ~1 there
    f_in_place=_sigmoid_in_place,
    times_df_in_place=_sigmoid_times_df_in_place,
    peak_slope=0.25,  # at z = 0: a = 1/2: so each sigmoid layer passes back at most a quarter
    value_range=(0.0, 1.0),
    kinks=(),
    tex=r"\sigma",
    derivative_tex=r"$a \odot (1 - $a)",
    derivative_text="$a * (1 - $a)",
)

LINEAR = Activation(
    "linear",
    f=_identity,
    df=lambda z, a: np.ones_like(z),
    f_in_place=_identity_in_place,
    times_df_in_place=_identity_times_df_in_place,
    peak_slope=1.0,  # everywhere: nothing saturates, and nothing bends (the network is linear)
    value_range=(None, None),
    kinks=(),
    tex=r"\operatorname{id}",
    derivative_tex="1",
    derivative_text="1",
)

ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (TANH, RELU, SIGMOID, LINEAR)}
ACTIVATION_NAMES = tuple(ACTIVATIONS)


def get_activation(name: str) -> Activation:
    """The Activation called `name` (one of ACTIVATIONS); ValueError naming `activation` otherwise."""
    return ACTIVATIONS[check_choice("activation", name, ACTIVATIONS)]
