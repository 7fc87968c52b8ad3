"""All sessions of one server: create within the limit, find by id, expire the idle ones and those
whose driver did not come back. They are played by the registry's trainer, one thread for all.
It holds twins too (twins.py): two of its sessions played in lock-step, made both or neither."""

from __future__ import annotations

import threading
import time

from .config import RunConfig
from .fork import ForkChanges, ForkStart, fork_config, fork_run, fork_start
from .limits import RunLimits
from .run import Run
from .saved_run import SavedRun, restore_run
from .session import Session
from .trainer import Trainer
from .twins import Twins, TwinsPlan


class LimitReached(Exception):
    """Too many sessions; the message says what to do."""


class Registry:
    def __init__(
        self,
        max_sessions: int,
        idle_seconds: float,
        limits: RunLimits | None = None,
        trainer: Trainer | None = None,
        driver_grace_seconds: float = 1800.0,
    ):
        self.max_sessions = max_sessions
        self.idle_seconds = idle_seconds
        self.driver_grace_seconds = driver_grace_seconds
        self.limits = limits or RunLimits()
        self.trainer = trainer if trainer is not None else Trainer()
        self._sessions: dict[str, Session] = {}
        self._twins: dict[str, Twins] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._sessions)

    def create(self, config: RunConfig) -> Session:
        """A new run, within the limits; LimitExceeded before any of its data is built."""
        self.limits.check(config)
        self.expire_idle()
        return self._adopt(Session(Run(config), self.trainer))  # builds the data outside the registry lock

    def restore(self, saved: SavedRun | dict) -> Session:
        """A new run that continues a saved one, within the limits (checked before its data is
        built); ValueError naming the field when the document does not hold together."""
        saved = self.verify(saved)
        self.expire_idle()
        return self._adopt(Session(restore_run(saved), self.trainer))

    def fork(self, parent: Session, at_step: int | None, changes: ForkChanges) -> Session:
        """A new run that goes on from `parent` as it was at `at_step` (None: now) with `changes`,
        within the limits like any new run; ValueError naming at_step or the change otherwise."""
        with parent.player.lock:
            start = fork_start(parent.run, parent.id, at_step)
        config = fork_config(start, changes)
        self.limits.check(config)
        self.expire_idle()
        return self._adopt(Session(fork_run(start, config, changes), self.trainer))

    def twin(self, parent: Session, at_step: int | None, changes: ForkChanges) -> Twins:
        """Two new runs that go on from `parent` as it was at `at_step` (None: now), the left
        unchanged and the right with `changes`, played in lock-step; both or neither (LimitReached
        if the limit has no room for two). ValueError naming at_step or the change otherwise."""
        with parent.player.lock:
            start = fork_start(parent.run, parent.id, at_step)
        return self.twin_from(start, changes)

    def twin_from(self, start: ForkStart, changes: ForkChanges, title: str = "") -> Twins:
        """Twins made from `start` (a fork's start, from a session or a preset's run)."""
        plan = TwinsPlan(start, fork_config(start, ForkChanges()), fork_config(start, changes), changes)
        self.limits.check(plan.left_config)  # the parent's, unless this server's limits are tighter
        self.limits.check(plan.right_config)
        self.expire_idle()
        self.check_room(2)  # before the runs are built; checked again when they are registered
        left, right = (Session(run, self.trainer) for run in plan.runs())
        with self._lock:
            try:
                self.check_room(2)
            except LimitReached:
                left.close()
                right.close()
                raise
            twins = Twins(plan, left, right, self.trainer, title)
            self._sessions[left.id] = left
            self._sessions[right.id] = right
            self._twins[twins.id] = twins
        return twins

    def check_room(self, n: int) -> None:
        """LimitReached unless the limit has room for `n` more sessions."""
        if len(self._sessions) + n > self.max_sessions:
            room = max(0, self.max_sessions - len(self._sessions))
            raise LimitReached(
                f"this server already runs {len(self._sessions)} sessions and has room for {room} more "
                f"(its limit is {self.max_sessions}); {'twins need two: ' if n == 2 else ''}delete one "
                "(DELETE /api/sessions/{id}) or wait for idle ones to expire"
            )

    def get_twins(self, twins_id: str) -> Twins | None:
        """The twins, both runs marked as used (whoever drives or watches the pair uses both)."""
        twins = self._twins.get(twins_id)
        if twins is not None:
            for session in twins.sessions:
                session.touch()
        return twins

    def end_twins(self, twins_id: str) -> bool:
        """No longer twins: both runs live on as ordinary runs."""
        with self._lock:
            twins = self._twins.pop(twins_id, None)
        if twins is None:
            return False
        twins.end()
        return True

    def _end_twins_of(self, session: Session) -> None:
        """A run that ends ends its twins: the other lives on alone."""
        link = session.twins
        if link is not None:
            self.end_twins(link["id"])

    def verify(self, saved: SavedRun | dict) -> SavedRun:
        """The saved run checked against the schema and this server's limits (not yet whole:
        restore_run does that, and a dry run of it checks an import)."""
        saved = saved if isinstance(saved, SavedRun) else SavedRun.model_validate(saved)
        self.limits.check(saved.config)
        return saved

    def _adopt(self, session: Session) -> Session:
        """Register a session within the limit on their number."""
        with self._lock:
            if len(self._sessions) >= self.max_sessions:
                session.close()
                raise LimitReached(
                    f"this server already runs {self.max_sessions} sessions, its limit; "
                    "delete one (DELETE /api/sessions/{id}) or wait for idle ones to expire"
                )
            self._sessions[session.id] = session
        return session

    def get(self, session_id: str) -> Session | None:
        session = self._sessions.get(session_id)
        if session is not None:
            session.touch()
        return session

    def delete(self, session_id: str, replaced_by: str | None = None) -> bool:
        """Close and forget a session; `replaced_by` names the run its watchers should follow."""
        with self._lock:
            session = self._sessions.pop(session_id, None)
        if session is None:
            return False
        self._end_twins_of(session)
        session.replaced_by = replaced_by
        session.close()
        return True

    def expire_idle(self, now: float | None = None) -> list[str]:
        """Close sessions nobody has used or watched for idle_seconds, and those whose driver left
        more than driver_grace_seconds ago, watched or not: a run nobody can steer any more must
        not play on a core, nor hold a place, for ever. Their ids."""
        now = time.monotonic() if now is None else now
        with self._lock:
            ended = {sid: self._why_ended(s, now) for sid, s in self._sessions.items()}
            ended = {sid: why for sid, why in ended.items() if why is not None}
            expired = [self._sessions.pop(sid) for sid in ended]
        for session in expired:
            self._end_twins_of(session)
            session.ended_because = ended[session.id]
            session.close()
        return list(ended)

    def _why_ended(self, session: Session, now: float) -> str | None:
        if session.viewers == 0 and now - session.last_active > self.idle_seconds:
            return f"nobody used or watched it for {self.idle_seconds / 60:g} min"
        left = session.driver_left_at
        if session.drivers == 0 and left is not None and now - left > self.driver_grace_seconds:
            return f"its driver did not come back within {self.driver_grace_seconds / 60:g} min"
        return None

    def close_all(self) -> None:
        with self._lock:
            sessions, self._sessions = list(self._sessions.values()), {}
            twins, self._twins = list(self._twins.values()), {}
        for pair in twins:
            pair.end()
        for session in sessions:
            session.close()
