"""REST routes: datasets, presets, sessions and what each session shows (OpenAPI at /docs)."""

from __future__ import annotations

import functools
import inspect
import secrets
import threading
from typing import Annotated

import anyio
import numpy as np
from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request, Response

from app.core.bounds import MAX_HIDDEN, MAX_SAMPLES
from app.core.datasets import FIXED_CLASSES, GENERATORS
from app.frames import messages
from app.training import reports
from app.training.config import Hyperparameters, RunConfig
from app.training.presets import PRESETS
from app.training.run import STOPPED
from app.training.session import Session
from app.training.uploads import parse_gradients_csv

from .schemas import (
    ComparisonOut,
    DatasetInfo,
    DerivationOut,
    ErrorOut,
    ExportOut,
    GradcheckOut,
    GradientsOut,
    GradientUpload,
    GridOut,
    HiddenSpaceOut,
    HistoryOut,
    InputGradientsOut,
    LossSliceOut,
    ParametersOut,
    PointsEdit,
    PresetInfo,
    SessionCreated,
    SessionSummary,
    StepRequest,
    StepResult,
    TimelineOut,
    UnitOut,
)
from .settings import Settings

ERRORS = {
    400: {"model": ErrorOut, "description": "the body is not valid JSON"},
    401: {"model": ErrorOut, "description": "no control token"},
    403: {"model": ErrorOut, "description": "wrong control token"},
    404: {"model": ErrorOut, "description": "no such session"},
    409: {"model": ErrorOut, "description": "not possible in the run's state"},
    422: {"model": ErrorOut, "description": "invalid input; the message says what to change"},
}

router = APIRouter(prefix="/api", responses={k: ERRORS[k] for k in (400, 422)})

DESCRIPTIONS = {
    "moons": "two interleaving half circles (scikit-learn's make_moons)",
    "circles": "a ring around a smaller ring",
    "spiral": "K spiral arms (the CS231n case study)",
    "xor": "the four quadrants, opposite ones alike",
    "blobs": "K Gaussian blobs on a circle",
    "points": "your own points: a list of {x, y, label}",
}


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def session_of(request: Request, session_id: Annotated[str, Path(max_length=64)]) -> Session:
    session = request.app.state.registry.get(session_id)
    if session is None:
        raise HTTPException(404, f"no session {session_id!r}: it was deleted, expired, or never existed")
    return session


def check_bearer(authorization: str | None, token: str, what: str) -> None:
    """401 without 'Authorization: Bearer <token>', 403 with another token (compared in constant
    time); `what` names the thing the token opens, for the message."""
    if not authorization or not authorization.startswith("Bearer "):
        raise HTTPException(401, f"this changes {what}: send its token as 'Authorization: Bearer <token>'")
    if not secrets.compare_digest(authorization[len("Bearer ") :].encode(), token.encode()):
        raise HTTPException(403, f"wrong token for {what}")


def controlled_session(
    session: Annotated[Session, Depends(session_of)],
    authorization: Annotated[str | None, Header()] = None,
) -> Session:
    """The session, if the request carries its control token."""
    check_bearer(authorization, session.token, "this session")
    return session


def check_grid(request: Request, G: int) -> None:
    limit = settings_of(request).max_grid
    if G > limit:
        raise HTTPException(422, f"G must be at most {limit} on this server, got {G}")


Viewed = Annotated[Session, Depends(session_of)]
AtStep = Annotated[
    int | None,
    Query(
        ge=0,
        description="an earlier step, from GET .../timeline (the nearest kept at or before it); default: now",
    ),
]
Controlled = Annotated[Session, Depends(controlled_session)]
SampleIndex = Annotated[
    int, Path(ge=0, le=MAX_SAMPLES - 1, description="below the run's number of training points")
]
UnitIndex = Annotated[
    int, Path(ge=0, le=MAX_HIDDEN - 1, description="below the run's number of hidden units")
]


@router.get("/datasets", response_model=list[DatasetInfo], tags=["data"])
def list_datasets():
    """The kinds of data a session can train on, with their defaults."""
    out = []
    for kind, description in DESCRIPTIONS.items():
        generator = GENERATORS.get(kind)
        noise = inspect.signature(generator).parameters["noise"].default if generator else None
        classes = str(FIXED_CLASSES[kind]) if kind in FIXED_CLASSES else "2-8"
        out.append(DatasetInfo(kind=kind, description=description, classes=classes, default_noise=noise))
    return out


