"""What a session shows: its parameters, gradients, gradient check, derivation, history, plots, and
the comparison with a gradient you computed yourself."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from app.training.config import Strict

from .sessions import SessionSummary

Nested = Any  # a float, or nested lists of floats; null where a value is not finite


class ParamArray(BaseModel):
    shape: list[int]
    values: Nested
    norm: float | None


class ParametersOut(BaseModel):
    step: int
    params: dict[str, ParamArray]


class GradientsOut(BaseModel):
    step: int
    loss: float | None = Field(description="mean cross-entropy plus L2 term, at these parameters")
    lam: float
    n_train: int
    grads: dict[str, ParamArray] = Field(description="dL/dW1, dL/db1, dL/dW2, dL/db2 on the training set")


class GradcheckEntry(BaseModel):
    index: list[int]
    analytic: float | None
    numeric: float | None
    rel_error: float | None
    kink: bool = Field(description="relu: the finite difference stepped across a kink, so it is not counted")


class GradcheckParam(BaseModel):
    max_rel_error: float | None
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
    columns: dict[str, list[float | None]]


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
    history: dict[str, list[float | None]]


class GradientUpload(Strict):
    """Your gradients, as JSON arrays or as CSV text (one or the other)."""

    gradients: dict[str, Nested] | None = Field(
        None,
        description='{"W1": [[...], [...]], "b1": [...], ...}: any of W1, b1, W2, b2 '
        "(dW1 etc. also accepted)",
    )
    csv: str | None = Field(
        None,
        max_length=2_000_000,
        description="blocks headed by a name line (W1, b1, W2, b2), then rows of numbers",
    )


class ComparedParam(BaseModel):
    expected_shape: list[int]
    given_shape: list[int] | None
    max_rel_error: float | None = Field(description="null when the shapes differ")
    agrees: bool
    differing: list[list[int]] = Field(
        description="indices whose relative error is above the threshold (first 200)"
    )
    differing_count: int
    rel_error: Nested
    ours: Nested


class Explanation(BaseModel):
    name: str
    title: str
    explanation: str
    params: list[str]


class ComparisonOut(BaseModel):
    step: int
    threshold: float
    all_agree: bool
    params: dict[str, ComparedParam]
    explained_by: list[Explanation]


class UnitOut(BaseModel):
    step: int
    unit: int
    G: int
    box: list[float]
    a1_grid: Nested = Field(description="(G, G): a1[:, unit] over the grid, rows are y")
    a1: Nested = Field(description="(N_train,): a1[:, unit] at the training points")
    dz1: Nested = Field(
        description="(N_train,): the error dz1[:, unit] backpropagated from each training point"
    )
    train: list[int]
    w_in: Nested
    b: float | None
    w_out: Nested


class InputGradientsOut(BaseModel):
    step: int
    train: list[int]
    dX: Nested = Field(description="(N_train, 2): dL/dx, which way the loss pushes each training point")
    residual: Nested = Field(description="(N_train,): sum over classes of |y_hat - y|")
    share: Nested = Field(description="(N_train,): residual / its sum")


class TimelineOut(BaseModel):
    step: int = Field(description="the run's step now")
    steps: list[int] = Field(description="steps whose weights are kept, for at_step")
    stride: int = Field(description="every stride-th step is kept from now on")


class LossSliceOut(BaseModel):
    step: int
    learning_rate: float
    t: Nested
    loss: Nested = Field(description="L(theta - t g); null where it overflows")
    grad_norm: float | None


class HiddenSpaceOut(BaseModel):
    step: int
    train: list[int]
    points: Nested = Field(description="(N_train, 2): a1 projected")
    grid: Nested = Field(description="(2 * lines, samples, 2): the input grid's lines, mapped and projected")
    exact: bool = Field(description="true for H <= 2: the projection loses nothing")
    explained: float | None = Field(description="share of a1's variance the two axes keep")
