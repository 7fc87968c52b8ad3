"""Downloaded inputs pinned to a run: a gradient computed from a download is compared at exactly
those inputs after the run trained on, was reset or had its points edited; a pin of another run,
or one this run no longer holds, is answered plainly; a pin never reaches another session's data."""

import numpy as np
import pytest

from app.core.activations import get_activation
from app.training.config import RunConfig
from app.training.issued_inputs import ISSUED_KEPT, IssuedRing, inputs_hash, make_inputs
from app.training.reports import compare_inputs
from app.training.run import Run
from app.training.session import Session

from .conftest import auth


def new_run(client, **config) -> dict:
    r = client.post("/api/sessions", json=config)
    assert r.status_code == 201, r.text
    return r.json()


def step(client, run: dict, n: int) -> None:
    r = client.post(f"/api/sessions/{run['id']}/step", json={"n": n}, headers=auth(run["token"]))
    assert r.status_code == 200, r.text


def download(client, run: dict, **query) -> dict:
    r = client.get(f"/api/sessions/{run['id']}/compare/inputs", params=query)
    assert r.status_code == 200, r.text
    return r.json()


def mine(inputs: dict, summed: bool = False) -> dict:
    """What the snippet writes: the student's gradients from the file alone (written here from the
    lecture notes, not from app.core; summed: the loss summed, not the mean, everything x N), and
    the file's pin."""
    W1, b1, W2, b2 = (np.array(inputs[k]) for k in ("W1", "b1", "W2", "b2"))
    X, Y, lam = np.array(inputs["X"]), np.array(inputs["Y"]), inputs["lam"]
    act = get_activation(inputs["activation"])
    z1 = X @ W1 + b1
    a1 = act.f(z1)
    z2 = a1 @ W2 + b2
    p = np.exp(z2 - z2.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    N = 1 if summed else len(X)
    reg = lam * len(X) if summed else lam
    dz2 = (p - Y) / N
    da1 = dz2 @ W2.T
    dz1 = da1 * act.df(z1, a1)
    grads = {"dW1": X.T @ dz1 + reg * W1, "db1": dz1.sum(0), "dW2": a1.T @ dz2 + reg * W2, "db2": dz2.sum(0)}
    return {"gradients": {k: v.tolist() for k, v in grads.items()}, "inputs": inputs["pin"]}


def check(client, run: dict, body: dict, **query):
    return client.post(f"/api/sessions/{run['id']}/compare", json=body, params=query)


def test_download_carries_session_step_and_a_hash_of_what_the_gradient_depends_on(client):
    run = new_run(client)
    step(client, run, 4)
    inputs = download(client, run)
    assert inputs["pin"] == {"session": run["id"], "step": 4, "params_hash": inputs["params_hash"]}
    params = {k: np.array(inputs[k]) for k in ("W1", "b1", "W2", "b2")}
    X, Y = np.array(inputs["X"]), np.array(inputs["Y"])
    assert inputs["params_hash"] == inputs_hash(params, X, Y, inputs["lam"], inputs["activation"])
    assert download(client, run)["params_hash"] == inputs["params_hash"], "the same inputs, the same hash"


def test_the_hash_changes_with_each_thing_the_gradient_depends_on():
    rng = np.random.default_rng(0)
    params = {"W1": rng.normal(size=(2, 3)), "b1": rng.normal(size=3), "W2": rng.normal(size=(3, 2))}
    params["b2"] = rng.normal(size=2)
    X, Y = rng.normal(size=(5, 2)), np.eye(2)[[0, 1, 0, 1, 1]]
    base = inputs_hash(params, X, Y, 0.01, "tanh")
    nudged = {**params, "b2": params["b2"] + np.array([1e-15, 0])}
    others = [
        inputs_hash(nudged, X, Y, 0.01, "tanh"),
        inputs_hash({**params, "W1": params["W1"].reshape(3, 2)}, X, Y, 0.01, "tanh"),  # same bytes
        inputs_hash(params, X[::-1], Y, 0.01, "tanh"),
        inputs_hash(params, X, Y[::-1], 0.01, "tanh"),
        inputs_hash(params, X, Y, 0.0, "tanh"),
        inputs_hash(params, X, Y, 0.01, "relu"),
    ]
    assert len({base, *others}) == 1 + len(others)
    assert base == inputs_hash({k: v.astype(np.float64) for k, v in params.items()}, X, Y, 0.01, "tanh")


@pytest.mark.parametrize("then", ["trained on", "reset", "points edited", "lam changed"])
def test_a_pinned_check_is_compared_at_the_downloaded_inputs(client, then):
    run = new_run(client, lam=0.01)
    step(client, run, 10)
    inputs = download(client, run)
    if then == "trained on":
        step(client, run, 25)
    elif then == "reset":
        client.post(f"/api/sessions/{run['id']}/reset", headers=auth(run["token"]))
        step(client, run, 3)
    elif then == "points edited":
        edit = {"add": [{"x": 0.5, "y": 0.5, "label": 1}], "remove": [0, 1, 2]}
        r = client.post(f"/api/sessions/{run['id']}/points", json=edit, headers=auth(run["token"]))
        assert r.status_code == 200, r.text
    else:
        r = client.patch(f"/api/sessions/{run['id']}", json={"lam": 0.1}, headers=auth(run["token"]))
        assert r.status_code == 200, r.text
    body = mine(inputs)
    unpinned = check(client, run, {"gradients": body["gradients"]}).json()
    assert not unpinned["all_agree"], f"the run {then}: now the gradient is another"
    out = check(client, run, body).json()
    assert out["all_agree"] and out["step"] == 10
    assert out["pinned"] == {**inputs["pin"], "message": "compared with the inputs you downloaded at step 10"}
    wrong = check(client, run, mine(inputs, summed=True)).json()
    assert [m["name"] for m in wrong["explained_by"]] == ["summed_not_mean"]


def test_no_pin_is_todays_check_at_now_or_at_step(client):
    run = new_run(client)
    step(client, run, 5)
    body = mine(download(client, run))
    del body["inputs"]
    out = check(client, run, body).json()
    assert out["pinned"] is None and out["all_agree"] and out["step"] == 5
    step(client, run, 5)
    assert check(client, run, body, at_step=5).json()["all_agree"]


def test_another_runs_pin_is_refused_naming_inputs_session(client):
    a, b = new_run(client), new_run(client)
    body = mine(download(client, a))
    r = check(client, b, body)
    assert r.status_code == 409
    [error] = r.json()["detail"]
    assert error["loc"] == ["body", "inputs", "session"]
    assert (
        "these inputs belong to another run" in error["msg"] and "download this run's inputs" in error["msg"]
    )


def test_a_pin_from_one_session_never_compares_at_another_sessions_data(client):
    """The attack: session A's valid hash, with the pin rewritten to name session B, sent to B."""
    a = new_run(client, seed=1)
    b = new_run(client, seed=2)
    step(client, a, 7)
    step(client, b, 7)
    download(client, b)  # B has issued inputs of its own at the same step
    forged = mine(download(client, a))
    forged["inputs"] = {**forged["inputs"], "session": b["id"]}
    r = check(client, b, forged)
    assert r.status_code == 409, "B holds no inputs with A's hash: nothing is compared"
    assert r.json()["detail"][0]["loc"] == ["body", "inputs", "params_hash"]


def test_an_unknown_hash_is_answered_plainly_with_what_to_do(client):
    run = new_run(client)
    body = mine(download(client, run))
    body["inputs"]["params_hash"] = "0123456789abcdef"
    r = check(client, run, body)
    assert r.status_code == 409
    [error] = r.json()["detail"]
    assert error["loc"] == ["body", "inputs", "params_hash"]
    assert "does not hold the inputs 0123456789abcdef of step 0" in error["msg"]
    assert "download the inputs again and recompute" in error["msg"]


def test_a_run_keeps_its_last_downloads_only_and_its_points_once(client):
    run = new_run(client)
    first = download(client, run)
    pins = []
    for _ in range(ISSUED_KEPT):
        step(client, run, 1)
        pins.append(download(client, run)["pin"])
    session = client.app.state.registry.get(run["id"])
    kept = list(session.issued._kept.values())
    assert len(kept) == ISSUED_KEPT
    assert all(k.X is kept[0].X and k.Y is kept[0].Y for k in kept), "one copy of the points"
    assert check(client, run, mine(first)).status_code == 409, "the oldest download was let go"
    latest = mine(first)
    latest["inputs"] = pins[0]
    assert check(client, run, latest).status_code == 200


def test_a_deleted_runs_downloads_go_with_it(client):
    run = new_run(client)
    body = mine(download(client, run))
    client.delete(f"/api/sessions/{run['id']}", headers=auth(run["token"]))
    assert check(client, run, body).status_code == 404


@pytest.mark.parametrize(
    "pin, field",
    [
        ({"session": "not an id!"}, "session"),
        ({"session": "x" * 65}, "session"),
        ({"step": -1}, "step"),
        ({"step": "3"}, "step"),
        ({"step": 2.0}, "step"),
        ({"params_hash": "0123"}, "params_hash"),
        ({"params_hash": "0123456789ABCDEF"}, "params_hash"),
        ({"params_hash": "0123456789abcdefa"}, "params_hash"),
        ({"extra": 1}, "extra"),
    ],
)
def test_each_bad_field_of_a_pin_is_named(client, pin, field):
    run = new_run(client)
    body = mine(download(client, run))
    body["inputs"] = {**body["inputs"], **pin}
    r = check(client, run, body)
    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["detail"]] == [["body", "inputs", field]]


