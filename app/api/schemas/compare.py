"""Check your gradient: what a student sends, what they need to compute it, and the comparison."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from app.training.config import Strict

from .pin import InputsPin, PinnedOut, PinOut

Nested = Any  # a float, or nested lists of floats; null where a value is not finite


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
    inputs: InputsPin | None = Field(
        None,
        description="the `pin` of the inputs you downloaded: compared at exactly those (not with at_step)",
    )


class ComparedParam(BaseModel):
    expected_shape: list[int]
    given_shape: list[int] | None
    shape_message: str | None = Field(
        None, description="what the shape should be and what its axes mean, when yours is another; else null"
    )
    max_rel_error: float | None = Field(description="null when the shapes differ")
    agrees: bool
    differing: list[list[int]] = Field(
        description="indices whose relative error is above the threshold (first 200)"
    )
    differing_count: int
    rel_error: Nested
    ours: Nested
    given: Nested = Field(
        None,
        description="your numbers laid out as ours (transposed back if you sent the transpose, a bias "
        "column as a vector); null when their shape is neither",
    )
    differs: Nested = Field(None, description="rel_error > threshold entry by entry; null without rel_error")


class Explanation(BaseModel):
    name: str
    title: str
    explanation: str
    params: list[str]


class ComparisonOut(BaseModel):
    step: int
    pinned: PinnedOut | None = Field(
        None, description="the downloaded inputs compared at, when inputs was sent"
    )
    threshold: float
    all_agree: bool
    params: dict[str, ComparedParam]
    explained_by: list[Explanation]
    all_given: bool = Field(False, description="all four of dW1, db1, dW2, db2 were sent")


class CompareInputsOut(BaseModel):
    """What a student downloads to compute the gradients with their own code."""

    about: str
    loss: str = Field(description="L and the forward pass, in plain text")
    session: str
    step: int
    params_hash: str = Field(description="a digest of everything the gradient depends on, in float64")
    pin: PinOut = Field(description='send it back with your gradients ("inputs") to be compared at these')
    activation: str
    lam: float
    label_smoothing: float
    N: int
    C: int
    H: int
    X: Nested = Field(description="(N, 2) the training points")
    labels: list[int]
    Y: Nested = Field(description="(N, C) the targets, label smoothing applied")
    W1: Nested
    b1: Nested
    W2: Nested
    b2: Nested


class GradientExampleOut(BaseModel):
    step: int
    kind: str = Field(description="'ours', or the name of the usual mistake that made these")
    gradients: dict[str, Nested] = Field(description="dW1, db1, dW2, db2: a body for POST .../compare")
