"""The mistake catalogue as a student meets it: every mistake, alone and in pairs, built by an
independent backward pass (tests/student_backward.py) and named, and only it; no mistake named for
a right gradient, however small; where the first wrong intermediate is; one sample's rows."""

import numpy as np
import pytest

from app.core.compare import compare_gradients
from app.core.network import PARAM_NAMES
from app.training import reports
from app.training.config import RunConfig
from app.training.run import Run
from app.training.session import Session

from . import mistake_matrix
from .conftest import auth
from .student_backward import student_backward
from .test_network import random_problem


def test_every_mistake_alone_is_named_and_only_it_in_every_case():
    """Catalogue x (tanh, relu, sigmoid, linear) x (lam 0, > 0) x (C 2, 3): named, or invisible there."""
    matrix = mistake_matrix.singles()
    wrong = [(key, case, outcome) for key, row in matrix.items() for case, outcome in row.items()]
    wrong = [w for w in wrong if w[2] not in ("named", "invisible", "n/a")]
    assert wrong == []
    named = sum(outcome == "named" for row in matrix.values() for outcome in row.values())
    assert named >= 200
    # invisible only where it must be: the lam terms at lam = 0, the l1 terms at l1 = 0, f' and
    # z1 = a1 with a linear f
    invisible = {key[0] for key, row in matrix.items() if "invisible" in row.values()}
    assert invisible == {
        "l1_sign_forgotten",
        "no_l1_term",
        "no_regularisation",
        "double_regularisation",
        "half_regularisation",
        "regularised_biases",
        "missing_activation_derivative",
        "preactivation_in_dW2",
    }


@pytest.mark.slow
def test_every_compatible_pair_and_a_few_triples_are_named_together():
    for sets in (mistake_matrix.pairs(), mistake_matrix.TRIPLES):
        tally, failures = mistake_matrix.counts(sets)
        assert failures == [] and tally["equivalent"] == 0
        assert tally["named"] > 0


def test_two_mistakes_at_once_are_both_named_with_their_forms():
    params, X, Y = random_problem(4, 5, 3, 40, soft=False)
    sent = student_backward(params, X, Y, 0.01, "tanh", scale="data_term", transpose=("W2",))
    result = compare_gradients(params, X, Y, {n: sent[n] for n in PARAM_NAMES}, "tanh", 0.01)
    named = [(e["name"], e["form"], e["params"]) for e in result.explained_by]
    assert named == [("summed_not_mean", "data_term", ["W1", "b1", "W2", "b2"]), ("transposed", "W2", ["W2"])]
    assert result.summary.startswith("2 mistakes together explain every difference: summed instead of mean")
    assert result.explained_by[0]["fix"] == "dz2 = (y_hat - y) / N"


def test_what_no_mistake_explains_is_said_with_its_first_wrong_entries():
    params, X, Y = random_problem(5, 4, 3, 30, soft=False)
    sent = student_backward(params, X, Y, 0.01, "tanh", scale="data_term")
    sent = {n: sent[n] for n in PARAM_NAMES}
    right = student_backward(params, X, Y, 0.01, "tanh")
    sent["W1"] = right["W1"] * 1.3  # a mistake of their own in dW1
    result = compare_gradients(params, X, Y, sent, "tanh", 0.01)
    assert [e["name"] for e in result.explained_by] == ["summed_not_mean"]
    assert result.explained_by[0]["params"] == ["b1", "W2", "b2"] and result.unexplained == ["W1"]
    first = result.params["W1"].first_wrong
    assert len(first) == 3 and first[0]["index"] == [0, 0]
    assert first[0]["given"] == pytest.approx(1.3 * first[0]["ours"], rel=1e-12)
    assert "dW1 differs in a way not one we know" in result.summary


def test_two_known_mistakes_and_one_of_their_own_name_the_pair_once_and_the_rest_unknown():
    """Forgot / N and f', then spoiled dW1 by hand: the pair is named for what it explains (each
    mistake for the arrays it changes, one form each), and dW1 is not one we know."""
    params, X, Y = random_problem(6, 5, 3, 40, soft=False)
    sent = student_backward(params, X, Y, 0.01, "tanh", scale="data_term", df="none")
    sent = {n: sent[n] for n in PARAM_NAMES}
    sent["W1"] = sent["W1"] * 1.7 + 0.3
    result = compare_gradients(params, X, Y, sent, "tanh", 0.01)
    named = [(e["name"], e["form"], e["params"]) for e in result.explained_by]
    assert named == [
        ("summed_not_mean", "data_term", ["b1", "W2", "b2"]),
        ("missing_activation_derivative", None, ["b1"]),
    ]
    assert result.unexplained == ["W1"]
    assert result.summary.startswith("Part of it is a mistake we know: summed instead of mean (the data term")


def long_trained_session(lam: float) -> Session:
    session = Session(Run(RunConfig(hidden=4, lam=lam)))
    session.player.step(20_000)
    return session


