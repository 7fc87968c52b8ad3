"""The page: templates/index.html, and the static/ files (the page's modules, plotly.js and KaTeX,
vendored, so the page works with no internet) under one content-hashed prefix
(app/api/static_assets.py). The HTML is asked for again on every load (no-cache, with an ETag:
an unchanged page costs a 304); everything it loads is cached for a year, immutable."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, get_args

from fastapi import APIRouter, Request, Response
from fastapi import Path as PathParam
from fastapi.templating import Jinja2Templates

from app.training.config import ActivationName, DatasetKind, OptimizerName, RunConfig

from ..deps import ServerSettings, StaticAssets
from ..static_assets import IMMUTABLE, accepts_gzip

ROOT = Path(__file__).resolve().parents[3]
STATIC_DIR = ROOT / "static"

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=ROOT / "templates")

# What the page's selects offer, from the same Literals the API validates against. The page has
# no way to enter a 'points' dataset's points (that is for the REST API), so it is left out.
CHOICES = {
    "dataset": [kind for kind in get_args(DatasetKind) if kind != "points"],
    "activation": list(get_args(ActivationName)),
    "optimizer": list(get_args(OptimizerName)),
}


def cached_page(request: Request, page: Response) -> Response:
    """The page with a weak ETag (the same page gzipped or not; it changes with the settings and
    with the static tree), asked for again on every load: unchanged, a 304."""
    etag = 'W/"' + hashlib.sha256(page.body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    page.headers.update(headers)
    return page


@router.get("/")
def index(request: Request, settings: ServerSettings, static: StaticAssets):
    page = templates.TemplateResponse(
        request,
        "index.html",
        {
            "static": static.prefix,  # every file the page loads is under it
            "max_fps": settings.max_fps,
            "max_grid": settings.max_grid,
            "max_hidden": settings.max_hidden,
            "max_points": settings.max_points,
            # The page fills its form from these, so the defaults stay defined once, in RunConfig.
            "defaults": RunConfig().model_dump(mode="json"),
            "choices": CHOICES,
        },
    )
    return cached_page(request, page)


@router.get("/twins/{twins_id}")
def twins_page(
    request: Request,
    settings: ServerSettings,
    static: StaticAssets,
    twins_id: Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{1,64}$")],
):
    """The compare page of two twinned runs: the page asks the API for them (an id the server
    does not know is said on the page), so the same HTML serves every pair."""
    page = templates.TemplateResponse(
        request,
        "twins.html",
        {"static": static.prefix, "max_fps": settings.max_fps, "twins_id": twins_id},
    )
    return cached_page(request, page)


@router.api_route("/static/{tree}/{path:path}", methods=["GET", "HEAD"])
async def static_file(tree: str, path: str, request: Request, static: StaticAssets):
    """A file of the page, gzipped when the browser accepts it, cached for a year. Another tree's
    hash is a page loaded before the server changed: 404 (reloading the page fixes it)."""
    asset = static.assets.get(path) if tree == static.tree_hash else None
    if asset is None:
        return Response(
            f"not found: {path[:200]} (this page's files changed on the server; reload it)",
            status_code=404,
            media_type="text/plain; charset=utf-8",
        )
    headers = {"ETag": asset.etag, "Cache-Control": IMMUTABLE}
    if asset.compressible:
        headers["Vary"] = "Accept-Encoding"
    if asset.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    body = asset.body
    if asset.compressible and accepts_gzip(request.headers.get("accept-encoding", "")):
        body = asset.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, headers=headers, media_type=asset.media_type)
