"""What a client may send on the stream, as JSON text: read strictly, and every refusal a message
saying what to send instead."""

from __future__ import annotations

import json
import math
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, ValidationError

from app.training.config import Point

CONTROL_TYPES = ("play", "pause", "step", "reset", "set", "points")

Message = TypeVar("Message", bound=BaseModel)


class BadMessage(Exception):
    """A message that cannot be read; `about` is its type when that much was read."""

    def __init__(self, message: str, about: str | None = None):
        super().__init__(message)
        self.about = about


# An ack as the page ({"type":"ack"}) and Python's json.dumps write it: one comes back for every
# frame, so these are known on sight, without parsing; any other text is read in full below.
ACKS = frozenset({'{"type":"ack"}', '{"type": "ack"}'})


def is_ack(message: dict) -> bool:
    return message.get("text") in ACKS


def decode(message: dict, max_bytes: int) -> dict:
    """A received WebSocket message as a JSON object with a "type", all its numbers finite;
    BadMessage otherwise."""
    text = message.get("text")
    if text is None:
        raise BadMessage("binary messages are not accepted; send JSON text")
    if len(text) > max_bytes:
        raise BadMessage(f"message too long: {len(text)} bytes, at most {max_bytes}")
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested too deep to parse
        raise BadMessage('message is not JSON; send an object such as {"type": "ack"}') from None
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
        raise BadMessage('message must be a JSON object with a "type", e.g. {"type": "play"}')
    where = non_finite(payload)
    if where:
        raise BadMessage(f"{where}: must be a finite number, not NaN or infinite", payload["type"])
    return payload


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


def describe(error: ValidationError) -> str:
    """A pydantic error as one line a person can act on: 'fps: Input should be greater than 0'."""
    parts = []
    for e in error.errors():
        where = ".".join(str(p) for p in e["loc"]) or "message"
        parts.append(f"{where}: {e['msg']}")
    return "; ".join(parts)


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


class VoteMessage(BaseModel):
    """A watcher's vote, counted under the viewer id its socket's hello gave it."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["vote"]
    poll: StrictInt = Field(ge=1, le=100_000)
    viewer: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9_-]{8,64}$",
        description="the socket's own viewer id (its hello's), if sent: any other is refused",
    )
    choice: StrictInt | StrictFloat
