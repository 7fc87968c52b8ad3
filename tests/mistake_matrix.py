"""Mistake x case -> named correctly: every catalogue mistake (and every compatible pair, and a few
triples), built by the independent student_backward, sent to compare, and the answer judged.

    python -m tests.mistake_matrix          prints the matrix and the counts
    python -m tests.mistake_matrix --time   how long a check takes at N = 200, H = 50, C = 8

A case is (activation, lam, C); a set is "invisible" in a case when one of its mistakes changes
nothing there (computed: the gradients with and without it agree), and is then not counted.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from itertools import combinations

import numpy as np

from app.core.compare import AGREES_BELOW, compare_gradients, scaled_error
from app.core.network import PARAM_NAMES

from .student_backward import ONLY_WITH, SWITCHES, student_backward, switches_of
from .test_network import random_problem

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
CASES = [(a, lam, C) for a in ACTIVATIONS for lam in (0.0, 0.01) for C in (2, 3)]
TRIPLES = [
    (("summed_not_mean", "data_term"), ("transposed", "W2"), ("no_regularisation", None)),
    (("single_term_softmax", None), ("missing_activation_derivative", None), ("regularised_biases", None)),
    (("sign_flipped", None), ("biases_averaged", None), ("preactivation_in_dW2", None)),
    (("mse_output_derivative", None), ("double_regularisation", None), ("transposed", "W1")),
]
MARKS = {"named": "✓", "invisible": "·", "n/a": " ", "equivalent": "≈", "wrong": "✗"}


def problem(activation: str, lam: float, C: int, seed: int = 3):
    params, X, Y = random_problem(seed + C, 5, C, 30, soft=False)
    return params, X, Y


def gradients(params, X, Y, lam, activation, switches) -> dict[str, np.ndarray]:
    out = student_backward(params, X, Y, lam, activation, **switches)
    return {name: out[name] for name in PARAM_NAMES}


def same(a: dict, b: dict) -> bool:
    return all(
        a[n].shape == b[n].shape and float(np.max(scaled_error(a[n], b[n]), initial=0)) <= AGREES_BELOW
        for n in PARAM_NAMES
    )


def judge(chosen: tuple, activation: str, lam: float, C: int) -> tuple[str, list]:
    """(outcome, what was named) for the set `chosen` of (id, form) in one case."""
    if any(ONLY_WITH.get(name, activation) != activation for name, _ in chosen):
        return "n/a", []
    switches = switches_of(chosen)
    if switches is None:
        return "n/a", []
    params, X, Y = problem(activation, lam, C)
    sent = gradients(params, X, Y, lam, activation, switches)
    for i in range(len(chosen)):
        if same(sent, gradients(params, X, Y, lam, activation, switches_of(chosen[:i] + chosen[i + 1 :]))):
            return "invisible", []
    result = compare_gradients(params, X, Y, sent, activation, lam)
    named = [(e["name"], e["form"]) for e in result.explained_by]
    if result.unexplained or not named:
        return "wrong", named
    expected = {name: form for name, form in chosen}
    if {n for n, _ in named} == set(expected):
        forms_ok = all(
            form == expected[name]
            or form is None
            and any(
                other != expected[name]
                and same(sent, gradients(params, X, Y, lam, activation, _with_form(chosen, name, other)))
                for key_name, other in SWITCHES
                if key_name == name
            )
            for name, form in named
        )
        if forms_ok:
            return "named", named
    # another set of the same size that gives these very numbers is named: the likelier one
    guess = tuple((n, f if f is not None else _first_form(n)) for n, f in named)
    guessed = switches_of(guess)
    if len(named) == len(chosen) and guessed is not None:
        if same(sent, gradients(params, X, Y, lam, activation, guessed)):
            return "equivalent", named
    return "wrong", named


def _first_form(name: str):
    return next(form for key, form in SWITCHES if key == name)


def _with_form(chosen, name, form) -> dict:
    return switches_of(tuple((n, form if n == name else f) for n, f in chosen)) or {}


def singles() -> dict[tuple, dict[tuple, str]]:
    return {key: {case: judge((key,), *case)[0] for case in CASES} for key in SWITCHES}


def pairs() -> list[tuple]:
    keys = list(SWITCHES)
    return [(a, b) for a, b in combinations(keys, 2) if a[0] != b[0] and switches_of((a, b)) is not None]


def counts(sets, cases=CASES) -> tuple[Counter, list]:
    tally, failures = Counter(), []
    for chosen in sets:
        for case in cases:
            outcome, named = judge(chosen, *case)
            tally[outcome] += 1
            if outcome == "wrong":
                failures.append((chosen, case, named))
    return tally, failures


def main() -> None:
    header = " ".join(f"{a[:4]}{'λ' if lam else '0'}{C}" for a, lam, C in CASES)
    print(f"{'mistake (form)':<40} {header}")
    tally = Counter()
    for key, row in singles().items():
        label = key[0] + (f" ({key[1]})" if key[1] else "")
        print(f"{label:<40} " + " ".join(f"{MARKS[row[c]]:^6}" for c in CASES))
        tally.update(row.values())
    print("\nsingles:", dict(tally))
    for name, sets in (("pairs", pairs()), ("triples", TRIPLES)):
        tally, failures = counts(sets)
        print(f"{name} ({len(sets)} sets x {len(CASES)} cases):", dict(tally))
        for chosen, case, named in failures[:20]:
            print("   ✗", chosen, case, "named", named)
    print("\n✓ named correctly, ≈ an equivalent set named (same numbers), · invisible in that case, ✗ wrong")


def timing() -> None:
    """The slowest checks at N = 200, H = 50, C = 8 (best of 5 each): a set of three to find, and
    a gradient no set explains, so every set up to three is tried."""
    params, X, Y = random_problem(1, 50, 8, 200, soft=False)
    right = student_backward(params, X, Y, 0.01)
    unknown = dict(right, W1=right["W1"] * 1.3)
    three = student_backward(params, X, Y, 0.01, dz2="diagonal", reg=2.0, bias="mean")
    for label, sent in (
        ("right, 7 arrays", right),
        ("three mistakes, 7 arrays", three),
        ("none explains dW1, 7 arrays (every set tried)", unknown),
        ("none explains dW1, 4 gradients (every set tried)", {n: unknown[n] for n in PARAM_NAMES}),
    ):
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            compare_gradients(params, X, Y, sent, "tanh", 0.01)
            best = min(best, time.perf_counter() - start)
        print(f"{label:<50} {best * 1000:6.1f} ms")


if __name__ == "__main__":
    timing() if "--time" in sys.argv else main()
