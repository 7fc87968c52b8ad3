"""What a session can be started from: the kinds of data and the named presets."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.training.points_csv import CsvRefused, parse_points_csv
from app.training.presets import PRESETS

from ..dataset_kinds import dataset_kinds
from ..deps import Limits
from ..responses import BAD_INPUT
from ..schemas.points_csv import CsvPointsOut, PointsCsv
from ..schemas.sessions import DatasetInfo, PresetInfo

router = APIRouter(prefix="/api", tags=["data"], responses=BAD_INPUT)


@router.get("/datasets", response_model=list[DatasetInfo])
def list_datasets():
    """The kinds of data a session can train on, with their defaults."""
    return dataset_kinds()


@router.get("/presets", response_model=list[PresetInfo])
def list_presets(limits: Limits):
    """Named configurations; POST one's config to /api/sessions to start it. Only those within
    this server's limits are listed: the others could not be started here."""
    return [
        PresetInfo(name=p.name, title=p.title, description=p.teaches, config=p.config)
        for p in PRESETS
        if limits.allows(p.config)
    ]


@router.post("/datasets/csv", response_model=CsvPointsOut)
def read_points_csv(body: PointsCsv, limits: Limits):
    """Your own data: a CSV of x, y, label read into points for a 'points' dataset. A bad line is
    named in a 422 by its number and what is wrong with it ("line 7: y 'abc' is not a number"),
    the first 20 of them (more_errors counts the rest)."""
    try:
        parsed = parse_points_csv(body.csv, limits)
    except CsvRefused as refused:
        detail = [{"loc": ["body", "csv"], "msg": message, "type": "csv"} for message in refused.errors]
        content: dict = {"detail": detail}
        if refused.more:
            content["more_errors"] = refused.more
        return JSONResponse(content, status_code=422)
    return CsvPointsOut(points=parsed.points, classes=parsed.classes, header=parsed.header)
