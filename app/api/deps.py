"""What routes read through Depends: the server's settings and the objects the app holds (the
registry of runs, its limits, the store of saved runs, the frame feeds, the page's static files),
a session looked up by id (404), a session whose control token the request carries (401, 403),
the grid limit.

Each takes the connection, not a Request, so that the WebSocket route reads them the same way.
Those that only look something up are `async def`: FastAPI runs a plain `def` dependency in a
worker thread, and under load each hop to a thread and back cost a request milliseconds."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Path
from starlette.requests import HTTPConnection

from app.frames.feed import FrameFeeds
from app.training.limits import RunLimits
from app.training.registry import Registry
from app.training.session import Session
from app.training.store import RunStore

from .settings import Settings
from .static_assets import StaticTree


async def settings_of(connection: HTTPConnection) -> Settings:
    return connection.app.state.settings


async def registry_of(connection: HTTPConnection) -> Registry:
    return connection.app.state.registry


async def store_of(connection: HTTPConnection) -> RunStore:
    return connection.app.state.store


async def frame_feeds_of(connection: HTTPConnection) -> FrameFeeds:
    return connection.app.state.frame_feeds


def static_tree_of(connection: HTTPConnection) -> StaticTree:
    return connection.app.state.static_tree


ServerSettings = Annotated[Settings, Depends(settings_of)]
Sessions = Annotated[Registry, Depends(registry_of)]
Store = Annotated[RunStore, Depends(store_of)]
Frames = Annotated[FrameFeeds, Depends(frame_feeds_of)]
StaticAssets = Annotated[StaticTree, Depends(static_tree_of)]


async def inspection_turn(connection: HTTPConnection):
    """Wait for one of the server's few inspection turns, holding no thread meanwhile. A gradient
    check on the largest run takes a minute and a thread of the pool every route shares: without
    turns, forty anonymous ones at once left no thread to answer anything else for minutes."""
    async with connection.app.state.inspections:
        yield


async def limits_of(registry: Sessions) -> RunLimits:
    """What this server lets a run be (its size, its number of points)."""
    return registry.limits


Limits = Annotated[RunLimits, Depends(limits_of)]


async def session_of(registry: Sessions, session_id: Annotated[str, Path(max_length=64)]) -> Session:
    session = registry.get(session_id)
    if session is None:
        raise HTTPException(404, f"no session {session_id!r}: it was deleted, expired, or never existed")
    return session


Viewed = Annotated[Session, Depends(session_of)]
Authorization = Annotated[str | None, Header()]


def check_bearer(authorization: str | None, token: str, what: str) -> None:
    """401 without 'Authorization: Bearer <token>', 403 with another token (compared in constant
    time); `what` names the thing the token opens, for the message."""
    if not authorization or not authorization.startswith("Bearer "):
        raise HTTPException(401, f"this changes {what}: send its token as 'Authorization: Bearer <token>'")
    if not secrets.compare_digest(authorization[len("Bearer ") :].encode(), token.encode()):
        raise HTTPException(403, f"wrong token for {what}")


async def controlled_session(session: Viewed, authorization: Authorization = None) -> Session:
    """The session, if the request carries its control token."""
    check_bearer(authorization, session.token, "this session")
    return session


Controlled = Annotated[Session, Depends(controlled_session)]


@dataclass(frozen=True)
class GridLimit:
    """The largest decision grid G x G this server computes (its max_grid setting), tighter than the
    schema's bound; checked where the route's other checks are, so that they answer in their order."""

    most: int

    def check(self, G: int) -> None:
        if G > self.most:
            raise HTTPException(422, f"G must be at most {self.most} on this server, got {G}")


async def grid_limit(settings: ServerSettings) -> GridLimit:
    return GridLimit(settings.max_grid)


MaxGrid = Annotated[GridLimit, Depends(grid_limit)]


RunId = Annotated[str, Path(max_length=64)]


def _stored(store: RunStore, run_id: str) -> dict:
    document = store.document(run_id)
    if document is None:
        raise HTTPException(404, f"no saved run {run_id!r}")
    return document


def saved_run_info(store: Store, run_id: RunId) -> dict:
    """A saved run's summary (id, name, step...); 404 if there is none."""
    info = store.info(run_id)
    if info is None:
        raise HTTPException(404, f"no saved run {run_id!r}")
    return info


def saved_run_document(store: Store, run_id: RunId) -> dict:
    """A saved run's whole document, without the token that deletes it; 404 if there is none."""
    document = _stored(store, run_id)
    document.pop("_token", None)
    return document


def owned_saved_run(store: Store, run_id: RunId, authorization: Authorization = None) -> str:
    """The saved run's id, if the request carries the token it was saved with (404 first)."""
    check_bearer(authorization, _stored(store, run_id).get("_token", ""), "this saved run")
    return run_id


SavedInfo = Annotated[dict, Depends(saved_run_info)]
SavedDocument = Annotated[dict, Depends(saved_run_document)]
OwnedSavedRun = Annotated[str, Depends(owned_saved_run)]
