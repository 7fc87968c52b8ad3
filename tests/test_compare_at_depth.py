"""Check your gradient at every depth: a student's W1 ... W(L+1) gradients and intermediates from
the independent student backward, compared with the core's own, each mistake made in every layer
its line runs for named, where the first wrong intermediate is from the output down, and the
bad inputs of a deep run said plainly."""

import numpy as np
import pytest

from app.core.compare import compare_gradients
from app.core.network import backward, forward, param_names

from . import mistake_matrix
from .mistake_matrix import Case, deep_problem
from .student_backward import student_backward

DEEP = Case("tanh", 0.01, 3, (4, 5, 3), "mse", 0.003)


def sent_by(case: Case, params, X, Y, **switches) -> dict:
    return student_backward(params, X, Y, case.lam, case.activation, loss=case.loss, l1=case.l1, **switches)


def check(case: Case, params, X, Y, given, sample=None):
    return compare_gradients(
        params, X, Y, given, case.activation, case.lam, sample, loss_name=case.loss, l1=case.l1
    )


@pytest.mark.parametrize("widths, loss, l1", [((4, 3), "cross_entropy", 0.0), ((4, 5, 3), "mse", 0.003)])
def test_a_right_student_at_depth_agrees_with_the_core_to_rounding(widths, loss, l1):
    case = Case("sigmoid", 0.01, 3, widths, loss, l1)
    params, X, Y = deep_problem(2, list(widths), 3, 40, F=4)
    sent = sent_by(case, params, X, Y)
    fwd = forward(params, X, "sigmoid")
    ours = backward(params, fwd, Y, 0.01, loss, l1).grads()
    for name in param_names(len(widths)):
        np.testing.assert_allclose(sent[name], ours[name], rtol=1e-10, atol=1e-14)
    result = check(case, params, X, Y, sent)
    assert result.all_agree and result.all_given and result.explained_by == []
    assert list(result.intermediates) == (
        ["dz3", "da2", "dz2", "da1", "dz1"]
        if len(widths) == 2
        else ["dz4", "da3", "dz3", "da2", "dz2", "da1", "dz1"]
    )
    float32 = {k: v.astype(np.float32) for k, v in sent.items()}
    assert check(case, params, X, Y, float32).all_agree


QUICK_DEPTH_2 = [Case("tanh", 0.01, 3, (4, 3)), Case("relu", 0.0, 3, (4, 3), "mse", 0.003)]


@pytest.mark.parametrize("case", QUICK_DEPTH_2, ids=Case.label)
def test_every_mistake_alone_at_depth_2_is_named_or_invisible(case):
    row = mistake_matrix.singles([case])
    outcomes = {key: by_case[case] for key, by_case in row.items()}
    assert [key for key, outcome in outcomes.items() if outcome not in ("named", "invisible", "n/a")] == []
    assert sum(outcome == "named" for outcome in outcomes.values()) >= 14


@pytest.mark.slow
def test_every_mistake_alone_in_pairs_and_triples_at_depth_2_and_3_is_named():
    """The matrix at depth: every case of DEEP_CASES (4 activations x depth 2, 3 x both losses x
    lam, l1), singles, every compatible pair, the deep triples."""
    singles = mistake_matrix.singles(mistake_matrix.DEEP_CASES)
    wrong = [
        (k, c, o)
        for k, row in singles.items()
        for c, o in row.items()
        if o not in ("named", "invisible", "n/a")
    ]
    assert wrong == []
    for sets in (mistake_matrix.pairs(), mistake_matrix.DEEP_TRIPLES):
        tally, failures = mistake_matrix.counts(sets, mistake_matrix.DEEP_CASES)
        assert failures == [] and tally["named"] > 0


def test_a_line_written_wrong_is_wrong_in_every_layer_and_named_once():
    params, X, Y = deep_problem(5, [4, 5, 3], 3, 30)
    sent = sent_by(DEEP, params, X, Y, dW_from="z", bias="mean")
    result = check(DEEP, params, X, Y, {n: sent[n] for n in param_names(3)})
    named = {e["name"]: e["params"] for e in result.explained_by}
    assert named == {
        "preactivation_in_dW2": ["W2", "W3", "W4"],
        "biases_averaged": ["b1", "b2", "b3", "b4"],
    }
    entry = next(e for e in result.explained_by if e["name"] == "preactivation_in_dW2")
    assert entry["title"] == "Pre-activation in dW(l)"
    assert entry["fix"].startswith("dW(l) = a(l-1).T @ dz(l) + lam * W(l)")
    assert "2 mistakes together explain every difference: pre-activation in dW(l) in dW2, dW3 and dW4" in (
        result.summary
    )


