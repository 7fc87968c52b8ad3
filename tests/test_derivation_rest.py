"""GET .../derivation/{n}: the batch form beside the per-sample form, its first rows and whole shapes."""

import numpy as np
import pytest

from app.core.network import backward, forward
from app.core.targets import one_hot

from .conftest import auth
from .test_rest import create


def test_the_derivation_sends_the_batch_form_cut_to_its_first_rows_with_whole_shapes(client):
    blobs = {"kind": "blobs", "classes": 8, "n_samples": 100}
    c = create(client, {"hidden": 9, "lam": 0.01, "dataset": blobs})
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 3}, headers=auth(c["token"]))
    r = client.get(f"/api/sessions/{c['id']}/derivation/2").json()
    p = client.get(f"/api/sessions/{c['id']}/parameters").json()
    params = {k: np.array(v["values"]) for k, v in p["params"].items()}
    d = client.app.state.registry.get(c["id"]).run.dataset
    fwd = forward(params, d.X_train)
    back = backward(params, fwd, one_hot(d.labels_train, 8), lam=0.01)
    batch = r["batch"]
    stages = {s["name"]: s for s in batch["stages"]}
    rows = batch["point_rows_sent"]
    N = len(d.X_train)
    expected = {"z1": fwd.z1, "y_hat": fwd.y_hat, "dz2": back.dz2, "dz1": back.dz1, "dW2": back.dW2}
    expected |= {"dW1": back.dW1, "db2": back.db2, "W2": params["W2"]}
    for name, value in expected.items():
        s = stages[name]
        assert s["shape"] == list(value.shape), name
        sent = value if value.ndim == 1 else value[: rows if s["dims"][0] == "N" else 8]
        np.testing.assert_allclose(s["value"], sent, rtol=1e-12, atol=1e-15, err_msg=name)
    assert stages["dz2"]["shape"] == [N, 8] and len(stages["dz2"]["value"]) == rows < N
    assert stages["W2"]["shape"] == [9, 8] and len(stages["W2"]["value"]) == 8  # H = 9 rows, cut at 8
    assert stages["dW1"]["dims"] == ["2", "H"] and stages["db2"]["dims"] == ["C"]
    assert stages["dW2"]["equation"] == "dW2 = a1.T @ dz2 + lam * W2"
    assert stages["dz2"]["tex"] == r"\mathrm{d}Z_2 = (\hat Y - Y)\,/\,N"
    assert {s["name"] for s in batch["sums"]} == {"dW2", "dW1"}
    for s in batch["sums"]:
        assert s["max_abs_difference"] < 1e-15 * N and s["max_abs"] > 0
    # The per-sample form is as it was, its shapes in the notes' letters too.
    sample = {s["name"]: s for s in r["stages"]}
    assert sample["J"]["shape"] == [8, 8] and sample["J"]["dims"] == ["C", "C"]


DEEP_MSE = {
    "hidden": [6, 12, 4],
    "activation": "sigmoid",
    "loss": "mse",
    "l1": 0.002,
    "lam": 0.001,
    "features": ["x1", "x2", "x1_sq", "sin_x2"],
    "dataset": {"kind": "spiral", "classes": 3, "n_samples": 60},
}


def test_a_deep_mse_l1_run_with_features_answers_with_the_cores_numbers(client):
    c = create(client, DEEP_MSE)
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 5}, headers=auth(c["token"]))
    r = client.get(f"/api/sessions/{c['id']}/derivation/7")
    assert r.status_code == 200, r.text
    r = r.json()
    p = client.get(f"/api/sessions/{c['id']}/parameters").json()
    params = {k: np.array(v["values"]) for k, v in p["params"].items()}
    run = client.app.state.registry.get(c["id"]).run
    X = run.inputs(run.dataset.X_train)
    Y = run.Y[run.dataset.train]
    fwd = forward(params, X, "sigmoid")
    back = backward(params, fwd, Y, lam=0.001, loss_name="mse", l1=0.002)
    assert (r["layers"], r["loss"], r["l1"], r["mistake"]) == (3, "mse", 0.002, None)
    assert r["features"] == DEEP_MSE["features"] and r["two_ways"]["agree"] and not r["two_ways"]["short_way"]
    assert "Nothing cancels" in r["two_ways"]["note"]
    sample = {s["name"]: s for s in r["stages"]}
    np.testing.assert_allclose(sample["x"]["value"], X[7], rtol=1e-15)
    np.testing.assert_allclose(sample["dz4"]["value"], back.dz[3][7], rtol=1e-12, atol=1e-18)
    np.testing.assert_allclose(sample["dz3"]["value"], back.dz[2][7], rtol=1e-12, atol=1e-18)
    # a2 is 12 wide: the page shows its first 6, "...", the last, and is sent its first 8 and last
    assert sample["a2"]["shape"] == [12] and len(sample["a2"]["value"]) == 9
    np.testing.assert_allclose(sample["a2"]["value"], [*fwd.a[1][7][:8], fwd.a[1][7][-1]], rtol=1e-14)
    assert (
        sample["dW3"]["layer"],
        sample["da2"]["layer"],
        sample["loss"]["layer"],
        sample["dx"]["layer"],
    ) == (
        3,
        2,
        4,
        0,
    )
    batch = {s["name"]: s for s in r["batch"]["stages"]}
    for l in range(1, 5):
        dW = back.dW[l - 1]
        sent = np.concatenate([dW[:8, :8], dW[:8, -1:]], axis=1) if dW.shape[1] > 9 else dW[:8]
        assert batch[f"dW{l}"]["shape"] == list(dW.shape)
        np.testing.assert_allclose(batch[f"dW{l}"]["value"], sent, rtol=1e-12, atol=1e-18, err_msg=f"dW{l}")
        assert (
            batch[f"dW{l}"]["equation"]
            == f"dW{l} = {'X' if l == 1 else f'a{l - 1}'}.T @ dz{l} + lam * W{l} + l1 * sign(W{l})"
        )
    assert [s["name"] for s in r["batch"]["sums"]] == ["dW4", "dW3", "dW2", "dW1"]
    assert all(s["agree"] for s in r["batch"]["sums"])


def test_a_bad_n_of_a_deep_run_is_still_a_422_naming_n(client):
    c = create(client, DEEP_MSE)
    N = len(client.app.state.registry.get(c["id"]).run.dataset.train)
    r = client.get(f"/api/sessions/{c['id']}/derivation/{N}")
    assert r.status_code == 422 and "n must be below" in r.json()["detail"]
    assert client.get(f"/api/sessions/{c['id']}/derivation/-1").status_code == 422


@pytest.mark.slow
def test_the_reply_stays_small_at_any_width_and_depth(client):
    """What the page shows, not every unit: a wide layer and deep nets on 2000 points stay under 100 KB."""
    for hidden in (1024, [64] * 6, [1024, 16, 1024, 16, 1024, 16]):
        c = create(client, {"hidden": hidden, "dataset": {"kind": "moons", "n_samples": 2000}})
        r = client.get(f"/api/sessions/{c['id']}/derivation/0")
        assert r.status_code == 200 and len(r.content) < 100_000, (hidden, len(r.content))