def test_a_pin_and_at_step_together_are_refused(client):
    run = new_run(client)
    r = check(client, run, mine(download(client, run)), at_step=0)
    assert r.status_code == 422 and "inputs" in r.text and "at_step" in r.text


def test_issued_inputs_cannot_be_changed_after_they_are_kept():
    ring = IssuedRing(capacity=2)
    params = {"W1": np.ones((2, 3)), "b1": np.zeros(3), "W2": np.ones((3, 2)), "b2": np.zeros(2)}
    X, Y = np.ones((4, 2)), np.eye(2)[[0, 1, 0, 1]]
    kept = ring.keep(make_inputs("s", 0, params, X, Y, 0.0, "tanh"))
    params["W1"][0, 0] = 5.0  # the caller's arrays were copied
    assert kept.params["W1"][0, 0] == 1.0
    with pytest.raises(ValueError):
        kept.params["W1"][0, 0] = 5.0
    for s in (1, 2):
        ring.keep(make_inputs("s", s, params, X, Y, 0.0, "tanh"))
    assert len(ring) == 2


def test_a_pin_whose_step_was_edited_is_not_held(client):
    run = new_run(client)
    step(client, run, 3)
    body = mine(download(client, run))
    body["inputs"]["step"] = 2
    r = check(client, run, body)
    assert r.status_code == 409 and "inputs 0" not in r.text
    assert r.json()["detail"][0]["loc"] == ["body", "inputs", "params_hash"]