@router.get("/presets", response_model=list[PresetInfo], tags=["data"])
def list_presets(request: Request):
    """Named configurations; POST one's config to /api/sessions to start it. Only those within
    this server's limits are listed: the others could not be started here."""
    limits = request.app.state.registry.limits
    return [
        PresetInfo(name=p.name, title=p.title, description=p.teaches, config=p.config)
        for p in PRESETS
        if limits.allows(p.config)
    ]


@router.post(
    "/sessions",
    response_model=SessionCreated,
    status_code=201,
    tags=["sessions"],
    responses={429: {"model": ErrorOut, "description": "too many sessions"}},
)
def create_session(request: Request, config: RunConfig | None = None):
    """Start a run (paused at step 0). Every field has a default: `{}` gives the classic moons run."""
    config = config or RunConfig()
    session = request.app.state.registry.create(config)
    return SessionCreated(
        id=session.id, token=session.token, session=session.summary(), stream=f"/ws/sessions/{session.id}"
    )


@router.get(
    "/sessions/{session_id}", response_model=SessionSummary, tags=["sessions"], responses={404: ERRORS[404]}
)
def read_session(session: Viewed):
    return session.summary()


@router.delete(
    "/sessions/{session_id}",
    status_code=204,
    tags=["sessions"],
    responses={k: ERRORS[k] for k in (401, 403, 404)},
)
def delete_session(
    request: Request,
    session: Controlled,
    replaced_by: Annotated[
        str | None, Query(max_length=64, description="the driver's new run: its watchers move there")
    ] = None,
):
    """Delete the run. With replaced_by (the driver started a new run), everyone watching is told
    the new run's id, so a classroom follows the teacher from one run to the next."""
    registry = request.app.state.registry
    if replaced_by is not None and (replaced_by == session.id or registry.get(replaced_by) is None):
        raise HTTPException(422, f"replaced_by must be another existing session, got {replaced_by!r}")
    registry.delete(session.id, replaced_by)
    return Response(status_code=204)


@router.post(
    "/sessions/{session_id}/step",
    response_model=StepResult,
    tags=["control"],
    responses={k: ERRORS[k] for k in (401, 403, 404, 409)},
)
async def step_session(request: Request, session: Controlled, body: StepRequest | None = None):
    """Pause and take n steps (default 1). Stops early if the run diverges, if the steps take
    longer than the server's max_step_seconds, or if the client goes away."""
    n = (body or StepRequest()).n
    settings = settings_of(request)
    if n > settings.max_steps_per_request:
        raise HTTPException(
            422,
            f"n must be at most {settings.max_steps_per_request} steps per request on this server, got {n}",
        )
    if session.run.status in STOPPED:
        raise HTTPException(409, session.run.message + " (POST .../reset first)")
    taken = await steps_while_connected(request, session, n, settings.max_step_seconds)
    stopped = why_fewer(session, taken, n, settings.max_step_seconds)
    return StepResult(taken=taken, stopped=stopped, session=session.summary())


def why_fewer(session: Session, taken: int, n: int, seconds: float) -> str | None:
    """Why a request's steps stopped before n (None if they did not): the run stopped, or time."""
    if taken == n:
        return None
    if session.run.status in STOPPED:
        return session.run.status
    return f"time: this server stops one request's steps after {seconds:g} s"


async def steps_while_connected(request: Request, session: Session, n: int, seconds: float) -> int:
    """session.player.step(n) in a worker thread, stopped after `seconds` or as soon as the client
    disconnects: nobody waits for the answer then, and the steps would hold the run for nothing."""
    gone = threading.Event()

    async def watch_client():
        while not await request.is_disconnected():
            await anyio.sleep(0.1)
        gone.set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(watch_client)
        taken = await anyio.to_thread.run_sync(
            functools.partial(session.player.step, n, seconds, gone.is_set)
        )
        tg.cancel_scope.cancel()
    return taken


@router.post(
    "/sessions/{session_id}/play",
    response_model=SessionSummary,
    tags=["control"],
    responses={k: ERRORS[k] for k in (401, 403, 404, 409)},
)
def play_session(session: Controlled):
    """Train continuously at the run's steps_per_second until paused."""
    session.player.play()
    return session.summary()


