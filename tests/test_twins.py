"""Twins: two runs forked from one at one step and played in lock-step (POST .../twins,
/api/twins/{id}/play, pause, step, reset, distance)."""

from __future__ import annotations

import asyncio
import threading
import time

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.api.settings import Settings
from app.frames.messages import hello
from app.main import create_app

from .conftest import LOCAL, auth
from .test_fork import assert_bit_equal, create, parameters, step

slow = pytest.mark.slow


def twin(client, session_id: str, body: dict | None = None) -> dict:
    r = client.post(f"/api/sessions/{session_id}/twins", json={} if body is None else body)
    assert r.status_code == 201, r.text
    return r.json()


def drive(client, twins: dict, what: str, body: dict | None = None, token: str | None = None) -> dict:
    r = client.post(f"/api/twins/{twins['id']}/{what}", json=body, headers=auth(token or twins["token"]))
    assert r.status_code == 200, r.text
    return r.json()


def read(client, twins: dict) -> dict:
    r = client.get(f"/api/twins/{twins['id']}")
    assert r.status_code == 200, r.text
    return r.json()


def both_parameters(client, twins: dict) -> tuple[dict, dict]:
    return parameters(client, twins["left"]["id"]), parameters(client, twins["right"]["id"])


def test_both_twins_start_bit_equal_to_the_parent_at_the_fork_step(client):
    parent = create(client, {"hidden": [6, 4], "optimizer": "momentum", "learning_rate": 0.3})
    step(client, parent, 40)
    twins = twin(client, parent["id"], {"at_step": 25, "changes": {"learning_rate": 0.03}})
    assert twins["step"] == 25 and twins["title"] == "learning rate 0.3 → 0.03 from step 25"
    assert len({twins["id"], twins["left"]["id"], twins["right"]["id"], parent["id"]}) == 4
    assert len({twins["token"], twins["left"]["token"], twins["right"]["token"], parent["token"]}) == 4
    at_fork = parameters(client, parent["id"], at_step=25)
    left, right = both_parameters(client, twins)
    assert_bit_equal(left, at_fork)
    assert_bit_equal(right, at_fork)
    summary = read(client, twins)
    assert summary["status"] == "paused" and summary["step"] == 25 and summary["title"] == twins["title"]
    for side, other in (("left", "right"), ("right", "left")):
        run = summary[side]
        assert run["id"] == twins[side]["id"] and run["step"] == 25 and run["status"] == "paused"
        assert run["parent"] == {"id": parent["id"], "step": 25}
        assert run["twins"] == {"id": twins["id"], "side": side, "other": twins[other]["id"]}
    assert summary["left"]["config"]["learning_rate"] == 0.3
    assert summary["right"]["config"]["learning_rate"] == 0.03
    assert client.get(f"/api/sessions/{parent['id']}").json()["twins"] is None
    # the stream's hello says it too
    session = client.app.state.registry.get(twins["right"]["id"])
    message = hello(session, "viewer")
    assert message["twins"] == {"id": twins["id"], "side": "right", "other": twins["left"]["id"]}
    assert message["session"]["twins"] == message["twins"]


@pytest.mark.parametrize(
    ("optimizer", "hidden"),
    [
        ("adam", [5, 4, 3]),
        pytest.param("adam", 5, marks=slow),
        pytest.param("momentum", [5, 4, 3], marks=slow),
        pytest.param("momentum", 5, marks=slow),
        pytest.param("sgd", [5, 4, 3], marks=slow),
        pytest.param("sgd", 5, marks=slow),
    ],
)
def test_unchanged_twins_stay_bit_equal_for_100_lock_step_steps(client, optimizer, hidden):
    lr = 0.05 if optimizer == "adam" else 0.5
    parent = create(client, {"hidden": hidden, "optimizer": optimizer, "learning_rate": lr, "batch_size": 16})
    step(client, parent, 30)
    twins = twin(client, parent["id"], {"at_step": 30})
    assert twins["title"] == "the same run twice from step 30"
    summary = drive(client, twins, "step", {"n": 100})
    assert summary["left"]["step"] == summary["right"]["step"] == 130
    left, right = both_parameters(client, twins)
    assert_bit_equal(left, right)
    step(client, parent, 100)  # and both are the parent, had it gone on
    assert_bit_equal(left, parameters(client, parent["id"]))
    distance = client.get(f"/api/twins/{twins['id']}/distance").json()
    assert distance["steps"] == list(range(30, 131))
    assert all(d == 0.0 for column in distance["layers"].values() for d in column)