def test_csv_gradients_take_the_pin_too(client):
    run = new_run(client)
    step(client, run, 3)
    inputs = download(client, run)
    step(client, run, 10)
    grads = mine(inputs)["gradients"]
    csv = "".join(
        f"{name}\n" + "\n".join(",".join(repr(float(v)) for v in row) for row in np.atleast_2d(values)) + "\n"
        for name, values in grads.items()
    )
    r = check(client, run, {"csv": csv, "inputs": inputs["pin"]})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["all_agree"] and out["pinned"]["step"] == 3


@pytest.mark.slow  # 0.6 s: a run of 1024 hidden units stepped 20 times
def test_what_a_session_keeps_for_its_downloads_is_bounded_at_the_largest_run():
    """1024 hidden units, 8 classes, 5000 points (4000 to train on), more downloads than are kept:
    16 parameter sets and one copy of the points, 1.76 MB, whatever the run does."""
    config = {"hidden": 1024, "dataset": {"kind": "blobs", "classes": 8, "n_samples": 5000}}
    session = Session(Run(RunConfig.model_validate(config)))
    try:
        for _ in range(ISSUED_KEPT + 4):
            session.player.step(1)
            compare_inputs(session)
        kept = list(session.issued._kept.values())
        arrays = {id(a): a.nbytes for k in kept for a in (*k.params.values(), k.X, k.Y)}
        assert len(kept) == ISSUED_KEPT
        assert sum(arrays.values()) < 2e6
    finally:
        session.close()
