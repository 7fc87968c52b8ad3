"""while_connected: the steps of a REST request (a run's own or a pair's) run in a worker thread
and are told to stop as soon as the HTTP client goes away."""

from __future__ import annotations

import asyncio
import time

from app.api.driving import while_connected

from .test_frame_feed import run


class GoesAway:
    """A request whose client disconnects after `checks` looks."""

    def __init__(self, checks: int):
        self.checks = checks

    async def is_disconnected(self) -> bool:
        self.checks -= 1
        return self.checks < 0


def until_cancelled(cancelled) -> int:
    """Steps until told to stop (at most 5 s): how many."""
    taken, end = 0, time.perf_counter() + 5
    while not cancelled() and time.perf_counter() < end:
        taken += 1
        time.sleep(0.01)
    return taken


def test_steps_stop_when_the_client_goes_away():
    started = time.perf_counter()
    taken = run(while_connected(GoesAway(checks=1), until_cancelled))
    assert 0 < taken and time.perf_counter() - started < 1  # about 0.1 s: one look, then gone


def test_steps_that_finish_stop_the_watcher_and_run_off_the_loop():
    on_loop = []

    def three(cancelled) -> int:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        return 3

    assert run(while_connected(GoesAway(checks=10**9), three)) == 3
    assert on_loop == [False]
