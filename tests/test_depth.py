"""The network at every depth (1-6 hidden layers): backprop (BP1-BP4) against finite differences
and against an independent autograd, the fast step against network.py, the new inits and losses,
and the facts about depth a lesson is built on (vanishing and exploding gradients)."""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

from app.core.datasets import make_dataset
from app.core.fast_step import FastStep
from app.core.features import expand
from app.core.gradcheck import gradient_check
from app.core.network import (
    backward,
    depth,
    forward,
    init_params,
    layer_sizes,
    loss,
    param_names,
)
from app.core.targets import one_hot

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
LOSSES = ("cross_entropy", "mse")
PENALTIES = ((0.0, 0.0), (0.05, 0.02))  # (lam, l1)


def deep_problem(seed, widths, C, N, F=2, scale=0.3):
    """Parameters moved off their zero biases (so every path carries gradient), points, targets."""
    rng = np.random.RandomState(seed)
    params = init_params(widths, C, seed=seed, F=F)
    for name in params:
        params[name] = params[name] + rng.randn(*params[name].shape) * scale
    X = rng.randn(N, F)
    Y = one_hot(rng.randint(0, C, N), C)
    return params, X, Y


def autograd_loss(activation, loss_name, lam, l1):
    """The network's loss written independently with autograd.numpy: a function of the params."""
    f = {
        "tanh": anp.tanh,
        "relu": lambda z: anp.maximum(z, 0.0),
        "sigmoid": lambda z: 1 / (1 + anp.exp(-z)),
        "linear": lambda z: z,
    }[activation]

    def value(params, X, Y):
        L = len(params) // 2 - 1
        a = X
        for l in range(1, L + 1):
            a = f(anp.dot(a, params[f"W{l}"]) + params[f"b{l}"])
        z = anp.dot(a, params[f"W{L + 1}"]) + params[f"b{L + 1}"]
        m = anp.max(z, axis=1, keepdims=True)
        log_y_hat = z - m - anp.log(anp.sum(anp.exp(z - m), axis=1, keepdims=True))
        if loss_name == "cross_entropy":
            data = -anp.sum(Y * log_y_hat) / X.shape[0]
        else:
            data = 0.5 * anp.sum((anp.exp(log_y_hat) - Y) ** 2) / X.shape[0]
        weights = [params[f"W{l}"] for l in range(1, L + 2)]
        return (
            data
            + lam / 2 * sum(anp.sum(W * W) for W in weights)
            + l1 * sum(anp.sum(anp.abs(W)) for W in weights)
        )

    return value


def test_param_names_are_layer_ordered_and_depth_one_is_the_classic_four():
    assert param_names(1) == ("W1", "b1", "W2", "b2")
    assert param_names(3) == ("W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4")
    params = init_params([8, 8, 4], 3, seed=0, F=5)
    assert depth(params) == 3 and layer_sizes(params) == (5, 8, 8, 4, 3)
    assert tuple(params) == param_names(3)


@pytest.mark.parametrize("L", range(1, 7))
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss_name", LOSSES)
@pytest.mark.parametrize(("lam", "l1"), PENALTIES)
def test_backprop_matches_finite_differences_at_every_depth(L, activation, loss_name, lam, l1):
    widths = [3 + (l % 2) for l in range(L)]
    params, X, Y = deep_problem(L, widths, 3, 6)
    report = gradient_check(params, X, Y, activation, lam, loss_name=loss_name, l1=l1)
    assert set(report) == set(param_names(L))
    for name, check in report.items():
        assert check.max_rel_error < 1e-5, (name, check.max_rel_error)
        assert np.count_nonzero(check.kinks) <= len(check.indices) // 2, name


@pytest.mark.parametrize("L", range(1, 7))
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss_name", LOSSES)
@pytest.mark.parametrize(("lam", "l1"), PENALTIES)
def test_backprop_equals_autograd_to_rounding(L, activation, loss_name, lam, l1):
    params, X, Y = deep_problem(10 + L, [5] * L, 4, 9, F=3)
    fwd = forward(params, X, activation)
    ours = backward(params, fwd, Y, lam, loss_name, l1).grads()
    value = autograd_loss(activation, loss_name, lam, l1)
    theirs = grad(value)(params, X, Y)
    assert loss(params, fwd, Y, lam, loss_name, l1) == pytest.approx(value(params, X, Y), rel=1e-13)
    for name in param_names(L):
        scale = max(float(np.max(np.abs(theirs[name]))), 1e-300)
        assert float(np.max(np.abs(ours[name] - theirs[name]))) <= 1e-12 * max(scale, 1.0), name


@pytest.mark.parametrize("widths", [[6], [7, 5], [4, 9, 3], [5] * 6])
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss_name", LOSSES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fast_step_computes_network_py_at_every_depth(widths, activation, loss_name, dtype):
    params, X, Y = deep_problem(3, widths, 3, 300, F=4)
    lam, l1 = 0.01, 0.003
    fwd = forward(params, X, activation)
    expected_loss = loss(params, fwd, Y, lam, loss_name, l1)
    expected = backward(params, fwd, Y, lam, loss_name, l1).grads()
    step = FastStep(widths, 3, activation, dtype=dtype, loss_name=loss_name, F=4, block_elements=700)
    cast = {k: v.astype(dtype) for k, v in params.items()}
    value, grads = step.loss_and_grads(cast, X.astype(dtype), Y.astype(dtype), lam, l1)
    rel = 2e-4 if dtype == np.float32 else 1e-11
    assert value == pytest.approx(expected_loss, rel=rel)
    assert set(grads) == set(expected)
    for name, g in expected.items():
        scale = float(np.max(np.abs(g)))
        assert float(np.max(np.abs(grads[name] - g))) <= rel * max(scale, 1e-3), name
    np.testing.assert_allclose(step.z2, fwd.logits, rtol=rel, atol=rel)


