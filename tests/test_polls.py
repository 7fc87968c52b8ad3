"""Polls over REST: the lifecycle (open, vote, change a vote, close, a vote after closing refused,
reveal, answered), what a watcher sees and what only the driver does, the bounds, and a saved run
keeping its polls."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from app.api.settings import Settings
from app.main import create_app

from .conftest import LOCAL, auth

ALICE, BOB, CAROL = "viewer-alice-01", "viewer-bob-0002", "viewer-carol-03"


def new_run(client, body=None):
    r = client.post("/api/sessions", json=body or {})
    assert r.status_code == 201, r.text
    return r.json()["id"], auth(r.json()["token"])


def ask(client, sid, h, body):
    r = client.post(f"/api/sessions/{sid}/polls", json=body, headers=h)
    assert r.status_code == 201, r.text
    return r.json()


_issued: dict[tuple[int, str, str], str] = {}


def watcher_id(client, sid) -> str:
    """The viewer id the server gives a watcher's socket in its hello (a REST vote needs one)."""
    with client.websocket_connect(f"ws://localhost/ws/sessions/{sid}", subprotocols=["bpv.v1"]) as ws:
        return ws.receive_json()["viewer"]


def issued(client, sid, name: str) -> str:
    """An id the session issued, as a watcher's hello would give it, for the viewer this test calls
    `name` (the same one each time). Taken from the session itself: a socket per voter would start
    the frame process in every test (the sockets' own ids: watcher_id and test_polls_stream)."""
    key = (id(client), sid, name)
    if key not in _issued:
        _issued[key] = client.app.state.registry.get(sid).viewer_ids.take(None, keep=10)
    return _issued[key]


def vote(client, sid, poll, viewer, choice):
    if viewer in (ALICE, BOB, CAROL):
        viewer = issued(client, sid, viewer)
    return client.post(f"/api/sessions/{sid}/polls/{poll}/votes", json={"viewer": viewer, "choice": choice})


def test_poll_lifecycle_open_vote_change_close_refuse_reveal_answer(client):
    sid, h = new_run(client)
    poll = ask(client, sid, h, {"template": "loss_after", "n": 20})
    assert poll["state"] == "open" and poll["choices"] == ["lower", "higher"] and poll["until_step"] == 20
    url = f"/api/sessions/{sid}/polls/{poll['id']}"

    assert vote(client, sid, poll["id"], ALICE, 1).json()["state"] == "voting"
    vote(client, sid, poll["id"], BOB, 0)
    changed = vote(client, sid, poll["id"], ALICE, 0).json()  # a viewer changes its mind
    assert changed["mine"] == 0 and changed["voters"] == 2
    assert changed["counts"] is None  # a watcher sees no counts before the reveal
    assert client.get(url, headers=h).json()["counts"] == [2, 0]  # the driver does, live
    assert client.get(url, params={"viewer": issued(client, sid, BOB)}).json()["mine"] == 0

    closed = client.post(f"{url}/close", headers=h).json()
    assert closed["state"] == "closed" and closed["counts"] == [2, 0]
    late = vote(client, sid, poll["id"], CAROL, 1)
    assert late.status_code == 409 and "closed" in late.json()["detail"]
    assert client.get(url).json()["voters"] == 2 and client.get(url).json()["counts"] is None

    revealed = client.post(f"{url}/reveal", headers=h).json()
    assert revealed["state"] == "revealed" and revealed["answer"] is None  # step 20 not reached yet
    assert client.get(url).json()["counts"] == [2, 0]  # now the class sees them

    client.post(f"/api/sessions/{sid}/step", json={"n": 20}, headers=h)
    answered = client.get(url).json()
    assert answered["state"] == "answered" and answered["answer"]["choice"] == 0  # moons: the loss falls
    assert answered["right_share"] == 1.0


def test_the_answer_stays_hidden_until_revealed(client):
    sid, h = new_run(client)
    poll = ask(client, sid, h, {"template": "larger_gradient"})  # known at once
    url = f"/api/sessions/{sid}/polls/{poll['id']}"
    assert poll["answer"] is None and client.get(url).json()["answer"] is None
    client.post(f"{url}/close", headers=h)
    assert client.get(url, headers=h).json()["answer"] is None
    revealed = client.post(f"{url}/reveal", headers=h).json()
    assert revealed["state"] == "answered" and revealed["answer"]["choice"] in (0, 1)


