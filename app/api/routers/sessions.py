"""Sessions: start a run, fork one, read its summary, delete it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response

from app.training.config import RunConfig

from ..deps import Controlled, Sessions, Viewed
from ..responses import BAD_INPUT, CONTROL, NO_SUCH, error_responses
from ..schemas.sessions import ForkRequest, SessionCreated, SessionSummary

router = APIRouter(prefix="/api/sessions", tags=["sessions"], responses=BAD_INPUT)

ReplacedBy = Annotated[
    str | None, Query(max_length=64, description="the driver's new run: its watchers move there")
]


@router.post("", response_model=SessionCreated, status_code=201, responses=error_responses(429))
def create_session(registry: Sessions, config: RunConfig | None = None):
    """Start a run (paused at step 0). Every field has a default: `{}` gives the classic moons run."""
    return SessionCreated.of(registry.create(config or RunConfig()))


@router.post(
    "/{session_id}/fork", response_model=SessionCreated, status_code=201, responses=error_responses(404, 429)
)
def fork_session(registry: Sessions, session: Viewed, fork: ForkRequest | None = None):
    """A new run that goes on from this one exactly as it was at `at_step` (its parameters,
    optimizer state, mini-batch order and points), with `changes`; paused there. No token needed:
    anyone who can watch a run may fork it, and the fork's token is theirs. A fork keeps the
    network's shape; it counts against the server's limit on sessions like any new run."""
    fork = fork or ForkRequest()
    return SessionCreated.of(registry.fork(session, fork.at_step, fork.changes))


@router.get("/{session_id}", response_model=SessionSummary, responses=NO_SUCH)
def read_session(session: Viewed):
    return session.summary()


@router.delete("/{session_id}", status_code=204, responses=CONTROL)
def delete_session(registry: Sessions, session: Controlled, replaced_by: ReplacedBy = None):
    """Delete the run. With replaced_by (the driver started a new run), everyone watching is told
    the new run's id, so a classroom follows the teacher from one run to the next."""
    if replaced_by is not None and (replaced_by == session.id or registry.get(replaced_by) is None):
        raise HTTPException(422, f"replaced_by must be another existing session, got {replaced_by!r}")
    registry.delete(session.id, replaced_by)
    return Response(status_code=204)
