"""What the driver of a run asks of it, the same whether by REST or over the WebSocket: steps, taken
in a worker thread, bounded in time and stopped when the asker goes away; and points, added or
removed within this server's limits."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

import anyio
from starlette.requests import Request

from app.training.config import Point
from app.training.limits import RunLimits
from app.training.run import STOPPED
from app.training.session import Session


async def take_steps(session: Session, n: int, seconds: float, gone: threading.Event) -> int:
    """session.player.step(n) in a worker thread (training never runs on the event loop): at most `seconds`,
    and only while `gone` is not set. A step in a thread cannot be cancelled, only told. The steps
    taken."""
    return await anyio.to_thread.run_sync(functools.partial(session.player.step, n, seconds, gone.is_set))


async def while_connected(request: Request, steps: Callable[[Callable[[], bool]], int]) -> int:
    """steps(cancelled) in a worker thread, `cancelled()` turning true as soon as the HTTP client
    disconnects: nobody waits for the answer then, and the steps would hold the run for nothing.
    Check what may refuse (a 409) before: an error from inside the task group comes out wrapped."""
    gone = threading.Event()

    async def watch_client():
        while not await request.is_disconnected():
            await anyio.sleep(0.1)
        gone.set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(watch_client)
        taken = await anyio.to_thread.run_sync(steps, gone.is_set)
        tg.cancel_scope.cancel()
    return taken


async def steps_while_connected(request: Request, session: Session, n: int, seconds: float) -> int:
    """session.player.step(n), at most `seconds`, stopped as soon as the HTTP client disconnects."""
    session.player.refuse_if_paired("step")
    return await while_connected(request, functools.partial(session.player.step, n, seconds))


def why_fewer(session: Session, taken: int, n: int, seconds: float) -> str | None:
    """Why a request's steps stopped before n (None if they did not): the run stopped, or time."""
    if taken == n:
        return None
    if session.run.status in STOPPED:
        return session.run.status
    return f"time: this server stops one request's steps after {seconds:g} s"


def add_and_remove_points(session: Session, limits: RunLimits, add: list[Point], remove: list[int]) -> None:
    """Add training points and remove points (by index among all points), keeping the weights;
    LimitExceeded (a ValueError) if the run would hold more points than this server allows."""
    limits.check_points(len(session.run.dataset.labels) + len(add), "add")
    session.player.edit_points([(p.x, p.y, p.label) for p in add], remove)
