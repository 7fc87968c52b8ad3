"""Saved runs: save a session, list, load into a new session that continues exactly, export and
import as a JSON file, delete (with the run's own token, returned when it was saved)."""

from __future__ import annotations

import json
import secrets

from fastapi import APIRouter, Response

from app.training.saved_run import SavedRun, dump_session_scored, restore_run, scores
from app.training.store import RunStore

from ..deps import Controlled, OwnedSavedRun, SavedDocument, SavedInfo, Sessions, Store
from ..responses import BAD_INPUT, CONTROL, NO_SUCH, error_responses
from ..schemas.runs import SavedRunCreated, SavedRunInfo, SaveRequest
from ..schemas.sessions import SessionCreated

router = APIRouter(prefix="/api", tags=["saved runs"], responses=BAD_INPUT)
STORE_FULL = error_responses(507)


def stored(store: RunStore, document: dict, run_scores: dict) -> SavedRunCreated:
    """Store the document with a new token of its own: whoever saved it can delete it."""
    token = secrets.token_urlsafe(24)
    return SavedRunCreated(**store.save({**document, "_token": token}, run_scores), token=token)


@router.post(
    "/sessions/{session_id}/save",
    response_model=SavedRunCreated,
    status_code=201,
    responses=CONTROL | STORE_FULL,
)
def save_session(store: Store, session: Controlled, body: SaveRequest | None = None):
    """Save the run as it is now (a running run goes on; the saved copy is paused). Without a
    name it is called after its data and step ("moons at step 120")."""
    return stored(store, *dump_session_scored(session, (body or SaveRequest()).name))


@router.get("/runs", response_model=list[SavedRunInfo])
def list_runs(store: Store):
    return store.list()


@router.get("/runs/{run_id}", response_model=SavedRunInfo, responses=NO_SUCH)
def read_run(info: SavedInfo):
    return info


@router.get("/runs/{run_id}/export", response_model=SavedRun, responses=NO_SUCH)
def export_run(document: SavedDocument):
    """The saved run as a JSON file to keep or share; POST it to /api/runs to import it."""
    # Written here, in the worker thread this route runs in: a largest run is 60 MB of JSON, and
    # FastAPI would check and write a returned dict on the event loop, stalling every stream.
    return Response(json.dumps(document, separators=(",", ":")), media_type="application/json")


@router.post(
    "/runs/{run_id}/load",
    response_model=SessionCreated,
    status_code=201,
    responses=NO_SUCH | error_responses(429),
)
def load_run(registry: Sessions, document: SavedDocument):
    """A new session that continues the saved run exactly where it stopped (new id and token)."""
    return SessionCreated.of(registry.restore(document))


@router.post("/runs", response_model=SavedRunCreated, status_code=201, responses=STORE_FULL)
def import_run(registry: Sessions, store: Store, run: SavedRun):
    """Import a saved-run file (from .../export). It is checked whole, and refused with a message
    naming the field if anything does not fit."""
    registry.verify(run)  # within this server's limits, before any data is built
    restored = restore_run(run)  # the whole document must hold together, not only its schema
    return stored(store, run.model_dump(mode="json"), scores(restored))


@router.delete("/runs/{run_id}", status_code=204, responses=CONTROL)
def delete_run(store: Store, run_id: OwnedSavedRun):
    store.delete(run_id)
    return Response(status_code=204)