def test_where_walks_from_the_output_down_and_names_the_layer():
    params, X, Y = deep_problem(6, [4, 5, 3], 3, 30)
    case = Case("tanh", 0.01, 3, (4, 5, 3))
    sent = sent_by(case, params, X, Y)
    sent["dz3"] = sent["dz3"] * 1.5  # dz3 wrong, and only the first three sent
    given = {n: sent[n] for n in ("dz4", "da3", "dz3")}
    result = check(case, params, X, Y, given)
    assert result.where == {
        "first_wrong": "dz3",
        "message": "dz4 is right, da3 is right, dz3 is wrong: look at f'(z3) — dz3 = da3 * (1 - a3**2)",
    }
    assert result.unexplained == ["dz3"] and result.explained_by == []


def test_f_prime_skipped_in_one_layer_only_is_not_a_loop_mistake():
    """dz3 = da3 in the top hidden layer, f' right in the layers below: no set of the catalogue's
    mistakes explains it all (a loop makes one in every layer); the missing f' is named for the
    arrays of layer 3 alone, and the layers below are not one we know."""
    params, X, Y = deep_problem(6, [4, 5, 3], 3, 30)
    case = Case("tanh", 0.01, 3, (4, 5, 3))
    right = sent_by(case, params, X, Y)
    a = {0: X}
    for l in (1, 2, 3):
        a[l] = np.tanh(a[l - 1] @ params[f"W{l}"] + params[f"b{l}"])
    dz = {4: right["dz4"], 3: right["da3"]}  # f'(z3) skipped here only
    da = {3: right["da3"]}
    for l in (3, 2):
        da[l - 1] = dz[l] @ params[f"W{l}"].T
        dz[l - 1] = da[l - 1] * (1 - a[l - 1] ** 2)
    sent = {f"dz{l}": dz[l] for l in dz} | {f"da{l}": da[l] for l in da}
    for l in (1, 2, 3, 4):
        sent[f"W{l}"] = a[l - 1].T @ dz[l] + 0.01 * params[f"W{l}"]
        sent[f"b{l}"] = dz[l].sum(axis=0)
    result = check(case, params, X, Y, sent)
    [part] = result.explained_by
    assert part["name"] == "missing_activation_derivative" and part["params"] == ["W3", "b3", "dz3", "da2"]
    assert result.unexplained == ["W1", "b1", "W2", "b2", "dz2", "da1", "dz1"]
    assert result.where["first_wrong"] == "dz3"
    assert result.summary.startswith("Part of it is a mistake we know: missing activation derivative in dW3")


def test_the_first_wrong_one_is_the_output_delta_for_an_mse_student_without_the_jacobian():
    params, X, Y = deep_problem(7, [4, 5, 3], 3, 30)
    sent = sent_by(DEEP, params, X, Y, dz_out="p_minus_y")
    result = check(DEEP, params, X, Y, sent)
    assert [e["name"] for e in result.explained_by] == ["mse_without_softmax_jacobian"]
    assert result.where["first_wrong"] == "dz4"
    assert result.where["message"].startswith("dz4 is wrong: look at the output delta — dz4 = y_hat * (")


def test_one_samples_rows_at_depth():
    params, X, Y = deep_problem(8, [4, 3], 3, 20)
    case = Case("relu", 0.0, 3, (4, 3), "mse", 0.003)
    sent = sent_by(case, params, X, Y, df="none")
    rows = {n: sent[n][5] for n in ("dz3", "da2", "dz2", "da1", "dz1")}
    result = check(case, params, X, Y, rows, sample=5)
    assert result.sample == 5 and result.where["first_wrong"] == "dz2"
    assert [e["name"] for e in result.explained_by] == ["missing_activation_derivative"]


def test_bad_input_at_depth_names_the_field_and_the_expected_shape():
    params, X, Y = deep_problem(9, [4, 3], 3, 20, F=3)
    case = Case("tanh", 0.01, 3, (4, 3))
    sent = sent_by(case, params, X, Y)
    with pytest.raises(
        ValueError, match="gradients may only name W1, b1, W2, b2, W3, b3, dz3, da2, dz2, da1, dz1"
    ):
        check(case, params, X, Y, {**sent, "W4": np.zeros((3, 3))})
    with pytest.raises(
        ValueError, match=r"da2 should be \(N, H2\) = \(20, 3\): rows are the training points"
    ):
        check(case, params, X, Y, {"da2": np.zeros((20, 4))})
    with pytest.raises(ValueError, match="sample must be a training point's index, 0 <= sample < 20; got 20"):
        check(case, params, X, Y, {"dz1": sent["dz1"][0]}, sample=20)
    result = check(case, params, X, Y, {"W2": sent["W2"][:3], "W3": sent["W3"]})
    assert result.params["W2"].shape_message == (
        "dW2 should be (H1, H2) = (4, 3): rows are the units of hidden layer 1, columns the units of "
        "hidden layer 2; you sent (3, 3): a different network (H or C) or the wrong run's inputs?"
    )
    assert not result.all_given and result.params["W3"].agrees
    w1 = check(case, params, X, Y, {"W1": sent["W1"].T}).params["W1"]
    assert w1.shape_message.startswith("dW1 should be (F, H1) = (3, 4): rows are the 3 inputs")
