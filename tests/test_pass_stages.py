"""The passes the network diagram animates: every number is network.forward's and backward's own,
the weight gradients agree with finite differences, and every stage names the derivation's lines."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.datasets import make_dataset
from app.core.network import backward, forward, init_params, loss
from app.core.pass_stages import pass_stages
from app.core.targets import one_hot

LAM, L1 = 1e-3, 0.0


def derivation_names(L: int, form: str) -> list[str]:
    """The derivation's stage names at depth L, in order (sample form or batch form)."""
    O = L + 1
    if form == "sample":
        names = [
            "x",
            *[n for l in range(1, L + 1) for n in (f"z{l}", f"a{l}")],
            f"z{O}",
            "y_hat",
            "y",
            "loss",
        ]
        names += ["dL_dy_hat", "J", f"dz{O}_long", f"dz{O}", f"dz{O}_difference"]
    else:
        names = ["X"]
        for l in range(1, O + 1):
            names += [f"W{l}", f"z{l}"] + ([f"a{l}"] if l <= L else [])
        names += ["y_hat", "Y", f"dz{O}"]
    for l in range(O, 0, -1):
        names += [f"dW{l}", f"db{l}"] + ([f"da{l - 1}", f"dz{l - 1}"] if l > 1 else [])
    return [*names, "dx" if form == "sample" else "dX"]


def setup(widths, activation="tanh", scale="xavier", seed=0):
    d = make_dataset("moons", n_samples=30, noise=0.2, seed=seed)
    params = init_params(widths, 2, seed=seed, scale=scale)
    return params, d.X, one_hot(d.labels, 2), activation


@pytest.mark.parametrize("widths", [[5], [6, 4], [5, 4, 3]])
@pytest.mark.parametrize("sample", [None, 7])
def test_backward_stages_are_the_backward_passes_own_numbers(widths, sample):
    params, X, Y, act = setup(widths)
    fwd = forward(params, X, act)
    back = backward(params, fwd, Y, LAM)
    result = pass_stages(params, X, Y, activation=act, lam=LAM, direction="backward", sample=sample)
    L = len(widths)
    deltas = [s for s in result.stages if s.units is not None and s.unit_layer and s.title.startswith("δ")]
    weights = dW_stages(result.stages)
    assert [s.unit_layer for s in deltas] == list(range(L + 1, 0, -1))
    assert [s.link_layer for s in weights] == list(range(L + 1, 0, -1))
    for s in deltas:
        l = s.unit_layer
        want = back.db[l - 1] if sample is None else back.dz[l - 1][sample]
        np.testing.assert_array_equal(s.units, want)
    for s in weights:
        l = s.link_layer
        want = back.dW[l - 1] if sample is None else np.outer(fwd.a_in(l)[sample], back.dz[l - 1][sample])
        np.testing.assert_array_equal(s.links, want)
    dx = result.stages[-1]
    assert dx.unit_layer == 0
    np.testing.assert_array_equal(dx.units, back.dX.sum(0) if sample is None else back.dX[sample])
    assert result.loss == loss(params, fwd, Y, LAM)


@pytest.mark.parametrize("sample", [None, 7])
def test_the_error_flowing_back_along_each_link_sums_to_da_and_gives_delta(sample):
    """Each δ(l) stage lights W(l+1)'s links with δ(l+1)_j W(l+1)_ij: a row sums to da(l)_i, and
    times f'(z(l)) that is the backward pass's own δ(l); at the inputs W1's rows sum to dx."""
    params, X, Y, act = setup([5, 4, 3])
    fwd = forward(params, X, act)
    back = backward(params, fwd, Y, LAM)
    result = pass_stages(params, X, Y, activation=act, lam=LAM, direction="backward", sample=sample)
    flows = [s for s in result.stages if s.links is not None and not s.title.startswith("dW")]
    assert [(s.unit_layer, s.link_layer) for s in flows] == [(3, 4), (2, 3), (1, 2), (0, 1)]
    for s in flows:
        l = s.unit_layer
        delta_next = back.dz[l] if sample is None else back.dz[l][sample : sample + 1]
        np.testing.assert_allclose(s.links, params[f"W{l + 1}"] * delta_next.sum(0), rtol=1e-12)
        if l == 0:
            dX = back.dX.sum(0) if sample is None else back.dX[sample]
            np.testing.assert_allclose(s.links.sum(1), dX, rtol=1e-10, atol=1e-15)
        elif sample is not None:
            np.testing.assert_allclose(s.links.sum(1), back.da[l - 1][sample], rtol=1e-10, atol=1e-15)
            slope = 1 - np.tanh(fwd.z[l - 1][sample]) ** 2
            np.testing.assert_allclose(s.links.sum(1) * slope, back.dz[l - 1][sample], rtol=1e-10, atol=1e-15)
        else:
            np.testing.assert_allclose(s.links.sum(1), back.da[l - 1].sum(0), rtol=1e-10, atol=1e-15)
        assert s.link_quantity.startswith(f"{'db' if sample is None else 'dz'}{l + 1} * W{l + 1}")


def dW_stages(stages):
    """The stages lighting the links with dW(l) (not those carrying the error back)."""
    return [s for s in stages if s.links is not None and s.title.startswith("dW")]


