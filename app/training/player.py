"""Playing a run: when it steps (play at its steps_per_second, or n steps now), under one lock,
and who is told that it moved on.

Training never runs on the server's event loop: `play` hands the run to the app's trainer
thread, and `step(n)` is meant to be called from a worker thread. Everything that reads or
changes the run takes `lock`, held for a few milliseconds at a time at most.
"""

from __future__ import annotations

import logging
import threading
import time

from .config import Hyperparameters
from .points import NewPoint
from .run import STOPPED, Run
from .state import RunState
from .trainer import Trainer

log = logging.getLogger(__name__)

BURST_SECONDS = 0.005  # longest the training thread holds the lock in one go
BEHIND_SECONDS = 0.25  # a run this far behind its rate (a big network) does not catch up later


def steps_due(due: float, rate: float, step) -> float | None:
    """Take the steps due at `rate` a second since `due`, at most BURST_SECONDS of them (the
    caller holds the locks `step` needs); when the next step is due, or None once `step()` says
    the run stopped (returns False)."""
    deadline = time.perf_counter() + BURST_SECONDS
    while due <= time.perf_counter():
        if not step():
            return None
        due += 1 / rate
        if time.perf_counter() > deadline:
            break
    return due


def caught_up(due: float) -> float:
    """A run more than BEHIND_SECONDS behind its rate (a big network) starts again from now
    rather than catching up in a rush."""
    return time.perf_counter() if time.perf_counter() - due > BEHIND_SECONDS else due


class SessionError(Exception):
    """A request that does not fit the run's state (e.g. play while diverged); the message says why."""


class Player:
    """Paces one run and tells its viewers: `version` grows with every change they could see (a
    step, a pause, new points, a viewer more), and `call_on_change` wakes a waiting one."""

    def __init__(self, run: Run, trainer: Trainer, name: str = ""):
        self.run = run
        self.trainer = trainer
        self.name = name  # the session's id, for the log
        self.lock = threading.RLock()
        self.playing = False
        self.closed = False
        self.version = 0
        self._on_change: list = []
        # The twins that play this run in lock-step with another (twins.py), if any: then its own
        # play, step and reset are refused, and its pause pauses both.
        self.pair = None

    @property
    def status(self) -> str:
        """paused, running, diverged or failed."""
        return "running" if self.playing else self.run.status

    def changed(self) -> None:
        """The run moved on: a new version, and every waiting watcher is told (once)."""
        self.version += 1
        callbacks, self._on_change = self._on_change, []
        for callback in callbacks:
            callback()

    def call_on_change(self, callback) -> None:
        """Call `callback()` (from whichever thread changes the run) the next time it changes.
        It must be thread-safe and quick, e.g. loop.call_soon_threadsafe(event.set)."""
        with self.lock:
            self._on_change.append(callback)

    def state(self) -> RunState:
        """A copy of the run as it is now."""
        with self.lock:
            return self.run.state(self.status)

    # ---- stepping -------------------------------------------------------------------------

    def _step_once(self) -> bool:
        """One step of the run, under the lock; False if it stopped (diverged, or failed: a step
        that raises fails this run only, and the trainer thread and every other run go on)."""
        step = self.run.step_count + 1
        try:
            moved = self.run.step()
        except Exception as error:
            log.exception("session %s failed at step %d", self.name, step)
            self.run.fail(step, error)
            moved = False
        if not moved:
            self.playing = False  # a stopped run is not played
        self.changed()
        return moved

    def step(self, n: int, seconds: float = float("inf"), cancelled=lambda: False) -> int:
        """Pause, then take n steps, fewer if the run stops (diverged, failed), `seconds` run out
        or `cancelled()` turns true (the client left); the steps taken. Blocks: call it from a
        worker thread. The lock is released between bursts so frames keep flowing."""
        self.refuse_if_paired("step")
        self.pause()
        taken = 0
        end = time.perf_counter() + seconds
        while taken < n and time.perf_counter() < end and not cancelled():
            with self.lock:
                if self.run.status in STOPPED:
                    break
                deadline = time.perf_counter() + BURST_SECONDS
                while taken < n and self._step_once():
                    taken += 1
                    if time.perf_counter() > deadline:
                        break
        return taken

    def play(self) -> None:
        self.refuse_if_paired("play")
        with self.lock:
            if self.run.status in STOPPED:
                raise SessionError(self.run.message or f"the run {self.run.status}: press reset")
            if self.playing:
                return
            self.playing = True
            self.changed()
            self.trainer.start(self)

    def pause(self) -> None:
        pair = self.pair
        if pair is not None:
            pair.pause()
            return
        with self.lock:
            if self.playing:
                self.playing = False
                self.changed()
            self.trainer.stop(self)

    def play_burst(self, due: float) -> float | None:
        """The steps that are due (at steps_per_second since `due`), at most BURST_SECONDS of
        them under the lock; when the next step is due, or None if the run stopped playing."""
        with self.lock:
            if not self.playing or self.closed:
                return None
            due = steps_due(due, self.run.config.steps_per_second, self._step_once)
        return None if due is None else caught_up(due)

    def refuse_if_paired(self, what: str) -> None:
        pair = self.pair
        if pair is not None:
            raise SessionError(pair.refusal(what))

    # ---- changing the run -----------------------------------------------------------------

    def replace_run(self, run: Run) -> None:
        """Play `run` from now on in place of this one (twins reset to their fork step); its
        viewers are sent its points again. The polls stay, as through Run.restart: the same book,
        so poll ids go on (a stale card's vote cannot land on a new question) and the viewers
        subscribed to it are told of the polls asked from now on; one still awaiting steps is
        answered "no answer: reset"."""
        with self.lock:
            run.data_version = self.run.data_version + 1
            run.polls = self.run.polls
            run.polls.after_restart(run)
            self.run = run
            self.changed()

    def reset(self) -> None:
        """Back to step 0 with the same initial weights; clears a divergence or a failure."""
        self.refuse_if_paired("reset")
        self.pause()
        with self.lock:
            self.run.restart()
            self.changed()

    def update(self, changes: Hyperparameters) -> None:
        """Hyperparameter changes, without a restart: the weights and the step stay."""
        with self.lock:
            self.run.update(changes)
            self.changed()

    def edit_points(self, add: list[NewPoint], remove: list[int]) -> None:
        """Add and remove points (Run.edit_points); ValueError, nothing changed, if they do not fit."""
        with self.lock:
            self.run.edit_points(add, remove)
            self.changed()

    def set_weight(self, name: str, index: tuple[int, int], value: float) -> None:
        """One weight set by hand (Run.set_weight); WeightEditError, nothing changed, if it does not fit."""
        with self.lock:
            self.run.set_weight(name, index, value)
            self.changed()

    def close(self) -> None:
        """Stop for good: the run is no longer played, and its watchers are told."""
        self.pause()
        with self.lock:
            self.closed = True
            self.changed()
