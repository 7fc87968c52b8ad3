"""A class's own data sent as CSV text, and the points it holds (app.training.points_csv reads it)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.training.config import Point, Strict


class PointsCsv(Strict):
    csv: str = Field(
        description="one point a line: x, y, label (a whole number from 0); a header line is optional",
        max_length=2_000_000,
    )


class CsvPointsOut(BaseModel):
    points: list[Point] = Field(description="in the file's order; a 'points' dataset takes them as they are")
    classes: int = Field(description="the largest label + 1 (at least 2)")
    header: bool = Field(description="the first line was read as a header")
