"""The live loop's fast step computes what network.py computes: same loss, same gradients."""

import numpy as np
import pytest

from app.core.descent import train
from app.core.fast_step import FastStep
from app.core.minibatches import MiniBatches
from app.core.network import PARAM_NAMES, backward, forward, init_params, loss
from app.core.optimizers import SGD
from app.core.targets import one_hot


def problem(seed, H, C, N, soft=False, dtype=np.float32):
    """Parameters moved off their zero biases (so every path carries gradient), points, targets."""
    rng = np.random.RandomState(seed)
    params = init_params(H, C, seed=seed)
    for name in PARAM_NAMES:
        params[name] = params[name] + rng.randn(*params[name].shape) * 0.3
    X = rng.randn(N, 2)
    Y = rng.dirichlet(np.ones(C), size=N) if soft else one_hot(rng.randint(0, C, N), C)
    return {k: v.astype(dtype) for k, v in params.items()}, X.astype(dtype), Y.astype(dtype)


def reference(params, X, Y, activation, lam):
    """network.py's loss and gradients, in float64 from the same (possibly float32) numbers."""
    p64 = {k: v.astype(np.float64) for k, v in params.items()}
    fwd = forward(p64, X.astype(np.float64), activation)
    Y64 = Y.astype(np.float64)
    return loss(p64, fwd, Y64, lam), backward(p64, fwd, Y64, lam).grads(), fwd


def assert_close(actual, expected, rel):
    """|actual - expected| <= rel * max|expected| entry-wise: relative to the array's scale, so a
    gradient entry that happens to be near 0 is held to the same absolute standard as the rest."""
    assert actual.shape == expected.shape
    scale = float(np.max(np.abs(expected)))
    assert scale > 0, "a test on an all-zero array proves nothing"
    assert float(np.max(np.abs(actual - expected))) <= rel * scale


FLOAT32 = 2e-5  # float32 rounding through tanh, a product over H and a sum over N, with margin


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("soft", [False, True])
@pytest.mark.parametrize("lam", [0.0, 0.05])
def test_loss_and_every_gradient_equal_network_py(activation, soft, lam):
    params, X, Y = problem(1, 37, 3, 150, soft)
    step = FastStep(37, 3, activation)
    value, grads = step.loss_and_grads(params, X, Y, lam)
    L, expected, fwd = reference(params, X, Y, activation, lam)
    assert value == pytest.approx(L, rel=FLOAT32)
    assert set(grads) == set(PARAM_NAMES)
    for name in PARAM_NAMES:
        assert grads[name].dtype == np.float32
        assert_close(grads[name], expected[name], FLOAT32)
    assert_close(step.z2, fwd.z2, FLOAT32)
    assert_close(step.y_hat, fwd.y_hat, FLOAT32)


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_in_float64_it_equals_network_py_to_the_last_digits(activation):
    """Same equations, only rearranged: in float64 nothing but rounding order can differ."""
    params, X, Y = problem(2, 23, 4, 90, soft=True, dtype=np.float64)
    value, grads = FastStep(23, 4, activation, dtype=np.float64).loss_and_grads(params, X, Y, 0.01)
    L, expected, _ = reference(params, X, Y, activation, 0.01)
    assert value == pytest.approx(L, rel=1e-13)
    for name in PARAM_NAMES:
        assert_close(grads[name], expected[name], 1e-12)


@pytest.mark.parametrize("N", [1, 63, 64, 65, 200])
def test_the_batch_in_several_blocks_sums_to_the_whole(N):
    """64 elements per block at H=16 is 4 rows: N=65 leaves a last block of one row."""
    params, X, Y = problem(3, 16, 3, N, soft=True)
    value, grads = FastStep(16, 3, "tanh", block_elements=64).loss_and_grads(params, X, Y, 0.01)
    L, expected, _ = reference(params, X, Y, "tanh", 0.01)
    assert value == pytest.approx(L, rel=FLOAT32)
    for name in PARAM_NAMES:
        assert_close(grads[name], expected[name], FLOAT32)


