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
        description='{"W1": [[...], [...]], "b1": [...], ...}: any of W1, b1, ..., W(L+1), b(L+1) '
        "(dW1 etc. also accepted), and of the intermediates dz(L+1) (N, C), da(l) and dz(l) (N, H(l)) "
        "(dz2, da1, dz1 with one hidden layer): the whole batch, or with `sample` that training point's row",
    )
    csv: str | None = Field(
        None,
        max_length=2_000_000,
        description="blocks headed by a name line (W1, b1, W2, b2, dz2, da1, dz1; at depth W3, dz3, "
        "da2, ...), then rows of numbers",
    )
    sample: int | None = Field(
        None,
        ge=0,
        description="the training point (0 <= sample < N) whose rows of the intermediates you sent; "
        "leave it out when you send them for the whole batch",
    )

    inputs: InputsPin | None = Field(
        None,
        description="the `pin` of the inputs you downloaded: compared at exactly those (not with at_step)",
    )


class WrongEntry(BaseModel):
    index: list[int]
    ours: float
    given: float


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
    first_wrong: list[WrongEntry] = Field(
        default_factory=list, description="the first few entries that differ, ours and yours"
    )
    rel_error: Nested
    ours: Nested
    given: Nested = Field(
        None,
        description="your numbers laid out as ours (transposed back if you sent the transpose, a bias "
        "column as a vector); null when their shape is neither",
    )
    differs: Nested = Field(None, description="rel_error > threshold entry by entry; null without rel_error")


class Explanation(BaseModel):
    name: str = Field(description="the mistake's stable id in the catalogue")
    form: str | None = Field(
        None,
        description="which form of it, where it has several (summed_not_mean: all or data_term; "
        "transposed: W1, W2 or both, at depth all or any W(l); l1_sign_forgotten: one or as_W) and only "
        "one fits; else null",
    )
    title: str
    explanation: str
    fix: str = Field(description="the right line of the derivation, plain text")
    fix_tex: str = Field(description="the same line in TeX")
    params: list[str] = Field(description="the names sent it explains: W1, ..., dz2, ...")


class Where(BaseModel):
    first_wrong: str | None = Field(
        description="the first wrong intermediate from the output down (dz2, da1, dz1; at depth "
        "dz(L+1), da(L), dz(L), ...) or, when they are all right, the first wrong parameter gradient "
        "(W1, ...); null when everything sent is right"
    )
    message: str = Field(description="in words: which are right, which is the first wrong one, where to look")


class ComparisonOut(BaseModel):
    step: int
    pinned: PinnedOut | None = Field(
        None, description="the downloaded inputs compared at, when inputs was sent"
    )
    threshold: float = Field(description="the relative tolerance an entry must be within to agree")
    all_agree: bool
    params: dict[str, ComparedParam]
    intermediates: dict[str, ComparedParam] = Field(
        default_factory=dict,
        description="the intermediates as sent (one row each with sample), from the output down",
    )
    sample: int | None = None
    explained_by: list[Explanation] = Field(
        description="the smallest set of catalogue mistakes that reproduces what you sent (several when a "
        "set of two or three fits); when none fits it all, the mistakes that explain some arrays"
    )
    unexplained: list[str] = Field(
        default_factory=list, description="the names sent that differ and nothing explains"
    )
    summary: str = Field("", description="the verdict in one sentence, ready to show")
    where: Where | None = Field(
        None, description="where the first mistake starts; null when no intermediate was sent"
    )
    all_given: bool = Field(False, description="every parameter's gradient was sent (dW1, db1, ..., db(L+1))")


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
    H: int = Field(description="the width of the first hidden layer (of every one: hidden)")
    X: Nested = Field(
        description="(N, F) the network's input for the training points: their features (x1, x2 unless "
        "features says otherwise)"
    )
    labels: list[int]
    Y: Nested = Field(description="(N, C) the targets, label smoothing applied")
    W1: Nested = Field(description="(F, H1)")
    b1: Nested = Field(description="(H1,)")
    W2: Nested = Field(description="(H1, H2), or (H, C) with one hidden layer")
    b2: Nested = Field(description="(H2,), or (C,) with one hidden layer")
    W3: Nested = Field(None, description="(H2, H3) or (H2, C): only when the run has it")
    b3: Nested = None
    W4: Nested = None
    b4: Nested = None
    W5: Nested = None
    b5: Nested = None
    W6: Nested = None
    b6: Nested = None
    W7: Nested = Field(None, description="(H6, C) with six hidden layers")
    b7: Nested = None
    hidden: list[int] = Field(description="the hidden layers' widths H1 ... HL")
    features: list[str] = Field(description="the input features, the columns of X")
    loss_name: str = Field(description="cross_entropy or mse")
    l1: float = Field(description="the L1 penalty's weight: l1 * sum |W(l)| joins L")


class GradientExampleOut(BaseModel):
    step: int
    kind: str = Field(description="'ours', or the id of the catalogue mistake that made these")
    form: str | None = Field(None, description="the mistake's form, where it has several")
    gradients: dict[str, Nested] = Field(
        description="dW1, db1, ..., db(L+1) (and the intermediates with with_intermediates): "
        "a body for POST .../compare"
    )
