"""Check your gradient over REST for a deep mse run with l1 and input features: the download has
every layer and the features, a student's gradients computed from the file alone agree (pinned
after the run trained on), a mistake made in every layer is named, the pin's hash covers the loss,
l1 and the features, and bad input is a 422 naming the field."""

import numpy as np
import pytest

from app.training.issued_inputs import inputs_hash

from .conftest import auth
from .student_backward import student_backward

DEEP_RUN = {
    "hidden": [5, 4],
    "activation": "sigmoid",
    "loss": "mse",
    "lam": 0.01,
    "l1": 0.003,
    "features": ["x1", "x2", "x1_sq", "x1_x2"],
}


@pytest.fixture
def deep(client):
    run = client.post("/api/sessions", json=DEEP_RUN).json()
    client.post(f"/api/sessions/{run['id']}/step", json={"n": 4}, headers=auth(run["token"]))
    return run


def from_file(inputs: dict, **switches) -> dict:
    """The gradients (dW1 ... db3) and intermediates a student computes from the download alone."""
    params = {
        f"{k}{l}": np.array(inputs[f"{k}{l}"]) for l in range(1, len(inputs["hidden"]) + 2) for k in "Wb"
    }
    out = student_backward(
        params,
        np.array(inputs["X"]),
        np.array(inputs["Y"]),
        inputs["lam"],
        inputs["activation"],
        loss=inputs["loss_name"],
        l1=inputs["l1"],
        **switches,
    )
    return {(k if k[0] == "d" else f"d{k}"): v.tolist() for k, v in out.items()}


def test_a_deep_mse_l1_run_with_features_is_checked_from_its_download(client, deep):
    base = f"/api/sessions/{deep['id']}"
    inputs = client.get(f"{base}/compare/inputs").json()
    assert inputs["hidden"] == [5, 4] and inputs["features"] == DEEP_RUN["features"]
    assert (inputs["loss_name"], inputs["l1"], inputs["H"], inputs["C"]) == ("mse", 0.003, 5, 2)
    assert np.shape(inputs["X"]) == (inputs["N"], 4)  # the network's input: the features of the points
    assert [np.shape(inputs[k]) for k in ("W1", "b1", "W2", "W3", "b3")] == [
        (4, 5),
        (5,),
        (5, 4),
        (4, 2),
        (2,),
    ]
    assert "W4" not in inputs and "dW3, db3" in inputs["about"]
    assert "z3 = a2 W3 + b3" in inputs["loss"] and "l1 (|W1|_1" in inputs["loss"]
    mine = from_file(inputs)
    client.post(f"{base}/step", json={"n": 10}, headers=auth(deep["token"]))  # the run trains on
    out = client.post(f"{base}/compare", json={"gradients": mine, "inputs": inputs["pin"]}).json()
    assert out["all_agree"] and out["all_given"] and out["step"] == 4, out["summary"]
    assert list(out["intermediates"]) == ["dz3", "da2", "dz2", "da1", "dz1"]
    assert out["where"]["message"] == (
        "dz3 is right, da2 is right, dz2 is right, da1 is right, dz1 is right, and so is every gradient "
        "you sent."
    )
    wrong = from_file(inputs, l1_term="W")
    out = client.post(f"{base}/compare", json={"gradients": wrong, "inputs": inputs["pin"]}).json()
    [named] = out["explained_by"]
    assert (named["name"], named["form"], named["params"]) == (
        "l1_sign_forgotten",
        "as_W",
        ["W1", "W2", "W3"],
    )
    assert named["fix"] == "dW(l) = a(l-1).T @ dz(l) + lam * W(l) + l1 * sign(W(l)), a0 = X"
    assert (
        "dW3 is wrong: the mistake is in its last line — dW3 = a2.T @ dz3 + lam * W3 + l1 * sign(W3)"
        in (out["where"]["message"])
    )


def test_each_example_of_a_deep_run_is_named_by_compare(client, deep):
    base = f"/api/sessions/{deep['id']}"
    for kind, form in (("transposed", "all"), ("transposed", "W3"), ("mse_without_softmax_jacobian", None)):
        example = client.get(f"{base}/compare/examples/{kind}", params={"form": form} if form else {}).json()
        out = client.post(f"{base}/compare", json={"gradients": example["gradients"]}).json()
        assert [(e["name"], e["form"]) for e in out["explained_by"]] == [(kind, form)], out["summary"]
    r = client.get(f"{base}/compare/examples/single_term_softmax")
    assert r.status_code == 422 and "the cross_entropy loss only; this run's loss is mse" in r.text
    r = client.get(f"{base}/compare/examples/transposed", params={"form": "W4"})
    assert r.status_code == 422 and "form of transposed must be one of all, W1, W2, W3" in r.text


