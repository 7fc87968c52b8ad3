"""A training run's configuration: every field with its default and its bounds, defined once.

The REST API takes these models as request bodies as they are, so the bounds here are the API's
contract too; the server may tighten some of them (app/api/settings.py). `RunConfig()` with no
arguments is the classic setup: the from-scratch notebook's moons, a small tanh network.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

from app.core.activations import ACTIVATION_NAMES
from app.core.bounds import (
    MAX_CLASSES,
    MAX_HIDDEN,
    MAX_LAYERS,
    MAX_SAMPLES,
    MIN_CLASSES,
    MIN_HIDDEN,
    MIN_LAYERS,
)
from app.core.datasets import DATASET_KINDS, FIXED_CLASSES, MAX_NOISE
from app.core.features import DEFAULT_FEATURES, FEATURE_NAMES, MAX_FEATURES
from app.core.losses import LOSS_NAMES
from app.core.network import INIT_NAMES

DatasetKind = Literal["moons", "circles", "spiral", "xor", "blobs", "points"]
assert set(DatasetKind.__args__) == set(DATASET_KINDS)
ActivationName = Literal[ACTIVATION_NAMES]  # every entry of app.core.activations.ACTIVATIONS
OptimizerName = Literal["sgd", "momentum", "adam"]
LossName = Literal[LOSS_NAMES]  # every entry of app.core.losses.LOSSES
InitName = Literal[INIT_NAMES]  # "fan_in", "xavier", "he", "zeros"
FeatureName = Literal[FEATURE_NAMES]  # every entry of app.core.features.FEATURES
Width = Annotated[int, Field(ge=MIN_HIDDEN, le=MAX_HIDDEN)]

MAX_SEED = 2**32 - 1
MAX_LEARNING_RATE = 100.0
MAX_LAM = 10.0
MAX_L1 = 10.0
MAX_STEPS_PER_SECOND = 10_000
# The first-moment decay: momentum's beta, Adam's beta1. It was called "momentum", which is also an
# optimizer's name; "momentum" is still read (saved runs, links, scripts) but no longer written.
BETA1_NAMES = AliasChoices("beta1", "momentum")
BETA1_TEXT = "momentum's beta and Adam's beta1 ('momentum' is accepted too, deprecated: write beta1)"
MIN_STEPS_PER_SECOND = 0.01  # a step every 100 s; slower is a pause, and waits that long overflow
# The live weights are float32: normal numbers from 1.2e-38, subnormal ones (fewer digits, slow
# arithmetic) down to 1.4e-45, then 0. A weight is init_scale times a standard normal draw, which
# is under 1e-8 in size about once in 10^8 draws: from 1e-30 the weights are normal numbers.
MIN_INIT_SCALE, MAX_INIT_SCALE = 1e-30, 100.0


class Strict(BaseModel):
    """A request model read as written: an unknown field is an error (a typo in a field name must
    not pass silently as a default), a number must be a number (true is not 1, "0.5" is not 0.5,
    2.0 is not an index) and a finite one (NaN and Infinity are named as such)."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class Point(Strict):
    x: float = Field(ge=-1e6, le=1e6)
    y: float = Field(ge=-1e6, le=1e6)
    label: int = Field(ge=0, le=MAX_CLASSES - 1)


class DatasetConfig(Strict):
    kind: DatasetKind = "moons"
    n_samples: int = Field(200, ge=4, le=MAX_SAMPLES, description="points in all, train and test")
    noise: float | None = Field(
        None, ge=0.0, le=MAX_NOISE, description="noise std; null takes the dataset's own default"
    )
    classes: int | None = Field(
        None, ge=MIN_CLASSES, le=MAX_CLASSES, description="spiral arms or blobs; moons, circles, xor have 2"
    )
    train_fraction: float = Field(0.8, gt=0.0, le=1.0, description="share of points used for training")
    seed: int = Field(0, ge=0, le=MAX_SEED)
    points: list[Point] | None = Field(
        None, max_length=MAX_SAMPLES, description="the points of a 'points' dataset"
    )

    @model_validator(mode="after")
    def _points_go_with_kind_points(self):
        if self.kind == "points" and not self.points:
            raise ValueError("points: a 'points' dataset needs at least one point")
        if self.kind != "points" and self.points is not None:
            raise ValueError(f"points: only the 'points' dataset takes points, not {self.kind}")
        if self.kind in FIXED_CLASSES and self.classes not in (None, FIXED_CLASSES[self.kind]):
            raise ValueError(f"classes: {self.kind} has {FIXED_CLASSES[self.kind]} classes")
        if self.kind == "points" and self.classes is not None:
            top = max(p.label for p in self.points)
            if top >= self.classes:
                raise ValueError(f"classes: a point has label {top}, so classes must be > {top}")
        return self


class Hyperparameters(Strict):
    """What may change during a run without starting it again. All optional: for PATCH."""

    learning_rate: float | None = Field(None, gt=0.0, le=MAX_LEARNING_RATE)
    optimizer: OptimizerName | None = None
    beta1: float | None = Field(None, ge=0.0, lt=1.0, validation_alias=BETA1_NAMES, description=BETA1_TEXT)
    lam: float | None = Field(None, ge=0.0, le=MAX_LAM, description="L2 strength on the weights W1 ...")
    l1: float | None = Field(None, ge=0.0, le=MAX_L1, description="L1 strength on the weights W1 ...")
    batch_size: int | None = Field(None, ge=1, le=MAX_SAMPLES, description="null: full batch")
    steps_per_second: float | None = Field(None, ge=MIN_STEPS_PER_SECOND, le=MAX_STEPS_PER_SECOND)

    @model_validator(mode="after")
    def _only_batch_size_may_be_null(self):
        for name in self.model_fields_set - {"batch_size"}:
            if getattr(self, name) is None:
                raise ValueError(f"{name}: may not be null (leave it out to keep the current value)")
        return self


