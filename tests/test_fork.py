"""Forking a run: a new session that goes on from another one exactly as it was at a kept step,
with some settings changed (POST /api/sessions/{id}/fork)."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.api.settings import Settings
from app.core.datasets import make_dataset
from app.frames.messages import hello
from app.main import create_app
from app.training.config import RunConfig
from app.training.fork import ForkChanges
from app.training.registry import Registry
from app.training.saved_run import dump_session, restore_run

from .conftest import LOCAL, auth


def create(client, body=None) -> dict:
    r = client.post("/api/sessions", json={} if body is None else body)
    assert r.status_code == 201, r.text
    return r.json()


def step(client, created: dict, n: int) -> None:
    r = client.post(f"/api/sessions/{created['id']}/step", json={"n": n}, headers=auth(created["token"]))
    assert r.status_code == 200 and r.json()["taken"] == n, r.text


def fork(client, session_id: str, body: dict | None = None) -> dict:
    r = client.post(f"/api/sessions/{session_id}/fork", json={} if body is None else body)
    assert r.status_code == 201, r.text
    return r.json()


def parameters(client, session_id: str, at_step: int | None = None) -> dict[str, np.ndarray]:
    query = "" if at_step is None else f"?at_step={at_step}"
    r = client.get(f"/api/sessions/{session_id}/parameters{query}")
    assert r.status_code == 200, r.text
    return {name: np.array(p["values"]) for name, p in r.json()["params"].items()}


def assert_bit_equal(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].shape == b[name].shape and np.array_equal(a[name], b[name]), name


def test_a_fork_at_a_kept_step_has_the_parents_parameters_there_bit_for_bit(client):
    parent = create(client, {"hidden": [6, 4], "optimizer": "momentum", "learning_rate": 0.3})
    step(client, parent, 40)
    child = fork(client, parent["id"], {"at_step": 25})
    assert child["id"] != parent["id"] and child["token"] != parent["token"]
    summary = client.get(f"/api/sessions/{child['id']}").json()
    assert summary["step"] == 25 and summary["status"] == "paused"
    assert summary["parent"] == {"id": parent["id"], "step": 25}
    assert client.get(f"/api/sessions/{parent['id']}").json()["parent"] is None
    assert_bit_equal(parameters(client, child["id"]), parameters(client, parent["id"], at_step=25))
    assert not np.array_equal(parameters(client, child["id"])["W1"], parameters(client, parent["id"])["W1"])
    # its past is the parent's: the history up to the fork and the kept steps to scrub back to
    history = client.get(f"/api/sessions/{child['id']}/history").json()["columns"]
    assert history["step"][-1] == 25 and history["step"][:3] == [1, 2, 3]
    assert_bit_equal(
        parameters(client, child["id"], at_step=10), parameters(client, parent["id"], at_step=10)
    )


def test_a_fork_without_at_step_starts_at_the_current_step(client):
    parent = create(client)
    step(client, parent, 7)
    child = fork(client, parent["id"])
    assert child["session"]["parent"] == {"id": parent["id"], "step": 7} and child["session"]["step"] == 7
    assert_bit_equal(parameters(client, child["id"]), parameters(client, parent["id"]))


# Each case takes about half a second: the quick loop runs the one that has the most state to
# carry over (Adam's m, v and t, at depth 3), the full suite every optimizer at both depths.
slow = pytest.mark.slow


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
def test_an_unchanged_fork_stays_bit_equal_to_its_parent_for_100_steps(client, optimizer, hidden):
    lr = 0.05 if optimizer == "adam" else 0.5
    for batch_size in (16, None):  # mini-batches (the same order from the fork on), and full batch
        parent = create(
            client, {"hidden": hidden, "optimizer": optimizer, "learning_rate": lr, "batch_size": batch_size}
        )
        step(client, parent, 50)
        child = fork(client, parent["id"], {"at_step": 30})  # mid-epoch, with optimizer state built up
        step(client, child, 120)
        step(client, parent, 100)
        assert_bit_equal(parameters(client, child["id"]), parameters(client, parent["id"]))
        history = [client.get(f"/api/sessions/{s['id']}/history").json()["columns"] for s in (parent, child)]
        assert history[0]["step"] == history[1]["step"] and history[0]["loss"] == history[1]["loss"]
        for created in (parent, child):
            client.delete(f"/api/sessions/{created['id']}", headers=auth(created["token"]))


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_a_learning_rate_change_scales_the_next_update_by_its_ratio(client, optimizer):
    lr = 0.05 if optimizer == "adam" else 0.5
    parent = create(client, {"optimizer": optimizer, "learning_rate": lr})
    step(client, parent, 20)
    child = fork(client, parent["id"], {"at_step": 20, "changes": {"learning_rate": lr / 10}})
    assert child["session"]["config"]["learning_rate"] == lr / 10
    before = parameters(client, parent["id"])
    step(client, parent, 1)
    step(client, child, 1)
    after_parent, after_child = parameters(client, parent["id"]), parameters(client, child["id"])
    for name, p in before.items():
        update_parent, update_child = after_parent[name] - p, after_child[name] - p
        assert np.linalg.norm(update_parent) > 0
        # float32 weights: each sum p + update is rounded to within half a unit in the last place
        ulp = np.spacing(np.maximum(np.abs(p), np.abs(after_parent[name])).astype(np.float32)).astype(
            np.float64
        )
        assert np.all(np.abs(update_child - update_parent / 10) <= ulp + 1e-6 * np.abs(update_parent)), name


def test_a_viewer_forks_without_a_token_and_drives_the_fork_but_not_the_parent(client):
    parent = create(client)
    child = fork(client, parent["id"])  # no Authorization header: a watcher's fork
    step(client, child, 3)
    r = client.post(f"/api/sessions/{parent['id']}/step", json={"n": 1}, headers=auth(child["token"]))
    assert r.status_code == 403
    r = client.post(f"/api/sessions/{parent['id']}/step", json={"n": 1})
    assert r.status_code == 401
    assert client.get(f"/api/sessions/{parent['id']}").json()["step"] == 0


def test_at_step_not_kept_is_named_with_the_steps_that_are(client):
    parent = create(client)
    step(client, parent, 300)  # past 256 kept steps the ring keeps every other one
    r = client.post(f"/api/sessions/{parent['id']}/fork", json={"at_step": 301})
    assert r.status_code == 422
    message = r.json()["detail"]
    assert message.startswith("at_step: 301 is not a step this run keeps")
    assert "current step 300" in message and "0, 2, 4, 6, …, 294, 296, 298, 300 (151 steps)" in message
    r = client.post(f"/api/sessions/{parent['id']}/fork", json={"at_step": 101})
    assert r.status_code == 422 and r.json()["detail"].startswith("at_step: 101 is not a step")
    assert fork(client, parent["id"], {"at_step": 100})["session"]["step"] == 100


@pytest.mark.parametrize(
    ("changes", "where", "says"),
    [
        ({"hidden": 7}, ["body", "changes"], "hidden: a fork keeps the network's shape"),
        (
            {"features": ["x1", "x2", "x1^2"]},
            ["body", "changes"],
            "features: a fork keeps the network's shape",
        ),
        ({"classes": 3}, ["body", "changes"], "classes: a fork keeps the network's shape"),
        (
            {"dropout": 0.5},
            ["body", "changes"],
            "dropout: not a setting a fork can change; it changes learning_rate",
        ),
        ({"learning_rate": 1e9}, ["body", "changes", "learning_rate"], "less than or equal to 100"),
        ({"batch_size": 0}, ["body", "changes", "batch_size"], "greater than or equal to 1"),
    ],
)
def test_a_change_that_does_not_fit_is_a_422_naming_it(client, changes, where, says):
    parent = create(client)
    r = client.post(f"/api/sessions/{parent['id']}/fork", json={"changes": changes})
    assert r.status_code == 422
    error = r.json()["detail"][0]
    assert error["loc"] == where and says in error["msg"], error


def test_a_change_out_of_a_new_runs_bounds_is_named_as_a_change(client):
    parent = create(client)
    for changes, says in [
        ({"label_smoothing": 0.9}, "changes.label_smoothing: Input should be less than or equal to 0.5"),
        ({"noise": 99.0}, "changes.noise: Input should be less than or equal to"),
        ({"seed": -1}, "changes.seed: Input should be greater than or equal to 0"),
    ]:
        r = client.post(f"/api/sessions/{parent['id']}/fork", json={"changes": changes})
        assert r.status_code == 422 and r.json()["detail"].startswith(says), r.text
    points = create(
        client,
        {
            "dataset": {
                "kind": "points",
                "points": [{"x": 0.0, "y": 0.0, "label": 0}, {"x": 1.0, "y": 1.0, "label": 1}],
            }
        },
    )
    r = client.post(f"/api/sessions/{points['id']}/fork", json={"changes": {"noise": 0.3}})
    assert r.status_code == 422 and r.json()["detail"].startswith(
        "changes.noise: the parent trains on points"
    )


def test_forks_count_against_the_session_limit(tmp_path):
    with TestClient(create_app(Settings(max_sessions=2, data_dir=str(tmp_path))), base_url=LOCAL) as client:
        parent = create(client)
        fork(client, parent["id"])
        r = client.post(f"/api/sessions/{parent['id']}/fork", json={})
        assert r.status_code == 429
        assert "already runs 2 sessions, its limit" in r.json()["detail"]


def registry_with(config: RunConfig, steps: int):
    registry = Registry(max_sessions=8, idle_seconds=60)
    parent = registry.create(config)
    parent.player.step(steps)
    return registry, parent


def test_a_noise_change_draws_the_parents_points_again_with_the_new_noise():
    registry, parent = registry_with(RunConfig(dataset={"noise": 0.2}), 10)
    child = registry.fork(parent, 5, ForkChanges(noise=0.4))
    base = make_dataset("moons", n_samples=200, noise=0.0, seed=0).X
    # the same seed draws the same directions: each point moves twice as far from its place on the moon
    np.testing.assert_allclose(child.run.dataset.X - base, 2 * (parent.run.dataset.X - base), atol=1e-12)
    assert np.array_equal(child.run.dataset.labels, parent.run.dataset.labels)
    assert np.array_equal(child.run.dataset.train, parent.run.dataset.train)
    assert child.run.config.dataset.noise == 0.4 and child.run.step_count == 5


def test_a_loss_activation_or_seed_change_starts_from_the_same_weights_and_steps_differently():
    registry, parent = registry_with(RunConfig(hidden=[5, 4], batch_size=16), 12)
    at_12 = {name: value.copy() for name, value in parent.run.params.items()}
    parent.player.step(1)
    for changes in (ForkChanges(loss="mse"), ForkChanges(activation="relu"), ForkChanges(seed=7)):
        child = registry.fork(parent, 12, changes)
        assert all(np.array_equal(child.run.params[n], at_12[n]) for n in at_12)
        child.player.step(1)
        assert not np.array_equal(child.run.params["W1"], parent.run.params["W1"]), changes
        assert child.run.config.model_dump(exclude_unset=True) != parent.run.config.model_dump(), changes


def test_an_optimizer_change_starts_that_optimizer_fresh():
    registry, parent = registry_with(RunConfig(optimizer="momentum", learning_rate=0.5), 10)
    child = registry.fork(parent, None, ForkChanges(optimizer="adam", learning_rate=0.01))
    assert child.run.optimizer.name == "adam" and child.run.optimizer.t == {}
    assert parent.run.optimizer.velocity  # the parent's own state is untouched


def test_the_hello_and_a_saved_run_of_a_fork_name_its_parent():
    registry, parent = registry_with(RunConfig(), 6)
    child = registry.fork(parent, 4, ForkChanges())
    assert hello(child, "viewer")["session"]["parent"] == {"id": parent.id, "step": 4}
    assert hello(parent, "viewer")["session"]["parent"] is None
    document = dump_session(child)
    assert document["parent"] == {"id": parent.id, "step": 4}
    assert restore_run(document).parent == {"id": parent.id, "step": 4}
    assert "parent" not in dump_session(parent)  # a run not forked is saved as it always was


def test_each_kept_step_keeps_the_optimizer_state_a_fork_needs():
    registry, parent = registry_with(RunConfig(optimizer="adam", learning_rate=0.05), 20)
    params, resume = parent.run.snapshots.resume_at(10)
    assert resume.optimizer["t"] == {name: 10 for name in params}
    assert set(resume.optimizer["m"]) == set(params)
    # a copy, not the live state: the parent's m has moved on since step 10
    assert not np.array_equal(resume.optimizer["m"]["W1"], parent.run.optimizer.m["W1"])


def test_a_fork_takes_the_settings_and_points_the_parent_had_at_that_step(client):
    parent = create(client, {"learning_rate": 0.5})
    step(client, parent, 10)
    r = client.patch(
        f"/api/sessions/{parent['id']}", json={"learning_rate": 0.2}, headers=auth(parent["token"])
    )
    assert r.status_code == 200
    r = client.post(
        f"/api/sessions/{parent['id']}/points",
        json={"add": [{"x": 0.5, "y": 0.5, "label": 1}]},
        headers=auth(parent["token"]),
    )
    assert r.status_code == 200
    step(client, parent, 5)
    then = fork(client, parent["id"], {"at_step": 10})["session"]
    assert then["config"]["learning_rate"] == 0.5 and then["config"]["dataset"]["kind"] == "moons"
    now = fork(client, parent["id"])["session"]
    assert now["config"]["learning_rate"] == 0.2 and len(now["config"]["dataset"]["points"]) == 201


def test_a_fork_of_a_fork_goes_on_from_the_fork(client):
    parent = create(client, {"optimizer": "momentum", "learning_rate": 0.3, "batch_size": 20})
    step(client, parent, 20)
    child = fork(client, parent["id"], {"at_step": 10, "changes": {"learning_rate": 0.1}})
    step(client, child, 10)
    grandchild = fork(client, child["id"], {"at_step": 15})
    assert grandchild["session"]["parent"] == {"id": child["id"], "step": 15}
    assert grandchild["session"]["config"]["learning_rate"] == 0.1
    step(client, grandchild, 5)
    assert_bit_equal(parameters(client, grandchild["id"]), parameters(client, child["id"]))
    # its past goes back through its parent's to the first run's
    assert_bit_equal(
        parameters(client, grandchild["id"], at_step=5), parameters(client, parent["id"], at_step=5)
    )


def test_the_kept_optimizer_states_stay_within_the_rings_budget_spread_over_the_run():
    registry, parent = registry_with(RunConfig(optimizer="adam", learning_rate=0.05), 60)
    ring = parent.run.snapshots
    one = ring.resume_at(60)[1].own_nbytes()
    assert one > 0
    ring.resume_bytes = 10 * one  # as if the run were large: room for ten of its 61 kept steps
    ring.record(61, parent.run.params, ring.resume_at(60)[1])
    forkable = ring.resumable_steps()
    assert 2 <= len(forkable) <= 10 and forkable[-1] == 61  # the newest is always kept
    assert forkable[0] < 20  # spread over the run, not only its last steps
    assert len(ring.steps()) == 62  # every step keeps its parameters still