def test_the_pin_covers_the_loss_l1_and_the_features():
    rng = np.random.RandomState(0)
    params = {"W1": rng.randn(2, 3), "b1": rng.randn(3), "W2": rng.randn(3, 2), "b2": rng.randn(2)}
    X, Y = rng.randn(5, 2), np.eye(2)[[0, 1, 0, 1, 1]]
    base = inputs_hash(params, X, Y, 0.01, "tanh")
    assert base == inputs_hash(params, X, Y, 0.01, "tanh", "cross_entropy", 0.0, ("x1", "x2"))
    others = {
        inputs_hash(params, X, Y, 0.01, "tanh", "mse"),
        inputs_hash(params, X, Y, 0.01, "tanh", l1=0.001),
        inputs_hash(params, X, Y, 0.01, "tanh", features=("x2", "x1")),
        inputs_hash({**params, "W3": rng.randn(2, 2), "b3": rng.randn(2)}, X, Y, 0.01, "tanh"),
    }
    assert len(others) == 4 and base not in others


def test_a_pin_from_before_l1_changed_is_compared_at_its_own_inputs_and_an_unheld_one_is_409(client, deep):
    base = f"/api/sessions/{deep['id']}"
    before = client.get(f"{base}/compare/inputs").json()
    r = client.patch(base, json={"l1": 0.01}, headers=auth(deep["token"]))
    assert r.status_code == 200, r.text
    after = client.get(f"{base}/compare/inputs").json()
    assert after["step"] == before["step"] and after["params_hash"] != before["params_hash"]
    out = client.post(
        f"{base}/compare", json={"gradients": from_file(before), "inputs": before["pin"]}
    ).json()
    assert out["all_agree"]
    now = client.post(f"{base}/compare", json={"gradients": from_file(before)}).json()
    assert not now["all_agree"]  # l1 changed: the old gradient is not today's
    forged = {**before["pin"], "params_hash": "0" * 16}
    r = client.post(f"{base}/compare", json={"gradients": from_file(before), "inputs": forged})
    assert r.status_code == 409 and r.json()["detail"][0]["loc"] == ["body", "inputs", "params_hash"]


def test_bad_input_of_a_deep_run_is_a_422_naming_the_field(client, deep):
    base = f"/api/sessions/{deep['id']}"
    inputs = client.get(f"{base}/compare/inputs").json()
    mine = from_file(inputs)
    N = inputs["N"]
    cases = [
        (
            {**mine, "dW4": [[0.0]]},
            None,
            "gradients may only name W1, b1, W2, b2, W3, b3, dz3, da2, dz2, da1, dz1",
        ),
        ({"da2": np.zeros((N, 5)).tolist()}, None, f"da2 should be (N, H2) = ({N}, 4)"),
        ({"dz2": mine["dz2"][0]}, N, f"sample must be a training point's index, 0 <= sample < {N}; got {N}"),
        ({"dz1": mine["dz1"]}, 0, "sample is given, so dz1 must be that training point's row (5,)"),
    ]
    for gradients, sample, says in cases:
        body = {"gradients": gradients, **({} if sample is None else {"sample": sample})}
        r = client.post(f"{base}/compare", json=body)
        assert r.status_code == 422 and says in r.text, (says, r.text)
    out = client.post(f"{base}/compare", json={"gradients": {"dW2": np.zeros((4, 5)).tolist()}}).json()
    assert out["params"]["W2"]["shape_message"].startswith(
        "dW2 should be (H1, H2) = (5, 4): rows are the units of hidden layer 1, columns the units of "
        "hidden layer 2"
    )
    csv = (
        "dW3\n"
        + "\n".join(", ".join(map(str, row)) for row in mine["dW3"])
        + "\ndb3\n"
        + ", ".join(map(str, mine["db3"]))
    )
    out = client.post(f"{base}/compare", json={"csv": csv}).json()
    assert out["all_agree"] and list(out["params"]) == ["W3", "b3"] and not out["all_given"]
