"""Exports: a run's figures (its boundary, its loss, two runs compared) as SVG or PNG, and a GIF of
its training rendered on the server's one animation thread. No token: an export is a viewer's read
(of the other run's too, named by its id)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response
from starlette.requests import HTTPConnection

from app.figures.animation import story_of
from app.figures.boundary import boundary_figure
from app.figures.compare import compare_figure
from app.figures.loss import Curves, loss_figure
from app.figures.moment import history, moments
from app.figures.png import write_png
from app.figures.renders import AnimationRenders, RendersBusy
from app.figures.settings_text import labels
from app.figures.svg import write_svg
from app.training.registry import Registry
from app.training.session import Session

from ..deps import Sessions, Viewed, inspection_turn
from ..responses import BAD_INPUT, NO_SUCH, error_responses
from ..schemas.exports import (
    MAX_FIGURE_WIDTH,
    MIN_FIGURE_WIDTH,
    AnimationQueued,
    AnimationRequest,
    AnimationStatus,
    FigureFormat,
    FigureKind,
)

router = APIRouter(tags=["exports"], responses=BAD_INPUT | NO_SUCH)

MEDIA = {"svg": "image/svg+xml", "png": "image/png"}
With = Annotated[str | None, Query(alias="with", max_length=64, description="another session's id")]
Step = Annotated[int | None, Query(ge=0, description="a step the run keeps (GET .../timeline); default: now")]
Width = Annotated[
    int, Query(ge=MIN_FIGURE_WIDTH, le=MAX_FIGURE_WIDTH, description="the figure's width in pixels")
]


async def renders_of(connection: HTTPConnection) -> AnimationRenders:
    return connection.app.state.animation_renders


Renders = Annotated[AnimationRenders, Depends(renders_of)]


def other_session(registry: Registry, session: Session, other_id: str | None, field: str) -> Session | None:
    if other_id is None:
        return None
    other = registry.get(other_id)
    if other is None or other is session:
        raise HTTPException(422, f"{field}: must be another existing session's id, got {other_id[:64]!r}")
    return other


@router.get(
    "/api/sessions/{session_id}/figures/{kind}.{fmt}",
    response_class=Response,
    responses={
        200: {"content": {"image/svg+xml": {}, "image/png": {}}, "description": "the figure, as a download"}
    },
    dependencies=[Depends(inspection_turn)],
)
def figure(
    registry: Sessions,
    session: Viewed,
    kind: Annotated[FigureKind, Path(description="boundary, loss or compare")],
    fmt: Annotated[FigureFormat, Path(description="svg or png")],
    with_: With = None,
    step: Step = None,
    width: Width = 800,
):
    """A figure of the run drawn by the server: `boundary` (the decision regions at `step`, the
    points, the step, loss and accuracy), `loss` (training and test loss over the steps; with
    `with`, the other run's too, dashed) or `compare` (needs `with`: both boundaries at `step`,
    side by side, and both runs' loss under them)."""
    other = other_session(registry, session, with_, "with")
    if kind == "compare" and other is None:
        raise HTTPException(422, "with: compare needs another session's id to compare this run with")
    steps = None if step is None else [step]
    if kind == "boundary":
        moment = moments(session, steps)[0]
        scene, name = boundary_figure(moment, width), f"boundary-step{moment.step}"
    elif kind == "loss":
        runs = [Curves("this run", history(session))]
        if other is not None:
            a, b = labels(session.run.config, other.run.config, session.id, other.id)
            runs = [Curves(a, history(session)), Curves(b, history(other), dashed=True)]
        scene, name = loss_figure(runs, width), "loss"
    else:
        a_moment, b_moment = moments(session, steps)[0], moments(other, steps, name="step")[0]
        a, b = labels(a_moment.config, b_moment.config, session.id, other.id)
        curves = (
            Curves(a, history(session, a_moment.step)),
            Curves(b, history(other, b_moment.step), dashed=True),
        )
        scene, name = compare_figure(a_moment, b_moment, *curves, width), f"compare-step{a_moment.step}"
    content = write_svg(scene) if fmt == "svg" else write_png(scene)
    return Response(
        content,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


@router.post(
    "/api/sessions/{session_id}/animations",
    response_model=AnimationQueued,
    status_code=202,
    responses=error_responses(429),
)
def start_animation(
    registry: Sessions, session: Viewed, renders: Renders, request: AnimationRequest | None = None
):
    """Render a GIF of the training so far, a frame a kept step (an even subset of `frames` when
    there are more), each the boundary (with `with`: both runs compared) and its step. Rendered
    one at a time on the server; follow it at GET /api/animations/{id}, then download its file."""
    request = request or AnimationRequest()
    other = other_session(registry, session, request.with_, "with")
    story = story_of(session, other, request.frames, request.width, request.fps)
    try:
        render = renders.submit(story)
    except RendersBusy as busy:
        raise HTTPException(429, str(busy)) from None
    status = render.status()
    return AnimationQueued(**{k: status[k] for k in ("id", "state", "done", "total")})


AnimationId = Annotated[str, Path(max_length=64)]


def render_of(renders: AnimationRenders, animation_id: str):
    render = renders.get(animation_id)
    if render is None:
        raise HTTPException(
            404,
            f"no animation {animation_id[:64]!r}: it was never started, or it expired (kept a few minutes)",
        )
    return render


@router.get("/api/animations/{animation_id}", response_model=AnimationStatus)
async def animation_status(renders: Renders, animation_id: AnimationId):
    return render_of(renders, animation_id).status()


@router.get(
    "/api/animations/{animation_id}/file",
    response_class=Response,
    responses={200: {"content": {"image/gif": {}}, "description": "the GIF"}, **error_responses(409)},
)
async def animation_file(renders: Renders, animation_id: AnimationId):
    render = render_of(renders, animation_id)
    if render.state != "done":
        raise HTTPException(
            409, f"the animation is {render.state}, not done{': ' + render.message if render.message else ''}"
        )
    return Response(
        render.gif,
        media_type="image/gif",
        headers={"Content-Disposition": 'attachment; filename="training.gif"'},
    )
