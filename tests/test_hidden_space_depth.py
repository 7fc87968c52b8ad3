"""The hidden space at every depth: layer l's a(l) projected, against network.py's own forward
pass; the input grid carried through the run's features and layers 1 to l; the output layer's
decision only after the last hidden layer; `layer` out of range a 422 that names it."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.features import expand
from app.core.hidden_space import fit_projection, grid_lines, hidden_space
from app.core.network import forward, init_params

from .conftest import auth

FEATURES = ("x1", "x2", "x1_x2")


def deep_params(widths, F=2, C=3, seed=0):
    return init_params(list(widths), C, seed=seed, F=F)


@pytest.mark.parametrize("layer", [1, 2, 3])
def test_the_projection_of_a_l_is_forwards_own_a_l(layer):
    params = deep_params([5, 4, 6], F=3)
    X = np.random.RandomState(0).randn(40, 2)
    view = hidden_space(params, X, (-2, 2, -2, 2), "tanh", lines=4, samples=6, layer=layer, features=FEATURES)
    a = forward(params, expand(X, FEATURES), "tanh").a[layer - 1]
    projection = fit_projection(a)
    np.testing.assert_allclose(view.points, (a - projection.mean) @ projection.components, atol=1e-12)
    grid = grid_lines((-2, 2, -2, 2), 4, 6)
    on_grid = forward(params, expand(grid.reshape(-1, 2), FEATURES), "tanh").a[layer - 1]
    np.testing.assert_allclose(view.grid.reshape(-1, 2), projection(on_grid), atol=1e-12)
    assert view.layer == layer and view.last == (layer == 3)


def test_an_exact_two_unit_layer_is_the_plane_of_its_activations():
    params = deep_params([3, 2])
    X = np.random.RandomState(1).randn(20, 2)
    view = hidden_space(params, X, (-2, 2, -2, 2), "relu", layer=2, decision_cells=8)
    a2 = np.maximum(np.maximum(X @ params["W1"] + params["b1"], 0) @ params["W2"] + params["b2"], 0)
    np.testing.assert_allclose(view.points, a2, atol=1e-12)
    assert view.projection.exact and view.decision is not None  # the last layer: W3, b3 and softmax follow


def test_no_decision_after_an_inner_layer_even_when_exact():
    params = deep_params([2, 4])
    X = np.random.RandomState(2).randn(20, 2)
    view = hidden_space(params, X, (-2, 2, -2, 2), "tanh", layer=1, decision_cells=8)
    assert view.projection.exact and view.decision is None and not view.last


def test_a_layer_beyond_the_network_is_an_error_naming_layer():
    with pytest.raises(ValueError, match="layer must be an integer from 1 to 2"):
        hidden_space(deep_params([3, 3]), np.zeros((4, 2)), (-1, 1, -1, 1), "tanh", layer=3)


def test_hidden_space_over_rest_at_every_layer(client):
    c = client.post(
        "/api/sessions",
        json={"hidden": [4, 2], "features": list(FEATURES), "dataset": {"kind": "blobs", "classes": 3}},
    ).json()
    sid = c["id"]
    client.post(f"/api/sessions/{sid}/step", json={"n": 5}, headers=auth(c["token"]))
    sent = client.get(f"/api/sessions/{sid}/parameters").json()["params"]
    params = {name: np.array(p["values"]) for name, p in sent.items()}
    view = f"/api/sessions/{sid}/hidden-space"
    first = client.get(view, params={"lines": 3, "samples": 4}).json()
    second = client.get(view, params={"lines": 3, "samples": 4, "layer": 2}).json()
    assert (first["layer"], first["layers"], first["last"]) == (1, 2, False)
    assert (second["layer"], second["layers"], second["last"]) == (2, 2, True)
    assert first["decision"] is None and not first["exact"]  # a1 has 4 units: PCA
    assert second["exact"] and second["decision"] is not None  # a2 has 2, and only W3 follows
    run = client.app.state.registry.get(sid).run
    X = run.dataset.X_train
    a2 = forward(params, expand(X, FEATURES), run.activation).a[1]
    np.testing.assert_allclose(second["points"], a2, rtol=1e-10, atol=1e-12)
    assert not np.allclose(np.array(first["points"]), np.array(second["points"]))


@pytest.mark.parametrize(("hidden", "layer"), [([4, 3], 3), (5, 2), ([3, 3, 3], 7), ([3, 3], 0)])
def test_a_layer_out_of_range_is_a_422_naming_layer(client, hidden, layer):
    sid = client.post("/api/sessions", json={"hidden": hidden}).json()["id"]
    r = client.get(f"/api/sessions/{sid}/hidden-space", params={"layer": layer})
    assert r.status_code == 422 and "layer" in str(r.json()["detail"])


def test_a_one_layer_reply_is_what_it_was(client):
    sid = client.post("/api/sessions", json={"hidden": 2}).json()["id"]
    h = client.get(f"/api/sessions/{sid}/hidden-space", params={"lines": 3, "samples": 4}).json()
    assert (h["layer"], h["layers"], h["last"]) == (1, 1, True)
    assert h["exact"] and h["decision"] is not None