class RunConfig(Strict):
    dataset: DatasetConfig = Field(default_factory=DatasetConfig)
    hidden: Width | Annotated[list[Width], Field(min_length=MIN_LAYERS, max_length=MAX_LAYERS)] = Field(
        5,
        description=f"H, the hidden units of one layer, or a list of {MIN_LAYERS} to {MAX_LAYERS} layer "
        "widths [H1, ..., HL]: the parameters are then W1 (F, H1), b1, ..., W(L+1) (HL, C), b(L+1)",
    )
    activation: ActivationName = "tanh"
    loss: LossName = Field(
        "cross_entropy", description="'cross_entropy' or 'mse' (mean of 1/2 |y_hat - y|^2 on the softmax)"
    )
    init_scale: InitName | Annotated[float, Field(ge=MIN_INIT_SCALE, le=MAX_INIT_SCALE)] = Field(
        "fan_in",
        description="'fan_in' (std 1/sqrt(fan_in)), 'xavier' (sqrt(2/(fan_in+fan_out))), 'he' "
        "(sqrt(2/fan_in)), 'zeros' (every weight 0: symmetry) or a fixed std such as 0.01, from 1e-30 "
        "(the weights are float32) to 100",
    )
    features: Annotated[list[FeatureName], Field(min_length=1, max_length=MAX_FEATURES)] = Field(
        default_factory=lambda: list(DEFAULT_FEATURES),
        description="the network's inputs, each computed from a point's (x1, x2), none twice: "
        + ", ".join(FEATURE_NAMES),
    )
    label_smoothing: float = Field(0.0, ge=0.0, le=0.5)
    learning_rate: float = Field(1.0, gt=0.0, le=MAX_LEARNING_RATE)
    optimizer: OptimizerName = "sgd"
    beta1: float = Field(0.9, ge=0.0, lt=1.0, validation_alias=BETA1_NAMES, description=BETA1_TEXT)
    lam: float = Field(1e-3, ge=0.0, le=MAX_LAM, description="L2 strength on the weights W1 ...")
    l1: float = Field(0.0, ge=0.0, le=MAX_L1, description="L1 strength on the weights W1 ... (sign(W) in dW)")
    batch_size: int | None = Field(None, ge=1, le=MAX_SAMPLES, description="null: full batch")
    steps_per_second: float = Field(60.0, ge=MIN_STEPS_PER_SECOND, le=MAX_STEPS_PER_SECOND)
    seed: int = Field(0, ge=0, le=MAX_SEED, description="initial weights and mini-batch order")

    @model_validator(mode="after")
    def _init_scale_fits_float32(self):
        if not isinstance(self.init_scale, str) and not (MIN_INIT_SCALE <= self.init_scale <= MAX_INIT_SCALE):
            raise ValueError(
                f"init_scale: a fixed scale must be in [{MIN_INIT_SCALE:g}, {MAX_INIT_SCALE:g}]"
                " (the weights are float32)"
            )
        return self

    @field_validator("hidden", mode="before")
    @classmethod
    def _hidden_in_one_message(cls, value):
        """hidden is an int or a list: a bad value is told once, in the terms of what was sent, not
        once for each branch of the union ("should be a valid list" for 100000)."""
        if isinstance(value, list):
            if not MIN_LAYERS <= len(value) <= MAX_LAYERS:
                raise ValueError(
                    f"a list of widths must have from {MIN_LAYERS} to {MAX_LAYERS} layers, got {len(value)}"
                )
            widths = value
        elif isinstance(value, int) and not isinstance(value, bool):
            widths = [value]
        else:
            raise ValueError(f"Input should be an integer or a list of {MIN_LAYERS} to {MAX_LAYERS} integers")
        for i, width in enumerate(widths):
            where = f"layer {i + 1}: " if isinstance(value, list) else ""
            if isinstance(width, bool) or not isinstance(width, int):
                raise ValueError(f"{where}Input should be a valid integer")
            if width < MIN_HIDDEN:
                raise ValueError(f"{where}Input should be greater than or equal to {MIN_HIDDEN}")
            if width > MAX_HIDDEN:
                raise ValueError(f"{where}Input should be less than or equal to {MAX_HIDDEN}")
        return value

    @model_validator(mode="after")
    def _features_once_each(self):
        twice = sorted({name for name in self.features if self.features.count(name) > 1})
        if twice:
            raise ValueError(f"features: each may be chosen once, got {', '.join(twice)} more than once")
        return self

    @property
    def widths(self) -> tuple[int, ...]:
        """(H1, ..., HL): the hidden widths, one layer or several."""
        return (self.hidden,) if isinstance(self.hidden, int) else tuple(self.hidden)

    @property
    def layers(self) -> int:
        """L, the number of hidden layers."""
        return len(self.widths)

    def with_hyperparameters(self, changes: Hyperparameters) -> RunConfig:
        """This config with the fields set in `changes` replaced (batch_size may be set to null)."""
        return self.model_copy(update=changes.model_dump(exclude_unset=True))
