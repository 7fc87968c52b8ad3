"""Numerical gradient check: our backprop against central finite differences, in float64.

For each checked entry theta_i of each parameter:

    numeric_i = (L(theta + h e_i) - L(theta - h e_i)) / (2h)
    rel_i     = |analytic_i - numeric_i| / max(|analytic_i| + |numeric_i|, tiny)

A correct backprop gives rel about 1e-7 or better; above 1e-4 is a bug. `tiny` is 1e-4 * max(1, L),
not 1e-12: a float64 central difference carries an absolute noise of about eps * L / h ~ 1e-11 * L,
so an entry whose true gradient is 3e-8 would read as a relative error of 1e-3 from noise alone.
Such entries are therefore judged by |a - n| / tiny, an absolute test (as torch.autograd.gradcheck
mixes absolute and relative tolerances); a wrong gradient of size 1e-5 still scores 0.1. For relu, a step of h
can move some z1 across 0, where relu has a kink and the finite difference is not the derivative
(CS231n's "kinks in the objective"): such entries are reported as `kinks` and left out of the max.
Where an activation has kinks is part of its entry in activations.py. At depth every hidden layer's
z(l) is watched. The L1 penalty l1 * |W| has a kink of its own at W = 0: an entry whose weight lies
within h of 0 is a kink the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .activations import get_activation
from .checks import check_float, check_int
from .network import Params, backward, depth, forward, layer_sizes, loss, param_names
from .targets import check_targets

PASS_THRESHOLD = 1e-4  # a relative error above this is a bug, not rounding
TINY = 1e-4  # times max(1, L): below it, |a - n| is judged in absolute terms (module docstring)


@dataclass
class ParamCheck:
    """The check of one parameter: the entries checked and their analytic and numeric values."""

    name: str
    shape: tuple[int, ...]
    indices: list[tuple[int, ...]]
    analytic: np.ndarray  # (k,)
    numeric: np.ndarray  # (k,)
    rel_error: np.ndarray  # (k,)
    kinks: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # (k,) crossed a relu kink

    @property
    def max_rel_error(self) -> float:
        """The largest relative error over entries that crossed no kink (0 if none are left)."""
        clean = self.rel_error[~self.kinks]
        return float(clean.max()) if clean.size else 0.0

    @property
    def passed(self) -> bool:
        return self.max_rel_error <= PASS_THRESHOLD

    @property
    def worst(self) -> int | None:
        """Position (in indices) of the entry with the largest relative error that crossed no kink,
        None if every entry crossed one."""
        clean = np.flatnonzero(~self.kinks) if self.kinks.size else np.arange(len(self.indices))
        if not clean.size:
            return None
        errors = np.where(np.isnan(self.rel_error[clean]), np.inf, self.rel_error[clean])
        return int(clean[np.argmax(errors)])


def relative_error(analytic, numeric, tiny: float = TINY) -> np.ndarray:
    """|a - n| / max(|a| + |n|, tiny), elementwise."""
    analytic, numeric = np.asarray(analytic), np.asarray(numeric)
    return np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), tiny)


def kink_sides(z1: np.ndarray, kinks_at: tuple[float, ...]) -> np.ndarray:
    """Which side of each of the activation's kinks every z1 (N, H) is on: (len(kinks_at), N, H),
    True above it. f' is taken as the left side's at the kink itself (relu'(0) = 0)."""
    return np.array([z1 > kink for kink in kinks_at], dtype=bool)


def hidden_kink_sides(z_hidden: list[np.ndarray], kinks_at: tuple[float, ...]) -> np.ndarray:
    """kink_sides of every hidden layer's z(l), flattened into one array."""
    if not kinks_at:
        return np.zeros(0, bool)
    return np.concatenate([kink_sides(z, kinks_at).ravel() for z in z_hidden])


def _entries(shape, max_entries: int | None, rng: np.random.RandomState) -> list[tuple[int, ...]]:
    """Every index of `shape`, or a seeded sample of max_entries of them without repeats."""
    size = int(np.prod(shape))
    flat = np.arange(size)
    if max_entries is not None and size > max_entries:
        flat = np.sort(rng.choice(size, max_entries, replace=False))
    return [tuple(int(i) for i in np.unravel_index(k, shape)) for k in flat]


def gradient_check(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str = "tanh",
    lam: float = 0.0,
    *,
    h: float = 1e-5,
    max_entries: int | None = None,
    seed: int = 0,
    loss_name: str = "cross_entropy",
    l1: float = 0.0,
) -> dict[str, ParamCheck]:
    """Check every parameter's backprop gradient on (X (N, F), Y (N, C)) against finite differences,
    at any depth, for the loss `loss_name` with penalties lam (L2) and l1.

    All in float64 on copies of the parameters (the caller's arrays are not touched). With
    max_entries, each parameter with more entries is checked on a seeded sample of that many.
    """
    sizes = layer_sizes(params)
    names = param_names(depth(params))
    h = check_float("h", h, 0.0, 1e-2, lo_open=True)
    l1 = check_float("l1", l1, 0.0)
    if max_entries is not None:
        max_entries = check_int("max_entries", max_entries, 1)
    theta = {name: np.array(params[name], dtype=np.float64) for name in names}
    X = np.asarray(X, dtype=np.float64)
    Y = check_targets(np.asarray(Y, dtype=np.float64), N=X.shape[0], C=sizes[-1])
    kinks_at = get_activation(activation).kinks
    fwd = forward(theta, X, activation)
    grads = backward(theta, fwd, Y, lam, loss_name, l1).grads()
    tiny = TINY * max(1.0, abs(loss(theta, fwd, Y, lam, loss_name, l1)))  # the noise grows with L
    sides = hidden_kink_sides(fwd.z[:-1], kinks_at)
    rng = np.random.RandomState(seed)

    def loss_at() -> tuple[float, np.ndarray]:
        shifted = forward(theta, X, activation)
        return loss(theta, shifted, Y, lam, loss_name, l1), hidden_kink_sides(shifted.z[:-1], kinks_at)

    report = {}
    for name in names:
        p = theta[name]
        indices = _entries(p.shape, max_entries, rng)
        numeric = np.empty(len(indices))
        kinks = np.zeros(len(indices), bool)
        for k, i in enumerate(indices):
            original = p[i]
            p[i] = original + h
            loss_plus, sides_plus = loss_at()
            p[i] = original - h
            loss_minus, sides_minus = loss_at()
            p[i] = original
            numeric[k] = (loss_plus - loss_minus) / (2 * h)
            if kinks_at:
                kinks[k] = np.any(sides_plus != sides) or np.any(sides_minus != sides)
            if l1 and name[0] == "W" and abs(original) < h:
                kinks[k] = True  # |W| bends at 0: the difference straddles it
        analytic = np.array([grads[name][i] for i in indices])
        report[name] = ParamCheck(
            name, p.shape, indices, analytic, numeric, relative_error(analytic, numeric, tiny), kinks
        )
    return report
