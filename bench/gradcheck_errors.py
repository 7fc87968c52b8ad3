"""How close our backprop is to finite differences: the max relative error over W1, b1, W2, b2
on random problems, per activation (median, p95, max). Not a timing: the accuracy of the gradient
check itself.

    .venv/bin/python -m bench.gradcheck_errors [--problems 300]
"""

from __future__ import annotations

import argparse

import numpy as np

from app.core.gradcheck import gradient_check
from app.core.network import PARAM_NAMES, init_params
from app.core.targets import one_hot

ACTIVATIONS = ("tanh", "relu", "sigmoid")


def random_problem(rng: np.random.RandomState, seed: int):
    """H 1-24, C 2-8, N 1-40, lam in {0, 1e-4, 1e-2, 0.5}, one-hot or soft targets, biases off 0."""
    H, C, N = rng.randint(1, 25), rng.randint(2, 9), rng.randint(1, 41)
    params = init_params(H, C, seed=seed)
    for name in PARAM_NAMES:
        params[name] = params[name] + rng.randn(*params[name].shape) * 0.3
    X = rng.randn(N, 2)
    Y = rng.dirichlet(np.ones(C), size=N) if rng.randint(2) else one_hot(rng.randint(0, C, N), C)
    return params, X, Y, [0.0, 1e-4, 1e-2, 0.5][rng.randint(4)]


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=300)
    args = parser.parse_args(argv)
    rng = np.random.RandomState(7)
    errors = {a: [] for a in ACTIVATIONS}
    for k in range(args.problems):
        activation = ACTIVATIONS[k % len(ACTIVATIONS)]
        params, X, Y, lam = random_problem(rng, k)
        report = gradient_check(params, X, Y, activation, lam)
        errors[activation].append(max(c.max_rel_error for c in report.values()))
    summary = {}
    print(f"{'activation':>10}  {'problems':>8}  {'median':>8}  {'p95':>8}  {'max':>8}")
    for activation, values in errors.items():
        e = np.array(values)
        summary[activation] = {
            "median": float(np.median(e)),
            "p95": float(np.percentile(e, 95)),
            "max": float(e.max()),
        }
        s = summary[activation]
        print(f"{activation:>10}  {len(e):>8}  {s['median']:8.1e}  {s['p95']:8.1e}  {s['max']:8.1e}")
    return summary


if __name__ == "__main__":
    main()
