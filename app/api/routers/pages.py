"""The page: templates/index.html, the static/ modules, and plotly.js from the plotly package
itself, so the page works with no internet (classrooms have bad networks)."""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import get_args

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app import __version__
from app.training.config import ActivationName, DatasetKind, OptimizerName, RunConfig

from ..deps import ServerSettings

ROOT = Path(__file__).resolve().parents[3]
PLOTLY_JS = importlib.resources.files("plotly") / "package_data" / "plotly.min.js"

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=ROOT / "templates")

# What the page's selects offer, from the same Literals the API validates against. The page has
# no way to enter a 'points' dataset's points (that is for the REST API), so it is left out.
CHOICES = {
    "dataset": [kind for kind in get_args(DatasetKind) if kind != "points"],
    "activation": list(get_args(ActivationName)),
    "optimizer": list(get_args(OptimizerName)),
}


@router.get("/")
def index(request: Request, settings: ServerSettings):
    return templates.TemplateResponse(
        request,
        "index.html",
        {
            "version": __version__,
            "max_fps": settings.max_fps,
            "max_grid": settings.max_grid,
            "max_hidden": settings.max_hidden,
            "max_points": settings.max_points,
            # The page fills its form from these, so the defaults stay defined once, in RunConfig.
            "defaults": RunConfig().model_dump(mode="json"),
            "choices": CHOICES,
        },
    )


@router.get("/vendor/plotly.min.js")
def plotly_js():
    return FileResponse(
        str(PLOTLY_JS), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"}
    )


def mount_static(app: FastAPI) -> None:
    """static/ as files, under /static (a mount, not a route: app.include_router cannot carry it)."""
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