def test_reveal_closes_an_open_poll(client):
    sid, h = new_run(client)
    poll = ask(client, sid, h, {"template": "text", "question": "Ready?", "choices": ["yes", "no"]})
    vote(client, sid, poll["id"], ALICE, 0)
    revealed = client.post(f"/api/sessions/{sid}/polls/{poll['id']}/reveal", headers=h).json()
    assert revealed["state"] == "revealed" and revealed["counts"] == [1, 0]  # no true answer marked
    assert vote(client, sid, poll["id"], BOB, 1).status_code == 409


def test_only_the_driver_asks_closes_and_reveals(client):
    sid, h = new_run(client)
    body = {"template": "text", "question": "Q?", "choices": ["a", "b"]}
    assert client.post(f"/api/sessions/{sid}/polls", json=body).status_code == 401
    assert client.post(f"/api/sessions/{sid}/polls", json=body, headers=auth("guess")).status_code == 403
    poll = ask(client, sid, h, body)
    for action in ("close", "reveal"):
        assert client.post(f"/api/sessions/{sid}/polls/{poll['id']}/{action}").status_code == 401
        assert (
            client.post(f"/api/sessions/{sid}/polls/{poll['id']}/{action}", headers=auth("x")).status_code
            == 403
        )
    assert client.get(f"/api/sessions/{sid}/polls/{poll['id']}", headers=auth("x")).status_code == 403
    assert client.get(f"/api/sessions/{sid}/polls/{poll['id']}").json()["state"] == "open"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"template": "text", "question": "", "choices": ["a", "b"]}, "question"),
        ({"template": "text", "question": "   ", "choices": ["a", "b"]}, "question"),
        ({"template": "text", "question": "x" * 301, "choices": ["a", "b"]}, "question"),
        ({"template": "text", "question": "Q", "choices": ["a"]}, "choices"),
        ({"template": "text", "question": "Q", "choices": ["a", "b", "c", "d", "e", "f"]}, "choices"),
        ({"template": "text", "question": "Q", "choices": ["a", "y" * 81]}, "choices"),
        ({"template": "text", "question": "Q", "choices": ["a", "b"], "answer": 2}, "answer"),
        ({"template": "loss_after", "n": 0}, "n"),
        ({"template": "loss_after", "n": 10_001}, "n"),
        ({"template": "larger_gradient", "layers": [1, 3]}, "layers.1"),
        ({"template": "larger_gradient", "layers": [2, 2]}, "layers"),
        ({"template": "output_delta", "sample": 160}, "sample"),
        ({"template": "output_delta", "class": 2}, "class"),
        ({"template": "guess"}, "template"),
        ({"template": "loss_after", "colour": "red"}, "colour"),
    ],
)
def test_bad_questions_are_refused_naming_the_field(client, body, field):
    sid, h = new_run(client)  # moons: 160 training points, 2 classes, W1 and W2
    r = client.post(f"/api/sessions/{sid}/polls", json=body, headers=h)
    assert r.status_code == 422, r.text
    assert any(field in ".".join(map(str, e["loc"])) + e["msg"] for e in r.json()["detail"]), r.json()
    assert client.get(f"/api/sessions/{sid}/polls").json() == []


@pytest.mark.parametrize(
    ("template", "choice", "status"),
    [
        ({"template": "text", "question": "Q", "choices": ["a", "b"]}, 2, 422),
        ({"template": "text", "question": "Q", "choices": ["a", "b"]}, -1, 422),
        ({"template": "text", "question": "Q", "choices": ["a", "b"]}, True, 422),
        ({"template": "text", "question": "Q", "choices": ["a", "b"]}, 0.5, 422),
        ({"template": "first_flip"}, 200, 422),  # 200 points: 0 to 199
        ({"template": "output_delta"}, 1e7, 422),
    ],
)
def test_bad_votes_are_refused_and_count_nothing(client, template, choice, status):
    sid, h = new_run(client)
    poll = ask(client, sid, h, template)
    r = vote(client, sid, poll["id"], ALICE, choice)
    assert r.status_code == status, r.text
    assert client.get(f"/api/sessions/{sid}/polls/{poll['id']}").json()["voters"] == 0


