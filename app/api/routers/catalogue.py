"""What a session can be started from: the kinds of data and the named presets."""

from __future__ import annotations

from fastapi import APIRouter

from app.training.presets import PRESETS

from ..dataset_kinds import dataset_kinds
from ..deps import Limits
from ..responses import BAD_INPUT
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
