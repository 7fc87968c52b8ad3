"""Parameter copies at past steps, for scrubbing back through a run. Bounded like the history:
a copy every `stride` steps, and when the ring is full, every other one is dropped and the stride
doubles, so a long run keeps copies spread over its whole course."""

from __future__ import annotations

import bisect

from app.core.network import Params

SNAPSHOTS_KEPT = 256  # parameter copies a run keeps by default


class SnapshotRing:
    def __init__(self, capacity: int = SNAPSHOTS_KEPT):
        if capacity < 2:
            raise ValueError(f"capacity must be at least 2, got {capacity}")
        self.capacity = capacity
        self.stride = 1
        self._steps: list[int] = []
        self._params: list[Params] = []

    def wants(self, step: int) -> bool:
        return step % self.stride == 0

    def record(self, step: int, params: Params) -> None:
        """Keep a copy of params as they are after `step` steps (if the stride wants this step)."""
        if not self.wants(step):
            return
        if self._steps and step <= self._steps[-1]:
            raise ValueError(f"step must grow: {step} after {self._steps[-1]}")
        self._steps.append(step)
        self._params.append({name: value.copy() for name, value in params.items()})
        if len(self._steps) > self.capacity:
            self.stride *= 2
            keep = [i for i, s in enumerate(self._steps) if s % self.stride == 0]
            self._steps = [self._steps[i] for i in keep]
            self._params = [self._params[i] for i in keep]

    def steps(self) -> list[int]:
        return list(self._steps)

    def at(self, step: int) -> tuple[int, Params]:
        """The copy at `step`, or the nearest earlier one kept: (its step, params)."""
        i = bisect.bisect_right(self._steps, step) - 1
        if i < 0:
            raise ValueError(f"at_step must be at least {self._steps[0] if self._steps else 0}, got {step}")
        return self._steps[i], self._params[i]

    def state(self) -> dict:
        return {"stride": self.stride, "steps": list(self._steps), "params": list(self._params)}

    def load_state(self, state: dict) -> None:
        steps = [int(s) for s in state["steps"]]
        if steps != sorted(set(steps)) or len(steps) != len(state["params"]) or len(steps) > self.capacity:
            raise ValueError(f"snapshots.steps must grow, one for each params, at most {self.capacity}")
        self.stride = int(state["stride"])
        self._steps = steps
        self._params = list(state["params"])

    def clear(self) -> None:
        self.stride = 1
        self._steps.clear()
        self._params.clear()
