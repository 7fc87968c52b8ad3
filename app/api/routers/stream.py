"""The live stream of a session, /ws/sessions/{id}: who may connect (app.api.stream.handshake), then
a hello, then frames and messages until either side ends (app.api.stream.viewer and .inbox)."""

from __future__ import annotations

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from app.frames import messages

from ..deps import Frames, Limits, ServerSettings, Sessions
from ..stream.handshake import (
    PROTOCOL,
    Refused,
    admit,
    offered_protocols,
    offered_viewer,
    origin_allowed,
    refuse,
)
from ..stream.inbox import Inbox
from ..stream.viewer import Viewer

router = APIRouter()


@router.websocket("/ws/sessions/{session_id}")
async def watch_session(
    websocket: WebSocket,
    session_id: str,
    settings: ServerSettings,
    registry: Sessions,
    limits: Limits,
    feeds: Frames,
):
    """Watch a session; a client that offers the subprotocol bpv.token.<control token> drives it."""
    if not origin_allowed(websocket, settings.allowed_origins):
        await websocket.close(code=4403)  # before accept: the handshake fails with 403
        return
    # A browser fails the connection unless the server picks one of the protocols it offered
    await websocket.accept(subprotocol=PROTOCOL if PROTOCOL in offered_protocols(websocket) else None)
    try:
        session, role = admit(websocket, registry, session_id, settings.max_viewers)
    except Refused as refused:
        await refuse(websocket, refused)
        return
    viewer = Viewer(websocket, session, role, settings)
    driver = role == "driver"
    if not driver:  # a watcher votes with the id the server gives its socket (or gave it before)
        offered = offered_viewer(offered_protocols(websocket))
        viewer.viewer_id = session.viewer_ids.take(offered, settings.max_viewers)
    session.add_viewer(driver)  # a driver coming back: its watchers are told by their own Viewer
    try:
        hello = messages.hello(session, role)
        hello["viewer"] = viewer.viewer_id
        hello["polls"] = session.run.polls.views(driver, viewer.viewer_id)  # with its own votes
        viewer.told_driver_away = hello["session"]["driver_away"]
        await viewer.send_json(hello)
        await viewer.serve(Inbox(viewer, limits).receive, feeds)
    except WebSocketDisconnect:
        pass
    finally:
        session.remove_viewer(driver)  # the last driver leaving: the grace period begins
        if viewer.viewer_id is not None:
            session.viewer_ids.give_back(viewer.viewer_id, settings.max_viewers)
