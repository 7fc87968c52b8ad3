"""Twins: two runs forked from one run at one step, "left" as it was and "right" with a change,
played in lock-step (one play, one pause, one step counter) so that a class watches them diverge
from a shared past.

Lock-step: the app's one trainer thread plays the pair itself (it has the trainer's side of a
Player: `play_burst`, `pause`, `name`), stepping left then right in each burst with both runs'
locks taken, always left's first; so does `step(n)`. Whoever reads either run under its lock
therefore sees both at the same step, unless one stopped (diverged, failed): then the other goes
on alone. A twinned run refuses its own play, step and reset (its player's `pair` says why), and
its own pause pauses both; its hyperparameters and points stay its own."""

from __future__ import annotations

import contextlib
import dataclasses
import secrets
import time

from .config import RunConfig
from .fork import ForkChanges, ForkStart, fork_run
from .player import BURST_SECONDS, Player, SessionError, caught_up, steps_due
from .run import STOPPED, Run
from .session import Session
from .trainer import Trainer
from .twins_distance import DistanceRecord
from .twins_title import twins_title

SIDES = ("left", "right")


def fresh_start(start: ForkStart) -> ForkStart:
    """`start` with copies of what a run changes as it goes (its parameters, its ring of kept
    steps), so that one ForkStart makes both twins and each reset."""
    return dataclasses.replace(
        start,
        params={name: value.copy() for name, value in start.params.items()},
        snapshots=start.snapshots.upto(start.step),
    )


@dataclasses.dataclass(frozen=True)
class TwinsPlan:
    """Everything twins are made from, and made again from on reset."""

    start: ForkStart
    left_config: RunConfig  # the parent's at the fork step
    right_config: RunConfig  # with the changes
    changes: ForkChanges

    def runs(self) -> tuple[Run, Run]:
        """Left and right, each exactly the parent at the fork step; the right with the changes."""
        left = fork_run(fresh_start(self.start), self.left_config, ForkChanges())
        right = fork_run(fresh_start(self.start), self.right_config, self.changes)
        return left, right


