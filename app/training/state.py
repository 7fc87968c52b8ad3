"""A consistent copy of a run at one step: what a frame or a report is computed from, anywhere."""

from __future__ import annotations

from dataclasses import dataclass

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
    def learning_rate(self) -> float:
        return self.live["learning_rate"]
