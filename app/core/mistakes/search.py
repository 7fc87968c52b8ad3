"""The smallest set of catalogue mistakes that reproduces what a student sent.

Sets of one, then two, then three mistakes are tried in catalogue order; the first size at which
some set reproduces every array sent (parameter gradients and intermediates) wins, and of the sets
of that size that fit, the first (the likeliest) is named. A mistake invisible here (its arrays
equal ours on everything sent: no_regularisation with lam = 0, a missing f' with a linear f) is
left out, so a set never names one. When no set fits everything, each differing array gets the
smallest set that reproduces it alone, and the arrays no set reproduces are "not one we know".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np

from .catalogue import MISTAKES, Form, Mistake
from .derivations import RIGHT, Derivation

MAX_SET = 3


@dataclass(frozen=True)
class Variant:
    """One mistake made in one of its forms."""

    mistake: Mistake
    form: Form

    def change(self, record: Derivation | None) -> Derivation | None:
        return None if record is None else self.form.change(record)


def variants(activation: str) -> list[Variant]:
    """Every mistake that can be made with this activation, in every form, in catalogue order."""
    return [Variant(m, form) for m in MISTAKES if m.applies(activation) for form in m.forms]


def record_of(chosen: tuple[Variant, ...]) -> Derivation | None:
    """The record with every mistake of the set made, or None when two of them clash."""
    record = RIGHT
    for variant in chosen:
        record = variant.change(record)
    return record


@dataclass
class Found:
    """What the search found: the sets that reproduce everything sent (all of the smallest size that
    fits, likeliest first; empty when none does), and otherwise, per differing array, the smallest
    set reproducing it (None: not one we know)."""

    whole: list[tuple[Variant, ...]]
    per_array: dict[str, tuple[Variant, ...] | None]


Arrays = dict[str, np.ndarray]


def smallest_sets(
    candidates: list[Variant],
    arrays_of: Callable[[Derivation], Arrays],
    matches: Callable[[np.ndarray, np.ndarray], bool],
    agrees: Callable[[np.ndarray, np.ndarray], bool],
    given: Arrays,
    differing: list[str],
) -> Found:
    """Search the sets of up to MAX_SET candidates. arrays_of(record) gives a derivation's arrays
    under the names sent (cache it: a record is asked for more than once); matches(a mistake's,
    given) says a mistake reproduces a student's array; agrees(a mistake's, ours) that it is ours
    to rounding (the mistake is invisible there)."""
    ours = arrays_of(RIGHT)
    smallest_first = sorted(given, key=lambda name: given[name].size)  # a misfit shows cheapest there

    def fits(arrays: Arrays, names) -> bool:
        return all(matches(arrays[name], given[name]) for name in names)

    def same_as_ours(arrays: Arrays) -> bool:
        return all(arrays[n].shape == ours[n].shape and agrees(arrays[n], ours[n]) for n in given)

    visible = [v for v in candidates if not same_as_ours(arrays_of(v.change(RIGHT)))]
    per_array: dict[str, list[tuple[Variant, ...]]] = {name: [] for name in differing}
    for size in range(1, MAX_SET + 1):
        whole = []
        open_arrays = [name for name in differing if not per_array[name]]
        for chosen in combinations(visible, size):
            if len({v.mistake.name for v in chosen}) < size:
                continue  # one mistake in two forms: a form of its own where it makes sense
            record = record_of(chosen)
            if record is None:
                continue
            arrays = arrays_of(record)
            if fits(arrays, smallest_first):
                whole.append(chosen)
            elif not whole:
                for name in open_arrays:
                    if fits(arrays, (name,)):
                        per_array[name].append(chosen)
        if whole:
            return Found(whole, {})
    return Found([], _consistent(per_array))


def _consistent(per_array: dict[str, list[tuple[Variant, ...]]]) -> dict[str, tuple[Variant, ...] | None]:
    """For each array, of its smallest fitting sets the one that fits the most arrays (then the
    likeliest): a mistake is named in the one form that explains all it can."""
    fitting: dict[tuple[Variant, ...], int] = {}
    for sets in per_array.values():
        for chosen in sets:
            fitting[chosen] = fitting.get(chosen, 0) + 1
    return {name: max(sets, key=lambda s: fitting[s]) if sets else None for name, sets in per_array.items()}


def without_transposes(record: Derivation) -> Derivation:
    """The record with no matrix transposed: its arrays are computed once, then transposed."""
    return replace(record, transposed=frozenset())
