"""A gradient a user computed, as sent to POST .../compare: JSON arrays or CSV text, read into
float64 arrays under the parameters' names (W1, b1, ..., W(L+1), b(L+1)) and the intermediates' (dz2,
da1, dz1 with one hidden layer; dz(l), da(l) at any depth)."""

from __future__ import annotations

import numpy as np
from fastapi import HTTPException

from app.core.bounds import MAX_LAYERS
from app.training.number_arrays import float_array
from app.training.uploads import parse_gradients_csv

from .schemas.compare import GradientUpload

GRADIENT_NAMES = tuple(f"d{kind}{l}" for l in range(1, MAX_LAYERS + 2) for kind in "Wb")  # dW1 ... db7


def uploaded_gradients(upload: GradientUpload) -> dict[str, np.ndarray]:
    """{name: array}; 422 unless exactly one of gradients and csv is sent, and each array is numbers.
    dW1 etc. are read as W1 etc.: the gradient goes under its parameter's name."""
    if (upload.gradients is None) == (upload.csv is None):
        raise HTTPException(
            422, "send either gradients (JSON arrays) or csv (text), not both and not neither"
        )
    if upload.csv is not None:
        return parse_gradients_csv(upload.csv)
    given = {}
    for name, values in upload.gradients.items():
        key = name[1:] if name in GRADIENT_NAMES else name
        try:
            given[key] = float_array(f"gradients {name[:20]}", values)
        except ValueError as error:
            raise HTTPException(422, str(error)) from None
    return given