@pytest.mark.slow  # 20,000 steps each, over a second
@pytest.mark.parametrize("lam", [0.0, 0.001])
def test_a_right_gradient_of_a_session_trained_long_names_nothing_and_a_real_mistake_still_shows(lam):
    session = long_trained_session(lam)
    _, params = reports.params64(session)
    d = session.run.dataset
    X, Y = d.X_train, session.run.Y[d.train]
    right = student_backward(params, X, Y, lam, "tanh")
    assert max(np.abs(right[n]).max() for n in PARAM_NAMES) < 1e-3  # the gradients are tiny
    result = compare_gradients(params, X, Y, {n: right[n] for n in PARAM_NAMES}, "tanh", lam)
    assert result.all_agree and result.explained_by == [] and result.unexplained == []
    assert max(c.max_rel_error for c in result.params.values()) < 1e-8
    for switches, name in (
        ({"scale": "data_term"}, "summed_not_mean"),
        ({"dz_out": "diagonal"}, "single_term_softmax"),
    ):
        wrong = student_backward(params, X, Y, lam, "tanh", **switches)
        result = compare_gradients(params, X, Y, {n: wrong[n] for n in PARAM_NAMES}, "tanh", lam)
        assert [e["name"] for e in result.explained_by] == [name]


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
def test_a_right_student_agrees_in_float32_and_to_1e_10_in_float64(activation):
    params, X, Y = random_problem(6, 6, 4, 50, soft=True)
    for dtype, within in ((np.float32, 1e-4), (np.float64, 1e-10)):
        sent = student_backward(params, X, Y, 0.01, activation, dtype=dtype)
        result = compare_gradients(params, X, Y, sent, activation, 0.01)
        assert result.all_agree and result.explained_by == [], dtype
        worst = max(c.max_rel_error for c in (*result.params.values(), *result.intermediates.values()))
        assert worst < within, (dtype, worst)


# ---- where it starts -----------------------------------------------------------------------


def sent_with_intermediates(switches=None, lam=0.01, activation="tanh", spoil=None):
    params, X, Y = random_problem(7, 5, 3, 30, soft=False)
    sent = student_backward(params, X, Y, lam, activation, **(switches or {}))
    if spoil:
        sent[spoil] = sent[spoil] * 1.5
    return compare_gradients(params, X, Y, sent, activation, lam)


@pytest.mark.parametrize(
    "switches, spoil, first, message",
    [
        (
            {"dz_out": "diagonal"},
            None,
            "dz2",
            "dz2 is wrong: look at the output delta — dz2 = (y_hat - y) / N",
        ),
        (
            None,
            "da1",
            "da1",
            "dz2 is right, da1 is wrong: look at the step back through W2 — da1 = dz2 @ W2.T",
        ),
        (
            {"df": "from_z"},
            None,
            "dz1",
            "dz2 is right, da1 is right, dz1 is wrong: look at f'(z1) — dz1 = da1 * (1 - a1**2)",
        ),
        (
            {"reg": 2.0},
            None,
            "W1",
            "dz2 is right, da1 is right, dz1 is right; dW1 is wrong: the mistake is in its last line — "
            "dW1 = X.T @ dz1 + lam * W1; dW2 is wrong: the mistake is in its last line — "
            "dW2 = a1.T @ dz2 + lam * W2",
        ),
    ],
)
def test_the_first_wrong_intermediate_is_said_in_words(switches, spoil, first, message):
    result = sent_with_intermediates(switches, spoil=spoil)
    assert result.where == {"first_wrong": first, "message": message}


@pytest.mark.parametrize(
    "activation, fix",
    [
        ("tanh", "dz1 = da1 * (1 - a1**2)"),
        ("relu", "dz1 = da1 * (1 if z1 > 0 else 0)"),
        ("sigmoid", "dz1 = da1 * a1 * (1 - a1)"),
    ],
)
def test_the_fix_writes_this_activations_derivative(activation, fix):
    result = sent_with_intermediates({"df": "none"}, activation=activation)
    assert [(e["name"], e["fix"]) for e in result.explained_by] == [("missing_activation_derivative", fix)]
    assert "f'" not in result.explained_by[0]["fix_tex"]


def test_the_search_must_reproduce_the_intermediates_too():
    result = sent_with_intermediates({"df": "from_z"})
    assert [e["name"] for e in result.explained_by] == ["tanh_derivative_from_z"]
    assert result.explained_by[0]["params"] == ["W1", "b1", "dz1"]
    assert not result.intermediates["dz1"].agrees and result.intermediates["da1"].agrees
    # da1 spoiled by hand: no catalogue mistake makes da1 wrong with dz2 right
    assert "da1" in sent_with_intermediates(spoil="da1").unexplained


