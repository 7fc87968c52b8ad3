"""How far apart twins have moved: ‖W(l) − W′(l)‖_F for every layer, left minus right, at the
steps both took together. Bounded like the history: past `capacity` rows every other row goes and
the stride doubles, so a long pair keeps its whole course at a coarser step."""

from __future__ import annotations

import numpy as np

from app.core.network import Params

DISTANCE_ROWS = 1024  # rows kept; a reply holds at most this many


class DistanceRecord:
    def __init__(self, weights: list[str], first_step: int, capacity: int = DISTANCE_ROWS):
        if capacity < 2:
            raise ValueError(f"capacity must be at least 2, got {capacity}")
        self.weights = list(weights)  # W1, ..., W(L+1)
        self.capacity = capacity
        self.first_step = first_step
        self.restart()

    def restart(self) -> None:
        """Back to the fork step, where the twins are one run: every distance 0."""
        self.stride = 1
        self.steps: list[int] = [self.first_step]
        self.layers: dict[str, list[float]] = {name: [0.0] for name in self.weights}

    def wants(self, step: int) -> bool:
        return step > self.steps[-1] and (step - self.first_step) % self.stride == 0

    def record(self, step: int, left: Params, right: Params) -> None:
        """The distances at `step`, if the stride wants it (the caller holds both runs' locks).
        The difference is taken in float64: the live weights are float32, and two float32 weights
        that differ in the last bit must not read as equal."""
        if not self.wants(step):
            return
        self.steps.append(step)
        for name in self.weights:
            difference = left[name].astype(np.float64) - right[name].astype(np.float64)
            self.layers[name].append(float(np.linalg.norm(difference)))
        if len(self.steps) > self.capacity:
            self.stride *= 2
            keep = [i for i, s in enumerate(self.steps) if (s - self.first_step) % self.stride == 0]
            self.steps = [self.steps[i] for i in keep]
            self.layers = {name: [column[i] for i in keep] for name, column in self.layers.items()}

    def since(self, step: int) -> dict:
        """The rows at steps >= `step`: {"steps": [...], "layers": {"W1": [...], ...}} (copies)."""
        first = next((i for i, s in enumerate(self.steps) if s >= step), len(self.steps))
        return {
            "steps": self.steps[first:],
            "layers": {name: column[first:] for name, column in self.layers.items()},
        }