def test_a_learning_rate_change_scales_the_rights_first_update_by_the_ratio(client):
    parent = create(client, {"learning_rate": 0.5})
    step(client, parent, 20)
    twins = twin(client, parent["id"], {"changes": {"learning_rate": 0.05}})
    before = parameters(client, parent["id"])
    drive(client, twins, "step", {"n": 1})
    left, right = both_parameters(client, twins)
    for name, p in before.items():
        update_left, update_right = left[name] - p, right[name] - p
        assert np.linalg.norm(update_left) > 0
        # float32 weights: each sum p + update is rounded to within half a unit in the last place
        ulp = np.spacing(np.maximum(np.abs(p), np.abs(left[name])).astype(np.float32)).astype(np.float64)
        assert np.all(np.abs(update_right - update_left / 10) <= ulp + 1e-6 * np.abs(update_left)), name


def test_the_distance_is_zero_at_the_fork_and_the_norm_of_the_difference_after(client):
    parent = create(client, {"hidden": [6, 5, 4]})
    step(client, parent, 10)
    twins = twin(client, parent["id"], {"changes": {"loss": "mse"}})
    first = client.get(f"/api/twins/{twins['id']}/distance").json()
    assert first == {"steps": [10], "layers": {"W1": [0.0], "W2": [0.0], "W3": [0.0], "W4": [0.0]}}
    drive(client, twins, "step", {"n": 25})
    left, right = both_parameters(client, twins)
    distance = client.get(f"/api/twins/{twins['id']}/distance?since=30").json()
    assert distance["steps"] == [30, 31, 32, 33, 34, 35]
    for name, column in distance["layers"].items():
        expected = float(np.linalg.norm(left[name] - right[name]))  # GET parameters: float32 values, exactly
        assert expected > 0 and column[-1] == pytest.approx(expected, rel=1e-12), name
    assert client.get(f"/api/twins/{twins['id']}/distance?since=1000").json()["steps"] == []
    for bad in ("-1", "x", str(2**40)):
        r = client.get(f"/api/twins/{twins['id']}/distance?since={bad}")
        assert r.status_code == 422 and "since" in r.text, bad


def test_play_then_pause_leaves_both_at_the_same_step_on_the_trainer_thread(client):
    parent = create(client, {"steps_per_second": 1000.0})
    twins = twin(client, parent["id"], {"changes": {"learning_rate": 0.1}})
    registry = client.app.state.registry
    left, right = (registry.get(twins[side]["id"]) for side in ("left", "right"))
    seen = threading.Event()
    left.player.call_on_change(seen.set)
    playing = drive(client, twins, "play")
    assert playing["status"] == "running"
    assert playing["left"]["status"] == playing["right"]["status"] == "running"
    assert playing["left"]["step"] == playing["right"]["step"]  # read at one moment, both locks held
    for _ in range(3):  # pause and play again, mid-run
        deadline = time.monotonic() + 10
        start = read(client, twins)["left"]["step"]
        while read(client, twins)["left"]["step"] < start + 20 and time.monotonic() < deadline:
            seen.clear()
            left.player.call_on_change(seen.set)
            seen.wait(1)
        paused = drive(client, twins, "pause")
        assert (
            paused["status"] == "paused" and paused["left"]["status"] == paused["right"]["status"] == "paused"
        )
        assert paused["left"]["step"] == paused["right"]["step"] > start
        assert left.run.step_count == right.run.step_count == paused["left"]["step"]
        drive(client, twins, "play")
    drive(client, twins, "pause")
    # a twin's own pause pauses both
    drive(client, twins, "play")
    r = client.post(f"/api/sessions/{twins['right']['id']}/pause", headers=auth(twins["right"]["token"]))
    assert r.status_code == 200
    summary = read(client, twins)
    assert summary["status"] == "paused" and summary["left"]["step"] == summary["right"]["step"]


def test_a_diverging_twin_stops_alone_and_the_other_plays_on(client):
    parent = create(client)
    step(client, parent, 5)
    twins = twin(client, parent["id"], {"changes": {"activation": "linear", "learning_rate": 100.0}})
    summary = drive(client, twins, "step", {"n": 60})
    assert summary["right"]["status"] == "diverged" and "diverged at step" in summary["right"]["message"]
    stopped_at = summary["right"]["step"]
    assert stopped_at < 30 and summary["left"]["step"] == 65 and summary["left"]["status"] == "paused"
    distance = client.get(f"/api/twins/{twins['id']}/distance").json()
    assert distance["steps"][-1] == stopped_at  # rows only while both stepped together
    drive(client, twins, "play")
    registry = client.app.state.registry
    left = registry.get(twins["left"]["id"])
    deadline = time.monotonic() + 10
    while left.run.step_count < 80 and time.monotonic() < deadline:
        moved = threading.Event()
        left.player.call_on_change(moved.set)
        moved.wait(1)
    summary = drive(client, twins, "pause")
    assert summary["left"]["step"] >= 80 and summary["right"]["step"] == stopped_at
    # both stopped: play and step say why
    summary = drive(client, twins, "reset")
    assert summary["left"]["step"] == summary["right"]["step"] == 5
    assert summary["right"]["status"] == "paused"


