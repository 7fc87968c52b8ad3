"""Who may open the stream, and as what: same-origin browsers (or clients that are not browsers),
a driver offering the control token as a subprotocol, a watcher offering none."""

from __future__ import annotations

import json
import secrets

from fastapi import WebSocket

from app.training.registry import Registry
from app.training.session import Session

# Offered by the client as WebSocket subprotocols (Sec-WebSocket-Protocol). The server accepts with
# PROTOCOL and never echoes the token's: a header keeps the token out of the URL, and so out of
# every access log and proxy log on the way.
PROTOCOL = "bpv.v1"
TOKEN_PROTOCOL_PREFIX = "bpv.token."
# A watcher's page offers back the viewer id an earlier hello gave it, to keep its votes.
VIEWER_PROTOCOL_PREFIX = "bpv.viewer."
TOKEN_IN_URL = (
    "the control token does not go in the URL (servers log URLs); offer it as a WebSocket "
    f'subprotocol instead: new WebSocket(url, ["{PROTOCOL}", "{TOKEN_PROTOCOL_PREFIX}" + token])'
)


class Refused(Exception):
    """The connection is refused, after the handshake, with a message and a close code."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.message = message
        self.code = code


def origin_allowed(websocket: WebSocket, allowed: str) -> bool:
    """Same-origin by default: a page on another site must not drive a classroom's sessions from
    a student's browser. Clients that are not browsers send no Origin and are let in."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    host = websocket.headers.get("host", "")
    extra = {o.strip().rstrip("/") for o in allowed.split(",") if o.strip()}
    return origin.split("://", 1)[-1].rstrip("/") == host or origin.rstrip("/") in extra


def offered_protocols(websocket: WebSocket) -> list[str]:
    return websocket.scope.get("subprotocols", [])


def offered_token(subprotocols: list[str]) -> str | None:
    """The control token a driver offers as the subprotocol "bpv.token.<token>", or None."""
    for protocol in subprotocols:
        if protocol.startswith(TOKEN_PROTOCOL_PREFIX):
            return protocol[len(TOKEN_PROTOCOL_PREFIX) :]
    return None


def offered_viewer(subprotocols: list[str]) -> str | None:
    """The viewer id a reconnecting page offers as the subprotocol "bpv.viewer.<id>", or None."""
    for protocol in subprotocols:
        if protocol.startswith(VIEWER_PROTOCOL_PREFIX):
            return protocol[len(VIEWER_PROTOCOL_PREFIX) :][:64]
    return None


def admit(websocket: WebSocket, registry: Registry, session_id: str, max_viewers: int) -> tuple[Session, str]:
    """The session and the role ("driver" with the right token, else "viewer") of an accepted
    connection; Refused if the token is in the URL or wrong, the session unknown or full."""
    if "token" in websocket.query_params:
        # Refused even when right, so that no client goes on writing the secret into URLs
        raise Refused(TOKEN_IN_URL, 4400)
    session = registry.get(session_id[:64])
    if session is None:
        raise Refused(
            f"no session {session_id[:64]!r}: it was deleted, expired, or never existed "
            "(a server that restarted has forgotten every run)",
            4404,
        )
    token = offered_token(offered_protocols(websocket))
    if token is not None and not secrets.compare_digest(token.encode(), session.token.encode()):
        raise Refused("wrong control token for this session", 4403)
    # The driver is always let in: strangers filling the share link's viewers must not lock the
    # teacher out of their own run.
    if token is None and session.viewers >= max_viewers:
        raise Refused(f"this session already has {session.viewers} viewers, the server's limit", 4429)
    return session, "driver" if token is not None else "viewer"


async def refuse(websocket: WebSocket, refused: Refused) -> None:
    await websocket.send_text(json.dumps({"type": "error", "message": refused.message, "for": None}))
    await websocket.close(code=refused.code)
