"""One case's verdict in words, from the comparison the server's "Check your gradient" uses."""

from __future__ import annotations

import numpy as np

from app.core.compare import Comparison, compare_gradients
from app.core.network import PARAM_NAMES

from .battery import Case

FIRST_WRONG_SHOWN = 3


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
    lines += [c.shape_message for c in comparison.params.values() if c.shape_message]
    if not comparison.explained_by:
        lines += first_wrong_entries(comparison)
    return False, lines, {m["name"]: m["explanation"] for m in named}
