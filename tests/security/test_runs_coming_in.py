"""Runs that come in from outside (imported, loaded, created) are checked whole and within the
server's limits, and nothing one run does can stop another run's training."""

from __future__ import annotations

import copy
import json
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from app.api.settings import Settings
from app.main import create_app

from ..conftest import LOCAL, LiveServer, auth

JSON = {"Content-Type": "application/json"}


def exported_run(client, config: dict | None = None, steps: int = 6) -> dict:
    """A real saved run as GET /api/runs/{id}/export gives it, to edit as an attacker would."""
    created = client.post("/api/sessions", json=config or {}).json()
    h = auth(created["token"])
    client.post(f"/api/sessions/{created['id']}/step", json={"n": steps}, headers=h)
    saved = client.post(f"/api/sessions/{created['id']}/save", headers=h).json()
    return client.get(f"/api/runs/{saved['id']}/export").json()


def post_raw(client, path: str, document) -> httpx.Response:
    """The document as JSON with NaN and Infinity literals where it holds them (Python's json
    reads them back, so a server built on it must expect them)."""
    return client.post(path, content=json.dumps(document), headers=JSON)


def edited(document: dict, edit) -> dict:
    document = copy.deepcopy(document)
    edit(document)
    return document


def steps_of(client, session_id: str) -> int:
    return client.get(f"/api/sessions/{session_id}").json()["step"]


# ---- a crafted import is refused, naming the field ------------------------------------------

CRAFTED = {
    "snapshots.steps[6]": lambda d: d["snapshots"]["steps"].__setitem__(-1, d["step"] + 100),
    "history.columns.step[5]": lambda d: d["history"]["columns"]["step"].__setitem__(-1, d["step"] + 1),
    "history.columns.step[2]": lambda d: d["history"]["columns"]["step"].__setitem__(2, 0),
    "history.columns.step[0]": lambda d: d["history"]["columns"]["step"].__setitem__(0, None),
    "optimizer.t.W1": lambda d: d["optimizer"]["t"].__setitem__("W1", d["step"] + 1),
    "optimizer.v": lambda d: d["optimizer"]["v"]["b2"].__setitem__(0, -1.0),
    "optimizer must have m, t, v": lambda d: d["optimizer"].pop("m"),
    # numpy alone would read "0.5" and true as numbers: a weight must be written as one
    "params.W1 must be an array of numbers": lambda d: d["params"]["W1"][0].__setitem__(0, "0.5"),
    "params.b2 must be an array of numbers": lambda d: d["params"]["b2"].__setitem__(0, True),
    "snapshots.params[0].W2 must be": lambda d: d["snapshots"]["params"][0]["W2"][0].__setitem__(0, False),
    "optimizer.m.b1 must be an array": lambda d: d["optimizer"]["m"]["b1"].__setitem__(0, [0.1]),
}


@pytest.mark.parametrize("field", CRAFTED)
def test_crafted_import_is_refused_naming_the_field(client, field):
    document = exported_run(client, {"optimizer": "adam", "learning_rate": 0.05})
    reply = post_raw(client, "/api/runs", edited(document, CRAFTED[field]))
    assert reply.status_code == 422, reply.text
    assert field in json.dumps(reply.json()["detail"])
    assert post_raw(client, "/api/runs", document).status_code == 201  # the untouched file still imports


@pytest.mark.parametrize(
    "where, value",
    [("history", None), ("history", float("inf")), ("adam", None), ("adam", float("inf")), ("adam", 3.5)],
)
def test_null_or_infinity_in_a_step_count_is_a_422_not_a_500(where, value, tmp_path):
    with TestClient(
        create_app(Settings(data_dir=str(tmp_path))), raise_server_exceptions=False, base_url=LOCAL
    ) as client:
        document = exported_run(client, {"optimizer": "adam", "learning_rate": 0.05})
        if where == "history":
            document["history"]["columns"]["step"][0] = value
        else:
            document["optimizer"]["t"]["W1"] = value
        reply = post_raw(client, "/api/runs", document)
        assert reply.status_code == 422, reply.text
        assert ("history" if where == "history" else "optimizer") in reply.text