def test_right_everywhere_says_so():
    result = sent_with_intermediates()
    assert result.all_agree and result.where["first_wrong"] is None
    assert (
        result.where["message"]
        == "dz2 is right, da1 is right, dz1 is right, and so is every gradient you sent."
    )


def test_one_samples_rows_with_and_without_the_over_N():
    params, X, Y = random_problem(8, 4, 3, 25, soft=False)
    right = student_backward(params, X, Y, 0.0)
    rows = {name: right[name][7] for name in ("dz2", "da1", "dz1")}
    result = compare_gradients(params, X, Y, rows, "tanh", 0.0, sample=7)
    assert result.all_agree and result.sample == 7 and result.where["first_wrong"] is None
    as_rows_of_one = {name: value[None, :] for name, value in rows.items()}
    assert compare_gradients(params, X, Y, as_rows_of_one, "tanh", 0.0, sample=7).all_agree
    summed = student_backward(params, X, Y, 0.0, scale="data_term")
    result = compare_gradients(params, X, Y, {"dz2": summed["dz2"][7]}, "tanh", 0.0, sample=7)
    assert [e["name"] for e in result.explained_by] == ["summed_not_mean"]
    assert result.where["first_wrong"] == "dz2"


# ---- over REST -----------------------------------------------------------------------------


@pytest.fixture
def run(client):
    c = client.post("/api/sessions", json={"hidden": 4, "lam": 0.01}).json()
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 3}, headers=auth(c["token"]))
    return f"/api/sessions/{c['id']}"


def test_the_answer_names_the_mistakes_says_the_verdict_and_where(client, run):
    example = client.get(
        f"{run}/compare/examples/tanh_derivative_from_z", params={"with_intermediates": True}
    )
    body = example.json()
    assert set(body["gradients"]) == {"dW1", "db1", "dW2", "db2", "dz2", "da1", "dz1"}
    out = client.post(f"{run}/compare", json={"gradients": body["gradients"]}).json()
    assert out["explained_by"][0]["name"] == "tanh_derivative_from_z"
    assert out["explained_by"][0]["fix"] == "dz1 = da1 * (1 - a1**2)" and out["explained_by"][0]["fix_tex"]
    assert out["where"]["first_wrong"] == "dz1" and out["sample"] is None and out["unexplained"] == []
    assert out["summary"].startswith("One mistake explains every difference: tanh derivative taken from z")
    assert set(out["intermediates"]) == {"dz2", "da1", "dz1"} and out["intermediates"]["dz1"]["first_wrong"]
    assert out["threshold"] == 1e-4


def test_one_samples_rows_over_rest_and_csv(client, run):
    example = client.get(f"{run}/compare/examples/ours", params={"with_intermediates": True}).json()
    rows = {name: example["gradients"][name][11] for name in ("dz2", "da1", "dz1")}
    out = client.post(f"{run}/compare", json={"gradients": rows, "sample": 11}).json()
    assert out["all_agree"] and out["sample"] == 11 and out["where"]["first_wrong"] is None
    csv = "dz2\n" + ", ".join(repr(v) for v in rows["dz2"]) + "\n"
    out = client.post(f"{run}/compare", json={"csv": csv, "sample": 11}).json()
    assert out["all_agree"] and list(out["intermediates"]) == ["dz2"]


@pytest.mark.parametrize(
    "body, says",
    [
        (
            {"gradients": {"dz2": [0.1, 0.2]}, "sample": 160},
            "sample must be a training point's index, 0 <= sample <",
        ),
        ({"gradients": {"dz2": [0.1, 0.2]}, "sample": -1}, "sample"),
        ({"gradients": {"dz2": [0.1, 0.2]}, "sample": "x"}, "sample"),
        (
            {"gradients": {"dz2": [0.1, 0.2]}},
            "dz2 is one row (2,): say which training point it is with sample",
        ),
        ({"gradients": {"dW1": [[0.0] * 4] * 2}, "sample": 3}, "sample says which row of dz2, da1, dz1"),
        ({"gradients": {"dz3": [1.0]}}, "dz3"),
        ({"gradients": {"da1": [[0.0] * 2] * 160}}, "da1 should be (N, H) = (160, 4)"),
        ({"gradients": {"dz1": [0.0, 1.0]}, "sample": 2}, "dz1 should be (H,) = (4,)"),
    ],
)
def test_bad_samples_unknown_names_and_wrong_shaped_intermediates_are_422(client, run, body, says):
    r = client.post(f"{run}/compare", json=body)
    assert r.status_code == 422 and says in r.text, r.text


def test_the_whole_batch_with_a_sample_is_refused(client, run):
    example = client.get(f"{run}/compare/examples/ours", params={"with_intermediates": True}).json()
    r = client.post(f"{run}/compare", json={"gradients": {"dz2": example["gradients"]["dz2"]}, "sample": 0})
    assert r.status_code == 422 and "leave sample out to check the batch" in r.text
