"""A run outlives its driver's page: when the driver's socket closes the run plays on as left, its
watchers are told the driver is away and then back, and it ends a grace period after the driver
left if the driver does not come back. The clock is injected; the messages go over a real socket."""

from __future__ import annotations

import time

import httpx
from websockets.sync.client import connect

from app.training.config import RunConfig
from app.training.registry import Registry

from .conftest import auth
from .test_stream import Watcher, new_session, subprotocols

GRACE = 600.0


def driven_registry() -> tuple[Registry, object]:
    """A registry whose one session had a driver connected, and a watcher who stays."""
    registry = Registry(max_sessions=4, idle_seconds=60, driver_grace_seconds=GRACE)
    session = registry.create(RunConfig())
    session.add_viewer(driver=True)
    session.add_viewer()  # a student watching
    return registry, session


def test_a_run_whose_driver_left_lives_until_the_grace_ends_then_closes():
    registry, session = driven_registry()
    left = time.monotonic()
    session.remove_viewer(driver=True, now=left)
    assert session.driver_away and session.summary()["driver_away"] is True
    assert registry.expire_idle(now=left + GRACE - 1) == []
    assert registry.get(session.id) is session and not session.player.closed
    assert registry.expire_idle(now=left + GRACE + 1) == [session.id]
    assert registry.get(session.id) is None and session.player.closed
    assert "did not come back within 10 min" in session.ended_because


def test_a_driver_back_within_the_grace_keeps_the_run():
    registry, session = driven_registry()
    left = time.monotonic()
    session.remove_viewer(driver=True, now=left)
    session.add_viewer(driver=True)  # the teacher's page reloaded
    assert not session.driver_away
    assert registry.expire_idle(now=left + GRACE * 10) == []
    # Two driver pages (a laptop and a phone): the run is away only when both have left.
    session.add_viewer(driver=True)
    session.remove_viewer(driver=True, now=left)
    assert not session.driver_away and registry.expire_idle(now=left + GRACE * 10) == []


def test_a_run_never_driven_over_a_socket_is_not_ended_by_the_grace():
    registry = Registry(max_sessions=4, idle_seconds=60, driver_grace_seconds=GRACE)
    scripted = registry.create(RunConfig())  # driven over REST: no driver socket ever
    scripted.add_viewer()
    assert not scripted.driver_away
    assert registry.expire_idle(now=time.monotonic() + GRACE * 10) == []


def next_message(watcher: Watcher, kind: str, timeout: float = 10.0) -> dict:
    """The next text message of this type (frames on the way are acked, other texts skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        message = watcher.next_text(timeout=max(deadline - time.monotonic(), 0.01))
        if message["type"] == kind:
            return message


def test_watchers_are_told_when_the_driver_leaves_and_comes_back(live_server):
    c = new_session(live_server)
    driver = Watcher(live_server, c["id"], c["token"])
    assert driver.hello["role"] == "driver" and driver.hello["session"]["driver_away"] is False
    driver.send({"type": "play"})
    viewer = Watcher(live_server, c["id"])
    assert viewer.hello["session"]["driver_away"] is False
    viewer.next_frame()

    driver.close()  # the teacher reloads, or closes the tab
    away = next_message(viewer, "driver")
    assert away == {
        "type": "driver",
        "away": True,
        "grace_seconds": live_server.settings.driver_grace_seconds,
    }
    summary = httpx.get(f"{live_server.url}/api/sessions/{c['id']}").json()
    assert summary["driver_away"] is True and summary["status"] == "running"  # plays on as left
    # The run goes on while the driver is away: the watcher's steps keep increasing.
    first = viewer.next_frame()[0]["step"]
    later = first
    while later <= first + 5:
        later = viewer.next_frame()[0]["step"]
    late_comer = Watcher(live_server, c["id"])  # a student arriving now is told in the hello
    assert late_comer.hello["session"]["driver_away"] is True

    back = Watcher(live_server, c["id"], c["token"])
    assert back.hello["role"] == "driver" and back.hello["session"]["status"] == "running"
    assert next_message(viewer, "driver") == {"type": "driver", "away": False}
    assert next_message(late_comer, "driver") == {"type": "driver", "away": False}
    back.send({"type": "pause"})
    assert next_message(back, "ok")["for"] == "pause"
    assert httpx.get(f"{live_server.url}/api/sessions/{c['id']}").json()["driver_away"] is False
    for w in (back, viewer, late_comer):
        w.close()


def test_a_ping_is_answered_with_a_pong(live_server):
    c = new_session(live_server)
    viewer = Watcher(live_server, c["id"])
    viewer.send({"type": "ping"})
    assert next_message(viewer, "pong") == {"type": "pong"}
    viewer.close()


def test_watchers_are_told_why_a_run_ended_after_the_grace(live_server):
    c = new_session(live_server)
    with connect(f"{live_server.ws_url}/ws/sessions/{c['id']}", subprotocols=subprotocols(c["token"])):
        pass  # the driver came and left
    registry = live_server.app.state.registry
    session = registry.get(c["id"])
    # The client's close returns before the server has run its side of it: wait for that, or the
    # watcher's hello may come first and still see the driver there.
    deadline = time.monotonic() + 10
    while session.driver_left_at is None and time.monotonic() < deadline:
        time.sleep(0.01)
    viewer = Watcher(live_server, c["id"])
    assert viewer.hello["session"]["driver_away"] is True
    grace = live_server.settings.driver_grace_seconds
    assert registry.expire_idle(now=session.driver_left_at + grace - 1) == []
    assert c["id"] in registry.expire_idle(now=session.driver_left_at + grace + 1)
    goodbye = next_message(viewer, "error")
    assert goodbye["message"] == "this run has ended: its driver did not come back within 30 min"
    assert viewer.ws.close_code is None or viewer.ws.close_code == 4410
    gone = httpx.get(f"{live_server.url}/api/sessions/{c['id']}", headers=auth(c["token"]))
    assert gone.status_code == 404
    viewer.close()
