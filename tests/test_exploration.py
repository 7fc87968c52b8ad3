"""Exploration: the timeline of kept weights, the loss along the gradient, the hidden space."""

import numpy as np
import pytest

from app.core.hidden_space import fit_projection, grid_lines, hidden_space
from app.core.loss_slice import loss_slice
from app.core.network import forward, init_params, loss
from app.training.snapshots import SnapshotRing

from .conftest import auth
from .test_network import random_problem


def test_snapshot_ring_thins_evenly_and_stays_bounded():
    ring = SnapshotRing(capacity=8)
    for step in range(0, 100):
        ring.record(step, {"W1": np.array([float(step)])})
    steps = ring.steps()
    assert len(steps) <= 8 and steps[0] == 0
    assert len({b - a for a, b in zip(steps, steps[1:])}) == 1  # evenly spaced
    at, params = ring.at(steps[3] + 1)
    assert at == steps[3] and params["W1"][0] == steps[3]


def test_loss_slice_starts_at_the_loss_and_first_goes_down():
    params, X, Y = random_problem(0, 5, 3, 50, soft=False)
    out = loss_slice(params, X, Y, "tanh", 0.01, t_max=2.0, points=21)
    assert out["loss"][0] == pytest.approx(loss(params, forward(params, X), Y, 0.01))
    assert out["loss"][1] < out["loss"][0]  # the negative gradient is a descent direction
    assert out["t"][-1] == 2.0 and out["grad_norm"] > 0


def test_hidden_space_is_exact_for_two_units_and_pca_otherwise():
    params = init_params(2, 2, seed=0)
    X = np.random.RandomState(0).randn(30, 2)
    view = hidden_space(params, X, (-2, 2, -2, 2), "tanh", lines=5, samples=9)
    np.testing.assert_allclose(view.points, np.tanh(X @ params["W1"] + params["b1"]))
    assert view.projection.exact and view.grid.shape == (10, 9, 2)
    a1 = np.random.RandomState(1).randn(100, 6) @ np.diag([5, 3, 0.1, 0.1, 0.1, 0.1])
    p = fit_projection(a1)
    assert not p.exact and p.explained > 0.99
    np.testing.assert_allclose(p.components.T @ p.components, np.eye(2), atol=1e-12)


def test_grid_lines_cover_the_box():
    lines = grid_lines((0, 1, 10, 20), lines=3, samples=4)
    assert lines.shape == (6, 4, 2)
    np.testing.assert_allclose(lines[0, :, 0], 0) and np.testing.assert_allclose(lines[3, :, 1], 10)


def test_timeline_rest_gives_an_earlier_steps_boundary_and_gradients(client):
    c = client.post("/api/sessions", json={}).json()
    sid, h = c["id"], auth(c["token"])
    early_grid = client.get(f"/api/sessions/{sid}/grid", params={"G": 10}).json()["probabilities"]
    early_grads = client.get(f"/api/sessions/{sid}/gradients").json()["grads"]
    client.post(f"/api/sessions/{sid}/step", json={"n": 40}, headers=h)
    timeline = client.get(f"/api/sessions/{sid}/timeline").json()
    assert timeline["step"] == 40 and timeline["steps"][:3] == [0, 1, 2]
    now = client.get(f"/api/sessions/{sid}/grid", params={"G": 10}).json()
    assert now["probabilities"] != early_grid
    back = client.get(f"/api/sessions/{sid}/grid", params={"G": 10, "at_step": 0}).json()
    assert back["step"] == 0 and back["probabilities"] == early_grid
    assert client.get(f"/api/sessions/{sid}/gradients", params={"at_step": 0}).json()["grads"] == early_grads
    d = client.get(f"/api/sessions/{sid}/derivation/0", params={"at_step": 10}).json()
    assert d["step"] == 10


def test_loss_slice_and_hidden_space_over_rest(client):
    c = client.post("/api/sessions", json={"hidden": 8}).json()
    s = client.get(f"/api/sessions/{c['id']}/loss-slice", params={"points": 11}).json()
    assert len(s["t"]) == 11 and s["t"][-1] == pytest.approx(3.0) and s["learning_rate"] == 1.0
    hs = client.get(f"/api/sessions/{c['id']}/hidden-space", params={"lines": 4, "samples": 5}).json()
    assert np.array(hs["points"]).shape == (160, 2) and np.array(hs["grid"]).shape == (8, 5, 2)
    assert not hs["exact"] and 0 < hs["explained"] <= 1
    assert client.get(f"/api/sessions/{c['id']}/loss-slice", params={"t_max": -1}).status_code == 422


def test_points_added_and_removed_over_rest_keep_the_weights(client):
    c = client.post(
        "/api/sessions", json={"dataset": {"kind": "blobs", "classes": 3, "n_samples": 30}}
    ).json()
    sid, h = c["id"], auth(c["token"])
    client.post(f"/api/sessions/{sid}/step", json={"n": 5}, headers=h)
    before = client.get(f"/api/sessions/{sid}/parameters").json()["params"]
    r = client.post(
        f"/api/sessions/{sid}/points",
        json={"add": [{"x": 5, "y": 5, "label": 2}], "remove": [0, 1]},
        headers=h,
    )
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["step"] == 5 and len(s["config"]["dataset"]["points"]) == 29
    assert client.get(f"/api/sessions/{sid}/parameters").json()["params"] == before
    assert client.post(f"/api/sessions/{sid}/step", json={"n": 2}, headers=h).json()["taken"] == 2
    bad = client.post(f"/api/sessions/{sid}/points", json={"add": [{"x": 0, "y": 0, "label": 3}]}, headers=h)
    assert bad.status_code == 422 and "label 3" in bad.text
    bad = client.post(f"/api/sessions/{sid}/points", json={"remove": [99]}, headers=h)
    assert bad.status_code == 422 and "index 99" in bad.text
    assert client.post(f"/api/sessions/{sid}/points", json={"remove": [0]}).status_code == 401
    # the edited run's config recreates the same points
    again = client.post("/api/sessions", json=s["config"]).json()
    assert again["session"]["config"]["dataset"]["points"] == s["config"]["dataset"]["points"]
