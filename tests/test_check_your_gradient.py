"""Check your own gradient: a student's dW1, db1, dW2, db2 against ours, each usual mistake named."""

import numpy as np
import pytest

from app.core.compare import compare_gradients
from app.core.mistakes import RIGHT
from app.core.network import forward
from app.training.uploads import parse_gradients_csv

from .conftest import auth
from .student_backward import SWITCHES
from .student_backward import student_backward as independent_backward
from .test_network import random_problem


def student_backward(params, X, Y, lam, activation="tanh", **switches):
    """The four gradients of the independent student backward pass (tests/student_backward.py)."""
    out = independent_backward(params, X, Y, lam, activation, **switches)
    return {name: out[name] for name in ("W1", "b1", "W2", "b2")}


@pytest.mark.parametrize(
    "mistake, kwargs",
    [
        ("summed_not_mean", {"scale": "all"}),
        ("single_term_softmax", {"dz_out": "diagonal"}),
        ("transposed", {"transpose": ("W1", "W2")}),
        ("no_regularisation", {"reg": 0.0}),
        ("tanh_derivative_from_z", {"df": "from_z"}),
    ],
)
def test_each_usual_mistake_is_named(mistake, kwargs):
    params, X, Y = random_problem(4, 6, 3, 40, soft=False)
    given = student_backward(params, X, Y, 0.01, **kwargs)
    result = compare_gradients(params, X, Y, given, "tanh", 0.01)
    assert not result.all_agree
    assert [e["name"] for e in result.explained_by] == [mistake]


def test_a_right_gradient_agrees_and_names_nothing():
    params, X, Y = random_problem(5, 4, 2, 30, soft=True)
    given = student_backward(params, X, Y, 0.01)
    given32 = {k: v.astype(np.float32) for k, v in given.items()}  # a student's float32 code is fine too
    for g in (given, given32):
        result = compare_gradients(params, X, Y, g, "tanh", 0.01)
        assert result.all_agree and result.explained_by == []
        assert all(c.max_rel_error < 1e-4 for c in result.params.values())


def test_a_single_wrong_entry_is_highlighted_and_not_misnamed():
    params, X, Y = random_problem(6, 4, 3, 30, soft=False)
    given = student_backward(params, X, Y, 0.0)
    given["W2"][2, 1] *= 1.5
    result = compare_gradients(params, X, Y, {"W2": given["W2"], "b2": given["b2"]}, "tanh", 0.0)
    assert result.params["W2"].differing == [(2, 1)] and result.params["b2"].agrees
    assert result.explained_by == []


def test_csv_blocks_parse_with_headers_and_either_separator():
    text = "# W1\n1, 2, 3\n4 5 6\nb1:\n0.5\n0.25\n-1\ndW2\n1;2\n"
    arrays = parse_gradients_csv(text)
    np.testing.assert_array_equal(arrays["W1"], [[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(arrays["b1"], [0.5, 0.25, -1])
    np.testing.assert_array_equal(arrays["W2"], [[1, 2]])


@pytest.mark.parametrize(
    "text, says",
    [
        ("1,2,3", "expected a parameter name"),
        ("W1\n1,x,3", "line 2"),
        ("W1\n1,2\n3", "different lengths"),
        ("W1\nW1\n1", "twice"),
        ("", "no gradients"),
    ],
)
def test_bad_csv_names_the_problem(text, says):
    with pytest.raises(ValueError, match=says):
        parse_gradients_csv(text)


def rest_problem(client, body=None):
    r = client.post("/api/sessions", json=body or {"hidden": 4, "lam": 0.01})
    c = r.json()
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 3}, headers=auth(c["token"]))
    session = client.app.state.registry.get(c["id"])
    params = {
        k: np.array(v["values"])
        for k, v in client.get(f"/api/sessions/{c['id']}/parameters").json()["params"].items()
    }
    d = session.run.dataset
    Y = np.eye(2)[d.labels_train]
    return c, params, d.X_train, Y


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"scale": "data_term"}, "summed_not_mean"),
        ({"dz_out": "diagonal"}, "single_term_softmax"),
        ({"transpose": ("W2",)}, "transposed"),
        ({"reg": 0.0}, "no_regularisation"),
        ({"df": "from_z"}, "tanh_derivative_from_z"),
    ],
)
def test_compare_over_rest_names_the_mistake(client, kwargs, name):
    c, params, X, Y = rest_problem(client)
    given = student_backward(params, X, Y, 0.01, **kwargs)
    r = client.post(
        f"/api/sessions/{c['id']}/compare", json={"gradients": {k: v.tolist() for k, v in given.items()}}
    )
    assert r.status_code == 200, r.text
    out = r.json()
    assert not out["all_agree"] and [e["name"] for e in out["explained_by"]] == [name]
    assert out["explained_by"][0]["explanation"]


