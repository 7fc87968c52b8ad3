"""The smallest set of catalogue mistakes that reproduces what a student sent.

Sets of one, then two, then three mistakes are tried in catalogue order; the first size at which
some set reproduces every array sent (parameter gradients and intermediates) wins, and of the sets
of that size that fit, the first (the likeliest) is named. A mistake invisible here (its arrays
equal ours on everything sent: no_regularisation with lam = 0, a missing f' with a linear f) is
left out, so a set never names one. When no set fits everything, the set that reproduces the most
of the differing arrays (and leaves the right ones right) is named for those, the smallest such;
each array still open gets the smallest set that reproduces it alone, and the arrays no set
reproduces are "not one we know".
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


def variants(activation: str, loss: str = "cross_entropy", L: int = 1) -> list[Variant]:
    """Every mistake that can be made with this activation and loss in a network of L hidden
    layers, in every form it can have there, in catalogue order."""
    return [Variant(m, form) for m in MISTAKES if m.applies(activation, loss) for form in m.forms_at(L)]


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

    def sets(size: int):
        """The sets of `size` visible mistakes that can be made together, each with its record."""
        for chosen in combinations(visible, size):
            if len({v.mistake.name for v in chosen}) < size:
                continue  # one mistake in two forms: a form of its own where it makes sense
            record = record_of(chosen)
            if record is not None:
                yield chosen, record

    # first the sets that fit everything, smallest size first: a misfit shows in the first array tried
    for size in range(1, MAX_SET + 1):
        whole = [chosen for chosen, record in sets(size) if fits(arrays_of(record), smallest_first)]
        if whole:
            return Found(whole, {})
    # none does: which set fits each differing array, and the one fitting the most of them
    right_ones = [name for name in given if name not in differing]
    per_array: dict[str, list[tuple[Variant, ...]]] = {name: [] for name in differing}
    best: tuple[tuple[Variant, ...], list[str]] | None = None  # the set fitting the most differing arrays
    for size in range(1, MAX_SET + 1):
        open_arrays = [name for name in differing if not per_array[name]]
        for chosen, record in sets(size):
            arrays = arrays_of(record)
            fitted = [name for name in differing if fits(arrays, (name,))]
            for name in set(fitted) & set(open_arrays):
                per_array[name].append(chosen)
            if (best is None or len(fitted) > len(best[1])) and fits(arrays, right_ones):
                best = (chosen, fitted)
    return Found([], _with_best(per_array, best))


def _with_best(
    per_array: dict[str, list[tuple[Variant, ...]]], best: tuple[tuple[Variant, ...], list[str]] | None
) -> dict[str, tuple[Variant, ...] | None]:
    """The arrays the best partial set fits go to it (the one explanation for as much as it can:
    two mistakes in db1, dW2 and db2 read better than one mistake per array); the others each to
    their own smallest set."""
    found = _consistent(per_array)
    if best is not None and len(best[1]) > 1:
        found |= dict.fromkeys(best[1], best[0])
    return found


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
