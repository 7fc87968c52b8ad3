"""Training: optimizers, mini-batches, and the classic seeded results reproduced."""

import numpy as np
import pytest

from app.core.datasets import make_dataset
from app.core.descent import train, train_step
from app.core.minibatches import MiniBatches
from app.core.network import accuracy, init_params, loss_and_grads
from app.core.optimizers import SGD, Adam, Momentum, make_optimizer, norm
from app.core.targets import one_hot


def moons_problem(H=5, seed=0):
    d = make_dataset("moons", n_samples=200, noise=0.2, seed=0)
    return init_params(H, 2, seed=seed), d.X, one_hot(d.labels, 2), d.labels


def test_sgd_step_is_minus_learning_rate_times_gradient():
    params, X, Y, _ = moons_problem()
    before = {k: v.copy() for k, v in params.items()}
    _, grads = loss_and_grads(params, X, Y)
    ratios = SGD(0.5).step(params, grads)
    for name in params:
        np.testing.assert_allclose(params[name], before[name] - 0.5 * grads[name])
    assert ratios["W1"] == pytest.approx(np.linalg.norm(0.5 * grads["W1"]) / np.linalg.norm(before["W1"]))
    assert ratios["b1"] == 0.0  # the bias started at zero: no ratio to speak of


def test_momentum_accumulates_velocity():
    params = {"W1": np.array([1.0])}
    opt = Momentum(0.1, beta=0.9)
    opt.step(params, {"W1": np.array([1.0])})
    opt.step(params, {"W1": np.array([1.0])})
    assert params["W1"][0] == pytest.approx(1.0 - 0.1 - (0.9 * 0.1 + 0.1))


def test_adam_first_step_moves_each_entry_by_the_learning_rate():
    params = {"W1": np.array([1.0, -2.0, 3.0])}
    Adam(0.01).step(params, {"W1": np.array([0.5, -3.0, 1e-3])})
    np.testing.assert_allclose(params["W1"], [0.99, -1.99, 2.99], rtol=1e-6)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_every_optimizer_lowers_the_loss_on_moons(name):
    params, X, Y, labels = moons_problem()
    lr = {"sgd": 1.0, "momentum": 0.3, "adam": 0.05}[name]
    losses = train(params, X, Y, make_optimizer(name, lr), 300)
    assert losses[-1] < 0.5 * losses[0]
    assert accuracy(params, X, labels) > 0.85


def test_mini_batches_cover_each_epoch_once_and_are_seeded():
    batches = MiniBatches(10, batch_size=4, seed=1)
    epoch = np.concatenate([batches.next() for _ in range(3)])
    assert sorted(epoch.tolist()) == list(range(10))
    assert [len(b) for b in [batches.next(), batches.next(), batches.next()]] == [4, 4, 2]
    assert batches.epoch == 2.0
    again = MiniBatches(10, batch_size=4, seed=1)
    np.testing.assert_array_equal(again.next(), epoch[:4])
    assert MiniBatches(10, batch_size=None).next() == slice(None)


def test_mini_batch_training_is_reproducible():
    runs = []
    for _ in range(2):
        params, X, Y, _ = moons_problem()
        runs.append(train(params, X, Y, SGD(0.5), 50, batch_size=16, seed=3))
    assert runs[0] == runs[1]


def test_train_step_reports_loss_before_the_update():
    params, X, Y, _ = moons_problem()
    value, _ = loss_and_grads(params, X, Y, lam=0.01)
    result = train_step(params, X, Y, SGD(1.0), lam=0.01)
    assert result.loss == value
    assert set(result.ratios) == {"W1", "b1", "W2", "b2"}


@pytest.mark.slow
@pytest.mark.parametrize("H, at_least", [(3, 0.96), (5, 0.98)])
def test_from_scratch_notebook_moons_result(H, at_least):
    """nn-from-scratch: moons 200/0.2, tanh, 20000 passes of lr 0.01, lam 0.01 on the summed gradient,
    which is lr 2.0 and lam 0.01 / 200 on the mean loss."""
    params, X, Y, labels = moons_problem(H)
    losses = train(params, X, Y, SGD(2.0), 20000, "tanh", lam=0.01 / 200)
    assert accuracy(params, X, labels) >= at_least
    if H == 3:
        assert losses[-1] == pytest.approx(0.0713, abs=0.002)  # the notebook prints 0.071 at the end


@pytest.mark.slow
@pytest.mark.parametrize("activation, at_least", [("relu", 0.97), ("tanh", 0.95)])
def test_cs231n_spiral_result(activation, at_least):
    d = make_dataset("spiral", n_samples=300, noise=0.2, seed=0, classes=3)
    params = init_params(100, 3, seed=0, scale=0.01)
    train(params, d.X, one_hot(d.labels, 3), SGD(1.0), 10000, activation, lam=1e-3)
    assert accuracy(params, d.X, d.labels, activation) >= at_least


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_norm_is_the_frobenius_norm_and_does_not_overflow_on_float32(dtype):
    rng = np.random.default_rng(3)
    a = rng.normal(size=(7, 3)).astype(dtype)
    assert norm(a) == pytest.approx(np.linalg.norm(a.astype(np.float64)), rel=1e-6)
    huge = np.full((4, 5), 3e37, dtype)  # finite in float32; its squares are not
    assert norm(huge) == pytest.approx(np.sqrt(20) * 3e37, rel=1e-6)
    for bad in (np.nan, np.inf, -np.inf):
        b = a.copy()
        b[2, 1] = bad
        assert not np.isfinite(norm(b))


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_step_if_finite_is_step_or_leaves_the_parameters_alone(name):
    params, X, Y, _ = moons_problem()
    _, grads = loss_and_grads(params, X, Y)
    twin = {k: v.copy() for k, v in params.items()}
    assert make_optimizer(name, 0.5).step_if_finite(params, grads) == make_optimizer(name, 0.5).step(
        twin, grads
    )
    for k in params:
        np.testing.assert_array_equal(params[k], twin[k])
    big = {k: np.full_like(v, 3e38, dtype=np.float32) for k, v in params.items()}  # float32's max is 3.4e38
    kept = {k: v.copy() for k, v in big.items()}
    with np.errstate(over="ignore", invalid="ignore"):  # as in the session: overflow is what it detects
        assert make_optimizer(name, 1.0).step_if_finite(big, {k: -v for k, v in kept.items()}) is None
    for k in big:
        np.testing.assert_array_equal(big[k], kept[k])
    nan_grads = {k: np.full_like(v, np.nan) for k, v in grads.items()}
    assert make_optimizer(name, 0.5).step_if_finite(params, nan_grads) is None
    for k in params:
        np.testing.assert_array_equal(params[k], twin[k])
