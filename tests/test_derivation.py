"""The worked derivation for one sample: the long way equals the short way, and the pieces add up."""

import numpy as np
import pytest

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
