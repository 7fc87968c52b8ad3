"""A run as the server holds it: an id, a control token, the run, its player, who watches."""

from __future__ import annotations

import secrets
import time

from .player import Player
from .run import Run
from .trainer import Trainer


class Session:
    """The run and its player under an id, with a token for whoever may drive it.

    A session made without a trainer (a script's, a test's) plays on a thread of its own; the
    server's sessions share their app's trainer."""

    def __init__(self, run: Run, trainer: Trainer | None = None):
        self.id = secrets.token_urlsafe(16)
        self.token = secrets.token_urlsafe(24)
        self.run = run
        self.player = Player(run, trainer if trainer is not None else Trainer(), name=self.id)
        self.viewers = 0
        self.last_active = time.monotonic()
        self.replaced_by: str | None = None  # the run that took this one's place, for its watchers

    def touch(self) -> None:
        self.last_active = time.monotonic()

    def add_viewer(self) -> None:
        with self.player.lock:
            self.viewers += 1
            self.player.changed()  # the driver sees the count go up

    def remove_viewer(self) -> None:
        with self.player.lock:
            self.viewers -= 1
            self.player.changed()
        self.touch()

    def close(self) -> None:
        self.player.close()

    def summary(self) -> dict:
        run = self.run
        with self.player.lock:
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
                "config": run.config.model_dump(mode="json"),
            }
