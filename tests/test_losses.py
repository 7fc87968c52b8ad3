"""The loss and the softmax: one entry each, every form of them computing the same numbers."""

import numpy as np
import pytest

from app.core.losses import CROSS_ENTROPY, LOSSES, MSE, get_loss
from app.core.network import backward, backward_from_dz2, forward, output_delta
from app.core.softmax import (
    log_softmax,
    log_softmax_rows,
    softmax,
    softmax_columns_in_place,
    softmax_jacobian,
)

from .test_network import random_problem


def logits(seed, N, C, scale=3.0):
    return np.random.RandomState(seed).randn(N, C) * scale


def test_cross_entropy_is_minus_the_mean_of_y_log_y_hat():
    params, X, Y = random_problem(0, 5, 4, 30, soft=True)
    fwd = forward(params, X)
    expected = -np.mean(np.sum(Y * np.log(softmax(fwd.z2)), axis=1))  # written out, not the entry's
    assert CROSS_ENTROPY.value(fwd.log_y_hat, fwd.y_hat, Y) == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("soft", [False, True])
def test_output_delta_is_the_softmax_jacobian_times_dL_dy_hat_row_by_row(soft):
    """The short way (y_hat - Y) / N against the long way J.T @ dL/dy_hat, for every row."""
    params, X, Y = random_problem(1, 6, 5, 20, soft=soft)
    fwd = forward(params, X)
    N = len(X)
    delta = CROSS_ENTROPY.delta(fwd.y_hat, Y, N)
    dL_dy_hat = CROSS_ENTROPY.dL_dy_hat(fwd.y_hat, Y, N)
    for n in range(N):
        long_way = softmax_jacobian(fwd.y_hat[n]).T @ dL_dy_hat[n]
        np.testing.assert_allclose(long_way, delta[n], rtol=0, atol=1e-15)


def test_output_delta_is_the_derivative_of_the_loss_by_finite_differences():
    params, X, Y = random_problem(2, 4, 3, 10, soft=True)
    fwd = forward(params, X)
    delta = output_delta(fwd, Y)
    h = 1e-6
    for n, k in [(0, 0), (3, 2), (9, 1)]:
        z = fwd.z2.copy()
        z[n, k] += h
        up = CROSS_ENTROPY.value(log_softmax(z), softmax(z), Y)
        z[n, k] -= 2 * h
        down = CROSS_ENTROPY.value(log_softmax(z), softmax(z), Y)
        assert (up - down) / (2 * h) == pytest.approx(delta[n, k], rel=1e-6, abs=1e-10)


def test_the_in_place_delta_is_the_same_bits():
    params, X, Y = random_problem(3, 4, 3, 17, soft=True)
    fwd = forward(params, X)
    out = np.empty_like(fwd.y_hat)
    assert CROSS_ENTROPY.delta_in_place(fwd.y_hat, Y, 17, out) is out
    np.testing.assert_array_equal(out, CROSS_ENTROPY.delta(fwd.y_hat, Y, 17))


def test_backward_is_the_loss_delta_fed_through_backward_from_dz2():
    params, X, Y = random_problem(4, 6, 3, 25, soft=False)
    fwd = forward(params, X, "sigmoid")
    whole = backward(params, fwd, Y, 0.01)
    split = backward_from_dz2(params, fwd, (fwd.y_hat - Y) / len(X), 0.01)
    for name in ("dz2", "dW2", "db2", "da1", "dz1", "dW1", "db1", "dX"):
        np.testing.assert_array_equal(getattr(whole, name), getattr(split, name))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_form_of_the_softmax_gives_the_same_numbers(dtype):
    z = logits(5, 50, 4).astype(dtype)
    z[3] *= 1e3  # far from 0: the shift by the row's max keeps it finite
    expected = log_softmax(z)
    out, scratch, per_sample = np.empty_like(z), np.empty_like(z), np.empty((50, 1), dtype)
    log_softmax_rows(z.copy(), out, scratch, per_sample)
    np.testing.assert_allclose(out, expected, rtol=4 * np.finfo(dtype).eps, atol=4 * np.finfo(dtype).eps)
    columns = softmax_columns_in_place(np.ascontiguousarray(z.T))
    np.testing.assert_allclose(columns.T, softmax(z), rtol=8 * np.finfo(dtype).eps, atol=1e-30)
    assert np.all(np.isfinite(expected)) and np.allclose(softmax(z).sum(axis=1), 1)


def test_softmax_jacobian_is_symmetric_and_its_rows_sum_to_zero():
    y_hat = softmax(logits(6, 1, 5))[0]
    J = softmax_jacobian(y_hat)
    np.testing.assert_array_equal(J, J.T)
    np.testing.assert_allclose(J.sum(axis=1), 0, atol=1e-16)


def test_an_unknown_loss_is_an_error_naming_loss():
    assert get_loss("cross_entropy") is CROSS_ENTROPY and set(LOSSES) == {"cross_entropy", "mse"}
    with pytest.raises(ValueError, match="loss must be one of cross_entropy, mse"):
        get_loss("hinge")


def test_mse_is_half_the_mean_squared_distance_of_y_hat_from_y():
    params, X, Y = random_problem(6, 5, 4, 30, soft=True)
    fwd = forward(params, X)
    expected = np.mean(0.5 * np.sum((softmax(fwd.z2) - Y) ** 2, axis=1))  # written out
    assert MSE.value(fwd.log_y_hat, fwd.y_hat, Y) == pytest.approx(expected, rel=1e-13)


def test_mse_delta_is_the_softmax_jacobian_times_dL_dy_hat_and_the_in_place_form_agrees():
    params, X, Y = random_problem(7, 6, 5, 20, soft=True)
    fwd = forward(params, X)
    N = len(X)
    delta = MSE.delta(fwd.y_hat, Y, N)
    dL_dy_hat = MSE.dL_dy_hat(fwd.y_hat, Y, N)
    for n in range(N):
        np.testing.assert_allclose(softmax_jacobian(fwd.y_hat[n]).T @ dL_dy_hat[n], delta[n], atol=1e-16)
    out = np.empty_like(delta)
    assert MSE.delta_in_place(fwd.y_hat, Y, N, out) is out
    np.testing.assert_allclose(out, delta, rtol=1e-14, atol=1e-18)


def test_mse_delta_is_the_derivative_of_the_loss_by_finite_differences():
    params, X, Y = random_problem(8, 4, 3, 10, soft=False)
    fwd = forward(params, X)
    delta = output_delta(fwd, Y, "mse")
    h = 1e-6
    for n, k in [(0, 0), (3, 2), (9, 1)]:
        z = fwd.z2.copy()
        z[n, k] += h
        up = MSE.value(log_softmax(z), softmax(z), Y)
        z[n, k] -= 2 * h
        down = MSE.value(log_softmax(z), softmax(z), Y)
        assert (up - down) / (2 * h) == pytest.approx(delta[n, k], rel=1e-6, abs=1e-11)


def test_mse_learns_less_than_cross_entropy_from_a_confident_wrong_answer():
    """y_hat = (0.999, 0.001) for a point of class 1: cross-entropy's delta is ~1 / N, mse's
    is squeezed by the softmax's flat tail (y_hat * (1 - y_hat) ~ 1e-3)."""
    y_hat, Y = np.array([[0.999, 0.001]]), np.array([[0.0, 1.0]])
    assert abs(CROSS_ENTROPY.delta(y_hat, Y, 1)[0, 1]) > 0.99
    assert abs(MSE.delta(y_hat, Y, 1)[0, 1]) < 3e-3
