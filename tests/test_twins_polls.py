"""Polls of a twinned run live through a twins reset, as through a run's own reset: the questions
stay (one still awaiting steps is answered "no answer: reset"), ids go on, and a watcher connected
before the reset is told of the polls asked after it."""

from __future__ import annotations

import httpx

from .conftest import auth
from .test_polls_stream import next_poll
from .test_stream import Watcher, new_session


def test_a_twins_reset_keeps_the_polls_and_the_watchers_subscription(live_server):
    parent = new_session(live_server)
    twins = httpx.post(f"{live_server.url}/api/sessions/{parent['id']}/twins", json={}).json()
    left_id, left_auth = twins["left"]["id"], auth(twins["left"]["token"])
    watcher = Watcher(live_server, left_id)
    polls = f"{live_server.url}/api/sessions/{left_id}/polls"
    asked = httpx.post(polls, json={"template": "diverges", "n": 10}, headers=left_auth)
    assert asked.status_code == 201, asked.text
    assert next_poll(watcher)["id"] == 1

    reset = httpx.post(f"{live_server.url}/api/twins/{twins['id']}/reset", headers=auth(twins["token"]))
    assert reset.status_code == 200, reset.text
    kept = httpx.get(polls).json()
    assert [p["id"] for p in kept] == [1] and kept[0]["question"] == asked.json()["question"]

    new = httpx.post(
        polls, json={"template": "text", "question": "new?", "choices": ["x", "y"]}, headers=left_auth
    )
    assert new.status_code == 201 and new.json()["id"] == 2, new.text  # a stale card's vote for 1 stays on 1
    seen = next_poll(watcher)
    if seen["id"] == 1:  # poll 1 first, answered by the reset (hidden until revealed)
        seen = next_poll(watcher)
    assert seen["id"] == 2 and seen["question"] == "new?"  # the watcher is still subscribed
    watcher.close()

    for what in ("close", "reveal"):
        r = httpx.post(f"{polls}/1/{what}", headers=left_auth)
        assert r.status_code == 200, r.text
    answer = r.json()["answer"]
    assert answer["text"].startswith("no answer: the run was reset") and "choice" not in answer, answer
