"""The gradient check catches wrong gradients, and the decision grid agrees with the network."""

import numpy as np
import pytest

from app.core import gradcheck
from app.core.grid import decision_grid, grid_axes
from app.core.network import forward, init_params

from .test_network import random_problem


def test_gradient_check_flags_a_wrong_backprop(monkeypatch):
    params, X, Y = random_problem(0, 4, 3, 20, soft=False)

    real_backward = gradcheck.backward

    def summed_backward(params, fwd, Y, lam=0.0, *rest):  # the from-scratch notebook's mistake
        back = real_backward(params, fwd, Y, lam, *rest)
        back.dW[1] = back.dW[1] * len(Y)
        return back

    monkeypatch.setattr(gradcheck, "backward", summed_backward)
    report = gradcheck.gradient_check(params, X, Y)
    assert not report["W2"].passed and report["W2"].max_rel_error > 0.9
    assert report["W1"].passed


def test_gradient_check_samples_entries_for_large_layers():
    params, X, Y = random_problem(1, 300, 3, 10, soft=False)
    report = gradcheck.gradient_check(params, X, Y, max_entries=25, seed=4)
    assert len(report["W1"].indices) == 25 and len(set(report["W1"].indices)) == 25
    assert len(report["b2"].indices) == 3  # small parameters are checked whole
    again = gradcheck.gradient_check(params, X, Y, max_entries=25, seed=4)
    assert report["W2"].indices == again["W2"].indices
    assert all(c.max_rel_error < 1e-6 for c in report.values())


def test_gradient_check_does_not_touch_the_callers_parameters():
    params, X, Y = random_problem(2, 3, 2, 5, soft=False)
    before = {k: v.copy() for k, v in params.items()}
    gradcheck.gradient_check(params, X, Y)
    for name in params:
        np.testing.assert_array_equal(params[name], before[name])


def test_relu_kinks_are_reported_not_counted_as_errors():
    params, X, Y = random_problem(5, 8, 3, 30, soft=False)
    X[0] = -(params["b1"][0] + 3e-6) / params["W1"][0, 0], 0.0  # z1[0, 0] sits 3e-6 from the kink
    report = gradcheck.gradient_check(params, X, Y, "relu", h=1e-5)
    assert report["b1"].kinks[0]
    assert report["b1"].max_rel_error < 1e-6


def test_relative_error_uses_an_absolute_floor_for_tiny_gradients():
    assert gradcheck.relative_error(3.3e-8, 3.3e-8 + 2e-11) == pytest.approx(2e-7)
    assert gradcheck.relative_error(0.5, 0.25) == pytest.approx(1 / 3)
    assert gradcheck.relative_error(0.0, 0.0) == 0.0


def test_decision_grid_equals_the_forward_pass_at_each_grid_point():
    params = init_params(6, 3, seed=0)
    box = (-1.0, 2.0, -0.5, 1.5)
    y_hat = decision_grid(params, box, 40)
    assert y_hat.shape == (40, 40, 3)
    np.testing.assert_allclose(y_hat.sum(axis=2), 1.0)
    xs, ys = grid_axes(box, 40)
    for i, j in [(0, 0), (39, 0), (0, 39), (17, 23)]:
        point = np.array([[xs[j], ys[i]]])
        np.testing.assert_allclose(y_hat[i, j], forward(params, point).y_hat[0], rtol=1e-12)


def test_decision_grid_in_float32_for_the_live_loop_and_in_blocks():
    params = {k: v.astype(np.float32) for k, v in init_params(50, 2, seed=0).items()}
    y_hat = decision_grid(params, (-2, 2, -2, 2), 200)  # 40000 points: several blocks
    assert y_hat.dtype == np.float32
    reference = decision_grid({k: v.astype(np.float64) for k, v in params.items()}, (-2, 2, -2, 2), 200)
    np.testing.assert_allclose(y_hat, reference, atol=1e-5)