class Twins:
    def __init__(self, plan: TwinsPlan, left: Session, right: Session, trainer: Trainer, title: str = ""):
        self.id = secrets.token_urlsafe(16)
        self.token = secrets.token_urlsafe(24)
        self.name = self.id  # for the trainer's log
        self.plan = plan
        self.fork_step = plan.start.step
        self.title = title or twins_title(plan.left_config, plan.right_config, self.fork_step)
        self.left, self.right = left, right
        self.trainer = trainer
        self.playing = False
        self.closed = False
        weights = [name for name in left.run.param_names if name.startswith("W")]
        self.distance = DistanceRecord(weights, self.fork_step)
        for side, session, other in (("left", left, right), ("right", right, left)):
            session.twins = {"id": self.id, "side": side, "other": other.id}
            session.player.pair = self

    @property
    def players(self) -> tuple[Player, Player]:
        return self.left.player, self.right.player

    @property
    def sessions(self) -> tuple[Session, Session]:
        return self.left, self.right

    @contextlib.contextmanager
    def locked(self):
        """Both runs' locks, always left's first (one order: no deadlock)."""
        with self.left.player.lock, self.right.player.lock:
            yield

    @property
    def status(self) -> str:
        return "running" if self.playing else "paused"

    def refusal(self, what: str) -> str:
        """Why a twinned run does not `what` (play, step, reset) on its own."""
        return (
            f"this run is one of twins {self.id}, played in lock-step with another run: {what} both "
            f"with the twins' own controls (POST /api/twins/{self.id}/{what}, or the compare page "
            f"/twins/{self.id}), so that they stay at the same step"
        )

    # ---- stepping -------------------------------------------------------------------------

    def _going(self) -> list[Player]:
        return [p for p in self.players if p.run.status not in STOPPED and not p.closed]

    def _step_pair(self) -> bool:
        """One step of each run still going, left first (the caller holds both locks); False if
        neither moved."""
        moved = [player._step_once() for player in self._going()]
        left, right = self.left.run, self.right.run
        if len(moved) == 2 and all(moved) and left.step_count == right.step_count:
            self.distance.record(left.step_count, left.params, right.params)
        return any(moved)

    def play_burst(self, due: float) -> float | None:
        """As Player.play_burst, for both runs: the steps that are due, at most BURST_SECONDS of
        them under both locks; when the next is due, or None if the pair stopped playing."""
        with self.locked():
            if not self.playing or self.closed:
                return None
            going = self._going()
            if not going:
                self._stop_playing()
                return None
            rate = min(p.run.config.steps_per_second for p in going)
            due = steps_due(due, rate, self._step_pair)
            if due is None:
                self._stop_playing()
                return None
        return caught_up(due)

    def step(self, n: int, seconds: float = float("inf"), cancelled=lambda: False) -> int:
        """Pause, then take n steps of both (of the one going, if the other stopped), fewer if
        both stop, `seconds` run out or `cancelled()` turns true; the steps taken. Blocks: call it
        from a worker thread. The locks are released between bursts so frames keep flowing."""
        self.pause()
        taken = 0
        end = time.perf_counter() + seconds
        while taken < n and time.perf_counter() < end and not cancelled() and not self.closed:
            with self.locked():
                deadline = time.perf_counter() + BURST_SECONDS
                moved = True
                while taken < n and (moved := self._step_pair()):
                    taken += 1
                    if time.perf_counter() > deadline:
                        break
            if not moved:
                break
        return taken

    def check_going(self) -> None:
        """SessionError if both runs stopped: only a reset moves them on."""
        with self.locked():
            if not self._going():
                raise SessionError(self._both_stopped())

    def _both_stopped(self) -> str:
        return "both runs stopped (" + "; ".join(p.run.message for p in self.players) + "): reset the twins"

    # ---- play, pause, reset, end ----------------------------------------------------------

    def play(self) -> None:
        with self.locked():
            if self.closed:
                raise SessionError(f"twins {self.id} ended")
            going = self._going()
            if not going:
                raise SessionError(self._both_stopped())
            if self.playing:
                return
            self.playing = True
            for player in going:
                player.playing = True
                player.changed()
            self.trainer.start(self)  # the player's lock, then the trainer's: as Player.play

    def pause(self) -> None:
        with self.locked():
            self._stop_playing()
            self.trainer.stop(self)

    def _stop_playing(self) -> None:
        self.playing = False
        for player in self.players:
            if player.playing:
                player.playing = False
                player.changed()

    def reset(self) -> None:
        """Both back to the fork step, exactly as they were there (made again from the plan): a
        divergence, points edited and hyperparameters changed since are gone. SessionError if the
        twins ended meanwhile: both runs are ordinary runs then, and stay as they are."""
        self.pause()
        left, right = self.plan.runs()  # built outside the locks: a run's data takes a while
        with self.locked():
            if self.closed:
                raise SessionError(f"twins {self.id} ended before the reset: both runs stay as they were")
            self._stop_playing()  # had play been pressed meanwhile: a reset leaves both paused
            self.trainer.stop(self)
            self.left.player.replace_run(left)
            self.right.player.replace_run(right)
            self.distance.restart()

    def end(self) -> None:
        """No longer twins: paused, and each run an ordinary run again."""
        self.pause()
        with self.locked():
            self.closed = True
            for session in self.sessions:
                session.twins = None
                session.player.pair = None
                session.player.changed()

    def summary(self) -> dict:
        """Both runs' summaries read at one moment (both locks held): the same step unless one
        stopped."""
        with self.locked():
            return {
                "id": self.id,
                "step": self.fork_step,
                "title": self.title,
                "status": self.status,
                "left": self.left.summary(),
                "right": self.right.summary(),
            }

    def created(self) -> dict:
        """What the maker of the twins is told: their id and token, and each run's."""
        return {
            "id": self.id,
            "token": self.token,
            "step": self.fork_step,
            "title": self.title,
            **{side: {"id": s.id, "token": s.token} for side, s in zip(SIDES, self.sessions)},
        }
