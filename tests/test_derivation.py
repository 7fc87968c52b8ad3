"""The worked derivation for one sample: the long way equals the short way, and the pieces add up."""

import numpy as np
import pytest

from app.core.activations import ACTIVATION_NAMES
from app.core.derivation import derive
from app.core.network import backward, forward

from .test_network import random_problem


@pytest.mark.parametrize("soft", [False, True])
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_dz2_long_way_equals_short_way_for_every_sample(activation, soft):
    params, X, Y = random_problem(11, 6, 5, 30, soft=soft, scale=1.0)
    for n in range(len(X)):
        d = derive(params, X, Y, n, activation)
        np.testing.assert_allclose(d["dz2_long"], d["dz2"], rtol=0, atol=1e-12)
        assert np.max(np.abs(d["dz2_difference"])) < 1e-12


def test_softmax_jacobian_is_symmetric_and_rows_sum_to_zero():
    params, X, Y = random_problem(0, 4, 4, 5, soft=False)
    J = derive(params, X, Y, 2)["J"]
    np.testing.assert_allclose(J, J.T)
    np.testing.assert_allclose(J.sum(axis=1), 0, atol=1e-15)


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_sample_contributions_sum_to_the_batch_gradient(activation):
    params, X, Y = random_problem(8, 5, 3, 25, soft=True)
    back = backward(params, forward(params, X, activation), Y, lam=0.0)
    parts = [derive(params, X, Y, n, activation) for n in range(len(X))]
    for name, full in [("dW1", back.dW1), ("db1", back.db1), ("dW2", back.dW2), ("db2", back.db2)]:
        np.testing.assert_allclose(sum(p[name] for p in parts), full, atol=1e-14)
    for n, p in enumerate(parts):
        np.testing.assert_allclose(p["dx"], back.dX[n], atol=1e-15)
        np.testing.assert_allclose(p["dz1"], back.dz1[n], atol=1e-15)


def test_stages_carry_shapes_and_equations_in_order():
    params, X, Y = random_problem(0, 7, 3, 4, soft=False)
    d = derive(params, X, Y, 1)
    names = [s.name for s in d.stages]
    assert names == [
        "x",
        "z1",
        "a1",
        "z2",
        "y_hat",
        "y",
        "loss",
        "dL_dy_hat",
        "J",
        "dz2_long",
        "dz2",
        "dz2_difference",
        "dW2",
        "db2",
        "da1",
        "dz1",
        "dW1",
        "db1",
        "dx",
    ]
    shapes = {s.name: s.shape for s in d.stages}
    assert shapes["z1"] == (7,) and shapes["J"] == (3, 3) and shapes["dW2"] == (7, 3)
    assert shapes["dW1"] == (2, 7) and shapes["loss"] == ()
    assert all(s.equation for s in d.stages)


def test_loss_term_is_this_samples_cross_entropy():
    params, X, Y = random_problem(3, 4, 3, 6, soft=False)
    fwd = forward(params, X)
    for n in range(6):
        assert derive(params, X, Y, n)["loss"] == pytest.approx(-np.sum(Y[n] * fwd.log_y_hat[n]))


def test_sample_index_out_of_range_names_n():
    params, X, Y = random_problem(0, 3, 2, 5, soft=False)
    with pytest.raises(ValueError, match="n must be"):
        derive(params, X, Y, 5)


# What static/derivation.js typeset before the server sent it: the reference the entries must meet.
PAGE_TEX = {
    "tanh": ("\\tanh", "(1 - a_1^{2})"),
    "relu": ("\\operatorname{relu}", "\\mathbb{1}[z_1 > 0]"),
    "sigmoid": ("\\sigma", "a_1 \\odot (1 - a_1)"),
}


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_every_stage_carries_its_tex_from_the_activation_and_the_loss(activation):
    params, X, Y = random_problem(2, 4, 3, 6, soft=False)
    d = derive(params, X, Y, 3, activation)
    tex = {s.name: s.tex for s in d.stages}
    f, df = PAGE_TEX[activation]
    assert tex["a1"] == f"a_1 = {f}(z_1)"
    assert tex["dz1"] == f"\\mathrm{{d}}z_1 = \\mathrm{{d}}a_1 \\odot {df}"
    assert tex["dz2"] == "\\mathrm{d}z_2 = (\\hat y - y)\\,/\\,N"
    assert tex["x"] == "x = X_{3}"
    assert all(tex.values())