def test_the_samples_shares_of_dW_add_up_to_the_batchs():
    params, X, Y, act = setup([5, 4])
    batch = pass_stages(params, X, Y, activation=act, lam=LAM, direction="backward")
    total = {s.link_layer: np.zeros_like(s.links) for s in dW_stages(batch.stages)}
    for n in range(len(X)):
        for s in dW_stages(pass_stages(params, X, Y, activation=act, lam=LAM, sample=n).stages):
            total[s.link_layer] += s.links
    for s in dW_stages(batch.stages):
        l = s.link_layer
        np.testing.assert_allclose(total[l] + LAM * params[f"W{l}"], s.links, rtol=1e-12, atol=1e-15)


def test_the_batchs_dW_stages_equal_finite_differences():
    params, X, Y, act = setup([4, 3], activation="sigmoid", scale=1.0)
    stages = pass_stages(params, X, Y, activation=act, lam=LAM, l1=0.01, direction="backward").stages
    h = 1e-6
    for s in dW_stages(stages):
        name = f"W{s.link_layer}"
        for i, j in [(0, 0), (s.links.shape[0] - 1, s.links.shape[1] - 1)]:
            moved = []
            for sign in (1, -1):
                p = {k: v.copy() for k, v in params.items()}
                p[name][i, j] += sign * h
                moved.append(loss(p, forward(p, X, act), Y, LAM, l1=0.01))
            numeric = (moved[0] - moved[1]) / (2 * h)
            assert s.links[i, j] == pytest.approx(numeric, rel=1e-6, abs=1e-10)


@pytest.mark.parametrize("widths", [[5], [6, 4], [5, 4, 3]])
@pytest.mark.parametrize("sample", [None, 2])
def test_forward_stages_are_the_forward_passes_own_numbers(widths, sample):
    params, X, Y, act = setup(widths)
    fwd = forward(params, X, act)
    stages = pass_stages(params, X, Y, activation=act, direction="forward", sample=sample).stages
    pick = (lambda a: a.mean(0)) if sample is None else (lambda a: a[sample])
    L = len(widths)
    assert [s.layer for s in stages] == list(range(0, L + 2)) + [L + 1]
    np.testing.assert_array_equal(stages[0].units, pick(fwd.X))
    for l in range(1, L + 1):
        np.testing.assert_array_equal(stages[l].units, pick(fwd.a[l - 1]))
        np.testing.assert_allclose(stages[l].links.sum(0) + params[f"b{l}"], pick(fwd.z[l - 1]), rtol=1e-12)
    np.testing.assert_array_equal(stages[L + 1].units, pick(fwd.y_hat))
    np.testing.assert_allclose(stages[L + 1].links.sum(0) + params[f"b{L + 1}"], pick(fwd.logits), rtol=1e-12)


@pytest.mark.parametrize("L", [1, 2, 3])
@pytest.mark.parametrize("direction", ["forward", "backward"])
@pytest.mark.parametrize("sample", [None, 0])
def test_every_stage_names_lines_of_the_derivation_at_that_depth(L, direction, sample):
    params, X, Y, act = setup([4] * L)
    names = derivation_names(L, "batch" if sample is None else "sample")
    stages = pass_stages(params, X, Y, activation=act, direction=direction, sample=sample).stages
    for s in stages:
        assert s.derivation and set(s.derivation) <= set(names), (s.title, s.derivation)
    order = [names.index(s.derivation[-1]) for s in stages if s.phase == direction and s.title != "the loss"]
    assert order == sorted(order)


def test_the_vanishing_net_says_so_and_the_xavier_net_does_not():
    vanishing = setup([16] * 6, activation="sigmoid", scale=1.0)
    fixed = setup([16] * 6, activation="tanh", scale="xavier")
    words = {}
    for name, (params, X, Y, act) in {"vanishing": vanishing, "fixed": fixed}.items():
        stages = pass_stages(params, X, Y, activation=act, direction="backward").stages
        words[name] = next(s.caption for s in stages if s.title.startswith("δ1"))
    assert "vanishing" in words["vanishing"]
    assert "vanishing" not in words["fixed"]


def test_bad_direction_or_sample_is_named():
    params, X, Y, act = setup([3])
    with pytest.raises(ValueError, match="direction"):
        pass_stages(params, X, Y, direction="sideways")
    with pytest.raises(ValueError, match="sample"):
        pass_stages(params, X, Y, sample=len(X))


def test_each_equation_comes_from_the_activations_and_losss_entries():
    params, X, Y, _ = setup([4, 4])
    stages = pass_stages(params, X, Y, activation="sigmoid", loss_name="mse", sample=1).stages
    texts = {s.title: s for s in stages}
    assert r"a_2 \odot (1 - a_2)" in texts["δ2 on layer 2's units"].tex
    assert "a2 * (1 - a2)" in texts["δ2 on layer 2's units"].text
    assert "sum_k" in texts["δ3 on the output's units"].tex


def test_each_lit_link_says_what_it_carries():
    params, X, Y, act = setup([5, 4])
    for direction in ("forward", "backward"):
        for s in pass_stages(params, X, Y, activation=act, direction=direction).stages:
            if s.links is None:
                assert s.link_kind == ""
            elif direction == "forward":
                assert s.link_kind == "value"
            else:
                assert s.link_kind == ("gradient" if s.title.startswith("dW") else "error")
