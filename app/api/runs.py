"""Saved runs: save a session, list, load into a new session that continues exactly, export and
import as a JSON file, delete (with the run's own token, returned when it was saved)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Request, Response
from pydantic import BaseModel, Field

from app.training.config import Strict
from app.training.saved_run import SavedRun, dump_session, restore_run

from .rest import ERRORS, Controlled, check_bearer
from .schemas import ErrorOut, SessionCreated

router = APIRouter(prefix="/api", tags=["saved runs"], responses={k: ERRORS[k] for k in (400, 422)})
RunId = Annotated[str, Path(max_length=64)]


class SaveRequest(Strict):
    name: str = Field("", max_length=200)


class SavedRunInfo(BaseModel):
    id: str
    name: str
    created: float = Field(description="seconds since the epoch")
    step: int
    kind: str
    hidden: int


class SavedRunCreated(SavedRunInfo):
    token: str = Field(description="needed to delete this saved run: 'Authorization: Bearer <token>'")


def store_of(request: Request):
    return request.app.state.store


def _stored(request: Request, document: dict) -> SavedRunCreated:
    token = secrets.token_urlsafe(24)
    info = store_of(request).save({**document, "_token": token})
    return SavedRunCreated(**info, token=token)


@router.post(
    "/sessions/{session_id}/save",
    response_model=SavedRunCreated,
    status_code=201,
    responses={k: ERRORS[k] for k in (401, 403, 404)}
    | {507: {"model": ErrorOut, "description": "the store holds its maximum of saved runs"}},
)
def save_session(request: Request, session: Controlled, body: SaveRequest | None = None):
    """Save the run as it is now (a running run goes on; the saved copy is paused)."""
    return _stored(request, dump_session(session, (body or SaveRequest()).name))


@router.get("/runs", response_model=list[SavedRunInfo])
def list_runs(request: Request):
    return store_of(request).list()


def _document(request: Request, run_id: str) -> dict:
    document = store_of(request).document(run_id)
    if document is None:
        raise HTTPException(404, f"no saved run {run_id!r}")
    return document


@router.get("/runs/{run_id}", response_model=SavedRunInfo, responses={404: ERRORS[404]})
def read_run(request: Request, run_id: RunId):
    info = store_of(request).info(run_id)
    if info is None:
        raise HTTPException(404, f"no saved run {run_id!r}")
    return info


@router.get("/runs/{run_id}/export", response_model=SavedRun, responses={404: ERRORS[404]})
def export_run(request: Request, run_id: RunId):
    """The saved run as a JSON file to keep or share; POST it to /api/runs to import it."""
    document = _document(request, run_id)
    document.pop("_token", None)
    return document


@router.post(
    "/runs/{run_id}/load",
    response_model=SessionCreated,
    status_code=201,
    responses={404: ERRORS[404], 429: {"model": ErrorOut}},
)
def load_run(request: Request, run_id: RunId):
    """A new session that continues the saved run exactly where it stopped (new id and token)."""
    document = _document(request, run_id)
    document.pop("_token", None)
    session = request.app.state.registry.restore(document)
    return SessionCreated(
        id=session.id, token=session.token, session=session.summary(), stream=f"/ws/sessions/{session.id}"
    )


@router.post(
    "/runs",
    response_model=SavedRunCreated,
    status_code=201,
    responses={507: {"model": ErrorOut, "description": "the store holds its maximum of saved runs"}},
)
def import_run(request: Request, run: SavedRun):
    """Import a saved-run file (from .../export). It is checked whole, and refused with a message
    naming the field if anything does not fit."""
    request.app.state.registry.verify(run)  # within this server's limits, before any data is built
    restore_run(run)  # the whole document must hold together, not only its schema
    return _stored(request, run.model_dump(mode="json"))


@router.delete("/runs/{run_id}", status_code=204, responses={k: ERRORS[k] for k in (401, 403, 404)})
def delete_run(request: Request, run_id: RunId, authorization: Annotated[str | None, Header()] = None):
    check_bearer(authorization, _document(request, run_id).get("_token", ""), "this saved run")
    store_of(request).delete(run_id)
    return Response(status_code=204)
