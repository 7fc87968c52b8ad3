"""Checking one weight set by hand (the network diagram's edit) against a run's parameters."""

from __future__ import annotations

import math

import numpy as np

from app.core.network import Params

FLOAT32_MAX = float(np.finfo(np.float32).max)


class WeightEditError(ValueError):
    """An edit that does not fit the run; `field` is the request's field at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def weight_names(params: Params) -> list[str]:
    """W1, ..., W{L+1}: the weight matrices, in layer order (biases are not edited here)."""
    return sorted((name for name in params if name.startswith("W")), key=lambda name: int(name[1:]))


def check_weight_edit(params: Params, name: str, index, value: float) -> None:
    """WeightEditError naming `name`, `index` or `value` unless params[name][index] = value fits:
    a weight matrix of this run, an index inside it, a finite number a float32 holds."""
    names = weight_names(params)
    if name not in names:
        raise WeightEditError(
            "name", f"name must be one of this run's weight matrices, {', '.join(names)}; got {name!r}"
        )
    shape = params[name].shape
    if len(index) != len(shape) or any(not 0 <= i < n for i, n in zip(index, shape, strict=False)):
        raise WeightEditError(
            "index",
            f"index must be [row, column] inside {name}, whose shape is {list(shape)}; got {list(index)}",
        )
    if not math.isfinite(value) or abs(value) > FLOAT32_MAX:
        raise WeightEditError(
            "value", f"value must be a finite number within ±{FLOAT32_MAX:.4g}; got {value}"
        )
