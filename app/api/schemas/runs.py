"""Saved runs: what saving takes, and how a saved run is listed (the saved document itself is
app.training.saved_run's SavedRun)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.training.config import Strict


class SaveRequest(Strict):
    name: str = Field("", max_length=200)


class SavedRunInfo(BaseModel):
    id: str
    name: str
    created: float = Field(description="seconds since the epoch")
    step: int
    kind: str = Field(description="the dataset: moons, circles, ..., points (your own)")
    hidden: int | list[int] = Field(description="one hidden layer's width, or a deep run's list of widths")
    accuracy: float | None = Field(
        None, description="on the training points at the saved weights (null: saved before it was kept)"
    )
    test_accuracy: float | None = Field(None, description="on the test points; null when there are none")
    points: int | None = Field(None, description="how many points the run has, training and test")


class SavedRunCreated(SavedRunInfo):
    token: str = Field(description="needed to delete this saved run: 'Authorization: Bearer <token>'")