def test_twins_that_both_stopped_say_so_until_reset(client):
    parent = create(client, {"activation": "linear", "learning_rate": 100.0})  # diverges at step 11
    step(client, parent, 5)
    twins = twin(client, parent["id"])
    summary = drive(client, twins, "step", {"n": 20})
    assert summary["left"]["status"] == summary["right"]["status"] == "diverged"
    assert summary["left"]["step"] == summary["right"]["step"] == 10 and summary["status"] == "paused"
    for what in ("play", "step"):
        r = client.post(f"/api/twins/{twins['id']}/{what}", headers=auth(twins["token"]))
        assert r.status_code == 409 and r.json()["detail"].startswith("both runs stopped (Training diverged")
        assert r.json()["detail"].endswith("reset the twins"), r.text
    summary = drive(client, twins, "reset")
    assert summary["left"]["status"] == summary["right"]["status"] == "paused"
    assert summary["left"]["step"] == summary["right"]["step"] == 5


def test_reset_returns_both_to_the_fork_step_bit_equal(client):
    parent = create(client, {"optimizer": "adam", "learning_rate": 0.05, "batch_size": 20})
    step(client, parent, 12)
    twins = twin(client, parent["id"], {"changes": {"optimizer": "sgd", "learning_rate": 0.5}})
    at_fork = parameters(client, parent["id"])
    drive(client, twins, "step", {"n": 30})
    # the right's own settings and points are its own; a reset takes them back too
    r = client.patch(
        f"/api/sessions/{twins['right']['id']}",
        json={"learning_rate": 0.2},
        headers=auth(twins["right"]["token"]),
    )
    assert r.status_code == 200 and r.json()["config"]["learning_rate"] == 0.2
    summary = drive(client, twins, "reset")
    assert summary["left"]["step"] == summary["right"]["step"] == 12
    assert (
        summary["right"]["config"]["learning_rate"] == 0.5
        and summary["right"]["config"]["optimizer"] == "sgd"
    )
    left, right = both_parameters(client, twins)
    assert_bit_equal(left, at_fork)
    assert_bit_equal(right, at_fork)
    assert client.get(f"/api/twins/{twins['id']}/distance").json()["steps"] == [12]
    # and they go on exactly as the first time
    drive(client, twins, "step", {"n": 30})
    again = both_parameters(client, twins)
    drive(client, twins, "reset")
    drive(client, twins, "step", {"n": 30})
    assert_bit_equal(both_parameters(client, twins)[0], again[0])
    assert_bit_equal(both_parameters(client, twins)[1], again[1])


def test_a_twinned_runs_own_play_step_and_reset_are_refused(client):
    parent = create(client)
    twins = twin(client, parent["id"])
    for side in ("left", "right"):
        run = twins[side]
        for what, body in (("play", None), ("step", {"n": 1}), ("reset", None)):
            r = client.post(f"/api/sessions/{run['id']}/{what}", json=body, headers=auth(run["token"]))
            assert r.status_code == 409, (side, what, r.text)
            detail = r.json()["detail"]
            assert (
                f"one of twins {twins['id']}" in detail and f"POST /api/twins/{twins['id']}/{what}" in detail
            )
    summary = read(client, twins)
    assert summary["left"]["step"] == summary["right"]["step"] == 0


def test_only_the_twins_token_drives_them(client):
    parent = create(client)
    twins = twin(client, parent["id"])
    url = f"/api/twins/{twins['id']}"
    for what in ("play", "pause", "step", "reset"):
        assert client.post(f"{url}/{what}").status_code == 401  # a viewer
        for token in (twins["left"]["token"], parent["token"], "x" * 32):
            r = client.post(f"{url}/{what}", headers=auth(token))
            assert r.status_code == 403 and r.json()["detail"] == "wrong token for these twins", (
                what,
                r.text,
            )
    assert client.delete(url).status_code == 401
    assert client.delete(url, headers=auth(twins["right"]["token"])).status_code == 403
    summary = read(client, twins)  # a viewer reads them, without a token
    assert summary["status"] == "paused" and summary["left"]["step"] == 0
    assert client.get("/api/twins/nope").status_code == 404
    assert client.post("/api/twins/nope/play", headers=auth(twins["token"])).status_code == 404
    assert client.get("/api/twins/" + "x" * 65).status_code == 422


