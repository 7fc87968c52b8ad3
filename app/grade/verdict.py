"""One case's verdict in words, from the comparison the server's "Check your gradient" uses."""

from __future__ import annotations

import numpy as np

from app.core.compare import Comparison, compare_gradients
from app.core.network import PARAM_NAMES

from .battery import Case

FIRST_WRONG_SHOWN = 3

# what each gradient's rows and columns are, for a wrong shape said in words
LAYOUT = {
    "W1": ("(2, H)", "rows are inputs, columns hidden units"),
    "b1": ("(H,)", "one entry per hidden unit"),
    "W2": ("(H, C)", "rows are hidden units, columns classes"),
    "b2": ("(C,)", "one entry per class"),
}


def shape_sentence(name: str, expected: tuple[int, ...], given: tuple[int, ...]) -> str:
    symbolic, meaning = LAYOUT[name]
    hint = " — transposed?" if len(given) == 2 and given[::-1] == expected else ""
    return f"d{name} should be {symbolic} = {expected}: {meaning}; you sent {given}{hint}"


def first_wrong_entries(comparison: Comparison) -> list[str]:
    """The first few wrong entries, then how many differ in each gradient: enough to start looking."""
    wrong = [(name, index) for name, c in comparison.params.items() for index in c.differing]
    lines = [
        f"d{name}{list(index)} is {comparison.params[name].given[index]:.6g}, "
        f"expected {comparison.params[name].ours[index]:.6g}"
        for name, index in wrong[:FIRST_WRONG_SHOWN]
    ]
    counts = [
        f"d{name} {len(c.differing)}/{c.ours.size}" for name, c in comparison.params.items() if c.differing
    ]
    if counts:
        lines.append("entries that differ: " + ", ".join(counts))
    return lines


def verdict(
    case: Case, grads: dict[str, np.ndarray], activation: str
) -> tuple[bool, list[str], dict[str, str]]:
    """(passed, the lines that say why not, {mistake name: its explanation} for those named)."""
    for name in PARAM_NAMES:
        if not np.all(np.isfinite(grads[name])):
            return False, [f"d{name} has entries that are NaN or infinite"], {}
    comparison = compare_gradients(case.params, case.X, case.Y, grads, activation, case.lam)
    if comparison.all_agree:
        return True, [], {}
    named = comparison.explained_by
    lines = [f"{m['name']} ({m['title'].lower()}) in d{', d'.join(m['params'])}" for m in named]
    lines += [
        shape_sentence(name, c.expected_shape, c.given_shape)
        for name, c in comparison.params.items()
        if c.given_shape != c.expected_shape
    ]
    if not comparison.explained_by:
        lines += first_wrong_entries(comparison)
    return False, lines, {m["name"]: m["explanation"] for m in named}
