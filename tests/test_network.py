"""The network's forward and backward pass against finite differences and against the
derivation's promises."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.gradcheck import gradient_check
from app.core.network import PARAM_NAMES, backward, forward, init_params, loss, loss_and_grads
from app.core.softmax import log_softmax, softmax
from app.core.targets import one_hot


def random_problem(seed, H, C, N, soft, scale=0.3):
    rng = np.random.RandomState(seed)
    params = init_params(H, C, seed=seed)
    for name in PARAM_NAMES:  # move off the all-zero biases so every path carries gradient
        params[name] = params[name] + rng.randn(*params[name].shape) * scale
    X = rng.randn(N, 2)
    Y = rng.dirichlet(np.ones(C), size=N) if soft else one_hot(rng.randint(0, C, N), C)
    return params, X, Y


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    H=st.integers(1, 24),
    C=st.integers(2, 8),
    N=st.integers(1, 40),
    activation=st.sampled_from(["tanh", "relu", "sigmoid"]),
    lam=st.sampled_from([0.0, 1e-4, 1e-2, 0.5]),
    soft=st.booleans(),
)
def test_backprop_matches_finite_differences_on_every_parameter(seed, H, C, N, activation, lam, soft):
    params, X, Y = random_problem(seed, H, C, N, soft)
    report = gradient_check(params, X, Y, activation, lam)
    for name, check in report.items():
        assert check.max_rel_error < 1e-6, (name, check.max_rel_error)
        # a kink may spoil a few relu entries, never most of them
        assert check.kinks.mean() <= 0.5


@pytest.mark.parametrize("batch_size", [1, 7, 32])
def test_backprop_matches_finite_differences_on_a_mini_batch(batch_size):
    params, X, Y = random_problem(3, 6, 3, 64, soft=False)
    rows = np.random.RandomState(0).permutation(64)[:batch_size]
    report = gradient_check(params, X[rows], Y[rows], "tanh", 1e-3)
    assert max(c.max_rel_error for c in report.values()) < 1e-6


def test_gradients_are_of_the_mean_loss_not_the_summed_loss():
    """The nn-from-scratch trap: its gradient was N times the mean loss's while it printed the mean."""
    params, X, Y = random_problem(0, 5, 3, 50, soft=False)
    N, h = len(X), 1e-5
    _, grads = loss_and_grads(params, X, Y, "tanh")

    def summed_loss():
        return loss(params, forward(params, X, "tanh"), Y) * N

    W = params["W2"]
    for i in [(0, 0), (2, 1), (4, 2)]:
        original = W[i]
        W[i] = original + h
        plus = summed_loss()
        W[i] = original - h
        minus = summed_loss()
        W[i] = original
        numeric_of_sum = (plus - minus) / (2 * h)
        assert numeric_of_sum / grads["W2"][i] == pytest.approx(N, rel=1e-6)
    report = gradient_check(params, X, Y, "tanh")
    assert report["W2"].max_rel_error < 1e-7


def test_dz2_is_y_hat_minus_y_over_n():
    params, X, Y = random_problem(1, 4, 3, 10, soft=True)
    fwd = forward(params, X)
    back = backward(params, fwd, Y)
    np.testing.assert_allclose(back.dz2, (softmax(fwd.z2) - Y) / 10, rtol=0, atol=1e-15)


def test_extreme_logits_give_finite_loss_and_gradients():
    z2 = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]])
    log_p = log_softmax(z2)
    assert np.all(np.isfinite(log_p))
    np.testing.assert_allclose(np.exp(log_p).sum(axis=1), 1.0)
    params = init_params(2, 3, seed=0)
    params["W2"] *= 1e4
    params["W1"] *= 1e2
    X = np.array([[1.0, 1.0], [-1.0, 2.0]])
    Y = one_hot([1, 2], 3)
    fwd = forward(params, X)
    value = loss(params, fwd, Y, 0.1)
    grads = backward(params, fwd, Y, 0.1)
    assert np.isfinite(value)
    for g in (*grads.grads().values(), grads.dX):
        assert np.all(np.isfinite(g))


def test_input_gradient_dx_matches_finite_differences():
    params, X, Y = random_problem(2, 7, 4, 12, soft=False)
    back = backward(params, forward(params, X), Y)
    h = 1e-6
    for n, d in [(0, 0), (5, 1), (11, 0)]:
        Xp, Xm = X.copy(), X.copy()
        Xp[n, d] += h
        Xm[n, d] -= h
        numeric = (loss(params, forward(params, Xp), Y) - loss(params, forward(params, Xm), Y)) / (2 * h)
        assert back.dX[n, d] == pytest.approx(numeric, rel=1e-6, abs=1e-11)


def test_l2_regularisation_acts_on_weights_not_biases():
    params, X, Y = random_problem(4, 3, 2, 20, soft=False)
    _, plain = loss_and_grads(params, X, Y, "tanh", lam=0.0)
    _, regular = loss_and_grads(params, X, Y, "tanh", lam=0.1)
    np.testing.assert_allclose(regular["W1"] - plain["W1"], 0.1 * params["W1"], atol=1e-15)
    np.testing.assert_allclose(regular["W2"] - plain["W2"], 0.1 * params["W2"], atol=1e-15)
    np.testing.assert_array_equal(regular["b1"], plain["b1"])
    np.testing.assert_array_equal(regular["b2"], plain["b2"])


def test_float32_parameters_compute_in_float32_and_agree_with_float64():
    params, X, Y = random_problem(5, 16, 3, 100, soft=False)
    params32 = {k: v.astype(np.float32) for k, v in params.items()}
    value64, grads64 = loss_and_grads(params, X, Y)
    value32, grads32 = loss_and_grads(params32, X.astype(np.float32), Y.astype(np.float32))
    assert all(g.dtype == np.float32 for g in grads32.values())
    assert value32 == pytest.approx(value64, rel=1e-5)
    for name in PARAM_NAMES:
        np.testing.assert_allclose(grads32[name], grads64[name], rtol=1e-3, atol=1e-6)


def test_init_is_seeded_and_scaled():
    a, b, c = init_params(5, 3, seed=7), init_params(5, 3, seed=7), init_params(5, 3, seed=8)
    np.testing.assert_array_equal(a["W1"], b["W1"])
    assert not np.array_equal(a["W1"], c["W1"])
    small = init_params(500, 3, seed=0, scale=0.01)
    assert np.std(small["W1"]) == pytest.approx(0.01, rel=0.1)
    fan_in = init_params(500, 3, seed=0)
    assert np.std(fan_in["W2"]) == pytest.approx(1 / np.sqrt(500), rel=0.1)
    assert not np.any(a["b1"]) and not np.any(a["b2"])
    # seed 0 draws exactly what the from-scratch notebook drew after np.random.seed(0)
    rng = np.random.RandomState(0)
    np.testing.assert_array_equal(init_params(3, 2, seed=0)["W1"], rng.randn(2, 3) / np.sqrt(2))
