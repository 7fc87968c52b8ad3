"""GET .../pass (the diagram's animation, stage by stage) and GET .../updates/{name}/{i}/{j} (what
the optimizer would add to a weight next): the core's numbers, validated input, a bounded size."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.features import expand
from app.core.network import backward, forward
from app.core.optimizers import make_optimizer
from app.core.pass_stages import pass_stages
from app.core.targets import one_hot

from .conftest import auth

DEEP = {"hidden": [6, 5, 4], "init_scale": "xavier", "dataset": {"kind": "moons", "n_samples": 40}}


def start(client, config=DEEP) -> dict:
    return client.post("/api/sessions", json=config).json()


def run_now(client, sid):
    """(params, X, Y, config) of the run now, float64, X its features of the training points."""
    export = client.get(f"/api/sessions/{sid}/export").json()
    params = {name: np.asarray(p["values"], dtype=np.float64) for name, p in export["params"].items()}
    points, config = export["points"], export["session"]["config"]
    plane = np.column_stack([points["x"], points["y"]]).astype(np.float64)
    labels = np.asarray(points["label"])
    train = np.asarray(points["train"])
    X = expand(plane[train], tuple(config["features"]))
    return params, X, one_hot(labels, int(labels.max()) + 1)[train], config


@pytest.mark.parametrize("query", [{}, {"sample": 3}, {"direction": "forward", "sample": 5}])
def test_the_pass_is_the_cores_at_the_runs_training_points(client, query):
    s = start(client)
    client.post(f"/api/sessions/{s['id']}/step", json={"n": 5}, headers=auth(s["token"]))
    reply = client.get(f"/api/sessions/{s['id']}/pass", params=query)
    assert reply.status_code == 200, reply.text
    got = reply.json()
    params, X, Y, config = run_now(client, s["id"])
    core = pass_stages(
        params,
        X,
        Y,
        activation=config["activation"],
        lam=config["lam"],
        direction=query.get("direction", "backward"),
        sample=query.get("sample"),
    )
    assert got["step"] == 5 and got["sizes"] == [2, 6, 5, 4, 2] and got["N"] == len(X)
    assert got["sample"] == query.get("sample")
    assert len(got["stages"]) == len(core.stages)
    for mine, theirs in zip(got["stages"], core.stages, strict=True):
        assert mine["derivation"] == list(theirs.derivation)
        assert mine["phase"] == theirs.phase and mine["layer"] == theirs.layer
        if theirs.units is not None:
            np.testing.assert_allclose(mine["units"]["values"], theirs.units, rtol=1e-9, atol=1e-15)
        if theirs.links is not None:
            assert mine["links"]["whole"] and mine["links"]["name"] == f"W{theirs.link_layer}"
            assert mine["links"]["kind"] == theirs.link_kind
            np.testing.assert_allclose(mine["links"]["values"], theirs.links, rtol=1e-9, atol=1e-15)


def test_the_batchs_backward_pass_lights_each_layers_gradient(client):
    s = start(client)
    got = client.get(f"/api/sessions/{s['id']}/pass").json()
    grads = client.get(f"/api/sessions/{s['id']}/gradients").json()["grads"]
    for stage in got["stages"]:
        if stage["links"] and stage["links"]["quantity"].startswith("dW"):
            np.testing.assert_allclose(
                stage["links"]["values"], grads[stage["links"]["name"]]["values"], rtol=1e-12
            )
        if stage["units"] and stage["units"]["quantity"].startswith("db"):
            l = stage["units"]["layer"]
            np.testing.assert_allclose(stage["units"]["values"], grads[f"b{l}"]["values"], rtol=1e-12)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"direction": "sideways"}, "direction"),
        ({"sample": -1}, "sample"),
        ({"sample": "one"}, "sample"),
        ({"sample": 40}, "sample"),  # 40 points, 32 of them training points
        ({"sample": 32}, "sample"),
        ({"units": "1:x"}, "units"),
        ({"units": "9:0"}, "units"),
        ({"at_step": 99}, "at_step"),
    ],
)
def test_bad_pass_requests_are_refused_naming_the_field(client, query, field):
    s = start(client)
    reply = client.get(f"/api/sessions/{s['id']}/pass", params=query)
    assert reply.status_code == 422
    assert field in reply.text


def test_a_viewer_reads_the_pass_without_the_token(client):
    s = start(client)
    assert client.get(f"/api/sessions/{s['id']}/pass", params={"direction": "forward"}).status_code == 200
    assert client.get("/api/sessions/nope/pass").status_code == 404


def test_the_pass_of_the_largest_network_is_bounded(client):
    """The widest layers the limits allow (1024 and 128: 131,072 hidden-to-hidden weights): a
    wide W(l) sends only the links among the 16 units the diagram shows, so the reply stays small."""
    s = start(client, {"hidden": [1024, 128], "dataset": {"kind": "moons", "n_samples": 200}})
    for direction in ("forward", "backward"):
        reply = client.get(f"/api/sessions/{s['id']}/pass", params={"direction": direction})
        assert reply.status_code == 200
        assert len(reply.content) < 200_000, len(reply.content)
        assert reply.json()["cut"] == [
            "W2: the 16 × 16 links among the units the diagram shows, of 1024 × 128"
        ]
        for stage in reply.json()["stages"]:
            links = stage["links"]
            if links and links["name"] == "W2":
                assert not links["whole"] and len(links["rows"]) == len(links["cols"]) == 16
                assert np.shape(links["values"]) == (16, 16)
            if stage["units"]:
                assert len(stage["units"]["values"]) == reply.json()["sizes"][stage["units"]["layer"]]


def test_the_links_of_the_units_asked_for(client):
    s = start(client, {"hidden": [80, 60], "dataset": {"kind": "moons", "n_samples": 40}})
    units = "1:0,1:3,1:79,2:1,2:59"
    got = client.get(f"/api/sessions/{s['id']}/pass", params={"units": units}).json()
    params, *_ = run_now(client, s["id"])
    grads = client.get(f"/api/sessions/{s['id']}/gradients").json()["grads"]
    W2 = next(st["links"] for st in got["stages"] if st["links"] and st["links"]["name"] == "W2")
    assert (W2["rows"], W2["cols"], W2["whole"]) == ([0, 3, 79], [1, 59], False)
    np.testing.assert_allclose(W2["values"], np.asarray(grads["W2"]["values"])[np.ix_([0, 3, 79], [1, 59])])
    W1 = next(st["links"] for st in got["stages"] if st["links"] and st["links"]["name"] == "W1")
    assert W1["whole"] and np.shape(W1["values"]) == (2, 80)
    too_many = ",".join(f"1:{j}" for j in range(17))
    reply = client.get(f"/api/sessions/{s['id']}/pass", params={"units": too_many})
    assert reply.status_code == 422 and "units" in reply.text


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_the_update_is_the_runs_optimizers_next_change(client, optimizer):
    config = {**DEEP, "optimizer": optimizer, "learning_rate": 0.1}
    s = start(client, config)
    client.post(f"/api/sessions/{s['id']}/step", json={"n": 3}, headers=auth(s["token"]))
    reply = client.get(f"/api/sessions/{s['id']}/updates/W2/4/1")
    assert reply.status_code == 200, reply.text
    got = reply.json()
    params, X, Y, run = run_now(client, s["id"])
    g = backward(params, forward(params, X, "tanh"), Y, run["lam"]).grads()["W2"][4, 1]
    assert got["gradient"] == pytest.approx(g, rel=1e-5)
    assert got["optimizer"] == optimizer and got["exact"] is True
    # Replay the optimizer's state over the three steps' gradients, then its next change.
    opt = make_optimizer(optimizer, 0.1)
    for k in range(3):
        p_k = run_now_at(client, s["id"], k)
        opt.delta("W2", backward(p_k, forward(p_k, X, "tanh"), Y, run["lam"]).grads()["W2"])
    want = opt.delta("W2", backward(params, forward(params, X, "tanh"), Y, run["lam"]).grads()["W2"])[4, 1]
    assert got["update"] == pytest.approx(want, rel=1e-3)
    if optimizer == "sgd":
        assert got["update"] == pytest.approx(-0.1 * got["gradient"], rel=1e-12)
    else:
        assert got["update"] != pytest.approx(-0.1 * got["gradient"], rel=1e-2)


def run_now_at(client, sid, step):
    params = client.get(f"/api/sessions/{sid}/parameters", params={"at_step": step}).json()["params"]
    return {name: np.asarray(p["values"], dtype=np.float64) for name, p in params.items()}


@pytest.mark.parametrize(
    ("path", "field"),
    [("W9/0/0", "name"), ("W5/0/0", "name"), ("W2/6/0", "index"), ("b1/0/0", "name"), ("W2/0/-1", "j")],
)
def test_a_bad_update_request_names_the_field(client, path, field):
    s = start(client)
    reply = client.get(f"/api/sessions/{s['id']}/updates/{path}")
    assert reply.status_code == 422
    assert field in reply.text
