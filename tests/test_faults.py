"""Faults: viewers that vanish mid-frame or stop reading, and reconnects that pick the run up again."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest

from .test_stream import Watcher, new_session, subprotocols


def wait_for(predicate, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def raw_websocket(server, path: str, token: str | None = None) -> socket.socket:
    """A bare TCP WebSocket handshake, so the test can drop the connection with no close frame."""
    sock = socket.create_connection(("127.0.0.1", server.settings.port))
    sock.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.settings.port}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: {', '.join(subprotocols(token))}\r\n\r\n"
        ).encode()
    )
    assert b"101" in sock.recv(4096).split(b"\r\n")[0]
    return sock


def viewers(server, session_id) -> int:
    return httpx.get(f"{server.url}/api/sessions/{session_id}").json()["viewers"]


def test_a_viewer_that_vanishes_mid_frame_is_forgotten_and_others_go_on(live_server):
    c = new_session(live_server, {"hidden": 200, "steps_per_second": 500})
    steady = Watcher(live_server, c["id"], c["token"])
    steady.send({"type": "play"})
    sock = raw_websocket(live_server, f"/ws/sessions/{c['id']}")
    sock.recv(1000)  # part of the hello and perhaps of a frame, then gone without a close frame
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()  # linger 0: a TCP reset, as when a laptop lid closes
    wait_for(lambda: viewers(live_server, c["id"]) == 1, what="the vanished viewer to be dropped")
    first = steady.next_frame()[0]["step"]
    later = steady.next_frame()[0]["step"]
    assert later > first
    steady.send({"type": "pause"})
    steady.close()


@pytest.mark.slow
def test_a_client_that_stops_reading_gets_no_unbounded_backlog(live_server):
    c = new_session(live_server, {"steps_per_second": 2000})
    sock = raw_websocket(live_server, f"/ws/sessions/{c['id']}", token=c["token"])
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    masked_play = bytes([0x81, 0x80 | 15]) + b"\0\0\0\0" + b'{"type":"play"}'  # a text frame, zero mask
    sock.sendall(masked_play)
    time.sleep(1.5)  # the run trains; this client reads nothing and acks nothing
    sock.setblocking(False)
    waiting = 0
    try:
        while chunk := sock.recv(1 << 20):
            waiting += len(chunk)
    except BlockingIOError:
        pass
    # hello + ok + one frame is all that was sent: no frames pile up for a client that does not ack
    assert waiting < 64 * 1024, waiting
    assert httpx.get(f"{live_server.url}/api/sessions/{c['id']}").json()["step"] > 100
    other = Watcher(live_server, c["id"])
    assert other.next_frame()[0]["step"] > 100
    other.close()
    sock.close()
    httpx.post(
        f"{live_server.url}/api/sessions/{c['id']}/pause", headers={"Authorization": f"Bearer {c['token']}"}
    )


def test_a_reconnect_resumes_the_same_session(live_server):
    c = new_session(live_server)
    first = Watcher(live_server, c["id"], c["token"])
    first.send({"type": "step", "n": 9})
    first.frame_at_step(9)
    first.close()
    wait_for(lambda: viewers(live_server, c["id"]) == 0, what="the first socket to be dropped")
    again = Watcher(live_server, c["id"], c["token"])
    assert again.hello["role"] == "driver" and again.hello["session"]["step"] == 9
    assert len(again.hello["history"]["step"]) == 9
    again.send({"type": "step", "n": 1})
    assert again.frame_at_step(10)[0]["step"] == 10
    again.close()


def test_hello_carries_enough_to_redraw_after_a_reconnect(live_server):
    c = new_session(live_server, {"dataset": {"kind": "blobs", "classes": 4}})
    w = Watcher(live_server, c["id"])
    assert set(w.hello) >= {"type", "role", "session", "classes", "points", "box", "history"}
    assert json.dumps(w.hello)  # plain JSON
    w.close()
