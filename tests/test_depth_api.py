"""Deep runs through the API: the config's new fields and their refusals, training, REST and the
frame at every depth, and the one-hidden-layer views refusing a deeper run in a plain sentence."""

import numpy as np
import pytest

from app.core.network import param_names
from app.frames.build import build_now
from app.frames.encoding import decode_frame
from app.frames.request import FrameRequest
from app.training.config import RunConfig
from app.training.run import Run

from .conftest import auth

DEEP = {
    "hidden": [8, 8, 4],
    "loss": "mse",
    "l1": 0.001,
    "init_scale": "xavier",
    "features": ["x1", "x2", "x1_sq"],
    "learning_rate": 0.5,
    "dataset": {"kind": "spiral", "n_samples": 90},
}


def create(client, body):
    r = client.post("/api/sessions", json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    return created["id"], auth(created["token"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hidden": [4] * 7}, "hidden"),
        ({"hidden": []}, "hidden"),
        ({"hidden": [8, 0]}, "hidden"),
        ({"hidden": [8, 2000]}, "hidden"),
        ({"hidden": [1024, 1024]}, "hidden"),  # within each layer's bound, past the weights' one
        ({"features": ["x1", "x1"]}, "features"),
        ({"features": ["x1", "x3"]}, "features"),
        ({"features": []}, "features"),
        ({"l1": -0.1}, "l1"),
        ({"loss": "hinge"}, "loss"),
        ({"init_scale": "glorot"}, "init_scale"),
    ],
)
def test_a_bad_value_is_a_422_naming_the_field(client, body, field):
    r = client.post("/api/sessions", json=body)
    assert r.status_code == 422
    assert field in r.text


def test_a_deep_run_trains_and_every_view_of_its_layers_answers(client):
    sid, token = create(client, DEEP)
    names = param_names(3)
    assert client.post(f"/api/sessions/{sid}/step", json={"n": 30}, headers=token).status_code == 200
    config = client.get(f"/api/sessions/{sid}").json()["config"]
    assert {k: config[k] for k in ("hidden", "loss", "l1", "init_scale", "features")} == {
        k: DEEP[k] for k in ("hidden", "loss", "l1", "init_scale", "features")
    }
    params = client.get(f"/api/sessions/{sid}/parameters").json()["params"]
    assert list(params) == list(names)
    assert [params[f"W{l}"]["shape"] for l in range(1, 5)] == [[3, 8], [8, 8], [8, 4], [4, 3]]
    gradients = client.get(f"/api/sessions/{sid}/gradients").json()
    assert list(gradients["grads"]) == list(names) and len(gradients["deltas"]) == 4
    assert all(d > 0 for d in gradients["deltas"])
    check = client.get(f"/api/sessions/{sid}/gradcheck", params={"max_entries": 6}).json()
    assert check["passed"] and set(check["params"]) == set(names)
    history = client.get(f"/api/sessions/{sid}/history").json()["columns"]
    assert history["step"][-1] == 30 and len(history["grad_norm_W4"]) == 30 and "ratio_b4" in history
    assert history["loss"][-1] < history["loss"][0]
    export = client.get(f"/api/sessions/{sid}/export").json()
    assert list(export["params"]) == list(names)
    saturation = client.get(f"/api/sessions/{sid}/saturation").json()
    assert (
        len(saturation["layers"]) == 3
        and sum(layer["pairs"] for layer in saturation["layers"]) == (saturation["pairs"])
    )
    for path in ("grid", "input-gradients", "loss-slice", "timeline"):
        assert client.get(f"/api/sessions/{sid}/{path}").status_code == 200, path


def test_the_frame_carries_every_layer_and_the_deltas(client):
    sid, token = create(client, DEEP)
    client.post(f"/api/sessions/{sid}/step", json={"n": 3}, headers=token)
    session = client.app.state.registry.get(sid)
    header, arrays = decode_frame(build_now(session, FrameRequest(8, True))[1])
    names = param_names(3)
    assert list(header["grad"]) == list(names)
    assert len(header["deltas"]) == 4 and all(d > 0 for d in header["deltas"])
    for name in names:
        assert arrays[name].shape == session.run.params[name].shape
        assert arrays[f"d{name}"].shape == session.run.params[name].shape
    assert header["live"]["l1"] == 0.001
    assert arrays["grid"].shape[:2] == (8, 8)


def test_a_depth_one_frame_is_what_it_was():
    """The default run's frame holds the four arrays it always had, and deltas of its two layers."""
    from app.training.session import Session

    session = Session(Run(RunConfig()))
    session.player.step(2)
    header, arrays = decode_frame(build_now(session, FrameRequest(8, True))[1])
    assert list(header["grad"]) == ["W1", "b1", "W2", "b2"] and len(header["deltas"]) == 2
    assert {"W1", "b1", "W2", "b2", "dW1", "db1", "dW2", "db2"} <= set(arrays)


def test_zero_init_run_keeps_every_unit_of_a_layer_the_same():
    run = Run(RunConfig(hidden=[5, 4], init_scale="zeros", learning_rate=0.5, dataset={"kind": "xor"}))
    for _ in range(40):
        assert run.step()
    for l in (1, 2):
        W = run.params[f"W{l}"]
        assert np.all(W == W[:, :1])  # every unit of layer l has the same incoming weights


def test_features_instead_of_depth_separate_the_circles():
    """x1² and x2² make the circles a linear problem: one small layer of linear units is enough."""
    config = RunConfig(
        hidden=2,
        activation="linear",
        features=["x1_sq", "x2_sq"],
        learning_rate=0.5,
        lam=0.0,
        dataset={"kind": "circles", "n_samples": 200},
    )
    run = Run(config)
    for _ in range(400):
        run.step()
    assert run.history.columns["test_accuracy"][-1] > 0.9


def test_a_unit_of_any_layer_is_shown_with_its_own_weights_and_error(client):
    sid, token = create(client, DEEP)
    client.post(f"/api/sessions/{sid}/step", json={"n": 5}, headers=token)
    session = client.app.state.registry.get(sid)
    params = session.run.params
    unit = client.get(f"/api/sessions/{sid}/units/3", params={"layer": 2, "G": 10}).json()
    assert unit["layer"] == 2 and unit["unit"] == 3
    np.testing.assert_allclose(unit["w_in"], params["W2"][:, 3], rtol=1e-6)
    np.testing.assert_allclose(unit["w_out"], params["W3"][3, :], rtol=1e-6)
    assert len(unit["a1_grid"]) == 10 and len(unit["dz1"]) == len(session.run.dataset.train)
    first = client.get(f"/api/sessions/{sid}/units/0", params={"G": 10}).json()
    assert first["layer"] == 1 and len(first["w_in"]) == 3  # the three features
    assert client.get(f"/api/sessions/{sid}/units/4", params={"layer": 3}).status_code == 422  # 4 wide
    assert client.get(f"/api/sessions/{sid}/units/0", params={"layer": 4}).status_code == 422


def test_l1_changes_during_a_run_like_lam_and_a_negative_one_is_refused(client):
    sid, token = create(client, {"hidden": [6, 6]})
    client.post(f"/api/sessions/{sid}/step", json={"n": 2}, headers=token)
    assert client.patch(f"/api/sessions/{sid}", json={"l1": -0.5}, headers=token).status_code == 422
    r = client.patch(f"/api/sessions/{sid}", json={"l1": 0.01}, headers=token)
    assert r.status_code == 200 and r.json()["config"]["l1"] == 0.01 and r.json()["step"] == 2
    session = client.app.state.registry.get(sid)
    with_l1 = client.get(f"/api/sessions/{sid}/gradients").json()
    W1 = session.run.params["W1"].astype(np.float64)
    client.patch(f"/api/sessions/{sid}", json={"l1": 0.0}, headers=token)
    without = client.get(f"/api/sessions/{sid}/gradients").json()
    difference = np.array(with_l1["grads"]["W1"]["values"]) - np.array(without["grads"]["W1"]["values"])
    np.testing.assert_allclose(difference, 0.01 * np.sign(W1), atol=1e-12)  # + l1 * sign(W)


def test_a_deep_run_is_saved_listed_and_loaded_back(client):
    sid, token = create(client, DEEP)
    client.post(f"/api/sessions/{sid}/step", json={"n": 4}, headers=token)
    saved = client.post(f"/api/sessions/{sid}/save", json={"name": "deep"}, headers=token)
    assert saved.status_code == 201, saved.text
    assert saved.json()["hidden"] == [8, 8, 4]
    listed = [r for r in client.get("/api/runs").json() if r["id"] == saved.json()["id"]]
    assert listed[0]["hidden"] == [8, 8, 4]
    document = client.get(f"/api/runs/{saved.json()['id']}/export").json()
    assert document["format"] == "backprop-visualizer/saved-run/2" and "W4" in document["params"]


def test_the_servers_limit_bounds_every_layer_and_the_weights_between_hidden_layers():
    from app.training.limits import LimitExceeded, RunLimits

    limits = RunLimits(max_hidden=64)
    limits.check(RunConfig(hidden=[64, 64, 64]))  # 2 * 64 * 64 = 8192 = 128 * 64 weights
    with pytest.raises(LimitExceeded, match=r"every layer must be at most 64 wide"):
        limits.check(RunConfig(hidden=[8, 65]))
    with pytest.raises(LimitExceeded, match=r"weights between hidden layers .* at most 8192 .* got 12288"):
        limits.check(RunConfig(hidden=[64, 64, 64, 64]))
    with pytest.raises(LimitExceeded, match=r"hidden must be at most 64 on this server, got 65"):
        limits.check(RunConfig(hidden=65))  # one layer's message is what it always was
