"""Copies of a run's state: RunState, what a frame or a report is computed from (anywhere, no
lock), Progress, what a saved run holds beyond its config, and Resume, what a kept step holds
beside its parameters so that a run can go on from there."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.core.datasets import Dataset
from app.core.network import Params

from .config import RunConfig


@dataclass(frozen=True)
class RunState:
    """The run as it was at one step, copied under its lock; nothing here changes afterwards."""

    step: int
    epoch: float
    status: str
    message: str
    params: Params  # copies, float32
    ratios: dict[str, float]
    live: dict  # the settings that change without a reset (Hyperparameters' fields)

    @property
    def lam(self) -> float:
        return self.live["lam"]

    @property
    def l1(self) -> float:
        return self.live.get("l1", 0.0)

    @property
    def learning_rate(self) -> float:
        return self.live["learning_rate"]


@dataclass(frozen=True)
class Progress:
    """Where a run stands beyond its config: all a saved run holds. Arrays are the run's own
    (not copies) when the run hands it out: read it under the lock."""

    train: np.ndarray  # indices of the training points among all points
    params: Params
    optimizer: dict  # Optimizer.state()
    batches: dict  # MiniBatches.state()
    step: int
    status: str  # "paused", or "diverged" or "failed"
    message: str
    ratios: dict[str, float]
    history: dict  # History.state()
    snapshots: dict  # SnapshotRing.state()


@dataclass(frozen=True)
class Resume:
    """Beside a kept step's parameters, the rest of what a run needs to go on from there exactly
    (a fork starts from it). The config and the dataset are the run's own objects, shared: a
    change or a points edit replaces them, never changes them in place; so is the mini-batch
    order, which each epoch draws anew. The optimizer state is a copy."""

    config: RunConfig  # as the run had it at that step
    dataset: Dataset  # the points and the split the run trained on
    optimizer: dict  # Optimizer.state(), copied
    batches: dict  # MiniBatches.snapshot()
    ratios: dict[str, float]

    def arrays(self) -> list[np.ndarray]:
        """The arrays this step keeps of its own (the optimizer's, the batches' random state) and
        the batch order it shares with the other steps of its epoch."""
        found = [v for slot in self.optimizer.values() for v in slot.values() if isinstance(v, np.ndarray)]
        return [*found, self.batches["order"], self.batches["rng"][1]]

    def own_nbytes(self) -> int:
        """The bytes of the arrays this step holds alone (the batch order is its epoch's, shared)."""
        return sum(a.nbytes for a in self.arrays()[:-2]) + self.batches["rng"][1].nbytes
