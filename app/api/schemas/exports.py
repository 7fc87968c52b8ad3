"""Exports: a figure's query, an animation's request and its status."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.figures.animation import MAX_FPS, MAX_FRAMES, MAX_WIDTH, MIN_WIDTH
from app.training.config import Strict

FigureKind = Literal["boundary", "loss", "compare"]
FigureFormat = Literal["svg", "png"]
MIN_FIGURE_WIDTH, MAX_FIGURE_WIDTH = 240, 2400
RenderState = Literal["queued", "rendering", "done", "failed"]


class AnimationRequest(Strict):
    with_: str | None = Field(
        None,
        alias="with",
        max_length=64,
        description="another session's id: each frame then shows both runs side by side (the compare figure)",
    )
    frames: int = Field(
        60, ge=2, le=MAX_FRAMES, description="at most this many frames, spread over the kept steps"
    )
    width: int = Field(480, ge=MIN_WIDTH, le=MAX_WIDTH, description="the GIF's width in pixels")
    fps: int = Field(8, ge=1, le=MAX_FPS, description="frames a second")


class AnimationStatus(BaseModel):
    id: str
    state: RenderState
    done: int = Field(description="frames rendered so far")
    total: int = Field(description="frames the GIF will have")
    frames: int = Field(description="frames in the GIF (its total)")
    bytes: int = Field(description="the GIF's size once done, else 0")
    message: str = Field(description="why it failed, in words; empty otherwise")


class AnimationQueued(BaseModel):
    id: str
    state: RenderState
    done: int
    total: int