@router.post(
    "/sessions/{session_id}/pause",
    response_model=SessionSummary,
    tags=["control"],
    responses={k: ERRORS[k] for k in (401, 403, 404)},
)
def pause_session(session: Controlled):
    session.player.pause()
    return session.summary()


@router.post(
    "/sessions/{session_id}/reset",
    response_model=SessionSummary,
    tags=["control"],
    responses={k: ERRORS[k] for k in (401, 403, 404)},
)
def reset_session(session: Controlled):
    """Back to step 0 with the same initial weights (same seed); clears a divergence."""
    session.player.reset()
    return session.summary()


@router.patch(
    "/sessions/{session_id}",
    response_model=SessionSummary,
    tags=["control"],
    responses={k: ERRORS[k] for k in (401, 403, 404)},
)
def patch_session(session: Controlled, changes: Hyperparameters):
    """Change learning rate, optimizer, momentum, lam, batch size or speed without a reset."""
    session.player.update(changes)
    return session.summary()


@router.get(
    "/sessions/{session_id}/parameters",
    response_model=ParametersOut,
    tags=["inspect"],
    responses={404: ERRORS[404]},
)
def get_parameters(session: Viewed, at_step: AtStep = None):
    """W1 (2, H), b1 (H,), W2 (H, C), b2 (C,) as they are now (or at_step)."""
    return reports.parameters(session, at_step)


@router.get(
    "/sessions/{session_id}/gradients",
    response_model=GradientsOut,
    tags=["inspect"],
    responses={404: ERRORS[404]},
)
def get_gradients(session: Viewed, at_step: AtStep = None):
    """The gradients at the current parameters (or at_step) on the whole training set, in float64."""
    return reports.gradients(session, at_step)


@router.get(
    "/sessions/{session_id}/gradcheck",
    response_model=GradcheckOut,
    tags=["inspect"],
    responses={404: ERRORS[404]},
)
def get_gradcheck(
    session: Viewed,
    max_entries: Annotated[
        int, Query(ge=1, le=500, description="entries per parameter, sampled if more")
    ] = 100,
    seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = 0,
    at_step: AtStep = None,
):
    """Backprop against central finite differences in float64, per parameter."""
    return reports.gradcheck(session, max_entries, seed, at_step)


@router.get(
    "/sessions/{session_id}/derivation/{n}",
    response_model=DerivationOut,
    tags=["inspect"],
    responses={404: ERRORS[404]},
)
def get_derivation(session: Viewed, n: SampleIndex, at_step: AtStep = None):
    """The worked forward and backward pass for training sample n, long way and short way."""
    if n >= len(session.run.dataset.train):
        raise HTTPException(
            422, f"n must be below the number of training points, {len(session.run.dataset.train)}; got {n}"
        )
    return reports.derivation(session, n, at_step)


@router.get(
    "/sessions/{session_id}/history",
    response_model=HistoryOut,
    tags=["inspect"],
    responses={404: ERRORS[404]},
)
def get_history(session: Viewed, max_points: Annotated[int, Query(ge=2, le=20000)] = 1000):
    """Per step: batch loss and accuracy, gradient norms, update ratios; test loss every 10 steps."""
    with session.player.lock:
        columns = session.run.history.downsampled(max_points)
        step = session.run.step_count
    return HistoryOut(step=step, rows=len(columns["step"]), columns=columns)


@router.get(
    "/sessions/{session_id}/grid", response_model=GridOut, tags=["inspect"], responses={404: ERRORS[404]}
)
def get_grid(
    request: Request, session: Viewed, G: Annotated[int, Query(ge=2, le=200)] = 50, at_step: AtStep = None
):
    """Class probabilities on a G x G grid over the data's box, in float64."""
    check_grid(request, G)
    return reports.grid(session, G, at_step)


@router.get(
    "/sessions/{session_id}/export", response_model=ExportOut, tags=["inspect"], responses={404: ERRORS[404]}
)
def export_session(session: Viewed):
    """The whole run as one JSON document: config, points, parameters, history."""
    hello = messages.hello(session, role="viewer", history_points=session.run.history.capacity)
    return ExportOut(
        session=hello["session"],
        points=hello["points"],
        params=reports.parameters(session)["params"],
        history=hello["history"],
    )


