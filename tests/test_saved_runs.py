"""Saved runs: a loaded run continues exactly; files are checked whole; SQLite survives SIGKILL."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from app.core.network import forward
from app.training.config import RunConfig
from app.training.run import Run
from app.training.saved_run import dump_session, restore_run
from app.training.session import Session
from app.training.store import RunStore

from .conftest import LOCAL, auth


@pytest.mark.parametrize(
    "config",
    [
        RunConfig(),
        RunConfig(optimizer="adam", learning_rate=0.05, batch_size=16),
        RunConfig(
            optimizer="momentum", learning_rate=0.3, batch_size=7, dataset={"kind": "spiral", "classes": 3}
        ),
        RunConfig(
            hidden=[8, 6, 4],
            loss="mse",
            l1=1e-3,
            init_scale="xavier",
            features=["x1", "x2", "x1_sq", "sin_x2"],
            optimizer="adam",
            learning_rate=0.02,
            batch_size=16,
        ),
    ],
)
def test_a_restored_run_takes_the_same_next_steps(config):
    original = Session(Run(config))
    original.player.step(23)
    copy = Session(restore_run(json.loads(json.dumps(dump_session(original)))))
    assert copy.id != original.id and copy.run.step_count == 23
    original.player.step(17)
    copy.player.step(17)
    for name in original.run.params:
        np.testing.assert_array_equal(copy.run.params[name], original.run.params[name])
    assert copy.run.history.columns == original.run.history.columns
    assert copy.run.snapshots.steps() == original.run.snapshots.steps()


def test_save_list_load_export_import_delete_over_rest(client):
    c = client.post(
        "/api/sessions", json={"optimizer": "adam", "learning_rate": 0.05, "batch_size": 20}
    ).json()
    sid, h = c["id"], auth(c["token"])
    client.post(f"/api/sessions/{sid}/step", json={"n": 30}, headers=h)
    assert client.post(f"/api/sessions/{sid}/save").status_code == 401
    saved = client.post(f"/api/sessions/{sid}/save", json={"name": "before the break"}, headers=h)
    assert saved.status_code == 201, saved.text
    run = saved.json()
    assert run["name"] == "before the break" and run["step"] == 30
    assert [r["id"] for r in client.get("/api/runs").json()] == [run["id"]]

    loaded = client.post(f"/api/runs/{run['id']}/load").json()
    assert loaded["id"] != sid and loaded["session"]["step"] == 30
    lh = auth(loaded["token"])
    client.post(f"/api/sessions/{sid}/step", json={"n": 10}, headers=h)
    client.post(f"/api/sessions/{loaded['id']}/step", json={"n": 10}, headers=lh)
    p1 = client.get(f"/api/sessions/{sid}/parameters").json()
    p2 = client.get(f"/api/sessions/{loaded['id']}/parameters").json()
    assert p1 == p2

    exported = client.get(f"/api/runs/{run['id']}/export").json()
    assert exported["format"] == "backprop-visualizer/saved-run/2" and "_token" not in exported
    imported = client.post("/api/runs", json=exported)
    assert imported.status_code == 201 and imported.json()["step"] == 30

    assert client.delete(f"/api/runs/{run['id']}").status_code == 401
    assert client.delete(f"/api/runs/{run['id']}", headers=auth("nope")).status_code == 403
    assert client.delete(f"/api/runs/{run['id']}", headers=auth(run["token"])).status_code == 204
    assert client.get(f"/api/runs/{run['id']}").status_code == 404
    assert len(client.get("/api/runs").json()) == 1


def test_a_saved_run_is_listed_with_its_data_step_and_accuracy_computed_on_save(client):
    c = client.post("/api/sessions", json={"dataset": {"kind": "circles", "n_samples": 100}}).json()
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 40}, headers=auth(c["token"]))
    saved = client.post(f"/api/sessions/{c['id']}/save", headers=auth(c["token"])).json()
    run = client.app.state.registry.get(c["id"]).run
    predicted = np.argmax(forward(run.params, run.dataset.X.astype(np.float64), "tanh").z2, axis=1)
    right = predicted == run.dataset.labels
    listed = client.get("/api/runs").json()[0]
    assert listed["name"] == "circles at step 40" and listed["kind"] == "circles" and listed["step"] == 40
    assert listed["points"] == 100
    assert listed["accuracy"] == pytest.approx(right[run.dataset.train].mean())
    assert listed["test_accuracy"] == pytest.approx(right[run.dataset.test].mean())
    assert {k: saved[k] for k in listed} == listed
    imported = client.post("/api/runs", json=client.get(f"/api/runs/{saved['id']}/export").json()).json()
    assert imported["accuracy"] == listed["accuracy"] and imported["points"] == 100


def test_a_store_from_before_scores_were_kept_opens_and_lists_its_runs_without_them(tmp_path):
    with sqlite3.connect(tmp_path / "runs.sqlite3") as db:
        db.execute(
            "CREATE TABLE runs (id TEXT PRIMARY KEY, name TEXT NOT NULL, created REAL NOT NULL, "
            "step INTEGER NOT NULL, kind TEXT NOT NULL, hidden INTEGER NOT NULL, document BLOB NOT NULL)"
        )
        db.execute("INSERT INTO runs VALUES ('old', 'old run', 1.0, 3, 'moons', 5, x'00')")
    store = RunStore(tmp_path)
    old = {"id": "old", "name": "old run", "created": 1.0, "step": 3, "kind": "moons", "hidden": 5}
    assert store.list() == [{**old, "accuracy": None, "test_accuracy": None, "points": None}]
    session = Session(Run(RunConfig()))
    assert store.save(dump_session(session), {"accuracy": 0.5, "points": 200})["accuracy"] == 0.5


def exported_run(client):
    c = client.post("/api/sessions", json={"hidden": 3}).json()
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 4}, headers=auth(c["token"]))
    run = client.post(f"/api/sessions/{c['id']}/save", headers=auth(c["token"])).json()
    return client.get(f"/api/runs/{run['id']}/export").json()


@pytest.mark.parametrize(
    "spoil, field",
    [
        (lambda d: d.update(format="something/else"), "format"),
        (lambda d: d["params"].update(W1=[[1.0, 2.0]]), "params.W1"),
        (lambda d: d["params"].pop("b2"), "params"),
        (lambda d: d["params"]["W2"][0].__setitem__(0, "x"), "params.W2"),
        (lambda d: d.update(train=[0, 0, 1]), "train"),
        (lambda d: d.update(train=[9999]), "train"),
        (lambda d: d["config"].update(hidden=4), "params.W1"),
        (lambda d: d["history"]["columns"].pop("loss"), "history"),
        (lambda d: d["batches"].update(order=[0, 1]), "order"),
        (lambda d: d.update(step=-1), "step"),
        (lambda d: d.update(surprise=1), "surprise"),
        (lambda d: d["snapshots"]["params"].pop(), "snapshots"),
    ],
)
def test_a_bad_import_is_refused_with_a_message_naming_the_field(client, spoil, field):
    document = exported_run(client)
    spoil(document)
    r = client.post("/api/runs", json=document)
    assert r.status_code == 422, r.text
    assert field in r.text
    assert len(client.get("/api/runs").json()) == 1  # only the good one from exported_run


def test_saved_runs_survive_a_server_restart(tmp_path):
    from fastapi.testclient import TestClient

    from app.api.settings import Settings
    from app.main import create_app

    settings = Settings(data_dir=str(tmp_path))
    with TestClient(create_app(settings), base_url=LOCAL) as client:
        c = client.post("/api/sessions", json={}).json()
        client.post(f"/api/sessions/{c['id']}/step", json={"n": 12}, headers=auth(c["token"]))
        run = client.post(f"/api/sessions/{c['id']}/save", headers=auth(c["token"])).json()
        params = client.get(f"/api/sessions/{c['id']}/parameters").json()
    with TestClient(create_app(settings), base_url=LOCAL) as client:
        loaded = client.post(f"/api/runs/{run['id']}/load").json()
        assert client.get(f"/api/sessions/{loaded['id']}/parameters").json() == params


@pytest.mark.slow
def test_sigkill_during_saves_leaves_every_earlier_run_intact(tmp_path):
    store = RunStore(tmp_path)
    session = Session(Run(RunConfig(hidden=200)))
    session.player.step(5)
    document = dump_session(session)
    first = [store.save(document)["id"] for _ in range(3)]
    saver = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        from app.training.config import RunConfig
        from app.training.run import Run
        from app.training.saved_run import dump_session
        from app.training.session import Session
        from app.training.store import RunStore
        store = RunStore({str(tmp_path)!r}, max_runs=100000)
        doc = dump_session(Session(Run(RunConfig(hidden=200))))
        print("ready", flush=True)
        while True:
            store.save(doc)
    """),
        ],
        stdout=subprocess.PIPE,
        cwd=os.getcwd(),
    )
    assert saver.stdout.readline().strip() == b"ready"
    time.sleep(1.0)
    saver.send_signal(signal.SIGKILL)
    saver.wait(timeout=10)
    with sqlite3.connect(tmp_path / "runs.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    after = RunStore(tmp_path)
    runs = after.list()
    assert len(runs) > 3  # the killed process had saved some
    for run_id in first:
        restored = restore_run(after.document(run_id))
        np.testing.assert_array_equal(restored.params["W1"], session.run.params["W1"])
    for run in runs:  # every row that is there is whole
        assert after.document(run["id"])["step"] in (0, 5)


def test_a_run_saved_in_format_1_still_loads():
    """A file written before deep runs: format 1, no loss, l1 or features in its config."""
    document = json.loads(json.dumps(dump_session(Session(Run(RunConfig())))))
    document["format"] = "backprop-visualizer/saved-run/1"
    for name in ("loss", "l1", "features"):
        del document["config"][name]
    run = restore_run(document)
    assert run.config.loss == "cross_entropy" and run.config.features == ["x1", "x2"]