def test_a_viewer_id_is_a_short_random_token(client):
    sid, h = new_run(client)
    poll = ask(client, sid, h, {"template": "diverges", "n": 5})
    for viewer in ("short", "x" * 65, "has space 1234", "<script>1234"):
        assert vote(client, sid, poll["id"], viewer, 0).status_code == 422
    assert vote(client, sid, 99, ALICE, 0).status_code == 404


def test_limits_on_polls_and_voters(tmp_path):
    settings = Settings(data_dir=str(tmp_path), max_polls=2, max_poll_voters=2)
    with TestClient(create_app(settings), base_url=LOCAL) as client:
        sid, h = new_run(client)
        body = {"template": "text", "question": "Q", "choices": ["a", "b"]}
        ask(client, sid, h, body)
        ask(client, sid, h, body)
        r = client.post(f"/api/sessions/{sid}/polls", json=body, headers=h)
        assert r.status_code == 429 and "2 polls" in r.json()["detail"]
        assert vote(client, sid, 1, ALICE, 0).status_code == 200
        assert vote(client, sid, 1, BOB, 0).status_code == 200
        full = vote(client, sid, 1, CAROL, 0)
        assert full.status_code == 429 and "2 voters" in full.json()["detail"]
        assert vote(client, sid, 1, ALICE, 1).status_code == 200  # one already in may change its vote
        assert client.get(f"/api/sessions/{sid}/polls/1", headers=h).json()["counts"] == [1, 1]


