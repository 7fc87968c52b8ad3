"""Every activation is one entry that carries all there is to know about it, and every form of it
agrees: f and f' against finite differences, the fast in-place forms bit for bit, its peak slope
and its range against a dense sweep. "linear" shows that a new one is one entry."""

import re
from typing import get_args

import numpy as np
import pytest

from app.core.activations import ACTIVATION_NAMES, ACTIVATIONS, get_activation
from app.core.derivation import derive
from app.core.fast_step import FastStep
from app.core.gradcheck import gradient_check
from app.training.config import ActivationName, RunConfig
from app.training.evaluation import SATURATED_BELOW, saturation_share

from .conftest import auth
from .test_fast_step import FLOAT32, assert_close, problem, reference
from .test_network import random_problem

ALL = list(ACTIVATIONS)
Z = np.linspace(-8, 8, 16001)  # step 0.001, through 0


def away_from_kinks(act, z, margin=1e-3):
    return (
        np.all([np.abs(z - kink) > margin for kink in act.kinks], axis=0)
        if act.kinks
        else np.ones_like(z, bool)
    )


@pytest.mark.parametrize("name", ALL)
def test_df_is_the_derivative_of_f(name):
    act = get_activation(name)
    h = 1e-6
    numeric = (act.f(Z + h) - act.f(Z - h)) / (2 * h)
    ok = away_from_kinks(act, Z)
    np.testing.assert_allclose(act.df(Z, act.f(Z))[ok], numeric[ok], atol=1e-8)


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_in_place_forms_compute_the_same(name, dtype):
    """f_in_place to the bit; times_df_in_place to the last bit or two (the same product, in
    another order for sigmoid)."""
    act = get_activation(name)
    z = np.random.RandomState(0).randn(64, 9).astype(dtype) * 4
    a = act.f(z)
    assert a is not z and a.dtype == dtype
    z_copy = z.copy()
    np.testing.assert_array_equal(act.f_in_place(z_copy, np.empty_like(z)), a)
    da = np.random.RandomState(1).randn(64, 9).astype(dtype)
    expected = da * act.df(z, a)  # sigmoid's in-place form multiplies da by a, then by 1 - a
    eps = np.finfo(dtype).eps
    np.testing.assert_allclose(act.times_df_in_place(da.copy(), a.copy()), expected, rtol=2 * eps, atol=0)


@pytest.mark.parametrize("name", ALL)
def test_peak_slope_and_value_range_are_the_functions_own(name):
    act = get_activation(name)
    wide = np.linspace(-60, 60, 120001)
    a = act.f(wide)
    assert np.max(act.df(wide, a)) == pytest.approx(act.peak_slope, rel=1e-6)
    low, high = act.value_range
    assert low is None or (a.min() >= low and a.min() == pytest.approx(low, abs=1e-12))
    assert high is None or (a.max() <= high and a.max() == pytest.approx(high, abs=1e-12))
    if low is None:
        assert a.min() < -50
    if high is None:
        assert a.max() > 50


def test_the_peak_slopes_tell_the_vanishing_gradient_story():
    assert {name: act.peak_slope for name, act in ACTIVATIONS.items()} == {
        "tanh": 1.0,
        "relu": 1.0,
        "sigmoid": 0.25,
        "linear": 1.0,
    }


@pytest.mark.parametrize("name", ALL)
def test_how_the_derivation_writes_f_prime(name):
    act = get_activation(name)
    assert act.tex and "$" not in act.df_tex() and "$" not in act.df_text()
    if name == "tanh":
        assert (act.df_text(), act.df_tex()) == ("1 - a1**2", "(1 - a_1^{2})")
        assert act.df_tex(z="z_2", a="a_2") == "(1 - a_2^{2})"  # another layer's names
    if name == "relu":
        assert act.df_text() == "1 if z1 > 0 else 0" and act.kinks == (0.0,)