def test_mini_batches_of_varying_size_reuse_the_buffers_correctly():
    """Batches grow, shrink and grow again through one FastStep: nothing of an earlier, longer
    batch may leak into a later one."""
    params, X, Y = problem(4, 12, 2, 300)
    step = FastStep(12, 2, "relu", block_elements=12 * 50)
    batches = MiniBatches(300, batch_size=70, seed=0)  # 70, 70, 70, 70, 20, then a new epoch
    sizes = []
    for _ in range(7):
        rows = batches.next()
        value, grads = step.loss_and_grads(params, X[rows], Y[rows], 1e-3)
        L, expected, fwd = reference(params, X[rows], Y[rows], "relu", 1e-3)
        sizes.append(len(rows))
        assert value == pytest.approx(L, rel=FLOAT32)
        for name in PARAM_NAMES:
            assert_close(grads[name], expected[name], FLOAT32)
        assert step.z2.shape == (len(rows), 2)
    for N in (300, 5, 120):  # the whole set, then smaller again
        value, _ = step.loss_and_grads(params, X[:N], Y[:N], 1e-3)
        assert value == pytest.approx(reference(params, X[:N], Y[:N], "relu", 1e-3)[0], rel=FLOAT32)
    assert sizes == [70, 70, 70, 70, 20, 70, 70]


def test_training_with_it_follows_the_reference_run():
    """200 SGD steps on float64 moons-like data: the fast step's run is the reference's run."""
    params, X, Y = problem(5, 10, 2, 120, dtype=np.float64)
    ours = {k: v.copy() for k, v in params.items()}
    reference_losses = train(params, X, Y, SGD(0.5), 200, lam=1e-3)
    step, sgd = FastStep(10, 2, "tanh", dtype=np.float64), SGD(0.5)
    our_losses = []
    for _ in range(200):
        value, grads = step.loss_and_grads(ours, X, Y, 1e-3)
        sgd.step(ours, grads)
        our_losses.append(value)
    np.testing.assert_allclose(our_losses, reference_losses, rtol=1e-10)
    assert our_losses[-1] < 0.85 * our_losses[0]  # it did train
    for name in PARAM_NAMES:
        np.testing.assert_allclose(ours[name], params[name], rtol=1e-9, atol=1e-12)


def test_the_tolerance_would_catch_a_wrong_gradient():
    """The comparisons above can fail: a missing L2 term, or a gradient of the summed loss
    (the nn-from-scratch mistake), is far outside FLOAT32."""
    params, X, Y = problem(6, 20, 3, 100)
    _, grads = FastStep(20, 3, "tanh").loss_and_grads(params, X, Y, 0.0)
    _, with_lam, _ = reference(params, X, Y, "tanh", 0.05)
    with pytest.raises(AssertionError):
        assert_close(grads["W1"], with_lam["W1"], FLOAT32)
    _, right, _ = reference(params, X, Y, "tanh", 0.0)
    with pytest.raises(AssertionError):
        assert_close(grads["W2"] * len(X), right["W2"], FLOAT32)


def test_extreme_logits_stay_finite():
    params, X, Y = problem(7, 4, 3, 10)
    params["W2"] *= 1e4
    params["W1"] *= 1e2
    value, grads = FastStep(4, 3, "tanh").loss_and_grads(params, X, Y, 0.1)
    assert np.isfinite(value)
    assert all(np.all(np.isfinite(g)) for g in grads.values())


def test_it_refuses_parameters_of_another_shape_and_unknown_activations():
    params, X, Y = problem(8, 6, 3, 10)
    with pytest.raises(ValueError, match=r"hidden=\[7\]"):
        FastStep(7, 3).loss_and_grads(params, X, Y)
    with pytest.raises(ValueError, match="Y must have shape"):
        FastStep(6, 3).loss_and_grads(params, X, Y[:5])
    with pytest.raises(ValueError, match="activation"):
        FastStep(6, 3, "softplus")
