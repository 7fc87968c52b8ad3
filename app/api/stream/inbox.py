"""The messages one viewer sends: acks, options for its frames, and (from the driver only) controls.
A message that cannot be read or carried out gets an error message back; the connection and the
session go on."""

from __future__ import annotations

from pydantic import ValidationError

from app.training.config import Hyperparameters
from app.training.limits import RunLimits
from app.training.player import SessionError
from app.training.poll_templates import PollError
from app.training.run import STOPPED

from ..driving import add_and_remove_points, take_steps, why_fewer
from .messages import (
    CONTROL_TYPES,
    BadMessage,
    PointsMessage,
    StepMessage,
    StreamOptions,
    VoteMessage,
    decode,
    describe,
    is_ack,
    parse,
)
from .viewer import Viewer


class Inbox:
    def __init__(self, viewer: Viewer, limits: RunLimits):
        self.viewer = viewer
        self.limits = limits

    async def receive(self) -> None:
        """Each message in turn until the viewer disconnects."""
        viewer = self.viewer
        while True:
            message = await viewer.ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            if is_ack(message):
                viewer.ack_received()
                viewer.session.touch()
                continue
            try:
                payload = decode(message, viewer.settings.max_message_bytes)
            except BadMessage as bad:
                await viewer.error(str(bad), bad.about)
                continue
            await self.handle(payload)
            viewer.session.touch()

    async def handle(self, payload: dict) -> None:
        viewer = self.viewer
        kind = payload["type"]
        if kind == "ack":
            viewer.ack_received()
            return
        if kind == "options":
            await self.set_options(payload)
            return
        if kind == "ping":  # a page checking its socket is alive (after a sleep, a network change)
            await viewer.send_json({"type": "pong"})
            return
        if kind == "vote":  # anyone watching may vote
            await self.vote(payload)
            return
        if kind not in CONTROL_TYPES:
            await viewer.error(
                f"unknown message type {kind!r}; known: ack, options, ping, vote, {', '.join(CONTROL_TYPES)}",
                kind,
            )
            return
        if viewer.role != "driver":
            await viewer.error(
                "you are watching this session; only its driver (who holds the control token) can control it",
                kind,
            )
            return
        try:
            outcome = await self.control(kind, payload)
        except ValidationError as e:
            await viewer.error(describe(e), kind)
        except (SessionError, ValueError) as e:
            await viewer.error(str(e), kind)
        else:
            session = viewer.session
            await viewer.send_json(
                {
                    "type": "ok",
                    "for": kind,
                    "step": session.run.step_count,
                    "status": session.player.status,
                    **outcome,
                }
            )

    async def vote(self, payload: dict) -> None:
        """A vote, counted at once (the book's own lock, held for microseconds: never the run's)."""
        viewer = self.viewer
        session = viewer.session
        try:
            message = parse(VoteMessage, payload)
            if viewer.viewer_id is None or message.viewer not in (None, viewer.viewer_id):
                raise PollError("a socket votes with the viewer id its hello gave it", "viewer", 403)
            points = len(session.run.dataset.labels)
            limit = viewer.settings.max_poll_voters
            session.run.polls.vote(message.poll, viewer.viewer_id, message.choice, limit, points)
        except ValidationError as e:
            await viewer.error(describe(e), "vote")
        except PollError as e:
            await viewer.error(f"{e.field}: {e}" if e.status == 422 else str(e), "vote")
        else:
            await viewer.send_json(
                {"type": "ok", "for": "vote", "poll": message.poll, "choice": message.choice}
            )

    async def set_options(self, payload: dict) -> None:
        viewer = self.viewer
        try:
            options = parse(StreamOptions, payload)
        except ValidationError as e:
            await viewer.error(describe(e), "options")
            return
        s = viewer.settings
        if options.fps is not None:
            if options.fps > s.max_fps:
                await viewer.error(f"fps must be at most {s.max_fps:g}, got {options.fps:g}", "options")
                return
            viewer.fps = options.fps
        if options.grid is not None:
            if options.grid > s.max_grid:
                await viewer.error(f"grid must be at most {s.max_grid}, got {options.grid}", "options")
                return
            viewer.grid = options.grid
        if options.arrays_every is not None:
            viewer.arrays_every = options.arrays_every
        if options.input_gradients is not None:
            viewer.input_gradients = options.input_gradients
        viewer.options_set()
        await viewer.send_json(
            {
                "type": "ok",
                "for": "options",
                "fps": viewer.fps,
                "grid": viewer.grid,
                "arrays_every": viewer.arrays_every,
                "input_gradients": viewer.input_gradients,
            }
        )

    async def control(self, kind: str, payload: dict) -> dict:
        """Carry out a driver's control message; what the "ok" answer adds (a step's count)."""
        session = self.viewer.session
        settings = self.viewer.settings
        if kind == "play":
            session.player.play()
        elif kind == "pause":
            session.player.pause()
        elif kind == "reset":
            session.player.reset()
        elif kind == "step":
            n = parse(StepMessage, payload).n
            limit = settings.max_steps_per_request
            if n > limit:
                raise ValueError(f"n must be at most {limit} steps per message, got {n}")
            if session.run.status in STOPPED:
                raise SessionError(session.run.message)
            seconds = settings.max_step_seconds
            taken = await take_steps(session, n, seconds, self.viewer.gone)
            return {"taken": taken, "stopped": why_fewer(session, taken, n, seconds)}
        elif kind == "points":
            message = parse(PointsMessage, payload)
            add_and_remove_points(session, self.limits, message.add, message.remove)
        elif kind == "set":
            changes = parse(Hyperparameters, {k: v for k, v in payload.items() if k != "type"})
            session.player.update(changes)
        return {}
