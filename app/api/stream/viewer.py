"""One WebSocket connection watching one session, and the frames sent to it: each the latest state,
sent once the previous one is acked, no sooner than the viewer's fps allows, and later while its
acks come back late (pacing.py)."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable

import anyio
from fastapi import WebSocket

from app.frames import messages
from app.frames.feed import FrameFeeds
from app.frames.request import FrameRequest
from app.training.session import Session

from ..settings import Settings
from .pacing import AckPacer

log = logging.getLogger(__name__)


class Viewer:
    """One connection: its role, the frames it asked for, the frame in flight, what wakes its sender."""

    def __init__(self, websocket: WebSocket, session: Session, role: str, settings: Settings):
        self.ws = websocket
        self.session = session
        self.role = role
        self.settings = settings
        self.fps = settings.default_fps
        self.grid = 64
        self.arrays_every = 1
        self.input_gradients = False
        self.frames_sent = 0
        self.data_version = session.run.data_version  # the points the hello carried
        self.told_driver_away = (
            session.driver_away
        )  # what this viewer was last told (the hello, then messages)
        # asyncio's Event and Lock, not anyio's: anyio's yield to the loop once more on every wait
        # and acquire even when there is nothing to wait for, two loop turns per frame per viewer
        self.acked = asyncio.Event()
        self.acked.set()  # nothing in flight yet
        self.pacer = AckPacer()
        self.options_changed = False  # new options: the next frame is due even if the run did not move
        self.wake: asyncio.Event | None = None  # set to end wait_for_change early
        self.send_lock = asyncio.Lock()
        self.gone = threading.Event()  # the connection ended: steps it asked for stop
        # Each poll's version this viewer was last sent (the hello's, taken before it is built: a
        # change in between is sent again, never lost); a watcher is not woken by votes.
        self.polls_seen = session.run.polls.versions(role == "driver")
        self.polls_changed = False
        self.viewer_id: str | None = None  # a watcher's id for voting, issued with its hello

    async def send_json(self, message: dict) -> None:
        async with self.send_lock:
            await self.ws.send_text(json.dumps(message, allow_nan=False))

    async def error(self, message: str, about: str | None = None) -> None:
        await self.send_json({"type": "error", "message": message, "for": about})

    def ack_received(self) -> None:
        self.pacer.acked(time.monotonic())
        self.acked.set()

    def options_set(self) -> None:
        """The viewer changed its options: send a frame with them even if the run stands still."""
        self.options_changed = True
        if self.wake is not None:
            self.wake.set()

    async def serve(self, receive_messages: Callable[[], Awaitable[None]], feeds: FrameFeeds) -> None:
        """Receive messages and send frames until either side ends (the viewer left, the socket
        broke, the session was deleted): that ends this connection only; the session and other
        viewers go on."""
        loop = asyncio.get_running_loop()

        def poll_changed(votes_only: bool) -> None:  # from any thread: a vote's, the trainer's
            if not votes_only or self.role == "driver":
                loop.call_soon_threadsafe(self.polls_need_sending)

        polls = self.session.run.polls
        polls.subscribe(poll_changed)
        self.polls_changed = True  # a change between the hello and the subscription is not lost
        try:
            await self._serve(receive_messages, feeds)
        finally:
            polls.unsubscribe(poll_changed)

    def polls_need_sending(self) -> None:
        self.polls_changed = True
        if self.wake is not None:
            self.wake.set()

    async def send_polls(self) -> None:
        """A poll message for each poll changed since this viewer was last told of it."""
        book = self.session.run.polls
        driver = self.role == "driver"
        with book.lock:
            changed = [
                (p.id, version, p.view(driver, self.viewer_id))
                for p in book.polls
                if self.polls_seen.get(p.id) != (version := p.version if driver else p.public_version)
            ]
        for poll_id, version, view in changed:
            self.polls_seen[poll_id] = version
            await self.send_json(messages.poll(view))

    async def _serve(self, receive_messages: Callable[[], Awaitable[None]], feeds: FrameFeeds) -> None:
        async with anyio.create_task_group() as tg:

            async def until_either_ends(work: Callable[[], Awaitable[None]]) -> None:
                try:
                    await work()
                except Exception as e:  # a broken socket surfaces as several exception types
                    log.debug("viewer of %s left: %r", self.session.id, e)
                finally:
                    self.gone.set()  # a step in a worker thread cannot be cancelled: it is told
                    tg.cancel_scope.cancel()

            tg.start_soon(until_either_ends, receive_messages)
            tg.start_soon(until_either_ends, functools.partial(self.send_frames, feeds))

    async def wait_for_change(self, last_version: int | None) -> None:
        """Until the run changes (a step, a pause, a viewer joining) or this viewer's options do,
        or at once if the run is closed: the last frame may already show the closed run's version
        (a frame shared from a build begun after the close), and then no change is to come."""

        def moved() -> bool:
            return (
                self.session.player.version != last_version
                or self.options_changed
                or self.session.player.closed
                or self.session.driver_away != self.told_driver_away
                or self.polls_changed
            )

        if moved():
            return
        loop = asyncio.get_running_loop()
        wake = self.wake = asyncio.Event()  # one event for both causes: no task per wait
        self.session.player.call_on_change(lambda: loop.call_soon_threadsafe(wake.set))
        if moved():
            return  # changed while registering
        await wake.wait()

    async def send_frames(self, feeds: FrameFeeds) -> None:
        """Frames built by `builder` (shared with the session's other viewers wanting the same
        options) until the session closes; new points go first, as a points message."""
        last_version = None
        next_due = 0.0
        while True:
            await self.acked.wait()
            delay = self.pacer.next_send_at(next_due, self.fps) - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            await self.wait_for_change(last_version)
            if self.session.player.closed:
                await self.say_goodbye()
                return
            if self.session.driver_away != self.told_driver_away:  # the driver left, or came back
                self.told_driver_away = self.session.driver_away
                grace = self.settings.driver_grace_seconds
                await self.send_json(messages.driver_presence(self.told_driver_away, grace))
            if self.polls_changed:
                self.polls_changed = False
                await self.send_polls()
                if self.session.player.version == last_version and not self.options_changed:
                    continue  # only a poll changed: no new frame to send
            seen = None if self.options_changed else last_version  # new options: a frame even so
            self.options_changed = False
            if self.session.run.data_version != self.data_version:  # points were added or removed
                self.data_version = self.session.run.data_version
                await self.send_json(messages.points(self.session.run.dataset))
            with_arrays = self.arrays_every > 0 and self.frames_sent % self.arrays_every == 0
            next_due = time.monotonic() + 1 / self.fps  # from the build's start: its time is in the interval
            request = FrameRequest(self.grid, with_arrays, self.input_gradients)
            frame = await feeds.feed(self.session, request).newer_than(seen)
            self.acked.clear()
            async with self.send_lock:
                self.pacer.sent(time.monotonic())
                await self.ws.send_bytes(frame.data)
            self.frames_sent += 1
            last_version = frame.version

    async def say_goodbye(self) -> None:
        """The session is gone: tell the viewer where the class went (replaced_by), or that it ended."""
        successor = self.session.replaced_by
        if successor:
            await self.send_json(
                {
                    "type": "error",
                    "for": None,
                    "replaced_by": successor,
                    "message": "the driver started a new run; follow it at replaced_by",
                }
            )
        elif self.session.ended_because:
            await self.error(f"this run has ended: {self.session.ended_because}")
        else:
            await self.error("this session was deleted or expired; create a new one")
        await self.ws.close(code=4410)
