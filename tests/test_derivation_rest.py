"""GET .../derivation/{n}: the batch form beside the per-sample form, its first rows and whole shapes."""

import numpy as np

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