@pytest.mark.slow  # among the quick loop's heaviest (0.5-1.1 s): the full suite runs it
def test_an_import_may_carry_no_more_history_than_a_run_keeps(client):
    document = exported_run(client, steps=2)
    rows = 20_001
    document["history"]["columns"] = {name: [None] * rows for name in document["history"]["columns"]}
    document["history"]["columns"]["step"] = list(range(rows))
    document["step"] = rows
    reply = post_raw(client, "/api/runs", document)
    assert reply.status_code == 422 and "history" in reply.text


# ---- one limits check for every way a run comes in ------------------------------------------


def test_import_and_load_keep_the_servers_limits(tmp_path):
    roomy = Settings(data_dir=str(tmp_path))
    with TestClient(create_app(roomy), base_url=LOCAL) as client:
        big = exported_run(client, {"hidden": 64, "dataset": {"n_samples": 400}}, steps=1)
        stored = post_raw(client, "/api/runs", big).json()["id"]
    tight = roomy.replace(max_hidden=16, max_points=300)
    with TestClient(create_app(tight), base_url=LOCAL) as client:
        created = client.post("/api/sessions", json={"hidden": 64})
        imported = post_raw(client, "/api/runs", big)
        loaded = client.post(f"/api/runs/{stored}/load")
        for reply in (created, imported, loaded):
            assert reply.status_code == 422, reply.text
            assert "hidden must be at most 16" in reply.text
        big["config"]["hidden"] = 8  # within the hidden limit now, still too many points
        reply = post_raw(client, "/api/runs", big)
        assert reply.status_code == 422 and "at most 300 points" in reply.text
        assert client.get("/api/runs").json()[0]["id"] == stored  # nothing new was stored


def test_an_import_over_the_limits_is_refused_before_its_data_is_built(client, monkeypatch):
    """The 100,000-point dataset is never generated: the limits are read from the config first."""
    import app.training.run as run_module

    document = exported_run(client, steps=1)
    built = []
    monkeypatch.setattr(run_module, "make_dataset", lambda *a, **k: built.append(k) or 1 / 0)
    document["config"]["dataset"]["n_samples"] = 100_000
    reply = post_raw(client, "/api/runs", document)
    assert reply.status_code == 422 and "at most 5000 points" in reply.text
    assert built == []


# ---- one run's fault stops that run only ------------------------------------------------------


def sabotage(server: LiveServer, session_id: str) -> None:
    """A run whose next step raises, as a crafted import did before imports were checked whole:
    its kept weights claim a step far beyond its own, so recording the next one fails."""
    session = server.app.state.registry.get(session_id)
    with session.player.lock:
        session.run.snapshots.record(10**9, session.run.params)


@pytest.mark.slow
def test_a_run_that_raises_fails_alone_and_every_other_run_trains_on(tmp_path):
    with LiveServer(Settings(data_dir=str(tmp_path))) as server, httpx.Client(base_url=server.url) as http:
        healthy = http.post("/api/sessions", json={"steps_per_second": 200}).json()
        broken = http.post("/api/sessions", json={"steps_per_second": 200}).json()
        sabotage(server, broken["id"])
        for run in (healthy, broken):
            assert http.post(f"/api/sessions/{run['id']}/play", headers=auth(run["token"])).status_code == 200
        time.sleep(0.5)
        failed = http.get(f"/api/sessions/{broken['id']}").json()
        assert failed["status"] == "failed"
        assert "Training stopped at step 1" in failed["message"] and "reset" in failed["message"]
        before = steps_of(http, healthy["id"])
        time.sleep(0.5)
        assert steps_of(http, healthy["id"]) >= before + 20  # the shared trainer thread lives on

        # A new run started afterwards is played too, and the failed one comes back with reset.
        later = http.post("/api/sessions", json={"steps_per_second": 200}).json()
        http.post(f"/api/sessions/{later['id']}/play", headers=auth(later["token"]))
        assert (
            http.post(f"/api/sessions/{broken['id']}/play", headers=auth(broken["token"])).status_code == 409
        )
        assert (
            http.post(f"/api/sessions/{broken['id']}/reset", headers=auth(broken["token"])).json()["status"]
            == "paused"
        )
        time.sleep(0.5)
        assert steps_of(http, later["id"]) >= 20


