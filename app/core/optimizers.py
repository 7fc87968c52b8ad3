"""Optimizers that update a parameter dict in place from a gradient dict of the same names.

Each step returns the update/weight ratio |lr * update| / |param| per parameter: the number to
watch (about 1e-3 is healthy; much larger means the learning rate is too high).
"""

from __future__ import annotations

import math

import numpy as np

from .checks import check_choice, check_float
from .network import Params

OPTIMIZER_NAMES = ("sgd", "momentum", "adam")


def norm(array: np.ndarray) -> float:
    """Frobenius norm, one dot product in float64 (float32 squares overflow past ~1e19); NaN or inf
    exactly when the array holds one. np.linalg.norm gave the same figure 30% slower, and a
    training step takes twelve of these."""
    flat = np.asarray(array, dtype=np.float64).reshape(-1)
    return math.sqrt(float(np.dot(flat, flat)))


def _ratio(change: float, size: float) -> float:
    """|delta| / |param| from their Frobenius norms; 0 for an all-zero parameter (a bias at its start)."""
    return change / size if size > 0 else 0.0


class Optimizer:
    """Base: `step(params, grads)` applies one update in place and returns the ratios."""

    name = "base"

    def __init__(self, lr: float):
        self.lr = check_float("learning_rate", lr, 0.0, 1e3, lo_open=True)

    def delta(self, name: str, grad: np.ndarray) -> np.ndarray:
        """The change to add to parameter `name` this step."""
        raise NotImplementedError

    def step(self, params: Params, grads: Params) -> dict[str, float]:
        return self._apply(params, self._changes(params, grads))

    def step_if_finite(self, params: Params, grads: Params) -> dict[str, float] | None:
        """step(), unless a parameter could leave the finite numbers: then None, and `params`
        untouched (the optimizer's own state has moved on; a diverged run starts again from reset).

        No elementwise test is needed: |p + d| <= |p| + |d| entry by entry, and every entry is at
        most its array's Frobenius norm, so p + d is finite when |p|_F + |d|_F is below the
        dtype's largest number; and the norms, needed for the ratios anyway, are NaN or inf when
        an entry is."""
        changes = self._changes(params, grads)
        for name, (_, size, change) in changes.items():
            if not size + change <= np.finfo(params[name].dtype).max:
                return None
        return self._apply(params, changes)

    def _changes(self, params: Params, grads: Params) -> dict[str, tuple[np.ndarray, float, float]]:
        """Each parameter's change this step, with |param|_F before it and |change|_F."""
        deltas = {name: self.delta(name, grad) for name, grad in grads.items()}
        return {name: (delta, norm(params[name]), norm(delta)) for name, delta in deltas.items()}

    @staticmethod
    def _apply(params: Params, changes: dict) -> dict[str, float]:
        """p <- p + delta for each parameter; the update/weight ratios."""
        for name, (delta, _, _) in changes.items():
            params[name] += delta
        return {name: _ratio(change, size) for name, (_, size, change) in changes.items()}

    def state(self) -> dict[str, dict]:
        """The accumulated state ({slot: {param name: array or int}}), to save and restore a run."""
        return {}

    def load_state(self, state: dict[str, dict]) -> None:
        """Restore what `state()` gave; ValueError if the slots do not fit this optimizer."""
        if set(state) != set(self.state()):
            raise ValueError(f"optimizer state must have {sorted(self.state())}, got {sorted(state)}")
        for slot, values in state.items():
            setattr(self, slot, dict(values))


class SGD(Optimizer):
    """p <- p - lr * g"""

    name = "sgd"

    def delta(self, name, grad):
        return -self.lr * grad


class Momentum(Optimizer):
    """v <- beta * v - lr * g;  p <- p + v   (classical momentum)"""

    name = "momentum"

    def __init__(self, lr: float, beta: float = 0.9):
        super().__init__(lr)
        self.beta = check_float("momentum", beta, 0.0, 1.0)
        self.velocity: dict[str, np.ndarray] = {}

    def delta(self, name, grad):
        v = self.velocity.get(name)
        v = -self.lr * grad if v is None else self.beta * v - self.lr * grad
        self.velocity[name] = v
        return v

    def state(self):
        return {"velocity": self.velocity}


class Adam(Optimizer):
    """m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;  p <- p - lr * m_hat / (sqrt(v_hat) + eps)"""

    name = "adam"

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        super().__init__(lr)
        self.beta1 = check_float("beta1", beta1, 0.0, 1.0)
        self.beta2 = check_float("beta2", beta2, 0.0, 1.0)
        self.eps = check_float("eps", eps, 0.0, 1.0, lo_open=True)
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}
        self.t: dict[str, int] = {}

    def delta(self, name, grad):
        t = self.t.get(name, 0) + 1
        m = self.beta1 * self.m.get(name, 0.0) + (1 - self.beta1) * grad
        v = self.beta2 * self.v.get(name, 0.0) + (1 - self.beta2) * grad * grad
        self.t[name], self.m[name], self.v[name] = t, m, v
        m_hat = m / (1 - self.beta1**t)
        v_hat = v / (1 - self.beta2**t)
        return (-self.lr * m_hat / (np.sqrt(v_hat) + self.eps)).astype(grad.dtype, copy=False)

    def state(self):
        return {"m": self.m, "v": self.v, "t": self.t}


def make_optimizer(name: str, lr: float, **options) -> Optimizer:
    """A fresh optimizer (no accumulated state) called `name`: sgd, momentum or adam."""
    check_choice("optimizer", name, OPTIMIZER_NAMES)
    if name == "sgd":
        return SGD(lr)
    if name == "momentum":
        return Momentum(lr, **options)
    return Adam(lr, **options)
