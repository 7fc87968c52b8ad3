"""The numbers the page used to compute itself, now sent by the server: each against an independent
computation, written here the way static/derivation.js, hidden.js, compare.js, unit.js,
gradcheck.js and lossslice.js computed it."""

import numpy as np
import pytest

from app.core.mistakes import MISTAKES_BY_NAME
from app.core.network import PARAM_NAMES, backward, forward, loss
from app.training import reports
from app.training.config import RunConfig
from app.training.run import Run
from app.training.session import Session

from .conftest import auth


def session_over_rest(client, **config):
    c = client.post("/api/sessions", json=config).json()
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 25}, headers=auth(c["token"]))
    return c["id"], f"/api/sessions/{c['id']}"


def arrays(client, base):
    """The run's float64 parameters and training set, as a client sees them."""
    params = {k: np.array(v["values"]) for k, v in client.get(f"{base}/parameters").json()["params"].items()}
    grads = client.get(f"{base}/gradients").json()
    return params, grads


# ---- derivation.js -----------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
def test_derivation_sends_the_two_ways_verdict_and_the_worked_mistake(client, activation):
    _, base = session_over_rest(client, activation=activation, dataset={"kind": "blobs", "classes": 3})
    d = client.get(f"{base}/derivation/5").json()
    stage = {s["name"]: np.array(s["value"], dtype=float) for s in d["stages"]}
    worst = np.max(np.abs(stage["dz2_difference"]))
    scale = np.max(np.abs(stage["dz2"]))
    assert d["two_ways"]["max_abs_difference"] == pytest.approx(worst, abs=1e-30)
    assert d["two_ways"]["max_abs_dz2"] == pytest.approx(scale, rel=1e-15)
    assert d["two_ways"]["agree"] == (worst <= 1e-12 * max(scale, 1e-300) + 1e-300 or worst < 1e-15)

    m = d["mistake"]
    wrong = -stage["y"] * (1 - stage["y_hat"]) / d["N"]
    difference = wrong - stage["dz2"]
    wrong_dW2 = np.outer(stage["a1"], wrong)
    rel = np.abs(wrong_dW2 - stage["dW2"]) / np.maximum(np.abs(wrong_dW2) + np.abs(stage["dW2"]), 1e-300)
    shown = {s["name"]: np.array(s["value"]) for s in m["stages"]}
    assert m["name"] == "single_term_softmax" and m["title"]
    np.testing.assert_allclose(shown["dz2"], wrong, rtol=1e-14)
    np.testing.assert_allclose(shown["dz2_difference"], difference, rtol=1e-12, atol=1e-18)
    np.testing.assert_allclose(shown["dW2"], wrong_dW2, rtol=1e-14, atol=1e-300)
    assert m["dz2_max_abs_difference"] == pytest.approx(np.max(np.abs(difference)), rel=1e-12)
    assert m["dW2_max_abs_difference"] == pytest.approx(np.max(np.abs(wrong_dW2 - stage["dW2"])), rel=1e-12)
    assert m["dW2_max_rel_error"] == pytest.approx(np.max(rel), rel=1e-9)


def test_derivation_sends_how_f_and_f_prime_are_written(client):
    _, base = session_over_rest(client, activation="sigmoid")
    d = client.get(f"{base}/derivation/0").json()
    assert d["activation_info"] == {
        "name": "sigmoid",
        "tex": "\\sigma",
        "derivative_tex": "a_1 \\odot (1 - a_1)",
        "derivative_text": "a1 * (1 - a1)",
        "peak_slope": 0.25,
        "value_range": [0.0, 1.0],
    }
    tex = {s["name"]: s["tex"] for s in d["stages"]}
    assert tex["dz1"].endswith("a_1 \\odot (1 - a_1)") and tex["a1"] == "a_1 = \\sigma(z_1)"


# ---- hidden.js ---------------------------------------------------------------------------------


def page_extent(points, grid):
    """hidden.js's extent(), line by line."""
    x0, x1, y0, y1 = np.inf, -np.inf, np.inf, -np.inf
    for x, y in points:
        if x is None or y is None:
            continue
        x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
    if not x1 >= x0:
        x0, x1, y0, y1 = -1, 1, -1, 1
    span = max(x1 - x0, y1 - y0, 1e-6)
    limit = [x0 - span / 2, x1 + span / 2, y0 - span / 2, y1 + span / 2]
    for line in grid:
        for x, y in line:
            if x is None or y is None:
                continue
            x0, x1 = min(x0, max(x, limit[0])), max(x1, min(x, limit[1]))
            y0, y1 = min(y0, max(y, limit[2])), max(y1, min(y, limit[3]))
    pad = 0.04 * max(x1 - x0, y1 - y0, 1e-6)
    return [x0 - pad, x1 + pad, y0 - pad, y1 + pad]


