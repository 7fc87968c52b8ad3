"""The REST API: sessions, control with the token, inspection in float64, clear errors."""

import numpy as np
import pytest

from app.core.network import backward, forward
from app.core.targets import one_hot
from app.frames.build import build_now
from app.frames.encoding import decode_frame
from app.frames.request import FrameRequest
from app.training.presets import PRESETS

from .conftest import LOCAL, auth


def create(client, body=None):
    r = client.post("/api/sessions", json={} if body is None else body)
    assert r.status_code == 201, r.text
    return r.json()


def test_empty_body_gives_the_classic_moons_run(client):
    created = create(client)
    s = created["session"]
    assert s["config"]["dataset"]["kind"] == "moons" and s["config"]["dataset"]["n_samples"] == 200
    assert s["config"]["activation"] == "tanh" and s["step"] == 0 and s["status"] == "paused"
    assert len(created["id"]) >= 20 and len(created["token"]) >= 30
    assert created["stream"] == f"/ws/sessions/{created['id']}"
    no_body = client.post("/api/sessions")
    assert no_body.status_code == 201


def test_step_advances_exactly_n_and_lowers_the_loss(client):
    c = create(client)
    r = client.post(f"/api/sessions/{c['id']}/step", json={"n": 25}, headers=auth(c["token"]))
    assert r.status_code == 200 and r.json()["taken"] == 25
    assert client.get(f"/api/sessions/{c['id']}").json()["step"] == 25
    history = client.get(f"/api/sessions/{c['id']}/history").json()
    assert history["columns"]["step"] == list(range(1, 26))
    losses = history["columns"]["loss"]
    assert losses[-1] < losses[0]
    r = client.post(f"/api/sessions/{c['id']}/step", headers=auth(c["token"]))
    assert r.json()["taken"] == 1 and r.json()["session"]["step"] == 26


def test_writes_need_the_control_token(client):
    c = create(client)
    sid = c["id"]
    assert client.post(f"/api/sessions/{sid}/step").status_code == 401
    assert client.post(f"/api/sessions/{sid}/step", headers=auth("nope")).status_code == 403
    assert client.patch(f"/api/sessions/{sid}", json={"learning_rate": 0.1}).status_code == 401
    assert client.delete(f"/api/sessions/{sid}", headers=auth("x" * 32)).status_code == 403
    other = create(client)
    assert client.post(f"/api/sessions/{sid}/reset", headers=auth(other["token"])).status_code == 403
    assert client.get(f"/api/sessions/{sid}").json()["step"] == 0


def test_gradients_are_float64_at_the_current_parameters(client):
    c = create(client, {"hidden": 7, "dataset": {"kind": "spiral", "classes": 3, "n_samples": 90}})
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 10}, headers=auth(c["token"]))
    g = client.get(f"/api/sessions/{c['id']}/gradients").json()
    p = client.get(f"/api/sessions/{c['id']}/parameters").json()
    assert g["step"] == p["step"] == 10
    params = {k: np.array(v["values"]) for k, v in p["params"].items()}
    session = client.app.state.registry.get(c["id"])
    d = session.run.dataset
    Y = one_hot(d.labels_train, 3)
    expected = backward(params, forward(params, d.X_train), Y, lam=1e-3).grads()
    for name in ("W1", "b1", "W2", "b2"):
        got = np.array(g["grads"][name]["values"])
        assert got.shape == tuple(g["grads"][name]["shape"]) == expected[name].shape
        np.testing.assert_allclose(got, expected[name], rtol=1e-12, atol=1e-15)
        assert g["grads"][name]["norm"] == pytest.approx(np.linalg.norm(expected[name]))


def test_gradcheck_passes_and_reports_every_parameter(client):
    c = create(client, {"hidden": 12})
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 5}, headers=auth(c["token"]))
    r = client.get(f"/api/sessions/{c['id']}/gradcheck", params={"max_entries": 10}).json()
    assert r["passed"] and r["threshold"] == 1e-4
    assert set(r["params"]) == {"W1", "b1", "W2", "b2"}
    assert r["params"]["W1"]["entries_checked"] == 10 and r["params"]["W1"]["entries_total"] == 24
    assert r["params"]["b2"]["entries_checked"] == 2
    for check in r["params"].values():
        assert check["max_rel_error"] < 1e-6
        for e in check["entries"]:
            assert e["analytic"] == pytest.approx(e["numeric"], rel=1e-5, abs=1e-9)


