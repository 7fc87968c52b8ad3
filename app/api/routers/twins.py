"""Twins: make two runs from one at one step (or from a paired preset), read them, drive them in
lock-step with the twins' token, read how far apart they moved, end the twinning."""

from __future__ import annotations

import functools
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response

from app.training.twins import Twins
from app.training.twins_presets import BY_NAME, TWINS_PRESETS, preset_start

from ..deps import Authorization, ServerSettings, Sessions, Viewed, check_bearer
from ..driving import while_connected
from ..responses import BAD_INPUT, error_responses
from ..schemas.sessions import StepRequest
from ..schemas.twins import (
    TwinsCreated,
    TwinsDistance,
    TwinsPresetInfo,
    TwinsPresetRequest,
    TwinsRequest,
    TwinsSummary,
)

router = APIRouter(tags=["twins"], responses=BAD_INPUT)
NOT_NOW = error_responses(409)
CONTROL = error_responses(401, 403, 404)
MAX_SINCE = 2**31 - 1


async def twins_of(registry: Sessions, twins_id: Annotated[str, Path(max_length=64)]) -> Twins:
    twins = registry.get_twins(twins_id)
    if twins is None:
        raise HTTPException(404, f"no twins {twins_id!r}: they ended, or never existed")
    return twins


Watched = Annotated[Twins, Depends(twins_of)]


async def controlled_twins(twins: Watched, authorization: Authorization = None) -> Twins:
    """The twins, if the request carries their control token (not either run's own)."""
    check_bearer(authorization, twins.token, "these twins")
    return twins


Driven = Annotated[Twins, Depends(controlled_twins)]


@router.post(
    "/api/sessions/{session_id}/twins",
    response_model=TwinsCreated,
    status_code=201,
    responses=error_responses(404, 429),
)
def twin_session(registry: Sessions, session: Viewed, body: TwinsRequest | None = None):
    """Two new runs from this one as it was at `at_step` (default: now): "left" unchanged, "right"
    with `changes` (what a fork takes), both paused at that step and played in lock-step by the
    twins' token. No token needed, as for a fork. Both or neither: 429 if the server's limit on
    sessions has no room for two."""
    body = body or TwinsRequest()
    return registry.twin(session, body.at_step, body.changes).created()


@router.get("/api/twins/presets", response_model=list[TwinsPresetInfo])
def list_twins_presets():
    """The paired presets: POST /api/twins {"preset": name} makes one."""
    return [
        {"name": p.name, "title": p.title, "description": p.description, "step": p.step}
        for p in TWINS_PRESETS
    ]


@router.post("/api/twins", response_model=TwinsCreated, status_code=201, responses=error_responses(429))
def twin_preset(registry: Sessions, body: TwinsPresetRequest):
    """Twins from a paired preset: its base run trained to its fork step (a few dozen steps, on a
    worker thread), then twinned with the preset's change."""
    preset = BY_NAME[body.preset]
    registry.expire_idle()
    registry.check_room(2)  # before the base run is trained
    start = preset_start(preset, f"preset:{preset.name}")
    return registry.twin_from(start, preset.changes, preset.title).created()


@router.get("/api/twins/{twins_id}", response_model=TwinsSummary, responses=error_responses(404))
def read_twins(twins: Watched):
    return twins.summary()


@router.get("/api/twins/{twins_id}/distance", response_model=TwinsDistance, responses=error_responses(404))
def read_distance(
    twins: Watched,
    since: Annotated[int, Query(ge=0, le=MAX_SINCE, description="the first step wanted")] = 0,
):
    """‖W(l) − W′(l)‖_F for every layer at the steps both runs took together from `since` on
    (the fork step's row, 0, included when asked for), at most 1024 rows: a long pair keeps a
    row every 2, 4, ... steps."""
    with twins.locked():
        return twins.distance.since(since)


@router.post("/api/twins/{twins_id}/play", response_model=TwinsSummary, responses=CONTROL | NOT_NOW)
def play_twins(twins: Driven):
    """Play both runs in lock-step, at the slower one's steps_per_second, until paused."""
    twins.play()
    return twins.summary()


@router.post("/api/twins/{twins_id}/pause", response_model=TwinsSummary, responses=CONTROL)
def pause_twins(twins: Driven):
    twins.pause()
    return twins.summary()


@router.post("/api/twins/{twins_id}/step", response_model=TwinsSummary, responses=CONTROL | NOT_NOW)
async def step_twins(
    request: Request, twins: Driven, settings: ServerSettings, body: StepRequest | None = None
):
    """Pause and take n steps of both (default 1). A run that stopped (diverged, failed) stays
    where it stopped and the other goes on; stops early after the server's max_step_seconds or if
    the client goes away."""
    n = (body or StepRequest()).n
    if n > settings.max_steps_per_request:
        raise HTTPException(
            422,
            f"n must be at most {settings.max_steps_per_request} steps per request on this server, got {n}",
        )
    # Each of these takes both runs' locks, which a burst of a big run holds: never on the loop.
    await anyio.to_thread.run_sync(twins.check_going)  # a 409 here, not from while_connected's tasks
    await while_connected(request, functools.partial(twins.step, n, settings.max_step_seconds))
    return await anyio.to_thread.run_sync(twins.summary)


@router.post("/api/twins/{twins_id}/reset", response_model=TwinsSummary, responses=CONTROL | NOT_NOW)
def reset_twins(twins: Driven):
    """Both back to the fork step, exactly as they were there (a divergence is cleared); 409 if
    the twins were ended meanwhile (both runs then stay as they were)."""
    twins.reset()
    return twins.summary()


@router.delete("/api/twins/{twins_id}", status_code=204, responses=CONTROL)
def end_twins(registry: Sessions, twins: Driven):
    """End the twinning: both runs live on as ordinary runs, each driven with its own token."""
    registry.end_twins(twins.id)
    return Response(status_code=204)