@pytest.mark.parametrize("hidden, activation", [(2, "tanh"), (1, "sigmoid"), (2, "relu"), (6, "tanh")])
def test_hidden_space_sends_the_extent_the_input_grid_and_the_decision(client, hidden, activation):
    _, base = session_over_rest(
        client, hidden=hidden, activation=activation, dataset={"kind": "blobs", "classes": 3}
    )
    params, _ = arrays(client, base)
    h = client.get(f"{base}/hidden-space", params={"lines": 5, "samples": 7}).json()
    np.testing.assert_allclose(h["extent"], page_extent(h["points"], h["grid"]), rtol=1e-12)

    box = client.get(f"{base}/grid", params={"G": 2}).json()["box"]
    x0, x1, y0, y1 = box
    grid = np.array(h["input_grid"])
    assert grid.shape == (10, 7, 2)
    for i, fixed in enumerate(np.linspace(x0, x1, 5)):  # vertical lines first: x fixed
        np.testing.assert_allclose(grid[i, :, 0], fixed)
        np.testing.assert_allclose(grid[i, :, 1], np.linspace(y0, y1, 7))
    for i, fixed in enumerate(np.linspace(y0, y1, 5)):
        np.testing.assert_allclose(grid[5 + i, :, 1], fixed)

    if hidden > 2:
        assert h["decision"] is None and not h["exact"]
        return
    # hidden.js's paintBackground: z = b2 + u W2[0] + v W2[1] at each cell's centre, the winner
    # and its softmax probability (rows here bottom up, as the boundary's grid).
    n = h["decision"]["cells"]
    e0, e1, f0, f1 = h["extent"]
    W2, b2 = params["W2"], params["b2"]
    label, confidence = np.array(h["decision"]["label"]), np.array(h["decision"]["confidence"])
    assert label.shape == confidence.shape == (n, n)
    for r, c in [(0, 0), (n - 1, n - 1), (n // 2, 3), (5, n - 2)]:
        u = e0 + (c + 0.5) / n * (e1 - e0)
        v = f0 + (r + 0.5) / n * (f1 - f0)
        z = b2 + u * W2[0] + (v * W2[1] if hidden == 2 else 0)
        best = int(np.argmax(z))
        assert label[r, c] == best
        assert confidence[r, c] == pytest.approx(1 / np.sum(np.exp(z - z[best])), abs=5e-5)


# ---- compare.js --------------------------------------------------------------------------------


def test_compare_sends_their_numbers_in_our_layout_and_which_entries_differ(client):
    sid, base = session_over_rest(client, hidden=4)
    _, grads = arrays(client, base)
    ours = {k: np.array(v["values"]) for k, v in grads["grads"].items()}
    given = {"dW1": ours["W1"].T.tolist(), "db1": (ours["b1"] * 2).tolist(), "dW2": ours["W2"].tolist()}
    r = client.post(f"{base}/compare", json={"gradients": given}).json()
    assert not r["all_given"]
    W1 = r["params"]["W1"]
    assert W1["rel_error"] is None and W1["differs"] is None  # sent transposed: no entry-wise error
    np.testing.assert_allclose(W1["given"], ours["W1"])  # but shown laid out as ours
    b1 = r["params"]["b1"]
    np.testing.assert_allclose(b1["given"], 2 * ours["b1"])
    assert b1["differs"] == (np.array(b1["rel_error"]) > r["threshold"]).tolist() == [True] * 4
    W2 = r["params"]["W2"]
    assert W2["differs"] == (np.array(W2["rel_error"]) > r["threshold"]).tolist()
    assert not any(np.ravel(W2["differs"]))

    everything = {f"d{k}": v.tolist() for k, v in ours.items()}
    assert client.post(f"{base}/compare", json={"gradients": everything}).json()["all_given"]
    csv = "db1\n" + "\n".join(str(v) for v in ours["b1"])  # a bias as a column
    column = client.post(f"{base}/compare", json={"csv": csv}).json()["params"]["b1"]
    np.testing.assert_allclose(column["given"], ours["b1"])


def test_compare_inputs_are_what_the_page_assembled():
    """compare.js's downloadInputs: X and labels of the training points, Y with label smoothing as
    (k == label ? 1 - eps : 0) + eps / C, the parameters, lam, the activation."""
    session = Session(Run(RunConfig(label_smoothing=0.1, hidden=3, dataset={"kind": "spiral", "classes": 3})))
    session.player.step(5)
    out = reports.compare_inputs(session)
    d, eps, C = session.run.dataset, 0.1, 3
    labels = d.labels[d.train]
    Y = [[(1 - eps if k == label else 0) + eps / C for k in range(C)] for label in labels]
    np.testing.assert_allclose(out["Y"], Y, rtol=1e-15)
    np.testing.assert_array_equal(out["X"], d.X[d.train])
    assert out["labels"] == labels.tolist() and out["N"] == len(labels) == len(out["X"])
    assert (out["C"], out["H"], out["lam"], out["activation"]) == (3, 3, session.run.config.lam, "tanh")
    _, params = reports.params64(session)
    for name in PARAM_NAMES:
        np.testing.assert_array_equal(out[name], params[name])
    assert out["step"] == 5 and out["label_smoothing"] == 0.1 and "softmax" in out["loss"]


def test_gradient_examples_are_the_ones_the_page_made_and_get_named():
    """compare.js's fillExample: ours, ours times N, ours transposed; each sent back is named."""
    session = Session(Run(RunConfig(hidden=4)))
    session.player.step(10)
    ours = reports.gradient_example(session, "ours")["gradients"]
    truth = reports.gradients(session)
    N = truth["n_train"]
    for name in PARAM_NAMES:
        np.testing.assert_allclose(ours[f"d{name}"], truth["grads"][name]["values"], rtol=1e-15)
    summed = reports.gradient_example(session, "summed_not_mean")["gradients"]
    transposed = reports.gradient_example(session, "transposed")["gradients"]
    for name in PARAM_NAMES:
        g = np.array(truth["grads"][name]["values"])
        np.testing.assert_allclose(summed[f"d{name}"], g * N, rtol=1e-12)
        np.testing.assert_array_equal(transposed[f"d{name}"], g.T)
    for kind in reports.EXAMPLE_KINDS:
        if kind != "ours" and not MISTAKES_BY_NAME[kind].applies(session.run.activation):
            continue
        example = reports.gradient_example(session, kind)["gradients"]
        given = {k[1:]: np.array(v) for k, v in example.items()}
        named = [m["name"] for m in reports.compare(session, given)["explained_by"]]
        invisible = all(np.array_equal(example[f"d{n}"], ours[f"d{n}"]) for n in PARAM_NAMES)  # lam = 0
        assert named == ([] if kind == "ours" or invisible else [kind]), kind
    with pytest.raises(ValueError, match="kind must be one of ours, summed_not_mean"):
        reports.gradient_example(session, "typo")


# ---- unit.js, gradcheck.js, lossslice.js -------------------------------------------------------


@pytest.mark.parametrize("activation, known", [("tanh", [-1, 1]), ("sigmoid", [0, 1]), ("relu", None)])
def test_unit_sends_its_colour_ranges_and_its_bias_gradient(client, activation, known):
    _, base = session_over_rest(client, activation=activation, hidden=6)
    u = client.get(f"{base}/units/2", params={"G": 12}).json()
    top = max(1e-9, np.max(np.abs(u["a1_grid"])))
    assert u["a1_range"] == (known if known else [-top, top])
    assert u["dz1_max_abs"] == pytest.approx(np.max(np.abs(u["dz1"])), rel=1e-15)
    assert u["db1"] == pytest.approx(np.sum(u["dz1"]), rel=1e-12, abs=1e-18)
    assert u["activation_info"]["name"] == activation


def test_gradcheck_sends_each_parameters_worst_entry(client):
    _, base = session_over_rest(client, activation="relu", hidden=6)
    g = client.get(f"{base}/gradcheck", params={"max_entries": 12}).json()
    for p in g["params"].values():
        clean = [e for e in p["entries"] if not e["kink"] and e["rel_error"] is not None]
        expected = max(clean, key=lambda e: e["rel_error"]) if clean else None
        assert p["worst"] == expected


def test_loss_slice_sends_one_steps_loss_its_tangent_and_its_lowest_point():
    session = Session(Run(RunConfig(hidden=5, learning_rate=0.7)))
    session.player.step(3)
    out = reports.loss_along_gradient(session, None, 31)
    _, params = reports.params64(session)
    d = session.run.dataset
    X, Y = d.X_train, session.run.Y[d.train]
    g = backward(params, forward(params, X), Y, session.run.config.lam).grads()
    stepped = {k: params[k] - 0.7 * g[k] for k in PARAM_NAMES}
    lam = session.run.config.lam
    assert out["loss_after_step"] == pytest.approx(loss(stepped, forward(stepped, X), Y, lam))
    assert out["slope"] == pytest.approx(-sum(np.sum(v**2) for v in g.values()), rel=1e-12)
    assert out["slope"] == pytest.approx(-(out["grad_norm"] ** 2), rel=1e-12)
    assert out["best_t"] == out["t"][int(np.argmin(out["loss"]))]