def test_twins_need_room_for_two_or_nothing_is_made(tmp_path):
    with TestClient(create_app(Settings(max_sessions=4, data_dir=str(tmp_path))), base_url=LOCAL) as client:
        parent = create(client)
        create(client)
        create(client)
        registry = client.app.state.registry
        r = client.post(f"/api/sessions/{parent['id']}/twins", json={})
        assert (
            r.status_code == 429
            and "room for 1 more" in r.json()["detail"]
            and "twins need two" in r.json()["detail"]
        )
        assert len(registry) == 3 and not registry._twins
        r = client.post("/api/twins", json={"preset": "ce_vs_mse"})
        assert r.status_code == 429 and len(registry) == 3


def test_bad_twins_requests_are_named(client):
    parent = create(client)
    step(client, parent, 3)
    url = f"/api/sessions/{parent['id']}/twins"
    cases = [
        ({"at_step": 7}, "at_step: 7 is not a step this run keeps"),
        ({"changes": {"hidden": 9}}, "hidden: a fork keeps the network's shape"),
        ({"changes": {"dropout": 0.5}}, "dropout: not a setting a fork can change"),
        ({"extra": 1}, "extra"),
        ({"at_step": -1}, "greater than or equal to 0"),
    ]
    for body, says in cases:
        r = client.post(url, json=body)
        assert r.status_code == 422 and says in r.text, (body, r.text)
    assert client.post("/api/sessions/nope/twins", json={}).status_code == 404
    assert len(client.app.state.registry) == 1
    twins = twin(client, parent["id"])
    for body, says in (({"n": 0}, "greater than or equal to 1"), ({"n": 10**6}, "n must be at most 5000")):
        r = client.post(f"/api/twins/{twins['id']}/step", json=body, headers=auth(twins["token"]))
        assert r.status_code == 422 and says in r.text, r.text
    for body in ({"preset": "nope"}, {}, {"preset": "ce_vs_mse", "x": 1}, {"preset": 1}):
        r = client.post("/api/twins", json=body)
        assert r.status_code == 422 and ("preset" in r.text or '"x"' in r.text), (body, r.text)


def test_ending_the_twins_leaves_two_ordinary_runs(client):
    parent = create(client)
    twins = twin(client, parent["id"])
    assert client.delete(f"/api/twins/{twins['id']}", headers=auth(twins["token"])).status_code == 204
    assert client.get(f"/api/twins/{twins['id']}").status_code == 404
    for side in ("left", "right"):
        run = twins[side]
        assert client.get(f"/api/sessions/{run['id']}").json()["twins"] is None
        step(client, run, 2)  # its own controls again
    # a run that ends ends its twins; the other lives on
    twins = twin(client, parent["id"])
    left = twins["left"]
    assert client.delete(f"/api/sessions/{left['id']}", headers=auth(left["token"])).status_code == 204
    assert client.get(f"/api/twins/{twins['id']}").status_code == 404
    assert client.get(f"/api/sessions/{twins['right']['id']}").json()["twins"] is None
    step(client, twins["right"], 1)


class EndedWhileBuilding:
    """A plan whose runs are built while the twins are ended (DELETE landing mid-reset)."""

    def __init__(self, plan, end):
        self.plan, self.end = plan, end

    def runs(self):
        runs = self.plan.runs()
        self.end()
        return runs


def test_a_reset_that_an_end_overtakes_leaves_both_runs_as_they_are(client):
    parent = create(client)
    twins = twin(client, parent["id"])
    drive(client, twins, "step", {"n": 5})
    registry = client.app.state.registry
    pair = registry.get_twins(twins["id"])
    pair.plan = EndedWhileBuilding(pair.plan, lambda: registry.end_twins(twins["id"]))
    r = client.post(f"/api/twins/{twins['id']}/reset", headers=auth(twins["token"]))
    assert r.status_code == 409 and "ended" in r.json()["detail"], r.text
    for side in ("left", "right"):
        summary = client.get(f"/api/sessions/{twins[side]['id']}").json()
        assert summary["step"] == 5 and summary["twins"] is None, summary  # not reset: no longer twins


def test_a_twins_step_takes_both_locks_off_the_event_loop(client):
    """Checking, stepping and summing up the pair each take both runs' locks, which a long burst of
    a big run holds: none of it may block the loop that serves every stream."""
    twins = twin(client, create(client)["id"])
    pair = client.app.state.registry.get_twins(twins["id"])
    on_loop = {}

    def watched(name):
        method = getattr(pair, name)

        def call(*args, **kwargs):
            try:
                asyncio.get_running_loop()
                on_loop[name] = True
            except RuntimeError:
                on_loop[name] = False
            return method(*args, **kwargs)

        return call

    for name in ("check_going", "step", "summary"):
        setattr(pair, name, watched(name))
    summary = drive(client, twins, "step", {"n": 3})
    assert summary["left"]["step"] == summary["right"]["step"] == 3
    assert on_loop == {"check_going": False, "step": False, "summary": False}