def test_xavier_and_he_draw_with_their_stds_and_zeros_is_all_zero():
    widths, F, C = [400, 300], 7, 8
    for scale, std in [
        ("xavier", lambda fi, fo: np.sqrt(2 / (fi + fo))),
        ("he", lambda fi, fo: np.sqrt(2 / fi)),
        ("fan_in", lambda fi, fo: 1 / np.sqrt(fi)),
        (0.01, lambda fi, fo: 0.01),
    ]:
        params = init_params(widths, C, seed=1, scale=scale, F=F)
        for l, (fi, fo), rel in [(1, (F, 400), 0.05), (2, (400, 300), 0.02)]:
            assert np.std(params[f"W{l}"]) == pytest.approx(std(fi, fo), rel=rel), (scale, l)
    zeros = init_params(widths, C, seed=1, scale="zeros", F=F)
    assert all(not np.any(v) for v in zeros.values())


def test_depth_one_fan_in_init_is_the_notebooks_numbers_and_the_same_seed_draws_w1_first():
    one = init_params(5, 3, seed=0)
    rng = np.random.RandomState(0)
    np.testing.assert_array_equal(one["W1"], rng.randn(2, 5) / np.sqrt(2))
    np.testing.assert_array_equal(one["W2"], rng.randn(5, 3) / np.sqrt(5))
    deep = init_params([5, 4], 3, seed=0)
    np.testing.assert_array_equal(deep["W1"], one["W1"])  # W1 is drawn first at every depth


@pytest.mark.parametrize("hidden", [[], [4] * 7, [0], [2000], "8", [4, 2.0]])
def test_bad_widths_are_errors_naming_them(hidden):
    with pytest.raises(ValueError, match=r"^H"):
        init_params(hidden, 3)


def test_zero_init_keeps_every_unit_of_a_layer_identical_after_training():
    """Symmetry: with every weight 0 the units of a layer get the same gradient, step after step."""
    d = make_dataset("spiral", n_samples=120, seed=0)
    X, Y = d.X, one_hot(d.labels, d.C)
    params = init_params([6, 5, 4], d.C, seed=0, scale="zeros")
    params = {k: v + 0.0 for k, v in params.items()}
    params["b4"] = np.array([0.3, -0.1, 0.2])  # an output bias off 0, so the units move at all
    step = FastStep([6, 5, 4], d.C, "tanh", dtype=np.float64)
    for _ in range(50):
        _, grads = step.loss_and_grads(params, X, Y)
        for name in params:
            params[name] = params[name] - 0.5 * grads[name]
    for l in (2, 3):
        W = params[f"W{l}"]
        np.testing.assert_array_equal(W, np.repeat(W[:, :1], W.shape[1], axis=1))  # every column the same
        assert np.all(params[f"b{l}"] == params[f"b{l}"][0])
    W4 = params["W4"]
    np.testing.assert_array_equal(W4, np.repeat(W4[:1], W4.shape[0], axis=0))  # every unit sends the same


def _gradient_norms_at_init(activation, scale, seeds=range(4)):
    """Median over seeds of (|dW1|, |dW7| ) of 6 x 16 nets at init, on the 3-arm spiral, float64."""
    d = make_dataset("spiral", n_samples=200, seed=0)
    X, Y = d.X, one_hot(d.labels, d.C)
    first, last = [], []
    for seed in seeds:
        params = init_params([16] * 6, d.C, seed=seed, scale=scale)
        grads = backward(params, forward(params, X, activation), Y).grads()
        first.append(np.linalg.norm(grads["W1"]))
        last.append(np.linalg.norm(grads["W7"]))
    return float(np.median(first)), float(np.median(np.array(first) / np.array(last)))


def test_sigmoid_gradients_vanish_and_xavier_does_not_save_them():
    _, ratio = _gradient_norms_at_init("sigmoid", 1.0)
    assert 1e-3 < ratio < 5e-2  # measured 1.2e-2: the first layer learns a hundred times slower
    _, ratio_xavier = _gradient_norms_at_init("sigmoid", "xavier")
    assert ratio_xavier < 1e-3  # measured 7.8e-5: smaller weights make it worse, not better


def test_tanh_with_xavier_keeps_the_first_layer_within_an_order_of_the_last():
    _, ratio = _gradient_norms_at_init("tanh", "xavier")
    assert 0.1 < ratio < 10  # measured 0.93


def test_relu_gradients_explode_with_large_init_and_he_init_tames_them():
    norm_1, _ = _gradient_norms_at_init("relu", 1.0)
    norm_3, _ = _gradient_norms_at_init("relu", 3.0)
    norm_he, ratio_he = _gradient_norms_at_init("relu", "he")
    assert norm_1 > 10 and norm_3 > 1e3  # measured 60 and 4.4e4
    assert norm_he < 1 and 0.1 < ratio_he < 10  # measured 0.063 and 0.27


def test_features_feed_the_first_layer():
    points = np.array([[1.0, 2.0], [-0.5, 0.25]])
    X = expand(points, ["x1", "x2_sq", "x1_x2", "sin_x1"])
    np.testing.assert_allclose(X, [[1, 4, 2, np.sin(1)], [-0.5, 0.0625, -0.125, np.sin(-0.5)]])
    assert expand(points) is points
    params = init_params([3], 2, seed=0, F=4)
    assert forward(params, X).z1.shape == (2, 3)
    for bad, message in [([], "at least one"), (["x1", "x1"], "once"), (["x3"], "unknown")]:
        with pytest.raises(ValueError, match=message):
            expand(points, bad)
