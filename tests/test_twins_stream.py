"""Twins over real sockets: each run keeps its own stream, says in its hello that it is a twin,
refuses its own play, step and reset, and follows the twins' controls."""

from __future__ import annotations

import httpx
import numpy as np

from .conftest import auth
from .test_stream import Watcher, new_session


def test_each_twin_streams_the_lock_step_and_refuses_its_own_play(live_server):
    parent = new_session(live_server)
    twins = httpx.post(f"{live_server.url}/api/sessions/{parent['id']}/twins", json={}).json()
    left = Watcher(live_server, twins["left"]["id"], twins["left"]["token"])
    right = Watcher(live_server, twins["right"]["id"])  # a viewer of the right
    assert left.hello["twins"] == {"id": twins["id"], "side": "left", "other": twins["right"]["id"]}
    assert right.hello["session"]["twins"]["side"] == "right"
    for message in ({"type": "play"}, {"type": "step", "n": 3}, {"type": "reset"}):
        left.send(message)
        reply = left.next_text()
        assert reply["type"] == "error" and reply["for"] == message["type"], reply
        says = reply["message"]
        assert f"one of twins {twins['id']}" in says and f"/api/twins/{twins['id']}" in says
    left.send({"type": "set", "learning_rate": 0.5})  # its settings are its own
    assert left.next_text() == {"type": "ok", "for": "set", "step": 0, "status": "paused"}

    url = f"{live_server.url}/api/twins/{twins['id']}"
    r = httpx.post(f"{url}/step", json={"n": 7}, headers=auth(twins["token"]))
    assert r.status_code == 200 and r.json()["left"]["step"] == r.json()["right"]["step"] == 7
    left_header, left_arrays = left.frame_at_step(7)
    right_header, right_arrays = right.frame_at_step(7)
    assert left_header["learning_rate"] == 0.5 and right_header["learning_rate"] == 1.0
    assert not np.array_equal(left_arrays["W1"], right_arrays["W1"])

    r = httpx.post(f"{url}/reset", headers=auth(twins["token"]))
    assert r.status_code == 200
    header, arrays = right.frame_at_step(0)  # the right's viewer follows it back to the fork step
    assert right.next_text()["type"] == "points"  # sent again: the reset's run is another object
    left.close()
    right.close()
