"""The thread that plays an app's running runs, each at its steps_per_second."""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .player import Player

log = logging.getLogger(__name__)


class Trainer:
    """One thread that plays every running run of an app, each at its steps_per_second; it starts
    with the first run played, and `close` ends it. What it plays is a Player, or Twins (twins.py),
    which play two runs as one: each has `play_burst(due)`, `pause()` and `name`.

    One thread, not one per run: under the GIL, thirty training threads and the event loop took
    turns so badly that a classroom (30 sessions, 130 viewers) got 1 frame/s per viewer and REST
    answers in 3 s. One thread does the same steps and leaves the event loop its turns."""

    def __init__(self):
        self._due: dict[Player, float] = {}  # each playing run's player: when its next step is due
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stop: threading.Event | None = None  # the running thread's own: a closed thread ends

    def start(self, player: Player) -> None:
        with self._changed:
            self._due[player] = time.perf_counter()
            if self._thread is None or not self._thread.is_alive():
                self._stop = threading.Event()
                self._thread = threading.Thread(
                    target=self._run, args=(self._stop,), name="trainer", daemon=True
                )
                self._thread.start()
            self._changed.notify()

    def stop(self, player: Player) -> None:
        with self._changed:
            self._due.pop(player, None)

    def close(self, timeout: float = 5.0) -> None:
        """Pause every run it plays and end the thread (after the burst it is in, if any). A run
        played afterwards starts a new thread."""
        with self._changed:
            playing = list(self._due)
        for player in playing:
            player.pause()  # takes the player's lock, then ours: not while we hold ours
        with self._changed:
            self._due.clear()
            thread, self._thread = self._thread, None
            if self._stop is not None:
                self._stop.set()
            self._changed.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self, stop: threading.Event) -> None:
        while True:
            with self._changed:
                if stop.is_set():
                    return
                if not self._due:
                    self._changed.wait()
                    continue
                player, due = min(self._due.items(), key=lambda item: item[1])
                wait = due - time.perf_counter()
                if wait > 0:
                    self._changed.wait(min(wait, 1.0))  # a longer wait could overflow the clock
                    continue
            try:
                next_due = player.play_burst(due)
            except Exception:  # whatever one run does, the thread that plays every run goes on
                log.exception("session %s: its burst of steps raised; it is no longer played", player.name)
                next_due = None
            with self._changed:
                if player in self._due:  # not paused meanwhile
                    if next_due is None:
                        del self._due[player]
                    else:
                        self._due[player] = next_due
