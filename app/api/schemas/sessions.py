"""Sessions, their controls and the catalogue: what the routes take and answer (run configurations
themselves are app.training.config's)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.training.config import Point, RunConfig, Strict
from app.training.fork import ForkChanges
from app.training.weight_edit import FLOAT32_MAX

Status = Literal["paused", "running", "diverged", "failed"]


class DatasetInfo(BaseModel):
    kind: str
    description: str
    classes: str = Field(description="'2' for two-class data, '2-8' where it can be chosen")
    default_noise: float | None


class PresetInfo(BaseModel):
    name: str
    title: str
    description: str = Field(description="what the preset teaches")
    config: RunConfig


class ForkParent(BaseModel):
    id: str = Field(description="the parent session's id (it may have ended since)")
    step: int = Field(description="the parent's step the fork started from")


class ForkRequest(Strict):
    at_step: int | None = Field(
        None, ge=0, description="a step the parent keeps (GET .../timeline), or null: its current step"
    )
    changes: ForkChanges = Field(default_factory=ForkChanges, description="what the fork changes")


class TwinsLink(BaseModel):
    id: str = Field(description="the twins' id: GET /api/twins/{id}")
    side: Literal["left", "right"] = Field(description="left: the parent as it was; right: with the changes")
    other: str = Field(description="the other run's session id")


class SessionSummary(BaseModel):
    id: str
    step: int
    epoch: float
    status: Status
    message: str = Field(description="what went wrong and what to try, when status is diverged or failed")
    loss: float | None = Field(description="the last step's batch loss")
    accuracy: float | None = Field(description="the last step's batch accuracy")
    viewers: int = Field(description="sockets watching, the driver's included")
    watchers: int = Field(description="sockets watching without the control token: the class")
    driver_away: bool = Field(
        description="its driver was connected and left: the run plays on as left for the grace period"
    )
    config: RunConfig
    parent: ForkParent | None = Field(
        None, description="the run this one was forked from and the step it was forked at; null if none"
    )
    twins: TwinsLink | None = Field(
        None, description="while this run is one of twins, played in lock-step with another: which; else null"
    )


class SessionCreated(BaseModel):
    id: str
    token: str = Field(
        description="control token: 'Authorization: Bearer <token>' on REST; on the WebSocket, the "
        "subprotocol 'bpv.token.<token>' beside 'bpv.v1' (never in the URL: it is refused there)"
    )
    session: SessionSummary
    stream: str = Field(description="the WebSocket path to watch this session")

    @classmethod
    def of(cls, session) -> SessionCreated:
        """What the creator of a session (a new one, or one loaded from a saved run) is told."""
        return cls(
            id=session.id, token=session.token, session=session.summary(), stream=f"/ws/sessions/{session.id}"
        )


class StepRequest(Strict):
    n: int = Field(1, ge=1, description="steps to take; at most the server's max_steps_per_request")


class StepResult(BaseModel):
    taken: int
    stopped: str | None = Field(
        None,
        description="why fewer than n steps were taken: the run diverged or failed, or the "
        "request reached the server's max_step_seconds; null when all n were taken",
    )
    session: SessionSummary


class PointsEdit(Strict):
    add: list[Point] = Field(default_factory=list, max_length=1000, description="new training points")
    remove: list[Annotated[int, Field(ge=0)]] = Field(
        default_factory=list, max_length=1000, description="indices among all points; false is not 0"
    )


class WeightEdit(Strict):
    name: str = Field(max_length=8, description="a weight matrix of the run: W1, ..., W{L+1}")
    index: list[Annotated[int, Field(ge=0)]] = Field(
        min_length=2, max_length=2, description="[row, column] of the entry"
    )
    value: float = Field(
        ge=-FLOAT32_MAX, le=FLOAT32_MAX, description="the new weight: finite, within float32"
    )


class WeightEditOut(BaseModel):
    name: str
    index: list[int]
    value: float = Field(description="the weight as the run now holds it (float32)")
    step: int = Field(description="the run's step: the edit is not a step")