def test_saturation_is_measured_against_each_activations_own_peak():
    """sigmoid's slope is at most 1/4: it saturates where it falls under 6% of that, not of 1."""
    z = np.array([[0.0, 2.0, 4.0, 6.0]])
    sigmoid = get_activation("sigmoid")
    slopes = sigmoid.df(z, sigmoid.f(z))
    expected = np.mean(slopes < SATURATED_BELOW * 0.25)
    assert saturation_share(z, sigmoid.f(z), "sigmoid") == expected == 0.25  # only z = 6
    assert saturation_share(z, z, "linear") == 0.0


def test_an_unknown_activation_is_an_error_everywhere_it_is_named():
    with pytest.raises(ValueError, match="activation must be one of tanh, relu, sigmoid, linear"):
        get_activation("softplus")
    with pytest.raises(ValueError, match="activation"):
        FastStep(4, 2, "softplus")
    params, X, Y = random_problem(0, 3, 2, 5, soft=False)
    with pytest.raises(ValueError, match="activation"):
        derive(params, X, Y, 0, "softplus")


def test_the_configs_choices_are_the_registrys():
    assert get_args(ActivationName) == ACTIVATION_NAMES == tuple(ACTIVATIONS)
    enum = RunConfig.model_json_schema()["properties"]["activation"]["enum"]
    assert enum == list(ACTIVATION_NAMES)


def test_the_pages_select_offers_every_activation(client):
    html = client.get("/").text
    select = re.search(r'<select id="f-activation".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="([^"]+)"', select) == list(ACTIVATION_NAMES)


# ---- "linear", added as one entry ---------------------------------------------------------------


@pytest.mark.parametrize("soft", [False, True])
def test_linear_passes_the_gradient_check(soft):
    params, X, Y = random_problem(3, 6, 3, 30, soft=soft)
    report = gradient_check(params, X, Y, "linear", 0.01)
    assert all(c.max_rel_error < 1e-7 and c.kinks.sum() == 0 for c in report.values())


def test_linear_fast_step_equals_network_py():
    params, X, Y = problem(1, 29, 3, 140, soft=True)
    value, grads = FastStep(29, 3, "linear").loss_and_grads(params, X, Y, 0.01)
    L, expected, _ = reference(params, X, Y, "linear", 0.01)
    assert value == pytest.approx(L, rel=FLOAT32)
    for name, g in grads.items():
        assert_close(g, expected[name], FLOAT32)


def test_linear_derivation_agrees_two_ways_and_writes_f_prime_as_1():
    params, X, Y = random_problem(4, 5, 3, 12, soft=False)
    d = derive(params, X, Y, 7, "linear")
    np.testing.assert_array_equal(d["a1"], d["z1"])  # f(z) = z
    np.testing.assert_array_equal(d["dz1"], d["da1"])  # f' = 1
    np.testing.assert_allclose(d["dz2_long"], d["dz2"], atol=1e-15)
    equations = {s.name: (s.equation, s.tex) for s in d.stages}
    assert equations["dz1"] == ("dz1 = da1 * 1", r"\mathrm{d}z_1 = \mathrm{d}a_1 \odot 1")
    assert equations["a1"][0] == "a1 = linear(z1)"


def test_a_linear_network_trains_over_rest_and_stays_linear(client):
    """Its boundary between two classes is a straight line: it learns xor no better than chance
    while tanh learns it, but it does lower the loss on moons."""
    c = client.post("/api/sessions", json={"activation": "linear", "hidden": 8, "learning_rate": 0.5}).json()
    assert c["session"]["config"]["activation"] == "linear"
    first = client.get(f"/api/sessions/{c['id']}/gradients").json()["loss"]
    r = client.post(f"/api/sessions/{c['id']}/step", json={"n": 300}, headers=auth(c["token"]))
    assert r.status_code == 200 and r.json()["taken"] == 300 and r.json()["session"]["status"] == "paused"
    assert client.get(f"/api/sessions/{c['id']}/gradients").json()["loss"] < 0.8 * first
    check = client.get(f"/api/sessions/{c['id']}/gradcheck").json()
    assert check["passed"]
    d = client.get(f"/api/sessions/{c['id']}/derivation/0").json()
    assert d["activation"] == "linear" and d["activation_info"]["peak_slope"] == 1.0