def test_the_two_ways_agree_to_rounding_and_say_so():
    params, X, Y = random_problem(5, 6, 4, 10, soft=True)
    for n in range(10):
        d = derive(params, X, Y, n)
        assert d.dz2_max_abs_difference == np.max(np.abs(d["dz2_long"] - d["dz2"]))
        assert d.dz2_max_abs == np.max(np.abs(d["dz2"]))
        assert d.two_ways_agree


def test_an_underflowed_y_hat_makes_the_long_way_not_a_number_and_not_agree():
    params, X, Y = random_problem(6, 3, 3, 4, soft=False)
    params["W2"] = params["W2"] * 1e4  # one logit far above the others: y_hat of the rest underflows to 0
    d = derive(params, X, Y, 0)
    assert not np.all(np.isfinite(d["dz2_long"]))
    assert d.dz2_max_abs_difference == np.inf and not d.two_ways_agree


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
def test_the_shown_mistake_is_the_diagonal_only_dz2_through_the_same_backward_pass(activation):
    """Worked out here as static/derivation.js did it: -y (1 - y_hat) / N, minus the short way,
    and outer(a1, that) against the right dW2."""
    params, X, Y = random_problem(7, 5, 3, 9, soft=True)
    d = derive(params, X, Y, 4, activation)
    y, y_hat, a1, N = d["y"], d["y_hat"], d["a1"], 9
    wrong = -y * (1 - y_hat) / N
    wrong_dW2 = np.outer(a1, wrong)
    m = d.mistake
    assert m.name == "single_term_softmax"
    stages = {s.name: s.value for s in m.stages}
    np.testing.assert_allclose(stages["dz2"], wrong, rtol=1e-15)
    np.testing.assert_allclose(stages["dz2_difference"], wrong - d["dz2"], rtol=1e-14, atol=1e-18)
    np.testing.assert_allclose(stages["dW2"], wrong_dW2, rtol=1e-15)
    assert m.dz2_max_abs_difference == pytest.approx(np.max(np.abs(wrong - d["dz2"])), rel=1e-14)
    assert m.dW2_max_abs_difference == pytest.approx(np.max(np.abs(wrong_dW2 - d["dW2"])), rel=1e-14)
    rel = np.abs(wrong_dW2 - d["dW2"]) / np.maximum(np.abs(wrong_dW2) + np.abs(d["dW2"]), 1e-300)
    assert m.dW2_max_rel_error == pytest.approx(np.max(rel), rel=1e-12)
    assert all(s.tex and s.equation for s in m.stages)


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_the_dz1_equation_read_as_python_gives_the_stages_value(activation):
    """The equation's text is the math it names: evaluated unit by unit on the stage's own da1, a1
    and z1, it gives dz1 (written "da1 * 1 - a1**2" it read as (da1 * 1) - a1**2)."""
    params, X, Y = random_problem(3, 4, 3, 12, soft=False, scale=1.0)
    d = derive(params, X, Y, 5, activation)
    stage = {s.name: s for s in d.stages}
    name, rhs = (part.strip() for part in stage["dz1"].equation.split("=", 1))
    assert name == "dz1"
    for j in range(stage["dz1"].value.size):
        units = {key: float(stage[key].value[j]) for key in ("da1", "a1", "z1")}
        read = eval(rhs, {"__builtins__": {}}, units)  # noqa: S307 - our own equation text
        assert read == pytest.approx(float(stage["dz1"].value[j]), rel=1e-12, abs=1e-15)
