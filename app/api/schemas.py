"""The API's contract: request and response models (request bodies for runs are app.training.config)."""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, Field

from app.training.config import RunConfig

Status = Literal["paused", "running", "diverged"]
Nested = Any  # a float, or nested lists of floats; null where a value is not finite


class DatasetInfo(BaseModel):
    kind: str
    description: str
    classes: str = Field(description="'2' for two-class data, '2-8' where it can be chosen")
    default_noise: Optional[float]


class PresetInfo(BaseModel):
    name: str
    description: str
    config: RunConfig


class SessionSummary(BaseModel):
    id: str
    step: int
    epoch: float
    status: Status
    message: str = Field(description="what went wrong and what to try, when status is diverged")
    loss: Optional[float] = Field(description="the last step's batch loss")
    accuracy: Optional[float] = Field(description="the last step's batch accuracy")
    viewers: int
    config: RunConfig


class SessionCreated(BaseModel):
    id: str
    token: str = Field(description="control token: 'Authorization: Bearer <token>', or ?token= on the WebSocket")
    session: SessionSummary
    stream: str = Field(description="the WebSocket path to watch this session")


class StepRequest(BaseModel):
    n: int = Field(1, ge=1, description="steps to take; at most the server's max_steps_per_request")


class StepResult(BaseModel):
    taken: int
    session: SessionSummary


class ParamArray(BaseModel):
    shape: list[int]
    values: Nested
    norm: Optional[float]


class ParametersOut(BaseModel):
    step: int
    params: dict[str, ParamArray]


class GradientsOut(BaseModel):
    step: int
    loss: Optional[float] = Field(description="mean cross-entropy plus L2 term, at these parameters")
    lam: float
    n_train: int
    grads: dict[str, ParamArray] = Field(description="dL/dW1, dL/db1, dL/dW2, dL/db2 on the training set")


class GradcheckEntry(BaseModel):
    index: list[int]
    analytic: Optional[float]
    numeric: Optional[float]
    rel_error: Optional[float]
    kink: bool = Field(description="relu: the finite difference stepped across a kink, so it is not counted")


class GradcheckParam(BaseModel):
    max_rel_error: Optional[float]
    passed: bool
    entries_checked: int
    entries_total: int
    kinks: int
    entries: list[GradcheckEntry]


class GradcheckOut(BaseModel):
    step: int
    threshold: float
    passed: bool
    params: dict[str, GradcheckParam]


class Stage(BaseModel):
    name: str
    equation: str
    phase: Literal["forward", "backward"]
    shape: list[int]
    value: Nested


class DerivationOut(BaseModel):
    step: int
    n: int = Field(description="index among the training points")
    index: int = Field(description="index among all points (hello.points)")
    N: int
    activation: str
    lam: float
    stages: list[Stage]


class HistoryOut(BaseModel):
    step: int
    rows: int
    columns: dict[str, list[Optional[float]]]


class GridOut(BaseModel):
    step: int
    G: int
    box: list[float]
    x: list[float]
    y: list[float]
    probabilities: Nested = Field(description="(G, G, C): [i][j] is y_hat at (x[j], y[i])")


class ExportOut(BaseModel):
    format: Literal["backprop-visualizer/run/1"] = "backprop-visualizer/run/1"
    session: SessionSummary
    points: dict[str, list]
    params: dict[str, ParamArray]
    history: dict[str, list[Optional[float]]]


class ErrorOut(BaseModel):
    detail: Any