def test_derivation_long_way_equals_short_way(client):
    c = create(client, {"dataset": {"kind": "blobs", "classes": 4}})
    r = client.get(f"/api/sessions/{c['id']}/derivation/3").json()
    stages = {s["name"]: s for s in r["stages"]}
    assert stages["J"]["shape"] == [4, 4] and stages["z1"]["shape"] == [5]
    np.testing.assert_allclose(stages["dz2_long"]["value"], stages["dz2"]["value"], atol=1e-12)
    assert r["N"] == 160 and r["n"] == 3
    assert client.get(f"/api/sessions/{c['id']}/derivation/160").status_code == 422


def test_grid_probabilities_sum_to_one(client):
    c = create(client)
    r = client.get(f"/api/sessions/{c['id']}/grid", params={"G": 12}).json()
    probs = np.array(r["probabilities"])
    assert probs.shape == (12, 12, 2) and len(r["x"]) == 12
    np.testing.assert_allclose(probs.sum(axis=2), 1.0)
    assert client.get(f"/api/sessions/{c['id']}/grid", params={"G": 500}).status_code == 422


def test_patch_changes_hyperparameters_without_reset(client):
    c = create(client)
    sid, h = c["id"], auth(c["token"])
    client.post(f"/api/sessions/{sid}/step", json={"n": 5}, headers=h)
    r = client.patch(
        f"/api/sessions/{sid}", json={"learning_rate": 0.05, "optimizer": "adam", "batch_size": 16}, headers=h
    )
    assert r.status_code == 200
    s = r.json()
    assert s["step"] == 5 and s["config"]["learning_rate"] == 0.05 and s["config"]["optimizer"] == "adam"
    client.post(f"/api/sessions/{sid}/step", json={"n": 10}, headers=h)
    s = client.get(f"/api/sessions/{sid}").json()
    assert s["step"] == 15 and s["epoch"] == pytest.approx(5 + 10 * 16 / 160)
    r = client.patch(f"/api/sessions/{sid}", json={"batch_size": None}, headers=h)
    assert r.json()["config"]["batch_size"] is None


def test_reset_with_the_same_seed_gives_the_same_weights(client):
    c = create(client)
    sid, h = c["id"], auth(c["token"])
    before = client.get(f"/api/sessions/{sid}/parameters").json()["params"]
    client.post(f"/api/sessions/{sid}/step", json={"n": 20}, headers=h)
    assert client.get(f"/api/sessions/{sid}/parameters").json()["params"]["W1"] != before["W1"]
    r = client.post(f"/api/sessions/{sid}/reset", headers=h)
    assert r.json()["step"] == 0
    assert client.get(f"/api/sessions/{sid}/parameters").json()["params"] == before
    assert client.get(f"/api/sessions/{sid}/history").json()["rows"] == 0


def test_a_diverging_run_stops_with_a_message_and_reset_recovers(client):
    c = create(client, {"learning_rate": 30.0, "lam": 0.1})
    sid, h = c["id"], auth(c["token"])
    r = client.post(f"/api/sessions/{sid}/step", json={"n": 500}, headers=h)
    s = r.json()["session"]
    assert s["status"] == "diverged" and r.json()["taken"] < 500
    assert "learning rate" in s["message"] and "lower" in s["message"]
    # every number in every JSON reply is finite or null: nothing here may fail to parse
    for path in ["", "/parameters", "/gradients", "/history", "/grid?G=8", "/export", "/derivation/0"]:
        reply = client.get(f"/api/sessions/{sid}{path}")
        assert reply.status_code == 200, path
        assert "NaN" not in reply.text and "Infinity" not in reply.text
    assert client.post(f"/api/sessions/{sid}/step", headers=h).status_code == 409
    assert client.post(f"/api/sessions/{sid}/play", headers=h).status_code == 409
    client.patch(f"/api/sessions/{sid}", json={"learning_rate": 0.5}, headers=h)
    assert client.post(f"/api/sessions/{sid}/reset", headers=h).json()["status"] == "paused"
    assert client.post(f"/api/sessions/{sid}/step", json={"n": 5}, headers=h).json()["taken"] == 5


