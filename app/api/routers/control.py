"""Driving a session (each route needs its control token): step, play, pause, reset, change the
hyperparameters, edit the points, set one weight."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from app.training.config import Hyperparameters
from app.training.run import STOPPED
from app.training.weight_edit import WeightEditError

from ..deps import Controlled, Limits, ServerSettings
from ..driving import add_and_remove_points, steps_while_connected, why_fewer
from ..responses import BAD_INPUT, CONTROL, error_responses
from ..schemas.sessions import PointsEdit, SessionSummary, StepRequest, StepResult, WeightEdit, WeightEditOut

router = APIRouter(prefix="/api/sessions", tags=["control"], responses=BAD_INPUT | CONTROL)
NOT_NOW = error_responses(409)


@router.post("/{session_id}/step", response_model=StepResult, responses=NOT_NOW)
async def step_session(
    request: Request, session: Controlled, settings: ServerSettings, body: StepRequest | None = None
):
    """Pause and take n steps (default 1). Stops early if the run diverges, if the steps take
    longer than the server's max_step_seconds, or if the client goes away."""
    n = (body or StepRequest()).n
    if n > settings.max_steps_per_request:
        raise HTTPException(
            422,
            f"n must be at most {settings.max_steps_per_request} steps per request on this server, got {n}",
        )
    if session.run.status in STOPPED:
        raise HTTPException(409, session.run.message + " (POST .../reset first)")
    seconds = settings.max_step_seconds
    taken = await steps_while_connected(request, session, n, seconds)
    return StepResult(taken=taken, stopped=why_fewer(session, taken, n, seconds), session=session.summary())


@router.post("/{session_id}/play", response_model=SessionSummary, responses=NOT_NOW)
def play_session(session: Controlled):
    """Train continuously at the run's steps_per_second until paused."""
    session.player.play()
    return session.summary()


@router.post("/{session_id}/pause", response_model=SessionSummary)
def pause_session(session: Controlled):
    session.player.pause()
    return session.summary()


@router.post("/{session_id}/reset", response_model=SessionSummary)
def reset_session(session: Controlled):
    """Back to step 0 with the same initial weights (same seed); clears a divergence."""
    session.player.reset()
    return session.summary()


@router.patch("/{session_id}", response_model=SessionSummary)
def patch_session(session: Controlled, changes: Hyperparameters):
    """Change learning rate, optimizer, beta1, lam, batch size or speed without a reset."""
    session.player.update(changes)
    return session.summary()


@router.post("/{session_id}/points", response_model=SessionSummary)
def edit_points(session: Controlled, limits: Limits, edit: PointsEdit):
    """Add points (to the training set) and remove points (by index among all points), keeping the
    weights: the run goes on with the new data. The dataset becomes a 'points' dataset."""
    add_and_remove_points(session, limits, edit.add, edit.remove)
    return session.summary()


@router.patch("/{session_id}/weights", response_model=WeightEditOut)
def set_weight(session: Controlled, edit: WeightEdit):
    """Set one weight, params[name][index] = value (the network diagram's edit): the run goes on
    from it, and every viewer sees it in the next frame. Not a step; the history stays."""
    index = (edit.index[0], edit.index[1])
    try:
        session.player.set_weight(edit.name, index, edit.value)
    except WeightEditError as e:
        raise HTTPException(422, [{"loc": ["body", e.field], "msg": str(e), "type": "value_error"}]) from None
    with session.player.lock:
        stored = float(session.run.params[edit.name][index])
        step = session.run.step_count
    return WeightEditOut(name=edit.name, index=list(index), value=stored, step=step)
