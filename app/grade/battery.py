"""The seeded cases a student's backward() is graded on: C from 2 to 8, one-hot and soft labels,
lam 0 and > 0, batches and a single sample; and for a backward() written for any depth, cases with
two and three hidden layers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.core.network import Params, init_params
from app.core.targets import one_hot


@dataclass(frozen=True)
class Case:
    name: str
    X: np.ndarray  # (N, 2)  (the network's input: x1, x2)
    Y: np.ndarray  # (N, C)
    params: Params  # W1, b1, ..., W(L+1), b(L+1)
    lam: float

    @property
    def L(self) -> int:
        """The hidden layers."""
        return len(self.params) // 2 - 1


def _soft_labels(rng: np.random.RandomState, N: int, C: int) -> np.ndarray:
    """Rows drawn from a Dirichlet: every entry nonzero, every row sums to 1."""
    return rng.dirichlet(np.ones(C), size=N)


def _case(seed: int, N: int, H: int, C: int, soft: bool, lam: float) -> Case:
    rng = np.random.RandomState(seed)
    X = rng.randn(N, 2)
    Y = _soft_labels(rng, N, C) if soft else one_hot(rng.randint(0, C, size=N), C)
    params = init_params(H, C, seed=seed)
    # nonzero biases, so a gradient that ignores them (or adds lam * b) shows
    params["b1"] = 0.1 * rng.randn(H)
    params["b2"] = 0.1 * rng.randn(C)
    labels = "soft labels" if soft else "one-hot"
    batch = "1 sample" if N == 1 else f"N={N}"
    return Case(f"C={C} H={H} {batch}, {labels}, lam={lam:g}", X, Y, params, lam)


def _deep_case(seed: int, N: int, widths: list[int], C: int, soft: bool, lam: float) -> Case:
    rng = np.random.RandomState(seed)
    X = rng.randn(N, 2)
    Y = _soft_labels(rng, N, C) if soft else one_hot(rng.randint(0, C, size=N), C)
    params = init_params(widths, C, seed=seed)
    for name in params:
        if name[0] == "b":  # nonzero biases, as above
            params[name] = 0.1 * rng.randn(*params[name].shape)
    labels = "soft labels" if soft else "one-hot"
    batch = "1 sample" if N == 1 else f"N={N}"
    hidden = "-".join(map(str, widths))
    return Case(f"C={C} H={hidden} {batch}, {labels}, lam={lam:g}", X, Y, params, lam)


def deep_battery() -> list[Case]:
    """The cases with two and three hidden layers, for a backward() written for any depth."""
    return [
        _deep_case(11, N=24, widths=[5, 4], C=3, soft=False, lam=0.01),
        _deep_case(12, N=30, widths=[4, 5, 3], C=4, soft=True, lam=0.0),
        _deep_case(13, N=1, widths=[3, 6], C=2, soft=False, lam=0.02),
    ]


def battery() -> list[Case]:
    """The same cases on every run (fixed seeds)."""
    return [
        _case(1, N=16, H=4, C=2, soft=False, lam=0.0),
        _case(2, N=20, H=5, C=2, soft=True, lam=0.01),
        _case(3, N=30, H=6, C=3, soft=False, lam=0.01),
        _case(4, N=24, H=3, C=4, soft=True, lam=0.0),
        _case(5, N=40, H=7, C=5, soft=False, lam=0.001),
        _case(6, N=32, H=5, C=8, soft=True, lam=0.05),
        _case(7, N=1, H=4, C=3, soft=False, lam=0.0),
        _case(8, N=1, H=6, C=8, soft=True, lam=0.02),
    ]
