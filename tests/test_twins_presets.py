"""The paired presets: each is made over REST (POST /api/twins), trained in lock-step, and shows the
contrast its text promises, in numbers."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.network import forward
from app.training.twins_presets import BY_NAME, TWINS_PRESETS

from .conftest import auth
from .test_fork import assert_bit_equal, parameters


def make(client, name: str) -> dict:
    r = client.post("/api/twins", json={"preset": name})
    assert r.status_code == 201, r.text
    return r.json()


def step(client, twins: dict, n: int) -> dict:
    r = client.post(f"/api/twins/{twins['id']}/step", json={"n": n}, headers=auth(twins["token"]))
    assert r.status_code == 200, r.text
    summary = r.json()
    assert summary["left"]["step"] == summary["right"]["step"]
    return summary


def accuracies(client, twins: dict) -> tuple[float, float]:
    """Each run's accuracy on all its training points, from its own parameters now."""
    found = []
    for side in ("left", "right"):
        run = client.app.state.registry.get(twins[side]["id"]).run
        logits = forward(run.params, run.X_train, run.activation).logits
        found.append(float(np.mean(np.argmax(logits, axis=1) == run.labels_train)))
    return found[0], found[1]


def losses(client, twins: dict, side: str, since: int) -> np.ndarray:
    columns = client.get(f"/api/sessions/{twins[side]['id']}/history").json()["columns"]
    steps = np.array(columns["step"])
    return np.array(columns["loss"])[steps > since]


def test_the_presets_are_listed_with_their_fork_steps(client):
    listed = client.get("/api/twins/presets").json()
    assert [p["name"] for p in listed] == ["lr_1_vs_0_1", "ce_vs_mse", "momentum_vs_sgd", "batch_order"]
    assert [p["step"] for p in listed] == [50, 0, 0, 0]
    assert all(p["title"] and len(p["description"]) > 80 for p in listed)


def test_a_preset_is_its_base_run_at_its_fork_step_then_twinned(client):
    twins = make(client, "lr_1_vs_0_1")
    assert twins["step"] == 50 and twins["title"] == BY_NAME["lr_1_vs_0_1"].title
    summary = client.get(f"/api/twins/{twins['id']}").json()
    assert summary["left"]["step"] == summary["right"]["step"] == 50
    assert (
        summary["left"]["config"]["learning_rate"] == 1.0
        and summary["right"]["config"]["learning_rate"] == 0.1
    )
    assert summary["left"]["parent"] == {"id": "preset:lr_1_vs_0_1", "step": 50}
    assert_bit_equal(parameters(client, twins["left"]["id"]), parameters(client, twins["right"]["id"]))
    history = client.get(f"/api/sessions/{twins['right']['id']}/history").json()["columns"]
    assert history["step"][0] == 1 and history["step"][-1] == 50  # the shared past, at lr 1.0


@pytest.mark.slow  # 300 steps of two runs; the quick loop has the preset test above
def test_learning_rate_1_oscillates_while_0_1_falls_smoothly(client):
    twins = make(client, "lr_1_vs_0_1")
    step(client, twins, 300)
    fast, slow = losses(client, twins, "left", 50), losses(client, twins, "right", 50)
    assert len(fast) == len(slow) == 300
    ups_fast, ups_slow = np.sum(np.diff(fast) > 0), np.sum(np.diff(slow) > 0)
    assert ups_fast > 90 and ups_slow == 0  # 139 and 0 when measured
    assert np.mean(np.abs(np.diff(fast))) > 10 * np.mean(np.abs(np.diff(slow)))
    assert slow[-1] < 0.75 * slow[0]  # and the smaller rate learns


@pytest.mark.slow  # 300 steps of two runs; the quick loop has the preset test above
def test_cross_entropy_learns_sooner_than_mse_from_the_same_init(client):
    twins = make(client, "ce_vs_mse")
    step(client, twins, 100)
    ce, mse = accuracies(client, twins)
    assert ce >= 0.95 and mse <= 0.85, (ce, mse)  # 0.981 and 0.781 when measured
    step(client, twins, 100)
    assert min(accuracies(client, twins)) >= 0.95  # and then MSE catches up


@pytest.mark.slow  # 300 steps of two runs; the quick loop has the preset test above
def test_momentum_learns_sooner_than_plain_sgd(client):
    twins = make(client, "momentum_vs_sgd")
    step(client, twins, 300)
    momentum, sgd = accuracies(client, twins)
    assert momentum >= 0.95 and momentum - sgd >= 0.05, (momentum, sgd)
    assert losses(client, twins, "left", 250).mean() < 0.6 * losses(client, twins, "right", 250).mean()


@pytest.mark.slow  # 300 steps of two runs; the quick loop has the preset test above
def test_another_batch_order_takes_another_path_from_the_same_init(client):
    twins = make(client, "batch_order")
    step(client, twins, 300)
    distance = client.get(f"/api/twins/{twins['id']}/distance").json()
    left = parameters(client, twins["left"]["id"])
    for name, column in distance["layers"].items():
        # ||W1 - W1'|| 3.0 against ||W1|| 5.5 when measured
        assert column[0] == 0.0 and column[-1] > 0.25 * np.linalg.norm(left[name]), name
    assert min(accuracies(client, twins)) >= 0.85  # both learn the moons


def test_every_preset_forks_with_the_change_it_names():
    for preset in TWINS_PRESETS:
        assert preset.changes.model_fields_set, preset.name