def test_play_trains_in_the_background_and_pause_stops_it(client):
    import time

    c = create(client, {"steps_per_second": 500})
    sid, h = c["id"], auth(c["token"])
    assert client.post(f"/api/sessions/{sid}/play", headers=h).json()["status"] == "running"
    deadline = time.monotonic() + 10
    while client.get(f"/api/sessions/{sid}").json()["step"] < 20:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    paused = client.post(f"/api/sessions/{sid}/pause", headers=h).json()
    time.sleep(0.1)
    assert paused["status"] == "paused"
    assert client.get(f"/api/sessions/{sid}").json()["step"] == paused["step"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"hidden": 0}, "hidden"),
        ({"hidden": 5000}, "hidden"),
        ({"learning_rate": -1}, "learning_rate"),
        ({"learning_rate": "fast"}, "learning_rate"),
        ({"dataset": {"kind": "ring"}}, "kind"),
        ({"dataset": {"noise": -0.5}}, "noise"),
        ({"dataset": {"kind": "moons", "classes": 3}}, "classes"),
        ({"dataset": {"kind": "points"}}, "points"),
        ({"dataset": {"kind": "points", "points": [{"x": 0, "y": 0, "label": 9}]}}, "label"),
        ({"activation": "softplus"}, "activation"),
        ({"hiden": 5}, "hiden"),
        ({"init_scale": -2}, "init_scale"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_bad_config_is_a_422_naming_the_field(client, body, field):
    r = client.post("/api/sessions", json=body)
    assert r.status_code == 422
    assert field in r.text


def test_server_limits_are_enforced_with_clear_errors(tmp_path):
    from fastapi.testclient import TestClient

    from app.api.settings import Settings
    from app.main import create_app

    settings = Settings(
        max_sessions=2, max_hidden=16, max_points=300, max_steps_per_request=50, data_dir=str(tmp_path)
    )
    with TestClient(create_app(settings), base_url=LOCAL) as client:
        assert "at most 16" in client.post("/api/sessions", json={"hidden": 17}).json()["detail"]
        assert (
            "at most 300"
            in client.post("/api/sessions", json={"dataset": {"n_samples": 301}}).json()["detail"]
        )
        c = create(client)
        r = client.post(f"/api/sessions/{c['id']}/step", json={"n": 51}, headers=auth(c["token"]))
        assert r.status_code == 422 and "at most 50" in r.json()["detail"]
        create(client)
        r = client.post("/api/sessions", json={})
        assert r.status_code == 429 and "limit" in r.json()["detail"]
        assert client.delete(f"/api/sessions/{c['id']}", headers=auth(c["token"])).status_code == 204
        assert client.get(f"/api/sessions/{c['id']}").status_code == 404
        create(client)


def test_idle_sessions_expire():
    import time

    from app.training.config import RunConfig
    from app.training.registry import Registry

    registry = Registry(max_sessions=4, idle_seconds=60)
    old, fresh = registry.create(RunConfig()), registry.create(RunConfig())
    watched = registry.create(RunConfig())
    watched.viewers = 1
    old.last_active = watched.last_active = time.monotonic() - 120
    assert registry.expire_idle() == [old.id]
    assert registry.get(old.id) is None and registry.get(fresh.id) is fresh and old.player.closed


def test_datasets_and_presets_are_listed_and_presets_start(client):
    kinds = {d["kind"]: d for d in client.get("/api/datasets").json()}
    assert set(kinds) == {"moons", "circles", "spiral", "xor", "blobs", "points"}
    assert kinds["moons"]["default_noise"] == 0.2 and kinds["spiral"]["classes"] == "2-8"
    presets = client.get("/api/presets").json()
    assert {"moons-classic", "spiral-cs231n"} <= {p["name"] for p in presets}
    for preset in presets:
        c = create(client, preset["config"])
        client.delete(f"/api/sessions/{c['id']}", headers=auth(c["token"]))


def test_user_points_train(client):
    points = [{"x": x, "y": y, "label": int(x > 0)} for x in (-1.0, -0.5, 0.5, 1.0) for y in (-1.0, 0.0, 1.0)]
    c = create(client, {"dataset": {"kind": "points", "points": points, "train_fraction": 1.0}})
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 100}, headers=auth(c["token"]))
    assert client.get(f"/api/sessions/{c['id']}/history").json()["columns"]["accuracy"][-1] == 1.0


