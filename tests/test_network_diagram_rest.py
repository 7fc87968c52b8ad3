"""The network diagram's two routes: every hidden unit's small map (GET .../unit-maps) and one
weight set by hand (PATCH .../weights), which every viewer sees in the next frame."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from app.core.features import expand
from app.core.grid import grid_points
from app.core.network import forward

from .conftest import auth
from .test_stream import Watcher, new_session

SMALL = {"hidden": 5, "dataset": {"kind": "moons", "n_samples": 40}}


def start(client, config=SMALL) -> dict:
    return client.post("/api/sessions", json=config).json()


def params64(client, sid, at_step=None) -> dict:
    query = {} if at_step is None else {"at_step": at_step}
    params = client.get(f"/api/sessions/{sid}/parameters", params=query).json()["params"]
    return {name: np.asarray(p["values"], dtype=np.float64) for name, p in params.items()}


def test_unit_maps_equal_the_core_forward_on_the_grid(client):
    s = start(client)
    client.post(f"/api/sessions/{s['id']}/step", json={"n": 30}, headers=auth(s["token"]))
    reply = client.get(f"/api/sessions/{s['id']}/unit-maps", params={"G": 12})
    assert reply.status_code == 200
    body = reply.json()
    assert body["step"] == 30 and body["G"] == 12 and len(body["layers"]) == 1
    layer = body["layers"][0]
    maps = np.asarray(layer["maps"])
    assert maps.shape == (5, 12, 12) and layer["layer"] == 1 and layer["range"] == [-1.0, 1.0]
    expected = forward(params64(client, s["id"]), grid_points(body["box"], 12), "tanh").a1  # (G*G, H)
    np.testing.assert_allclose(maps.reshape(5, -1).T, expected, rtol=0, atol=1e-12)


def test_unit_maps_of_a_deep_run_with_features_are_every_layers_through_its_features(client):
    """Three hidden layers fed x1, x2, x1*x2: each layer's maps are that layer's a(l) on the grid,
    the grid's points expanded into the run's features first."""
    config = {**SMALL, "hidden": [4, 3, 2], "features": ["x1", "x2", "x1_x2"]}
    s = start(client, config)
    client.post(f"/api/sessions/{s['id']}/step", json={"n": 10}, headers=auth(s["token"]))
    body = client.get(f"/api/sessions/{s['id']}/unit-maps", params={"G": 8}).json()
    assert [(layer["layer"], layer["units"]) for layer in body["layers"]] == [
        (1, [0, 1, 2, 3]),
        (2, [0, 1, 2]),
        (3, [0, 1]),
    ]
    points = expand(grid_points(body["box"], 8), ("x1", "x2", "x1_x2"))
    fwd = forward(params64(client, s["id"]), points, "tanh")
    for layer in body["layers"]:
        expected = fwd.a[layer["layer"] - 1]  # (G*G, H(l))
        maps = np.asarray(layer["maps"])
        np.testing.assert_allclose(maps.reshape(len(layer["units"]), -1).T, expected, rtol=0, atol=1e-12)


def test_unit_maps_at_an_earlier_step_are_that_steps(client):
    s = start(client)
    client.post(f"/api/sessions/{s['id']}/step", json={"n": 5}, headers=auth(s["token"]))
    body = client.get(f"/api/sessions/{s['id']}/unit-maps", params={"G": 4, "at_step": 0}).json()
    assert body["step"] == 0
    expected = forward(params64(client, s["id"], 0), grid_points(body["box"], 4), "tanh").a1
    np.testing.assert_allclose(np.asarray(body["layers"][0]["maps"]).reshape(5, -1).T, expected, atol=1e-12)


def test_unit_maps_of_an_unbounded_activation_span_their_largest_value(client):
    s = start(client, {**SMALL, "activation": "relu"})
    body = client.get(f"/api/sessions/{s['id']}/unit-maps", params={"G": 8}).json()
    low, high = body["layers"][0]["range"]
    assert low == -high and high == pytest.approx(np.max(np.abs(body["layers"][0]["maps"])))


@pytest.mark.parametrize("G", [1, 33, 0, -4])
def test_unit_maps_refuse_a_grid_out_of_bounds_naming_G(client, G):
    s = start(client)
    reply = client.get(f"/api/sessions/{s['id']}/unit-maps", params={"G": G})
    assert reply.status_code == 422 and "G" in reply.text


@pytest.mark.slow  # among the quick loop's heaviest (0.5-1.1 s): the full suite runs it
def test_unit_maps_cap_units_times_G_squared_naming_G(client):
    s = start(client, {**SMALL, "hidden": 1024})
    refused = client.get(f"/api/sessions/{s['id']}/unit-maps", params={"G": 16})
    assert refused.status_code == 422
    assert "G must be at most 8 for 1024 hidden units" in refused.text
    fits = client.get(f"/api/sessions/{s['id']}/unit-maps", params={"G": 8})
    assert fits.status_code == 200 and np.asarray(fits.json()["layers"][0]["maps"]).shape == (1024, 8, 8)


def test_set_weight_changes_exactly_that_entry(client):
    s = start(client)
    before = params64(client, s["id"])
    reply = client.patch(
        f"/api/sessions/{s['id']}/weights",
        json={"name": "W2", "index": [3, 1], "value": -2.5},
        headers=auth(s["token"]),
    )
    assert reply.status_code == 200
    assert reply.json() == {"name": "W2", "index": [3, 1], "value": -2.5, "step": 0}
    after = params64(client, s["id"])
    assert after["W2"][3, 1] == -2.5
    after["W2"][3, 1] = before["W2"][3, 1]
    for name in before:
        np.testing.assert_array_equal(after[name], before[name])


def test_set_weight_then_training_goes_on_from_the_edit(client):
    s = start(client)
    client.patch(
        f"/api/sessions/{s['id']}/weights",
        json={"name": "W1", "index": [0, 0], "value": 3.0},
        headers=auth(s["token"]),
    )
    stepped = client.post(f"/api/sessions/{s['id']}/step", json={"n": 1}, headers=auth(s["token"]))
    assert stepped.json()["taken"] == 1
    assert abs(params64(client, s["id"])["W1"][0, 0] - 3.0) < 0.5  # one step away from 3, not from init


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ({"name": "b1", "index": [0, 0], "value": 1.0}, "name"),
        ({"name": "W3", "index": [0, 0], "value": 1.0}, "name"),
        ({"name": "W1", "index": [2, 0], "value": 1.0}, "index"),
        ({"name": "W2", "index": [0, 2], "value": 1.0}, "index"),
        ({"name": "W2", "index": [0], "value": 1.0}, "index"),
        ({"name": "W2", "index": [-1, 0], "value": 1.0}, "index"),
        ({"name": "W2", "index": [0, 0], "value": 1e39}, "value"),
        ({"name": "W2", "index": [0, 0], "value": "1"}, "value"),
        ({"name": "W2", "index": [0, 0.0], "value": 1.0}, "index"),
    ],
)
def test_set_weight_refuses_what_does_not_fit_naming_the_field(client, edit, field):
    s = start(client)
    before = params64(client, s["id"])
    reply = client.patch(f"/api/sessions/{s['id']}/weights", json=edit, headers=auth(s["token"]))
    assert reply.status_code == 422, reply.text
    assert any(e["loc"][:2] == ["body", field] for e in reply.json()["detail"]), reply.text
    for name, value in params64(client, s["id"]).items():
        np.testing.assert_array_equal(value, before[name])


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_set_weight_refuses_a_non_finite_value(client, number):
    s = start(client)
    body = '{"name": "W1", "index": [0, 0], "value": ' + number + "}"
    reply = client.patch(
        f"/api/sessions/{s['id']}/weights",
        content=body,
        headers={**auth(s["token"]), "content-type": "application/json"},
    )
    assert reply.status_code == 422
    assert reply.json()["detail"][0]["loc"] == ["body", "value"]
    assert np.isfinite(params64(client, s["id"])["W1"]).all()


def test_set_weight_without_the_token_is_refused_as_other_control_routes(client):
    s = start(client)
    edit = {"name": "W1", "index": [0, 0], "value": 1.0}
    for headers, status in [({}, 401), (auth("not-the-token"), 403)]:
        reply = client.patch(f"/api/sessions/{s['id']}/weights", json=edit, headers=headers)
        other = client.post(f"/api/sessions/{s['id']}/step", headers=headers)
        assert reply.status_code == other.status_code == status
    assert params64(client, s["id"])["W1"][0, 0] != 1.0


def test_a_weight_set_by_the_driver_reaches_a_viewer_in_the_next_frame(live_server):
    c = new_session(live_server, SMALL)
    viewer = Watcher(live_server, c["id"])
    header, arrays = viewer.frame_at_step(0)
    old = float(arrays["W2"][1, 0])
    reply = httpx.patch(
        f"{live_server.url}/api/sessions/{c['id']}/weights",
        json={"name": "W2", "index": [1, 0], "value": old + 1.25},
        headers=auth(c["token"]),
    )
    assert reply.status_code == 200
    header, arrays = viewer.next_frame()
    assert header["step"] == 0  # a paused run: the edit alone made the new frame
    assert float(arrays["W2"][1, 0]) == np.float32(old + 1.25)
    viewer.close()


def test_unit_maps_of_the_units_asked_for_only(client):
    s = start(client, {**SMALL, "hidden": 1024})
    body = client.get(
        f"/api/sessions/{s['id']}/unit-maps", params={"G": 16, "units": "1:700,1:3,1:50"}
    ).json()
    layer = body["layers"][0]
    assert layer["units"] == [3, 50, 700]
    expected = forward(params64(client, s["id"]), grid_points(body["box"], 16), "tanh").a1[:, [3, 50, 700]]
    np.testing.assert_allclose(np.asarray(layer["maps"]).reshape(3, -1).T, expected, atol=1e-12)


@pytest.mark.parametrize("units", ["2:0", "1:5", "1:-1", "1", "a:b", "1:0,", ""])
def test_unit_maps_refuse_units_the_network_has_not_naming_units(client, units):
    s = start(client)
    reply = client.get(f"/api/sessions/{s['id']}/unit-maps", params={"G": 4, "units": units})
    assert reply.status_code == 422 and "units" in reply.text, reply.text
