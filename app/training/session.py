"""A run as the server holds it: an id, a control token, the run, its player, who watches, and
whether its driver is connected (a run outlives its driver's page for a grace period)."""

from __future__ import annotations

import secrets
import time

from .issued_inputs import IssuedRing
from .player import Player
from .run import Run
from .trainer import Trainer
from .viewer_ids import ViewerIds


class Session:
    """The run and its player under an id, with a token for whoever may drive it.

    A session made without a trainer (a script's, a test's) plays on a thread of its own; the
    server's sessions share their app's trainer."""

    def __init__(self, run: Run, trainer: Trainer | None = None):
        self.id = secrets.token_urlsafe(16)
        self.token = secrets.token_urlsafe(24)
        self.player = Player(run, trainer if trainer is not None else Trainer(), name=self.id)
        self.viewers = 0
        self.last_active = time.monotonic()
        self.replaced_by: str | None = None  # the run that took this one's place, for its watchers
        self.drivers = 0  # sockets connected with the control token
        # When the last driver's socket closed; None while one is connected, or if none ever was
        # (a script driving over REST). The registry closes the run a grace period after this.
        self.driver_left_at: float | None = None
        self.ended_because: str | None = None  # why the registry closed it, for its watchers
        self.issued = IssuedRing()  # the inputs downloaded to check a gradient, gone with the session
        self.viewer_ids = ViewerIds()  # the ids its watchers' sockets were given, to vote with
        self.twins: dict | None = None  # {"id", "side", "other"} while twinned (twins.py)

    @property
    def run(self) -> Run:
        """The run its player plays (twins put a new one in place when reset)."""
        return self.player.run

    def touch(self) -> None:
        self.last_active = time.monotonic()

    @property
    def watchers(self) -> int:
        """Sockets watching without the control token: the class, not the driver's own devices
        (a laptop at the projector and a phone as a remote are one teacher)."""
        return self.viewers - self.drivers

    @property
    def driver_away(self) -> bool:
        """Its driver was connected and has left (a reload, a closed tab, a laptop asleep)."""
        return self.driver_left_at is not None

    def add_viewer(self, driver: bool = False) -> None:
        with self.player.lock:
            self.viewers += 1
            if driver:
                self.drivers += 1
                self.driver_left_at = None
            self.player.changed()  # the driver sees the count go up; watchers, that the driver is back

    def remove_viewer(self, driver: bool = False, now: float | None = None) -> None:
        with self.player.lock:
            self.viewers -= 1
            if driver:
                self.drivers -= 1
                if self.drivers == 0:
                    self.driver_left_at = time.monotonic() if now is None else now
            self.player.changed()
        self.touch()

    def close(self) -> None:
        self.player.close()

    def summary(self) -> dict:
        with self.player.lock:
            run = self.run
            last = {name: column[-1] if column else None for name, column in run.history.columns.items()}
            return {
                "id": self.id,
                "step": run.step_count,
                "epoch": run.batches.epoch,
                "status": self.player.status,
                "message": run.message,
                "loss": last["loss"],
                "accuracy": last["accuracy"],
                "viewers": self.viewers,
                "watchers": self.watchers,
                "driver_away": self.driver_away,
                "config": run.config.model_dump(mode="json"),
                "parent": run.parent,
                "twins": self.twins,
            }
