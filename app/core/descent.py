"""Plain gradient descent on network.py's loss: one step, and a loop of them.

This is the reference loop, one equation a line (forward, loss, backward, update); the live runs
step with FastStep, which computes the same numbers faster.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import check_float, check_int
from .minibatches import MiniBatches
from .network import Params, backward, forward, loss
from .optimizers import Optimizer


@dataclass
class StepOutcome:
    """What one step measured."""

    loss: float  # on the batch, before the update
    grads: Params  # dL/dparam on the batch, before the update
    ratios: dict[str, float]  # |update| / |param| per parameter


def train_step(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    optimizer: Optimizer,
    activation: str = "tanh",
    lam: float = 0.0,
) -> StepOutcome:
    """One step on the batch (X (B, 2), Y (B, C)): forward, loss, backward, update params in place."""
    lam = check_float("lam", lam, 0.0)
    fwd = forward(params, X, activation)
    value = loss(params, fwd, Y, lam)
    grads = backward(params, fwd, Y, lam).grads()
    ratios = optimizer.step(params, grads)
    return StepOutcome(value, grads, ratios)


def train(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    optimizer: Optimizer,
    steps: int,
    activation: str = "tanh",
    lam: float = 0.0,
    batch_size: int | None = None,
    seed: int = 0,
) -> list[float]:
    """Run `steps` steps in place on (X (N, 2), Y (N, C)); the batch loss of each step."""
    batches = MiniBatches(len(X), batch_size, seed)
    losses = []
    for _ in range(check_int("steps", steps, 0)):
        rows = batches.next()
        losses.append(train_step(params, X[rows], Y[rows], optimizer, activation, lam).loss)
    return losses
