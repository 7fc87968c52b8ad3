"""Copies of a run's state: RunState, what a frame or a report is computed from (anywhere, no
lock), and Progress, what a saved run holds beyond its config."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.core.network import Params


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