@router.post(
    "/sessions/{session_id}/compare",
    response_model=ComparisonOut,
    tags=["inspect"],
    responses={404: ERRORS[404]},
)
def compare_gradients(session: Viewed, upload: GradientUpload, at_step: AtStep = None):
    """Check your own gradient: send the dW1, db1, dW2, db2 your code computes for this session's
    current parameters and training set (GET .../parameters, hello.points) and see where they differ
    from ours, and which usual mistake explains the difference. No token needed: it changes nothing.
    With at_step, compare against the parameters of that earlier step (the step you downloaded)."""
    if (upload.gradients is None) == (upload.csv is None):
        raise HTTPException(
            422, "send either gradients (JSON arrays) or csv (text), not both and not neither"
        )
    if upload.csv is not None:
        given = parse_gradients_csv(upload.csv)
    else:
        given = {}
        for name, values in upload.gradients.items():
            key = name[1:] if name in ("dW1", "db1", "dW2", "db2") else name
            try:
                given[key] = np.asarray(values, dtype=np.float64)
            except (ValueError, TypeError):
                raise HTTPException(
                    422,
                    f"gradients {name} must be an array of numbers (a list, or a list of equal-length lists)",
                ) from None
    return reports.compare(session, given, at_step)


@router.get(
    "/sessions/{session_id}/units/{j}", response_model=UnitOut, tags=["inspect"], responses={404: ERRORS[404]}
)
def get_unit(
    request: Request,
    session: Viewed,
    j: UnitIndex,
    G: Annotated[int, Query(ge=2, le=200)] = 50,
    at_step: AtStep = None,
):
    """Hidden unit j: its activation over the plane and the error dz1 it gets from each training point."""
    if j >= session.run.config.hidden:
        raise HTTPException(
            422, f"unit must be below the number of hidden units, {session.run.config.hidden}; got {j}"
        )
    check_grid(request, G)
    return reports.unit(session, j, G, at_step)


@router.get(
    "/sessions/{session_id}/input-gradients",
    response_model=InputGradientsOut,
    tags=["inspect"],
    responses={404: ERRORS[404]},
)
def get_input_gradients(session: Viewed, at_step: AtStep = None):
    """dL/dx at every training point (the arrows), and each point's share of |y_hat - y|."""
    return reports.input_gradients(session, at_step)


@router.get(
    "/sessions/{session_id}/timeline",
    response_model=TimelineOut,
    tags=["inspect"],
    responses={404: ERRORS[404]},
)
def get_timeline(session: Viewed):
    """The steps whose weights are kept, for at_step: every step at first, thinned as the run grows."""
    return reports.timeline(session)


@router.get(
    "/sessions/{session_id}/loss-slice",
    response_model=LossSliceOut,
    tags=["inspect"],
    responses={404: ERRORS[404]},
)
def get_loss_slice(
    session: Viewed,
    t_max: Annotated[float | None, Query(gt=0, le=1e4, description="default: 3 learning rates")] = None,
    points: Annotated[int, Query(ge=2, le=401)] = 61,
    at_step: AtStep = None,
):
    """L(theta - t g) along the full gradient g, for t from 0 to t_max: a step of SGD is t = lr."""
    return reports.loss_along_gradient(session, t_max, points, at_step)


@router.get(
    "/sessions/{session_id}/hidden-space",
    response_model=HiddenSpaceOut,
    tags=["inspect"],
    responses={404: ERRORS[404]},
)
def get_hidden_space(
    session: Viewed,
    lines: Annotated[int, Query(ge=2, le=50)] = 11,
    samples: Annotated[int, Query(ge=2, le=200)] = 40,
    at_step: AtStep = None,
):
    """The training points' hidden activations a1 in 2-D (PCA; exact for H <= 2) and the input
    plane's grid lines carried through the hidden layer."""
    return reports.hidden(session, lines, samples, at_step)


@router.post(
    "/sessions/{session_id}/points",
    response_model=SessionSummary,
    tags=["control"],
    responses={k: ERRORS[k] for k in (401, 403, 404)},
)
def edit_points(request: Request, session: Controlled, edit: PointsEdit):
    """Add points (to the training set) and remove points (by index among all points), keeping the
    weights: the run goes on with the new data. The dataset becomes a 'points' dataset."""
    request.app.state.registry.limits.check_points(len(session.run.dataset.labels) + len(edit.add), "add")
    session.player.edit_points([(p.x, p.y, p.label) for p in edit.add], edit.remove)
    return session.summary()