def test_csv_export_has_question_counts_and_true_answer(client):
    sid, h = new_run(client)
    ask(client, sid, h, {"template": "text", "question": "=HYPERLINK(1)", "choices": ["a", "b"], "answer": 1})
    ask(client, sid, h, {"template": "larger_gradient"})
    for viewer, choice in ((ALICE, 1), (BOB, 1), (CAROL, 0)):
        vote(client, sid, 1, viewer, choice)
    client.post(f"/api/sessions/{sid}/polls/1/reveal", headers=h)
    r = client.get(f"/api/sessions/{sid}/polls.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    first = [row for row in rows if row["poll"] == "1"]
    assert [(row["choice"], row["votes"]) for row in first] == [("a", "1"), ("b", "2")]
    assert first[0]["question"] == "'=HYPERLINK(1)"  # a spreadsheet reads it as text, not a formula
    assert first[0]["true_answer"] == "b" and first[0]["right_share"] == "0.667"
    second = [row for row in rows if row["poll"] == "2"]
    assert {row["votes"] for row in second} == {""} and {row["true_answer"] for row in second} == {""}


def test_a_saved_run_keeps_its_polls(client):
    sid, h = new_run(client)
    ask(client, sid, h, {"template": "loss_after", "n": 30})
    ask(client, sid, h, {"template": "first_flip", "n": 40})
    vote(client, sid, 1, ALICE, 0)
    vote(client, sid, 2, BOB, 17)
    client.post(f"/api/sessions/{sid}/polls/1/reveal", headers=h)
    client.post(f"/api/sessions/{sid}/step", json={"n": 10}, headers=h)
    before = client.get(f"/api/sessions/{sid}/polls", headers=h).json()
    saved = client.post(f"/api/sessions/{sid}/save", json={"name": "lecture"}, headers=h).json()
    loaded = client.post(f"/api/runs/{saved['id']}/load").json()
    lid, lh = loaded["id"], auth(loaded["token"])
    after = client.get(f"/api/sessions/{lid}/polls", headers=lh).json()
    assert after == before
    # the restored run answers its waiting polls as the original would
    client.post(f"/api/sessions/{sid}/step", json={"n": 30}, headers=h)
    client.post(f"/api/sessions/{lid}/step", json={"n": 30}, headers=lh)
    for poll in (1, 2):
        client.post(f"/api/sessions/{sid}/polls/{poll}/reveal", headers=h)
        client.post(f"/api/sessions/{lid}/polls/{poll}/reveal", headers=lh)
    original = client.get(f"/api/sessions/{sid}/polls").json()
    restored = client.get(f"/api/sessions/{lid}/polls").json()
    assert [p["answer"] for p in restored] == [p["answer"] for p in original]
    assert all(p["state"] == "answered" for p in restored)


def test_a_run_file_with_a_bad_poll_is_refused_naming_it(client):
    sid, h = new_run(client)
    ask(client, sid, h, {"template": "text", "question": "Q", "choices": ["a", "b"]})
    saved = client.post(f"/api/sessions/{sid}/save", json={}, headers=h).json()
    document = client.get(f"/api/runs/{saved['id']}/export").json()
    document["polls"][0]["votes"] = [0, 5]
    r = client.post("/api/runs", json=document)
    assert r.status_code == 422 and "polls" in r.text


def test_asking_pauses_a_playing_run(client):
    sid, h = new_run(client)
    assert client.post(f"/api/sessions/{sid}/play", headers=h).json()["status"] == "running"
    poll = ask(client, sid, h, {"template": "loss_after", "n": 5})
    summary = client.get(f"/api/sessions/{sid}").json()
    assert summary["status"] == "paused" and summary["step"] == poll["step"]
    assert poll["until_step"] == poll["step"] + 5


def test_a_refused_question_leaves_a_playing_run_playing(client):
    sid, h = new_run(client)
    assert client.post(f"/api/sessions/{sid}/play", headers=h).json()["status"] == "running"
    url = f"/api/sessions/{sid}/polls"
    r = client.post(url, json={"template": "larger_gradient", "layers": [1, 5]}, headers=h)
    assert r.status_code == 422 and "layers" in r.text
    assert client.get(f"/api/sessions/{sid}").json()["status"] == "running"
    r = client.post(url, json={"template": "text", "question": "?", "choices": ["a"]}, headers=h)
    assert r.status_code == 422
    assert client.get(f"/api/sessions/{sid}").json()["status"] == "running"
    client.post(f"/api/sessions/{sid}/pause", headers=h)


@pytest.mark.parametrize(
    ("poll", "change", "named"),
    [
        (0, lambda p: p["pending"].pop("baseline"), "pending.baseline"),
        (1, lambda p: p["pending"].pop("classes"), "pending.classes"),
        (1, lambda p: p["pending"]["classes"].pop(), "pending.classes"),
        (1, lambda p: p.update(kind="choice"), "kind"),
    ],
)
def test_an_awaiting_poll_without_what_it_is_answered_from_is_refused(client, poll, change, named):
    sid, h = new_run(client)
    ask(client, sid, h, {"template": "loss_after", "n": 30})
    ask(client, sid, h, {"template": "first_flip", "n": 30})
    saved = client.post(f"/api/sessions/{sid}/save", json={}, headers=h).json()
    document = client.get(f"/api/runs/{saved['id']}/export").json()
    change(document["polls"][poll])
    r = client.post("/api/runs", json=document)
    assert r.status_code == 422 and named in r.text, r.text


def test_a_vote_needs_a_viewer_id_the_server_issued_for_this_session(client):
    sid, h = new_run(client)
    other, _ = new_run(client)
    poll = ask(client, sid, h, {"template": "text", "question": "Q", "choices": ["a", "b"], "answer": 1})
    for made_up in ("viewer-fake-0001", watcher_id(client, other)):  # invented, or another session's
        r = vote(client, sid, poll["id"], made_up, 0)
        assert r.status_code == 403 and "viewer" in r.json()["detail"]
    assert client.get(f"/api/sessions/{sid}/polls/{poll['id']}", headers=h).json()["voters"] == 0
    mine, theirs = watcher_id(client, sid), watcher_id(client, sid)
    assert mine != theirs
    assert vote(client, sid, poll["id"], mine, 1).json()["mine"] == 1
    vote(client, sid, poll["id"], theirs, 0)
    url = f"/api/sessions/{sid}/polls/{poll['id']}"
    assert client.get(url, params={"viewer": mine}).json()["mine_right"] is None  # not revealed yet
    client.post(f"{url}/reveal", headers=h)
    assert client.get(url, params={"viewer": mine}).json()["mine_right"] is True
    assert client.get(url, params={"viewer": theirs}).json()["mine_right"] is False
