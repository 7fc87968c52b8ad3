"""Argument checks that raise ValueError naming the argument, so every layer can show the message as is."""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real


def check_int(name: str, value, lo: int, hi: int | None = None) -> int:
    """Return `value` as int if it is an integer in [lo, hi]; otherwise ValueError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if value < lo or (hi is not None and value > hi):
        bound = f"from {lo} to {hi}" if hi is not None else f"at least {lo}"
        raise ValueError(f"{name} must be an integer {bound}, got {value}")
    return value


def check_float(
    name: str,
    value,
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
) -> float:
    """Return `value` as a finite float in [lo, hi] (or (lo, hi] with lo_open); otherwise ValueError."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    too_low = lo is not None and (value <= lo if lo_open else value < lo)
    too_high = hi is not None and value > hi
    if too_low or too_high:
        left = "(" if lo_open else "["
        lo_text = "-inf" if lo is None else f"{lo:g}"
        hi_text = "inf" if hi is None else f"{hi:g}"
        raise ValueError(f"{name} must be in {left}{lo_text}, {hi_text}], got {value:g}")
    return value


def check_choice(name: str, value, choices: Iterable[str]) -> str:
    """Return `value` if it is one of `choices`; otherwise ValueError listing them."""
    choices = tuple(choices)
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value