def test_compare_over_rest_takes_csv_and_d_prefixed_names(client):
    c, params, X, Y = rest_problem(client)
    given = student_backward(params, X, Y, 0.01)
    csv = "".join(
        f"{k}\n"
        + "\n".join(
            ",".join(repr(float(v)) for v in np.atleast_2d(a)[i]) for i in range(np.atleast_2d(a).shape[0])
        )
        + "\n"
        for k, a in given.items()
    )
    out = client.post(f"/api/sessions/{c['id']}/compare", json={"csv": csv}).json()
    assert out["all_agree"] and set(out["params"]) == {"W1", "b1", "W2", "b2"}
    out = client.post(
        f"/api/sessions/{c['id']}/compare", json={"gradients": {"dW2": given["W2"].tolist()}}
    ).json()
    assert out["all_agree"] and list(out["params"]) == ["W2"]


@pytest.mark.parametrize(
    "body, says",
    [
        ({}, "either"),
        ({"gradients": {"W9": [1]}}, "W9"),
        ({"gradients": {"W1": [[1, 2], [3]]}}, "W1"),
        ({"csv": "nonsense"}, "parameter name"),
        ({"gradients": {}, "csv": "W1\n1"}, "either"),
        # numpy alone reads "0.5" and true as numbers; a pasted file with them is a mistake to name
        ({"gradients": {"dW1": [["0.5", 0.1]]}}, "gradients dW1 must be an array of numbers"),
        ({"gradients": {"db2": [0.1, True]}}, "gradients db2 must be an array of numbers"),
        ({"gradients": {"db1": [0.1, None]}}, "no strings, true/false or null"),
    ],
)
def test_compare_rejects_bad_uploads_with_a_message(client, body, says):
    c = client.post("/api/sessions", json={}).json()
    r = client.post(f"/api/sessions/{c['id']}/compare", json=body)
    assert r.status_code == 422 and says in r.text


def test_unit_view_shows_one_hidden_unit(client):
    c = client.post("/api/sessions", json={"hidden": 3}).json()
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 5}, headers=auth(c["token"]))
    u = client.get(f"/api/sessions/{c['id']}/units/1", params={"G": 16}).json()
    session = client.app.state.registry.get(c["id"])
    params = {
        k: np.array(v["values"])
        for k, v in client.get(f"/api/sessions/{c['id']}/parameters").json()["params"].items()
    }
    d = session.run.dataset
    fwd = forward(params, d.X_train)
    np.testing.assert_allclose(u["a1"], fwd.a1[:, 1], atol=1e-12)
    assert np.array(u["a1_grid"]).shape == (16, 16) and len(u["dz1"]) == len(d.train)
    g = client.get(f"/api/sessions/{c['id']}/gradients").json()
    assert np.sum(u["dz1"]) == pytest.approx(g["grads"]["b1"]["values"][1], abs=1e-12)  # db1 = sum of dz1
    assert client.get(f"/api/sessions/{c['id']}/units/3").status_code == 422


def test_input_gradients_are_dL_dx_per_training_point(client):
    c = client.post("/api/sessions", json={}).json()
    out = client.get(f"/api/sessions/{c['id']}/input-gradients").json()
    dX = np.array(out["dX"])
    assert dX.shape == (160, 2) and np.all(np.isfinite(dX))
    assert sum(out["share"]) == pytest.approx(1.0)


def test_compare_at_an_earlier_step_uses_that_steps_parameters(client):
    c, params, X, Y = rest_problem(client)  # parameters at step 3
    given = student_backward(params, X, Y, 0.01)
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 20}, headers=auth(c["token"]))
    body = {"gradients": {k: v.tolist() for k, v in given.items()}}
    assert not client.post(f"/api/sessions/{c['id']}/compare", json=body).json()["all_agree"]
    then = client.post(f"/api/sessions/{c['id']}/compare", params={"at_step": 3}, json=body).json()
    assert then["all_agree"] and then["step"] == 3


