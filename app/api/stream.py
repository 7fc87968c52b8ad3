"""The WebSocket stream of one session: a hello, then binary frames paced by the viewer's acks.

Flow control: the server sends a frame, then waits for the viewer's {"type": "ack"}
before it sends the next, and the next is always the latest state. A slow viewer skips steps;
it never receives a backlog. Frames are never sent faster than the viewer's fps.

docs/protocol.md describes every message.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import math
import secrets
import threading
import time
from typing import Literal, TypeVar

import anyio
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from app.frames import messages
from app.frames.request import FrameRequest
from app.training.config import Hyperparameters, Point
from app.training.player import SessionError
from app.training.run import STOPPED
from app.training.session import Session

from .rest import why_fewer

router = APIRouter()
log = logging.getLogger(__name__)

CONTROL_TYPES = ("play", "pause", "step", "reset", "set", "points")

# Offered by the client as WebSocket subprotocols (Sec-WebSocket-Protocol). The server accepts with
# PROTOCOL and never echoes the token's: a header keeps the token out of the URL, and so out of
# every access log and proxy log on the way.
PROTOCOL = "bpv.v1"
TOKEN_PROTOCOL_PREFIX = "bpv.token."
TOKEN_IN_URL = (
    "the control token does not go in the URL (servers log URLs); offer it as a WebSocket "
    f'subprotocol instead: new WebSocket(url, ["{PROTOCOL}", "{TOKEN_PROTOCOL_PREFIX}" + token])'
)

Message = TypeVar("Message", bound=BaseModel)


def parse(model: type[Message], payload: dict) -> Message:
    """A client's message as `model`, with strict types all the way down: `false` is not the index
    0, "0.5" is not a number, 1.5 is not a count."""
    return model.model_validate(payload, strict=True)


def non_finite(payload: dict) -> str | None:
    """Where in a parsed message a number is NaN or infinite ('learning_rate', 'add.0.x'), or None.
    Python's JSON parser takes NaN and Infinity, which JSON has not, and reads 1e999 as infinity;
    a bounds check would then name the field with a misleading reason ("should be less than 1").
    A loop, not recursion: the JSON parser allows deeper nesting than this coroutine's stack."""
    stack = [("", payload)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return where
        if isinstance(value, (dict, list)):
            children = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((f"{where}.{key}" if where else str(key), child) for key, child in children)
    return None


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["options"] = "options"
    fps: float | None = Field(None, gt=0, description="frames per second at most")
    grid: int | None = Field(None, ge=2, description="decision grid resolution G")
    arrays_every: int | None = Field(
        None, ge=0, le=1000, description="weights and gradients in every k-th frame; 0: never"
    )
    input_gradients: bool | None = Field(None, description="add dX and residual to every frame")


class PointsMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["points"]
    add: list[Point] = Field(default_factory=list, max_length=1000)
    remove: list[StrictInt] = Field(
        default_factory=list, max_length=1000, description="indices among all points; false is not 0"
    )


class StepMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["step"]
    n: StrictInt = Field(1, ge=1)


def describe(error: ValidationError) -> str:
    """A pydantic error as one line a person can act on: 'fps: Input should be greater than 0'."""
    parts = []
    for e in error.errors():
        where = ".".join(str(p) for p in e["loc"]) or "message"
        parts.append(f"{where}: {e['msg']}")
    return "; ".join(parts)


class Viewer:
    """One WebSocket connection watching one session."""

    def __init__(self, websocket: WebSocket, session: Session, role: str, settings):
        self.ws = websocket
        self.session = session
        self.role = role
        self.settings = settings
        self.feeds = websocket.app.state.frame_feeds
        self.fps = settings.default_fps
        self.grid = 64
        self.arrays_every = 1
        self.input_gradients = False
        self.frames_sent = 0
        self.data_version = session.run.data_version  # the points the hello carried
        # asyncio's Event and Lock, not anyio's: anyio's yield to the loop once more on every wait
        # and acquire even when there is nothing to wait for, two loop turns per frame per viewer
        self.acked = asyncio.Event()
        self.acked.set()  # nothing in flight yet
        self.options_changed = False  # new options: the next frame is due even if the run did not move
        self.wake: asyncio.Event | None = None  # set to end wait_for_change early
        self.send_lock = asyncio.Lock()
        self.gone = threading.Event()  # the connection ended: steps it asked for stop

    async def send_json(self, message: dict) -> None:
        async with self.send_lock:
            await self.ws.send_text(json.dumps(message, allow_nan=False))

    async def error(self, message: str, about: str | None = None) -> None:
        await self.send_json({"type": "error", "message": message, "for": about})

    # ---- sending frames ---------------------------------------------------------------------

    async def wait_for_change(self, last_version: int | None) -> None:
        """Until the run changes (a step, a pause, a viewer joining) or this viewer's options do,
        or at once if the run is closed: the last frame may already show the closed run's version
        (a frame shared from a build begun after the close), and then no change is to come."""

        def moved() -> bool:
            player = self.session.player
            return player.version != last_version or self.options_changed or player.closed

        if moved():
            return
        loop = asyncio.get_running_loop()
        wake = self.wake = asyncio.Event()  # one event for both causes: no task per wait
        self.session.player.call_on_change(lambda: loop.call_soon_threadsafe(wake.set))
        if moved():
            return  # changed while registering
        await wake.wait()

    async def send_frames(self) -> None:
        last_version = None
        next_due = 0.0
        while True:
            await self.acked.wait()
            delay = next_due - time.monotonic()
            if delay > 0:
                await anyio.sleep(delay)
            await self.wait_for_change(last_version)
            if self.session.player.closed:
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
                else:
                    await self.error("this session was deleted or expired; create a new one")
                await self.ws.close(code=4410)
                return
            seen = (
                None if self.options_changed else last_version
            )  # new options: a frame even if the run stood still
            self.options_changed = False
            if self.session.run.data_version != self.data_version:  # points were added or removed
                self.data_version = self.session.run.data_version
                await self.send_json(messages.points(self.session.run.dataset))
            with_arrays = self.arrays_every > 0 and self.frames_sent % self.arrays_every == 0
            next_due = time.monotonic() + 1 / self.fps  # from the build's start: its time is in the interval
            request = FrameRequest(self.grid, with_arrays, self.input_gradients)
            frame = await self.feeds.feed(self.session, request).newer_than(seen)
            self.acked = asyncio.Event()
            async with self.send_lock:
                await self.ws.send_bytes(frame.data)
            self.frames_sent += 1
            last_version = frame.version

    # ---- receiving messages -----------------------------------------------------------------

    async def receive_messages(self) -> None:
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("text") is None:
                await self.error("binary messages are not accepted; send JSON text")
                continue
            text = message["text"]
            if len(text) > self.settings.max_message_bytes:
                await self.error(
                    f"message too long: {len(text)} bytes, at most {self.settings.max_message_bytes}"
                )
                continue
            try:
                payload = json.loads(text)
            except (ValueError, RecursionError):  # RecursionError: nested too deep to parse
                await self.error('message is not JSON; send an object such as {"type": "ack"}')
                continue
            if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
                await self.error('message must be a JSON object with a "type", e.g. {"type": "play"}')
                continue
            where = non_finite(payload)
            if where:
                await self.error(f"{where}: must be a finite number, not NaN or infinite", payload["type"])
                continue
            await self.handle(payload)
            self.session.touch()

    async def handle(self, payload: dict) -> None:
        kind = payload["type"]
        if kind == "ack":
            self.acked.set()
            return
        if kind == "options":
            await self.set_options(payload)
            return
        if kind not in CONTROL_TYPES:
            await self.error(
                f"unknown message type {kind!r}; known: ack, options, {', '.join(CONTROL_TYPES)}", kind
            )
            return
        if self.role != "driver":
            await self.error(
                "you are watching this session; only its driver (who holds the control token) can control it",
                kind,
            )
            return
        try:
            outcome = await self.control(kind, payload)
        except ValidationError as e:
            await self.error(describe(e), kind)
        except (SessionError, ValueError) as e:
            await self.error(str(e), kind)
        else:
            await self.send_json(
                {
                    "type": "ok",
                    "for": kind,
                    "step": self.session.run.step_count,
                    "status": self.session.player.status,
                    **outcome,
                }
            )

    async def set_options(self, payload: dict) -> None:
        try:
            options = parse(StreamOptions, payload)
        except ValidationError as e:
            await self.error(describe(e), "options")
            return
        s = self.settings
        if options.fps is not None:
            if options.fps > s.max_fps:
                await self.error(f"fps must be at most {s.max_fps:g}, got {options.fps:g}", "options")
                return
            self.fps = options.fps
        if options.grid is not None:
            if options.grid > s.max_grid:
                await self.error(f"grid must be at most {s.max_grid}, got {options.grid}", "options")
                return
            self.grid = options.grid
        if options.arrays_every is not None:
            self.arrays_every = options.arrays_every
        if options.input_gradients is not None:
            self.input_gradients = options.input_gradients
        self.options_changed = True
        if self.wake is not None:
            self.wake.set()
        await self.send_json(
            {
                "type": "ok",
                "for": "options",
                "fps": self.fps,
                "grid": self.grid,
                "arrays_every": self.arrays_every,
                "input_gradients": self.input_gradients,
            }
        )

    async def control(self, kind: str, payload: dict) -> dict:
        """Carry out a driver's control message; what the "ok" answer adds (a step's count)."""
        session = self.session
        if kind == "play":
            session.player.play()
        elif kind == "pause":
            session.player.pause()
        elif kind == "reset":
            session.player.reset()
        elif kind == "step":
            n = parse(StepMessage, payload).n
            limit = self.settings.max_steps_per_request
            if n > limit:
                raise ValueError(f"n must be at most {limit} steps per message, got {n}")
            if session.run.status in STOPPED:
                raise SessionError(session.run.message)
            seconds = self.settings.max_step_seconds
            taken = await anyio.to_thread.run_sync(
                functools.partial(session.player.step, n, seconds, self.gone.is_set)
            )
            return {"taken": taken, "stopped": why_fewer(session, taken, n, seconds)}
        elif kind == "points":
            message = parse(PointsMessage, payload)
            limits = self.ws.app.state.registry.limits
            limits.check_points(len(session.run.dataset.labels) + len(message.add), "add")
            session.player.edit_points([(p.x, p.y, p.label) for p in message.add], message.remove)
        elif kind == "set":
            changes = parse(Hyperparameters, {k: v for k, v in payload.items() if k != "type"})
            session.player.update(changes)
        return {}


def origin_allowed(websocket: WebSocket, allowed: str) -> bool:
    """Same-origin by default: a page on another site must not drive a classroom's sessions from
    a student's browser. Clients that are not browsers send no Origin and are let in."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    host = websocket.headers.get("host", "")
    extra = {o.strip().rstrip("/") for o in allowed.split(",") if o.strip()}
    return origin.split("://", 1)[-1].rstrip("/") == host or origin.rstrip("/") in extra


async def refuse(websocket: WebSocket, message: str, code: int) -> None:
    await websocket.send_text(json.dumps({"type": "error", "message": message, "for": None}))
    await websocket.close(code=code)


def offered_token(subprotocols: list[str]) -> str | None:
    """The control token a driver offers as the subprotocol "bpv.token.<token>", or None."""
    for protocol in subprotocols:
        if protocol.startswith(TOKEN_PROTOCOL_PREFIX):
            return protocol[len(TOKEN_PROTOCOL_PREFIX) :]
    return None


@router.websocket("/ws/sessions/{session_id}")
async def watch_session(websocket: WebSocket, session_id: str):
    """Watch a session; a client that offers the subprotocol bpv.token.<control token> drives it."""
    app = websocket.app
    if not origin_allowed(websocket, app.state.settings.allowed_origins):
        await websocket.close(code=4403)  # before accept: the handshake fails with 403
        return
    offered = websocket.scope.get("subprotocols", [])
    # A browser fails the connection unless the server picks one of the protocols it offered
    await websocket.accept(subprotocol=PROTOCOL if PROTOCOL in offered else None)
    if "token" in websocket.query_params:
        # Refused even when right, so that no client goes on writing the secret into URLs
        await refuse(websocket, TOKEN_IN_URL, 4400)
        return
    session = app.state.registry.get(session_id[:64])
    if session is None:
        await refuse(
            websocket, f"no session {session_id[:64]!r}: it was deleted, expired, or never existed", 4404
        )
        return
    token = offered_token(offered)
    if token is not None and not secrets.compare_digest(token.encode(), session.token.encode()):
        await refuse(websocket, "wrong control token for this session", 4403)
        return
    if session.viewers >= app.state.settings.max_viewers:
        await refuse(
            websocket, f"this session already has {session.viewers} viewers, the server's limit", 4429
        )
        return
    role = "driver" if token is not None else "viewer"
    viewer = Viewer(websocket, session, role, app.state.settings)
    session.add_viewer()
    try:
        await viewer.send_json(messages.hello(session, role))
        async with anyio.create_task_group() as tg:

            async def until_either_ends(work):
                """Either side ending (the viewer left, the socket broke, the session was
                deleted) ends this connection only; the session and other viewers go on."""
                try:
                    await work()
                except Exception as e:  # a broken socket surfaces as several exception types
                    log.debug("viewer of %s left: %r", session.id, e)
                finally:
                    viewer.gone.set()  # a step in a worker thread cannot be cancelled: it is told
                    tg.cancel_scope.cancel()

            tg.start_soon(until_either_ends, viewer.receive_messages)
            tg.start_soon(until_either_ends, viewer.send_frames)
    except WebSocketDisconnect:
        pass
    finally:
        session.remove_viewer()
