"""One case's verdict in words, from the comparison the server's "Check your gradient" uses."""

from __future__ import annotations

import numpy as np

from app.core.compare import Comparison, compare_gradients, written
from app.core.mistakes.derivations import intermediate_names
from app.core.network import param_names

from .battery import Case

FIRST_WRONG_SHOWN = 3


def first_wrong_entries(comparison: Comparison) -> list[str]:
    """The first few wrong entries, then how many differ in each gradient: enough to start looking."""
    arrays = {**comparison.params, **comparison.intermediates}
    wrong = [(name, index) for name, c in arrays.items() for index in c.differing]
    lines = [
        f"{written(name)}{list(index)} is {arrays[name].given[index]:.6g}, "
        f"expected {arrays[name].ours[index]:.6g}"
        for name, index in wrong[:FIRST_WRONG_SHOWN]
    ]
    counts = [
        f"{written(name)} {len(c.differing)}/{c.ours.size}" for name, c in arrays.items() if c.differing
    ]
    if counts:
        lines.append("entries that differ: " + ", ".join(counts))
    return lines


def _named(mistake: dict) -> str:
    return mistake["name"] + (f" ({mistake['form']})" if mistake["form"] else "")


def verdict(
    case: Case, grads: dict[str, np.ndarray], activation: str
) -> tuple[bool, list[str], dict[str, str]]:
    """(passed, the lines that say why not, {mistake name: its explanation and fix} for those named).
    `grads` holds every parameter's gradient, and the intermediates (dz2, da1, dz1; at depth dz(L+1)
    ... dz1) if backward() returned them."""
    for name in (*param_names(case.L), *intermediate_names(case.L)):
        if name in grads and not np.all(np.isfinite(grads[name])):
            return False, [f"{written(name)} has entries that are NaN or infinite"], {}
    try:
        comparison = compare_gradients(case.params, case.X, case.Y, grads, activation, case.lam)
    except ValueError as error:  # an intermediate of the wrong shape
        return False, [str(error)], {}
    if comparison.all_agree:
        return True, [], {}
    named = comparison.explained_by
    lines = [f"{_named(m)} in {', '.join(map(written, m['params']))}" for m in named]
    lines += [c.shape_message for c in comparison.params.values() if c.shape_message]
    if comparison.unexplained or not named:
        lines += first_wrong_entries(comparison)
    if comparison.where and comparison.where["first_wrong"]:
        lines.append(comparison.where["message"])
    return False, lines, {m["name"]: f"{m['explanation']} The line: {m['fix']}" for m in named}
