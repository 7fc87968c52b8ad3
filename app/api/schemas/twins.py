"""Twins: two runs forked from one at one step and played in lock-step (POST /api/sessions/{id}/twins,
POST /api/twins, GET /api/twins/{id}...)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.training.config import Strict
from app.training.fork import ForkChanges
from app.training.twins_presets import TWINS_PRESET_NAMES

from .sessions import SessionSummary


class TwinsRequest(Strict):
    at_step: int | None = Field(
        None, ge=0, description="a step the parent keeps (GET .../timeline), or null: its current step"
    )
    changes: ForkChanges = Field(
        default_factory=ForkChanges, description="what the right run changes (as a fork's changes)"
    )


class TwinsPresetRequest(Strict):
    preset: Literal[TWINS_PRESET_NAMES] = Field(description="a paired preset (GET /api/twins/presets)")


class TwinRun(BaseModel):
    id: str
    token: str = Field(description="this run's own control token (its hyperparameters, its points)")


class TwinsCreated(BaseModel):
    id: str
    token: str = Field(
        description="the twins' control token, for play, pause, step, reset and delete: "
        "'Authorization: Bearer <token>'"
    )
    step: int = Field(description="the fork step: both runs start there")
    title: str = Field(description="what the right run changed, in words, and from which step")
    left: TwinRun = Field(description="the parent as it was at the fork step")
    right: TwinRun = Field(description="the parent at the fork step, with the changes")


class TwinsSummary(BaseModel):
    id: str
    step: int = Field(description="the fork step")
    title: str
    status: Literal["running", "paused"]
    left: SessionSummary
    right: SessionSummary


class TwinsDistance(BaseModel):
    steps: list[int] = Field(description="the steps both runs took together, from the fork step on")
    layers: dict[str, list[float]] = Field(
        description="for every weight matrix W1, ..., W(L+1): ‖W − W′‖_F (left minus right) at each step"
    )


class TwinsPresetInfo(BaseModel):
    name: str
    title: str
    description: str = Field(description="what the pair shows, and where to look")
    step: int = Field(description="the step the base run is trained to before it is twinned")
