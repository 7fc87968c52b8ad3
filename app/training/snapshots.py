"""Copies of a run at past steps, for scrubbing back through it and for forking it there. Bounded
like the history: a copy every `stride` steps, and when the ring is full, every other one is
dropped and the stride doubles, so a long run keeps copies spread over its whole course.

Each kept step holds the parameters, and (for a step the run took itself, not one read back from a
saved run) a `Resume`: the rest of what a run needs to go on from there exactly, its config and
points, optimizer state, mini-batch state and last ratios (state.py)."""

from __future__ import annotations

import bisect

from app.core.network import Params

from .state import Resume

SNAPSHOTS_KEPT = 256  # parameter copies a run keeps by default
# The optimizer states a ring keeps for forks, in bytes: momentum and Adam hold one or two arrays
# the size of the parameters at every kept step, which would triple a large run's memory. Over
# the budget, every other one is let go (the oldest first in each pair), so the steps a fork can
# start from stay spread over the run like the kept steps themselves.
RESUME_BYTES = 64 * 2**20


class SnapshotRing:
    def __init__(self, capacity: int = SNAPSHOTS_KEPT, resume_bytes: int = RESUME_BYTES):
        if capacity < 2:
            raise ValueError(f"capacity must be at least 2, got {capacity}")
        self.capacity = capacity
        self.resume_bytes = resume_bytes
        self.stride = 1
        self._steps: list[int] = []
        self._params: list[Params] = []
        self._resumes: list[Resume | None] = []
        self._resume_nbytes: list[int] = []  # each kept Resume's own bytes, 0 where none is kept

    def wants(self, step: int) -> bool:
        return step % self.stride == 0

    def record(self, step: int, params: Params, resume: Resume | None = None) -> None:
        """Keep a copy of params as they are after `step` steps (if the stride wants this step),
        and `resume` (already a copy) beside it."""
        if not self.wants(step):
            return
        if self._steps and step <= self._steps[-1]:
            raise ValueError(f"step must grow: {step} after {self._steps[-1]}")
        self._steps.append(step)
        self._params.append({name: value.copy() for name, value in params.items()})
        self._resumes.append(resume)
        self._resume_nbytes.append(resume.own_nbytes() if resume is not None else 0)
        if len(self._steps) > self.capacity:
            self.stride *= 2
            keep = [i for i, s in enumerate(self._steps) if s % self.stride == 0]
            self._steps = [self._steps[i] for i in keep]
            self._params = [self._params[i] for i in keep]
            self._resumes = [self._resumes[i] for i in keep]
            self._resume_nbytes = [self._resume_nbytes[i] for i in keep]
        self._within_budget()

    def _within_budget(self) -> None:
        """Let every other kept Resume go, the older of each pair, until their own arrays fit in
        resume_bytes; the newest is always kept (a fork at the current step)."""
        while sum(self._resume_nbytes) > self.resume_bytes:
            held = [i for i, r in enumerate(self._resumes) if r is not None]
            if len(held) < 2:
                return
            for i in held[-2::-2]:
                self._resumes[i], self._resume_nbytes[i] = None, 0

    def steps(self) -> list[int]:
        return list(self._steps)

    def at(self, step: int) -> tuple[int, Params]:
        """The copy at `step`, or the nearest earlier one kept: (its step, params)."""
        i = bisect.bisect_right(self._steps, step) - 1
        if i < 0:
            raise ValueError(f"at_step must be at least {self._steps[0] if self._steps else 0}, got {step}")
        return self._steps[i], self._params[i]

    def resumable_steps(self) -> list[int]:
        """The kept steps a run can go on from exactly (those with a Resume)."""
        return [s for s, r in zip(self._steps, self._resumes) if r is not None]

    def resume_at(self, step: int) -> tuple[Params, Resume] | None:
        """The params and Resume kept at exactly `step` (shared: copy before changing), or None."""
        i = bisect.bisect_left(self._steps, step)
        if i == len(self._steps) or self._steps[i] != step or self._resumes[i] is None:
            return None
        return self._params[i], self._resumes[i]

    def upto(self, step: int) -> SnapshotRing:
        """A ring holding this one's kept steps up to `step`, their copies shared (none of them is
        ever changed in place): a fork's past, at no cost in memory."""
        ring = SnapshotRing(self.capacity, self.resume_bytes)
        n = bisect.bisect_right(self._steps, step)
        ring.stride = self.stride
        ring._steps, ring._params, ring._resumes = self._steps[:n], self._params[:n], self._resumes[:n]
        ring._resume_nbytes = self._resume_nbytes[:n]
        return ring

    def nbytes(self) -> int:
        """The bytes of the arrays the ring holds, each array counted once (a mini-batch order is
        shared by the steps of one epoch, and a fork shares its parent's past)."""
        arrays = {id(a): a for p in self._params for a in p.values()}
        for resume in self._resumes:
            if resume is not None:
                arrays.update({id(a): a for a in resume.arrays()})
        return sum(a.nbytes for a in arrays.values())

    def state(self) -> dict:
        return {"stride": self.stride, "steps": list(self._steps), "params": list(self._params)}

    def load_state(self, state: dict) -> None:
        """The kept weights of a saved run: a saved run keeps no Resume for them."""
        steps = [int(s) for s in state["steps"]]
        if steps != sorted(set(steps)) or len(steps) != len(state["params"]) or len(steps) > self.capacity:
            raise ValueError(f"snapshots.steps must grow, one for each params, at most {self.capacity}")
        self.stride = int(state["stride"])
        self._steps = steps
        self._params = list(state["params"])
        self._resumes = [None] * len(steps)
        self._resume_nbytes = [0] * len(steps)

    def clear(self) -> None:
        self.stride = 1
        self._steps.clear()
        self._params.clear()
        self._resumes.clear()
        self._resume_nbytes.clear()