@pytest.mark.parametrize(
    "activation, widths, loss, l1",
    [
        *((a, 5, "cross_entropy", 0.0) for a in ("tanh", "relu", "sigmoid", "linear")),
        ("tanh", [5, 4], "mse", 0.01),
        ("sigmoid", [4, 3, 5], "cross_entropy", 0.02),
        ("relu", [4, 6, 3], "mse", 0.0),
    ],
)
def test_each_mistake_is_a_wrong_dz2_or_a_wrong_step_after_it_through_the_true_backward_pass(
    activation, widths, loss, l1
):
    """Every catalogue mistake's gradients and intermediates, in every form, against the
    independent student backward pass, switch by switch, at depth 1 to 3, for both losses."""
    from app.core.mistakes import MISTAKES_BY_NAME, derive

    from .mistake_matrix import deep_problem
    from .student_backward import exists_at

    params, X, Y = deep_problem(9, widths, 3, 30)
    L = len(params) // 2 - 1
    fwd = forward(params, X, activation)
    assert {name for name, _ in SWITCHES} == set(MISTAKES_BY_NAME)
    for (name, form), switches in SWITCHES.items():
        mistake = MISTAKES_BY_NAME[name]
        assert form in [f.name for f in mistake.forms]
        if not mistake.applies(activation, loss) or not exists_at((name, form), L):
            continue
        ours = derive(mistake.form(form, L).change(RIGHT), params, fwd, Y, 0.02, loss, l1).arrays()
        theirs = independent_backward(params, X, Y, 0.02, activation, loss=loss, l1=l1, **switches)
        assert set(ours) == set(theirs)
        for key in ours:
            np.testing.assert_allclose(
                ours[key], theirs[key], rtol=1e-12, atol=1e-15, err_msg=f"{name} {key}"
            )
    assert MISTAKES_BY_NAME["tanh_derivative_from_z"].applies("tanh")
    assert not MISTAKES_BY_NAME["tanh_derivative_from_z"].applies("linear")
    assert MISTAKES_BY_NAME["single_term_softmax"].applies("linear")


def test_the_examples_a_student_can_try_are_named_by_compare(client):
    """GET .../compare/examples/{kind}: ours agrees everywhere; each mistake's gradient, sent back,
    is named as that mistake; the inputs a student downloads reproduce our gradient."""
    c = client.post("/api/sessions", json={"hidden": 4, "lam": 0.01}).json()
    base = f"/api/sessions/{c['id']}"
    client.post(f"{base}/step", json={"n": 5}, headers=auth(c["token"]))
    kinds = client.get("/openapi.json").json()["paths"][
        base.replace(c["id"], "{session_id}") + "/compare/examples/{kind}"
    ]
    kinds = next(p for p in kinds["get"]["parameters"] if p["name"] == "kind")["schema"]["enum"]
    assert "ours" in kinds and len(kinds) >= 5
    for kind in kinds:
        r = client.get(f"{base}/compare/examples/{kind}")
        if kind == "sigmoid_derivative_from_z":  # a tanh run: made with sigmoid only
            assert r.status_code == 422 and "sigmoid only" in r.text
            continue
        if kind.startswith("mse_") and kind != "mse_output_derivative":  # a cross-entropy run
            assert r.status_code == 422 and "the mse loss only" in r.text
            continue
        example = r.json()
        assert example["kind"] == kind and example["step"] == 5
        result = client.post(f"{base}/compare", json={"gradients": example["gradients"]}).json()
        if kind in ("ours", "l1_sign_forgotten", "no_l1_term"):  # l1 = 0: the l1 ones change nothing
            assert result["all_agree"] and result["explained_by"] == []
        else:
            assert [e["name"] for e in result["explained_by"]] == [kind], kind
    for form in ("all", "data_term"):
        example = client.get(f"{base}/compare/examples/summed_not_mean", params={"form": form}).json()
        result = client.post(f"{base}/compare", json={"gradients": example["gradients"]}).json()
        assert example["form"] == form and result["explained_by"][0]["form"] == form
    r = client.get(f"{base}/compare/examples/transposed", params={"form": "W3"})
    assert r.status_code == 422 and "form of transposed must be one of both, W1, W2" in r.text
    assert client.get(f"{base}/compare/examples/guessed").status_code == 422


def test_a_wrong_shape_is_said_in_words_with_what_its_axes_are(client):
    c, params, X, Y = rest_problem(client, {"hidden": 5, "lam": 0.01})
    right = student_backward(params, X, Y, 0.01)
    sent = {
        "dW1": right["W1"].T.tolist(),  # (5, 2)
        "db1": right["b1"][:, None].tolist(),  # a column (5, 1)
        "dW2": np.zeros((4, 2)).tolist(),  # another H
        "db2": right["b2"].tolist(),  # right
    }
    out = client.post(f"/api/sessions/{c['id']}/compare", json={"gradients": sent}).json()
    said = {name: p["shape_message"] for name, p in out["params"].items()}
    assert said == {
        "W1": "dW1 should be (2, H) = (2, 5): rows are the 2 inputs, columns the hidden units; "
        "you sent (5, 2): transposed?",
        "b1": "db1 should be (H,) = (5,): one entry per hidden unit; you sent (5, 1): a column or a row; "
        "send it as a flat list",
        "W2": "dW2 should be (H, C) = (5, 2): rows are the hidden units, columns the classes; "
        "you sent (4, 2): a different network (H or C) or the wrong run's inputs?",
        "b2": None,
    }
