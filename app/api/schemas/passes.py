"""The network diagram's animation of the forward and backward pass, and one weight's next update."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from app.training.reports.passes import MAX_WHOLE_LINKS

Nested = Any  # a float, or nested lists of floats; null where a value is not finite


class StageUnits(BaseModel):
    layer: int = Field(description="0 the inputs, l hidden layer l, L+1 the output")
    quantity: str = Field(description="what each value is: 'a2', 'mean a2', 'dz3' (one sample's), 'db3'")
    values: list[float | None] = Field(description="one a unit of the layer, every unit")


class StageLinks(BaseModel):
    layer: int = Field(description="l: the links of W(l), from layer l-1's units to layer l's")
    name: str = Field(description="W(l)'s name, W1 ... W(L+1)")
    quantity: str = Field(
        description="what each value is: 'a1 * W2', 'mean a1 * W2', 'dW2', or on the way back "
        "'dz3 * W3 (its share of da2)', the error link (i, j) carries back to unit i"
    )
    kind: Literal["value", "gradient", "error"] = Field(
        description="what the links carry: a forward value, dW(l), or the error delta(l)_j W(l)_ij "
        "sent back to unit i of layer l-1"
    )
    whole: bool = Field(description="every link of W(l); false: those among the units rows and cols")
    rows: list[int] = Field(description="the units of layer l-1 these links leave")
    cols: list[int] = Field(description="the units of layer l they reach")
    values: Nested = Field(description="(len(rows), len(cols))")


class PassStageOut(BaseModel):
    phase: Literal["forward", "backward"]
    layer: int = Field(description="0 the inputs, l hidden layer l, L+1 the output")
    title: str
    caption: str = Field(description="what the stage shows, with its numbers, in words")
    tex: str
    text: str = Field(description="the equation in plain text")
    units: StageUnits | None
    links: StageLinks | None
    derivation: list[str] = Field(description="the derivation's stages this one corresponds to")


class PassOut(BaseModel):
    step: int
    direction: Literal["forward", "backward"]
    sample: int | None = Field(description="the training point, or null: the batch (every training point)")
    N: int = Field(description="the number of training points")
    loss: float | None
    sizes: list[int] = Field(description="the layers' widths: features, hidden layers, classes")
    cut: list[str] = Field(
        description="the weight matrices whose links are sent only among the units the diagram shows "
        f"(those over {MAX_WHOLE_LINKS} links), in words"
    )
    stages: list[PassStageOut]


class WeightUpdateOut(BaseModel):
    step: int
    name: str
    index: list[int]
    weight: float | None
    gradient: float | None = Field(description="dL/dw on every training point, float64")
    update: float | None = Field(
        description="what the run's optimizer would add to w next, from that gradient"
    )
    optimizer: str
    learning_rate: float
    exact: bool = Field(
        description="true for a full-batch run: its next step makes this change; a mini-batch step "
        "uses its batch's gradient"
    )