def test_a_step_request_on_a_run_that_raises_answers_what_happened(live_server):
    http = httpx.Client(base_url=live_server.url)
    run = http.post("/api/sessions", json={}).json()
    http.post(f"/api/sessions/{run['id']}/step", json={"n": 3}, headers=auth(run["token"]))
    sabotage(live_server, run["id"])
    reply = http.post(f"/api/sessions/{run['id']}/step", json={"n": 5}, headers=auth(run["token"]))
    assert reply.status_code == 200, reply.text  # not a 422 for a step that was half taken
    body = reply.json()
    assert body["taken"] == 0 and body["stopped"] == "failed" and body["session"]["status"] == "failed"
    again = http.post(f"/api/sessions/{run['id']}/step", json={"n": 1}, headers=auth(run["token"]))
    assert again.status_code == 409 and "reset" in again.json()["detail"]


# ---- edges that answered 500 -------------------------------------------------------------------


def test_hidden_space_of_a_single_training_point_with_many_units(client):
    points = [{"x": 0.0, "y": 0.0, "label": 0}, {"x": 1.0, "y": 1.0, "label": 1}]
    created = client.post(
        "/api/sessions",
        json={"hidden": 5, "dataset": {"kind": "points", "points": points, "train_fraction": 0.5}},
    ).json()
    reply = client.get(f"/api/sessions/{created['id']}/hidden-space")
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert len(body["points"]) == 1 and body["points"][0] == [0.0, 0.0]  # the mean of one point is itself
    assert body["explained"] == 1.0


# ---- one request's work is bounded ---------------------------------------------------------------

BIG = {"hidden": 1024, "dataset": {"kind": "spiral", "n_samples": 5000, "classes": 8}}


@pytest.mark.slow
def test_a_long_step_request_stops_at_the_servers_time_bound(tmp_path):
    with LiveServer(Settings(data_dir=str(tmp_path), max_step_seconds=0.5)) as server:
        http = httpx.Client(base_url=server.url, timeout=30)
        run = http.post("/api/sessions", json=BIG).json()
        start = time.monotonic()
        reply = http.post(f"/api/sessions/{run['id']}/step", json={"n": 5000}, headers=auth(run["token"]))
        elapsed = time.monotonic() - start
        body = reply.json()
        assert reply.status_code == 200 and 0 < body["taken"] < 5000
        assert body["stopped"].startswith("time") and "0.5 s" in body["stopped"]
        assert elapsed < 3.0


@pytest.mark.slow
def test_a_step_request_stops_when_its_client_goes_away(tmp_path):
    with LiveServer(Settings(data_dir=str(tmp_path), max_step_seconds=600)) as server:
        http = httpx.Client(base_url=server.url, timeout=30)
        run = http.post("/api/sessions", json=BIG).json()
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(
                f"{server.url}/api/sessions/{run['id']}/step",
                json={"n": 5000},
                headers=auth(run["token"]),
                timeout=0.5,
            )
        time.sleep(0.5)  # the server notices within its 0.1 s poll and a burst of steps
        settled = steps_of(http, run["id"])
        time.sleep(1.0)
        assert steps_of(http, run["id"]) == settled < 5000


@pytest.mark.slow
def test_a_long_step_message_on_the_socket_stops_at_the_time_bound_too(tmp_path):
    from websockets.sync.client import connect

    from tests.test_stream import subprotocols

    with LiveServer(Settings(data_dir=str(tmp_path), max_step_seconds=0.5)) as server:
        run = httpx.post(f"{server.url}/api/sessions", json=BIG, timeout=30).json()
        with connect(
            f"{server.ws_url}/ws/sessions/{run['id']}", subprotocols=subprotocols(run["token"])
        ) as ws:
            assert json.loads(ws.recv(timeout=10))["type"] == "hello"
            start = time.monotonic()
            ws.send(json.dumps({"type": "step", "n": 5000}))
            while True:
                message = ws.recv(timeout=10)
                if isinstance(message, str) and json.loads(message)["type"] == "ok":
                    break
                if isinstance(message, bytes):
                    ws.send(json.dumps({"type": "ack"}))
            ok = json.loads(message)
            assert 0 < ok["taken"] < 5000 and ok["stopped"].startswith("time")
            assert time.monotonic() - start < 3.0