def test_export_holds_the_whole_run(client):
    c = create(client)
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 7}, headers=auth(c["token"]))
    e = client.get(f"/api/sessions/{c['id']}/export").json()
    assert e["format"] == "backprop-visualizer/run/1" and e["session"]["step"] == 7
    assert len(e["points"]["x"]) == 200 and len(e["history"]["step"]) == 7
    assert e["params"]["W1"]["shape"] == [2, 5]


def test_openapi_documents_every_route_with_a_response_model(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in [
        "/api/sessions",
        "/api/sessions/{session_id}/gradients",
        "/api/sessions/{session_id}/gradcheck",
        "/api/sessions/{session_id}/derivation/{n}",
        "/api/sessions/{session_id}/history",
        "/api/sessions/{session_id}/grid",
        "/api/sessions/{session_id}/export",
        "/api/presets",
        "/api/datasets",
    ]:
        assert path in paths, path
        for method, op in paths[path].items():
            ok = op["responses"].get("200") or op["responses"].get("201")
            assert ok and "$ref" in str(ok["content"]["application/json"]["schema"]), (path, method)


@pytest.mark.parametrize("name", [p.name for p in PRESETS])
def test_gradient_check_passes_on_every_preset(client, name):
    preset = next(p for p in client.get("/api/presets").json() if p["name"] == name)
    c = create(client, preset["config"])
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 3}, headers=auth(c["token"]))
    r = client.get(f"/api/sessions/{c['id']}/gradcheck", params={"max_entries": 20}).json()
    assert r["passed"], {k: v["max_rel_error"] for k, v in r["params"].items()}
    client.delete(f"/api/sessions/{c['id']}", headers=auth(c["token"]))


def test_the_teaching_presets_do_what_they_say(client):
    presets = {p["name"]: p["config"] for p in client.get("/api/presets").json()}
    c = create(client, presets["lr-too-high"])
    assert (
        client.post(f"/api/sessions/{c['id']}/step", json={"n": 300}, headers=auth(c["token"])).json()[
            "session"
        ]["status"]
        == "diverged"
    )
    c = create(client, presets["tanh-saturation"])
    session = client.app.state.registry.get(c["id"])
    _, frame = build_now(session, FrameRequest(4, False))
    assert decode_frame(frame)[0]["saturation"] > 0.5


def test_beta1_is_written_and_momentum_still_read_as_its_deprecated_name(client):
    """The first-moment decay is `beta1` (momentum's beta, Adam's beta1); `momentum`, its old
    name (and an optimizer's name too), is still read from older links, scripts and saved runs."""
    old = client.post("/api/sessions", json={"optimizer": "adam", "momentum": 0.5}).json()
    assert old["session"]["config"]["beta1"] == 0.5 and "momentum" not in old["session"]["config"]
    h = auth(old["token"])
    assert (
        client.patch(f"/api/sessions/{old['id']}", json={"momentum": 0.7}, headers=h).json()["config"][
            "beta1"
        ]
        == 0.7
    )
    assert (
        client.patch(f"/api/sessions/{old['id']}", json={"beta1": 0.8}, headers=h).json()["config"]["beta1"]
        == 0.8
    )
    schema = client.get("/openapi.json").json()["components"]["schemas"]["RunConfig"]["properties"]
    assert "beta1" in schema and "deprecated" in schema["beta1"]["description"]
