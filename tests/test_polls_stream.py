"""Polls over a real socket: every viewer told of a poll's changes (counts only once revealed, the
driver's socket live), votes sent as messages, a vote after closing refused politely, bad votes
answered with an error and the connection going on, a reconnecting viewer keeping its vote."""

from __future__ import annotations

import httpx
import pytest

from .conftest import auth
from .test_stream import Watcher, new_session

MADE_UP = "viewer-ann-0001"  # an id no hello gave


def next_of(watcher: Watcher, kind: str, timeout=10.0) -> dict:
    """The next text message of this type, acking frames met on the way (others are skipped)."""
    while True:
        message = watcher.next_text(timeout=timeout)
        if message["type"] == kind:
            return message


def next_poll(watcher: Watcher, state: str | None = None) -> dict:
    while True:
        poll = next_of(watcher, "poll")["poll"]
        if state is None or poll["state"] == state:
            return poll


@pytest.mark.slow  # about two seconds: three sockets through a whole poll
def test_poll_lifecycle_over_a_real_socket(live_server):
    c = new_session(live_server)
    sid, h = c["id"], auth(c["token"])
    driver = Watcher(live_server, sid, c["token"])
    ann, ben = Watcher(live_server, sid), Watcher(live_server, sid)
    assert ann.hello["polls"] == []
    url = f"{live_server.url}/api/sessions/{sid}/polls"
    poll = httpx.post(url, json={"template": "loss_after", "n": 10}, headers=h).json()

    for w in (driver, ann, ben):
        told = next_poll(w)
        assert told["id"] == poll["id"] and told["state"] == "open" and told["choices"] == ["lower", "higher"]
    assert told["counts"] is None

    ann.send({"type": "vote", "poll": poll["id"], "choice": 1})
    assert next_of(ann, "ok") == {"type": "ok", "for": "vote", "poll": poll["id"], "choice": 1}
    assert next_poll(driver)["counts"] == [0, 1]  # the driver's count, live
    ann.send({"type": "vote", "poll": poll["id"], "choice": 0})  # changed
    next_of(ann, "ok")
    ben.send({"type": "vote", "poll": poll["id"], "choice": 0})
    next_of(ben, "ok")
    while (live := next_poll(driver))["counts"] != [2, 0]:
        assert live["voters"] <= 2

    httpx.post(f"{url}/{poll['id']}/close", headers=h)
    for w in (ann, ben):  # watchers are told voting began (if not yet closed), never each vote
        news = [next_poll(w)]
        while news[-1]["state"] != "closed":
            news.append(next_poll(w))
        assert [p["state"] for p in news] in (["voting", "closed"], ["closed"])
        assert all(p["counts"] is None for p in news)
    ben.send({"type": "vote", "poll": poll["id"], "choice": 1})
    refused = next_of(ben, "error")
    assert refused["for"] == "vote" and "closed" in refused["message"]

    httpx.post(f"{url}/{poll['id']}/reveal", headers=h)
    revealed = next_poll(ann, "revealed")
    assert revealed["counts"] == [2, 0] and revealed["answer"] is None

    driver.send({"type": "step", "n": 10})
    answered = next_poll(ben, "answered")
    assert answered["answer"]["choice"] == 0 and answered["right_share"] == 1.0
    assert answered["mine"] == 0 and answered["mine_right"] is True  # judged by the server
    for w in (driver, ann, ben):
        w.close()


@pytest.mark.slow  # among the quick loop's heaviest (0.5-0.8 s): the full suite runs it
def test_bad_votes_get_an_error_and_the_socket_goes_on(live_server):
    c = new_session(live_server)
    sid = c["id"]
    httpx.post(
        f"{live_server.url}/api/sessions/{sid}/polls",
        json={"template": "text", "question": "Q", "choices": ["a", "b"]},
        headers=auth(c["token"]),
    )
    w = Watcher(live_server, sid)
    for message, words in (
        ({"type": "vote", "poll": 1, "choice": 5}, "choice"),
        ({"type": "vote", "poll": 1, "viewer": "x", "choice": 0}, "viewer"),
        ({"type": "vote", "poll": 1, "viewer": MADE_UP, "choice": 0}, "viewer id its hello gave"),
        ({"type": "vote", "poll": 1, "choice": False}, "choice"),
        ({"type": "vote", "poll": 9, "choice": 0}, "no poll 9"),
        ({"type": "vote", "poll": 1}, "choice"),
    ):
        w.send(message)
        error = next_of(w, "error")
        assert error["for"] == "vote" and words in error["message"], error
    w.send({"type": "ping"})
    assert next_of(w, "pong") == {"type": "pong"}
    r = httpx.get(f"{live_server.url}/api/sessions/{sid}/polls/1")
    assert r.json()["voters"] == 0
    w.close()


def test_a_reconnecting_viewer_keeps_its_vote(live_server):
    c = new_session(live_server)
    sid = c["id"]
    httpx.post(
        f"{live_server.url}/api/sessions/{sid}/polls",
        json={"template": "first_flip", "n": 20},
        headers=auth(c["token"]),
    )
    w = Watcher(live_server, sid)
    me = w.hello["viewer"]
    w.send({"type": "vote", "poll": 1, "choice": 42})
    next_of(w, "ok")
    w.close()
    again = Watcher(live_server, sid, viewer=me)  # the page offers back the id it kept for the tab
    assert again.hello["viewer"] == me
    assert again.hello["polls"][0]["state"] == "voting" and again.hello["polls"][0]["mine"] == 42
    other = Watcher(live_server, sid, viewer=me)  # a second socket (a duplicated tab): its own id
    stranger = Watcher(live_server, sid, viewer=MADE_UP)  # an id this session never issued
    assert len({me, other.hello["viewer"], stranger.hello["viewer"], MADE_UP}) == 4
    again.send({"type": "vote", "poll": 1, "choice": 43})
    next_of(again, "ok")
    after = httpx.get(f"{live_server.url}/api/sessions/{sid}/polls/1", params={"viewer": me}).json()
    assert after["mine"] == 43 and after["voters"] == 1
    for socket in (again, other, stranger):
        socket.close()
