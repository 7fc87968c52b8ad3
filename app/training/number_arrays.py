"""Arrays a client sends as JSON (nested lists) read into numpy, numbers only.

np.asarray alone takes "1.5" and true as numbers (1.5 and 1.0): a file with a string or a boolean
where a weight should be is a mistake to name, not a number to guess.
"""

from __future__ import annotations

import numpy as np

NUMBER_TYPES = (int, float)


def _numbers_only(values) -> bool:
    """Whether values is a number or nested lists that hold only numbers (bool is not one)."""
    if type(values) in NUMBER_TYPES:
        return True
    if type(values) is not list:
        return False
    if all(type(v) in NUMBER_TYPES for v in values):  # a row: the common case, checked in one pass
        return True
    return all(_numbers_only(v) for v in values)


def float_array(where: str, values) -> np.ndarray:
    """values (a number, or nested lists of numbers of equal lengths) as a float64 array;
    ValueError naming `where` otherwise."""
    if not _numbers_only(values):
        raise ValueError(f"{where} must be an array of numbers (no strings, true/false or null)")
    try:
        return np.asarray(values, dtype=np.float64)
    except (ValueError, TypeError, OverflowError):  # ragged rows; an integer of 400 digits
        raise ValueError(f"{where} must be an array of numbers, each row of the same length") from None
