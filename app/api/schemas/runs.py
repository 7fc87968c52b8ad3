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
    kind: str
    hidden: int


class SavedRunCreated(SavedRunInfo):
    token: str = Field(description="needed to delete this saved run: 'Authorization: Bearer <token>'")