@pytest.mark.slow
def test_inspections_take_turns_and_the_rest_of_the_api_stays_quick(tmp_path, monkeypatch):
    """However many gradient checks strangers ask for at once, at most max_inspections are
    computed together, and every other route still answers at once."""
    import threading

    from app.training import reports

    running, most = [0], [0]
    lock = threading.Lock()
    real = reports.gradcheck

    def slow_gradcheck(*args, **kwargs):  # a check on a large run takes long: stand in for one
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.3)
        with lock:
            running[0] -= 1
        return real(*args, **kwargs)

    monkeypatch.setattr(reports, "gradcheck", slow_gradcheck)
    with LiveServer(Settings(data_dir=str(tmp_path), max_inspections=2)) as server:
        run = httpx.post(f"{server.url}/api/sessions", json={}).json()
        url = f"{server.url}/api/sessions/{run['id']}/gradcheck?max_entries=2"
        askers = [threading.Thread(target=httpx.get, args=(url,), kwargs={"timeout": 60}) for _ in range(50)]
        for asker in askers:
            asker.start()
        time.sleep(0.5)
        start = time.monotonic()
        assert httpx.get(f"{server.url}/api/sessions/{run['id']}").status_code == 200
        assert httpx.post(f"{server.url}/api/sessions", json={}).status_code == 201
        assert time.monotonic() - start < 1.0  # threads are free: the checks wait without one
        for asker in askers:
            asker.join()
        assert most[0] == 2


def test_a_number_too_large_for_a_float_and_long_names_get_a_short_422(client):
    run = client.post("/api/sessions", json={"hidden": 2}).json()
    huge = int("1" + "0" * 400)
    body = json.dumps({"gradients": {"W1": [[huge, 1], [1, 1]]}})
    reply = client.post(f"/api/sessions/{run['id']}/compare", content=body, headers=JSON)
    assert reply.status_code == 422 and "W1" in reply.text
    names = {f"{i:03d}" + "k" * 50_000: [1.0] for i in range(20)}
    reply = client.post(f"/api/sessions/{run['id']}/compare", json={"gradients": names})
    assert reply.status_code == 422 and len(reply.content) < 500 and "20 other name(s)" in reply.text


def test_the_largest_seed_can_edit_points_and_change_batches_past_step_0(client):
    run = client.post("/api/sessions", json={"seed": 2**32 - 1, "batch_size": 16}).json()
    h, base = auth(run["token"]), f"/api/sessions/{run['id']}"
    client.post(f"{base}/step", json={"n": 2}, headers=h)
    edited = client.post(f"{base}/points", json={"remove": list(range(150))}, headers=h)
    assert edited.status_code == 200, edited.text
    patched = client.patch(base, json={"batch_size": 8, "optimizer": "adam"}, headers=h)
    assert patched.status_code == 200 and patched.json()["config"]["optimizer"] == "adam"
    stepped = client.post(f"{base}/step", json={"n": 3}, headers=h).json()
    assert stepped["taken"] == 3 and stepped["session"]["status"] == "paused"
    saved = client.post(f"{base}/save", headers=h).json()
    assert client.post(f"/api/runs/{saved['id']}/load").status_code == 201


def test_an_import_with_huge_keys_or_integers_gets_a_short_422(client):
    document = exported_run(client, steps=2)
    keyed = edited(
        document, lambda d: d["params"].update({f"{i:03d}" + "k" * 50_000: [1] for i in range(100)})
    )
    reply = post_raw(client, "/api/runs", keyed)
    assert (
        reply.status_code == 422 and len(reply.content) < 1000 and "and 98 more" in reply.text
    )  # the 4 real ones and 100 long ones
    huge = edited(document, lambda d: d["params"]["W1"][0].__setitem__(0, int("1" + "0" * 400)))
    reply = post_raw(client, "/api/runs", huge)
    assert reply.status_code == 422 and "params.W1" in reply.text
