"""Mistake x case -> named correctly: every catalogue mistake (and every compatible pair, and a few
triples), built by the independent student_backward, sent to compare, and the answer judged.

    python -m tests.mistake_matrix          prints the matrix and the counts, one hidden layer
    python -m tests.mistake_matrix --deep   the same at depth 2 and 3, with mse and l1
    python -m tests.mistake_matrix --time   how long a check takes at N = 200, 6 x 64, C = 8

A case is (activation, lam, C) with one hidden layer of 5 and cross-entropy, or at depth also the
widths, the loss and l1; a set is "invisible" in a case when one of its mistakes changes nothing
there (computed: the gradients with and without it agree), and is then not counted; "n/a" when a
mistake cannot be made there (another activation's, another loss's, a layer the net lacks).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from itertools import combinations
from typing import NamedTuple

import numpy as np

from app.core.compare import AGREES_BELOW, compare_gradients, scaled_error
from app.core.network import init_params, param_names

from .student_backward import ONLY_FOR_LOSS, ONLY_WITH, SWITCHES, exists_at, student_backward, switches_of
from .test_network import random_problem


class Case(NamedTuple):
    activation: str
    lam: float
    C: int
    widths: tuple[int, ...] = (5,)
    loss: str = "cross_entropy"
    l1: float = 0.0

    @property
    def L(self) -> int:
        return len(self.widths)

    def label(self) -> str:
        extra = "" if self.L == 1 else f"{self.L}{'m' if self.loss == 'mse' else 'c'}{'1' if self.l1 else ''}"
        return f"{self.activation[:4]}{'λ' if self.lam else '0'}{self.C}{extra}"


ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
CASES = [Case(a, lam, C) for a in ACTIVATIONS for lam in (0.0, 0.01) for C in (2, 3)]
# depth 2 and 3, each loss, lam and l1 alone and together
DEEP_CASES = [
    Case(a, lam, 3, widths, loss, l1)
    for a in ACTIVATIONS
    for widths, loss, lam, l1 in (
        ((4, 3), "cross_entropy", 0.01, 0.0),
        ((4, 3), "mse", 0.0, 0.003),
        ((3, 4, 3), "cross_entropy", 0.01, 0.003),
        ((3, 4, 3), "mse", 0.01, 0.0),
    )
]
TRIPLES = [
    (("summed_not_mean", "data_term"), ("transposed", "W2"), ("no_regularisation", None)),
    (("single_term_softmax", None), ("missing_activation_derivative", None), ("regularised_biases", None)),
    (("sign_flipped", None), ("biases_averaged", None), ("preactivation_in_dW2", None)),
    (("mse_output_derivative", None), ("double_regularisation", None), ("transposed", "W1")),
]
DEEP_TRIPLES = [
    (("summed_not_mean", "data_term"), ("transposed", "W3"), ("no_l1_term", None)),
    (
        ("mse_without_softmax_jacobian", None),
        ("missing_activation_derivative", None),
        ("biases_averaged", None),
    ),
    (("sign_flipped", None), ("l1_sign_forgotten", "as_W"), ("preactivation_in_dW2", None)),
    (("single_term_softmax", None), ("double_regularisation", None), ("transposed", "all")),
]
MARKS = {"named": "✓", "invisible": "·", "n/a": " ", "equivalent": "≈", "wrong": "✗"}


def deep_problem(seed: int, widths, C: int, N: int, F: int = 2, scale: float = 0.3):
    """Parameters of an F-widths-C network moved off their init (every path carries gradient), N
    points, one-hot targets."""
    rng = np.random.RandomState(seed)
    params = init_params(widths, C, seed=seed, F=F)
    for name in params:
        params[name] = params[name] + rng.randn(*params[name].shape) * scale
    X = rng.randn(N, F)
    return params, X, np.eye(C)[rng.randint(0, C, N)]


def problem(case: Case, seed: int = 3):
    if case.L == 1:
        return random_problem(seed + case.C, case.widths[0], case.C, 30, soft=False)
    return deep_problem(seed + case.C, list(case.widths), case.C, 30)


def gradients(params, X, Y, case: Case, switches) -> dict[str, np.ndarray]:
    out = student_backward(params, X, Y, case.lam, case.activation, loss=case.loss, l1=case.l1, **switches)
    return {name: out[name] for name in param_names(case.L)}


def same(a: dict, b: dict) -> bool:
    return all(
        a[n].shape == b[n].shape and float(np.max(scaled_error(a[n], b[n]), initial=0)) <= AGREES_BELOW
        for n in a
    )


def can_be_made(key: tuple, case: Case) -> bool:
    name = key[0]
    return (
        ONLY_WITH.get(name, case.activation) == case.activation
        and ONLY_FOR_LOSS.get(name, case.loss) == case.loss
        and exists_at(key, case.L)
    )


def judge(chosen: tuple, case: Case) -> tuple[str, list]:
    """(outcome, what was named) for the set `chosen` of (id, form) in one case."""
    if not all(can_be_made(key, case) for key in chosen):
        return "n/a", []
    switches = switches_of(chosen)
    if switches is None:
        return "n/a", []
    params, X, Y = problem(case)
    sent = gradients(params, X, Y, case, switches)
    for i in range(len(chosen)):
        if same(sent, gradients(params, X, Y, case, switches_of(chosen[:i] + chosen[i + 1 :]))):
            return "invisible", []
    result = compare_gradients(params, X, Y, sent, case.activation, case.lam, loss_name=case.loss, l1=case.l1)
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
                and can_be_made((name, other), case)
                and same(sent, gradients(params, X, Y, case, _with_form(chosen, name, other)))
                for key_name, other in SWITCHES
                if key_name == name
            )
            for name, form in named
        )
        if forms_ok:
            return "named", named
    # another set of the same size that gives these very numbers is named: the likelier one
    guess = tuple((n, f if f is not None else _first_form(n, case)) for n, f in named)
    guessed = switches_of(guess)
    if len(named) == len(chosen) and guessed is not None:
        if same(sent, gradients(params, X, Y, case, guessed)):
            return "equivalent", named
    return "wrong", named


def _first_form(name: str, case: Case):
    return next(form for key, form in SWITCHES if key == name and can_be_made((key, form), case))


def _with_form(chosen, name, form) -> dict:
    return switches_of(tuple((n, form if n == name else f) for n, f in chosen)) or {}


def singles(cases=CASES, keys=None) -> dict[tuple, dict[Case, str]]:
    return {key: {case: judge((key,), case)[0] for case in cases} for key in keys or SWITCHES}


def pairs() -> list[tuple]:
    keys = list(SWITCHES)
    return [(a, b) for a, b in combinations(keys, 2) if a[0] != b[0] and switches_of((a, b)) is not None]


def counts(sets, cases=CASES) -> tuple[Counter, list]:
    tally, failures = Counter(), []
    for chosen in sets:
        for case in cases:
            outcome, named = judge(chosen, case)
            tally[outcome] += 1
            if outcome == "wrong":
                failures.append((chosen, case, named))
    return tally, failures


def main(cases=CASES, triples=TRIPLES) -> None:
    header = " ".join(f"{case.label():<6}" for case in cases)
    print(f"{'mistake (form)':<40} {header}")
    tally = Counter()
    for key, row in singles(cases).items():
        label = key[0] + (f" ({key[1]})" if key[1] else "")
        print(f"{label:<40} " + " ".join(f"{MARKS[row[c]]:^6}" for c in cases))
        tally.update(row.values())
    print("\nsingles:", dict(tally))
    for name, sets in (("pairs", pairs()), ("triples", triples)):
        tally, failures = counts(sets, cases)
        print(f"{name} ({len(sets)} sets x {len(cases)} cases):", dict(tally))
        for chosen, case, named in failures[:20]:
            print("   ✗", chosen, case, "named", named)
    print("\n✓ named correctly, ≈ an equivalent set named (same numbers), · invisible in that case, ✗ wrong")


def timing() -> None:
    """The slowest checks at N = 200, six hidden layers of 64, C = 8 (best of 5 each): a set of
    three to find, and a gradient no set explains, so every set up to three is tried."""
    widths = [64] * 6
    params, X, Y = deep_problem(1, widths, 8, 200, scale=0.05)
    names = param_names(6)
    right = student_backward(params, X, Y, 0.01)
    unknown = dict(right, W1=right["W1"] * 1.3)
    three = student_backward(params, X, Y, 0.01, dz_out="diagonal", reg=2.0, bias="mean")
    for label, sent in (
        ("right, every array", right),
        ("three mistakes, every array", three),
        ("three mistakes, 14 gradients", {n: three[n] for n in names}),
        ("none explains dW1, every array (every set tried)", unknown),
        ("none explains dW1, 14 gradients (every set tried)", {n: unknown[n] for n in names}),
    ):
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            compare_gradients(params, X, Y, sent, "tanh", 0.01)
            best = min(best, time.perf_counter() - start)
        print(f"{label:<50} {best * 1000:6.1f} ms")


if __name__ == "__main__":
    if "--time" in sys.argv:
        timing()
    elif "--deep" in sys.argv:
        main(DEEP_CASES, DEEP_TRIPLES)
    else:
        main()
