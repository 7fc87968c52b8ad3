"""The worked derivation for one sample: the long way equals the short way, and the pieces add up."""

import numpy as np
import pytest

from app.core.activations import ACTIVATION_NAMES, ACTIVATIONS
from app.core.derivation import derive, derive_batch, sum_of_samples
from app.core.features import expand
from app.core.losses import get_loss
from app.core.network import backward, forward, init_params
from app.core.softmax import softmax

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


def read_equation(equation: str, names: dict, shape: tuple) -> list:
    """Every right-hand side of `equation` ("name = rhs", a chain "name = a = b", or a given's bare
    name), evaluated as Python over numpy with `names` in scope. An elementwise choice written for
    one number ("1 if z1 > 0 else 0") is read entry by entry, as it means."""
    code = equation.split("#", 1)[0].strip()
    parts = [part.strip() for part in code.split(" = ")]
    assert parts[0].isidentifier(), equation
    values = []
    for rhs in parts[1:] or parts:
        try:
            values.append(np.asarray(eval(rhs, {"__builtins__": {}}, names)))  # noqa: S307 - our own text
        except ValueError:  # the truth value of an array: read it for each entry
            entry = np.empty(shape)
            for at in np.ndindex(*shape):
                scalars = {k: v[at] if np.shape(v) == shape else v for k, v in names.items()}
                entry[at] = eval(rhs, {"__builtins__": {}}, scalars)  # noqa: S307
            values.append(entry)
    return values


def equation_names(params, X, Y, lam, activation, stages) -> dict:
    """What an equation may name: the inputs, numpy's functions, the activation by its name, and
    every stage by its name."""
    N = X.shape[0]
    return {
        **params,
        "X": X,
        "Y": Y,
        "N": N,
        "lam": lam,
        "exp": np.exp,
        "log": np.log,
        "sum": np.sum,
        "outer": np.outer,
        "diag": np.diag,
        "sign": np.sign,
        "sin": np.sin,
        "column_stack": np.column_stack,
        "l1": 0.0,
        "softmax": lambda z: softmax(np.atleast_2d(z)).reshape(np.shape(z)),
        activation: ACTIVATIONS[activation].f,
        **{s.name: s.value for s in stages},
    }


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("lam", [0.0, 0.03])
def test_every_equation_read_as_python_gives_its_stages_value(activation, lam):
    """Each stage's text is the math it names, in both forms and in the worked mistake: evaluated
    over numpy it gives the stage's value ("dz1 = da1 * 1 - a1**2" once read as (da1 * 1) - a1**2)."""
    params, X, Y = random_problem(3, 4, 3, 12, soft=True, scale=1.0)
    batch = derive_batch(params, X, Y, activation, lam)
    sample = derive(params, X, Y, 5, activation)
    forms = {
        "batch": batch.stages,
        "per sample": sample.stages,
        "the mistake": sample.mistake.stages,
    }
    for form, stages in forms.items():
        names = equation_names(params, X, Y, lam, activation, sample.stages if form != "batch" else stages)
        for stage in stages:
            for read in read_equation(stage.equation, names, stage.shape):
                assert read.shape == stage.shape, (form, stage.equation)
                np.testing.assert_allclose(
                    read, stage.value, rtol=1e-12, atol=1e-15, err_msg=f"{form}: {stage.equation}"
                )


def test_the_dz1_equation_brackets_the_derivative_in_both_forms():
    params, X, Y = random_problem(0, 3, 2, 4, soft=False)
    for stages in (derive_batch(params, X, Y).stages, derive(params, X, Y, 0).stages):
        assert next(s for s in stages if s.name == "dz1").equation == "dz1 = da1 * (1 - a1**2)"


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("lam", [0.0, 0.01])
def test_the_batch_stages_are_network_backwards_arrays(activation, lam):
    params, X, Y = random_problem(4, 6, 8, 30, soft=True)
    fwd = forward(params, X, activation)
    back = backward(params, fwd, Y, lam)
    d = derive_batch(params, X, Y, activation, lam)
    expected = {
        "X": X,
        "W1": params["W1"],
        "z1": fwd.z1,
        "a1": fwd.a1,
        "W2": params["W2"],
        "z2": fwd.z2,
        "y_hat": fwd.y_hat,
        "Y": Y,
        "dz2": back.dz2,
        "dW2": back.dW2,
        "db2": back.db2,
        "da1": back.da1,
        "dz1": back.dz1,
        "dW1": back.dW1,
        "db1": back.db1,
        "dX": back.dX,
    }
    assert [s.name for s in d.stages] == list(expected)
    for name, value in expected.items():
        np.testing.assert_array_equal(d[name], value, err_msg=name)
    dims = {s.name: s.dims for s in d.stages}
    assert dims["X"] == ("N", "2") and dims["dz2"] == ("N", "C") and dims["dW1"] == ("2", "H")
    assert dims["db2"] == ("C",) and dims["W2"] == ("H", "C")
    sizes = {"N": 30, "H": 6, "C": 8, "2": 2}
    assert all(s.shape == tuple(sizes[k] for k in s.dims) for s in d.stages)


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_the_per_sample_contributions_plus_lam_w_are_the_batch_gradient(activation):
    """What derive_batch reports as sums is what adding derive()'s dW over every n gives."""
    lam = 0.02
    params, X, Y = random_problem(9, 5, 4, 20, soft=True)
    d = derive_batch(params, X, Y, activation, lam)
    parts = [derive(params, X, Y, n, activation) for n in range(len(X))]
    for name, W in [("dW2", "W2"), ("dW1", "W1")]:
        from_samples = sum(p[name] for p in parts) + lam * params[W]
        np.testing.assert_allclose(from_samples, d[name], rtol=0, atol=1e-15)
        check = next(s for s in d.sums if s.name == name)
        assert check.max_abs_difference < 1e-15
        assert check.max_abs == np.max(np.abs(d[name])) and check.agree


def test_the_sum_check_sees_a_batch_gradient_that_is_not_the_sum(monkeypatch):
    """The check is a real comparison: in chunks of samples, over more rows than one chunk."""
    monkeypatch.setattr("app.core.derivation_batch.SUM_ENTRIES", 6 * 256)  # 256 samples of dW2 (3, 2) a chunk
    params, X, Y = random_problem(1, 3, 2, 600, soft=False)
    d = derive_batch(params, X, Y, "tanh", 0.1)
    assert all(s.max_abs_difference < 1e-14 for s in d.sums)
    wrong = sum_of_samples("dW2", d["a1"], d["dz2"], 0.0, d["dW2"])  # lam * W2 left out
    assert wrong.max_abs_difference == pytest.approx(np.max(np.abs(0.1 * params["W2"])))
    assert not wrong.agree


# ---- at every depth, loss, penalty and feature list -------------------------------------------


def deep_problem(seed, widths, C, N, features=("x1", "x2"), scale=0.3):
    """A network of hidden `widths` fed `features`, moved off its zero biases, on N random points (N, 2)
    with soft targets."""
    rng = np.random.RandomState(seed)
    params = init_params(list(widths), C, seed=seed, F=len(features))
    for name in params:
        params[name] = params[name] + rng.randn(*params[name].shape) * scale
    return params, rng.randn(N, 2), rng.dirichlet(np.ones(C), size=N)


def contract_names(L: int) -> tuple[list[str], list[str]]:
    """The stage names of both forms at depth L, as the contract between the parts writes them."""
    O = L + 1
    sample = ["x", *(n for l in range(1, L + 1) for n in (f"z{l}", f"a{l}")), f"z{O}", "y_hat", "y", "loss"]
    sample += ["dL_dy_hat", "J", f"dz{O}_long", f"dz{O}", f"dz{O}_difference"]
    batch = ["X"]
    for l in range(1, O + 1):
        batch += [f"W{l}", f"z{l}"] + ([f"a{l}"] if l <= L else [])
    batch += ["y_hat", "Y", f"dz{O}"]
    for l in range(O, 0, -1):
        tail = [f"dW{l}", f"db{l}"] + ([f"da{l - 1}", f"dz{l - 1}"] if l > 1 else [])
        sample += tail
        batch += tail
    return [*sample, "dx"], [*batch, "dX"]


def expected_layer(name: str, O: int) -> int:
    if name in ("x", "X", "dx", "dX"):
        return 0
    if name in ("y_hat", "y", "Y", "loss", "dL_dy_hat", "J") or name.endswith(("_long", "_difference")):
        return O
    return int(name.lstrip("dzaWb"))


@pytest.mark.parametrize("L", [1, 2, 3, 6])
def test_stage_names_order_and_layers_follow_the_contract_at_every_depth(L):
    params, X, Y = deep_problem(L, [3] * L, 4, 7)
    sample_names, batch_names = contract_names(L)
    d, b = derive(params, X, Y, 2), derive_batch(params, X, Y)
    assert [s.name for s in d.stages] == sample_names
    assert [s.name for s in b.stages] == batch_names
    for stage in d.stages + b.stages:
        assert stage.layer == expected_layer(stage.name, L + 1), stage.name


def sample_and_batch_agree_with_backward(params, X, Y, activation, loss_name, lam, l1, features):
    """Every batch stage is network.backward's array; the sums check holds for every layer; the
    per-sample dW(l) over all n plus the penalties is the batch's dW(l)."""
    inputs = expand(X, features)
    fwd = forward(params, inputs, activation)
    back = backward(params, fwd, Y, lam, loss_name, l1)
    b = derive_batch(params, X, Y, activation, lam, loss_name, l1, features)
    L = fwd.L
    for l in range(1, L + 2):
        np.testing.assert_array_equal(b[f"dW{l}"], back.dW[l - 1])
        np.testing.assert_array_equal(b[f"dz{l}"], back.dz[l - 1])
        np.testing.assert_array_equal(b[f"z{l}"], fwd.z[l - 1])
    assert [s.name for s in b.sums] == [f"dW{l}" for l in range(L + 1, 0, -1)]
    assert all(s.agree for s in b.sums), [(s.name, s.max_abs_difference, s.max_abs) for s in b.sums]
    parts = [derive(params, X, Y, n, activation, loss_name, features) for n in range(len(X))]
    for l in range(1, L + 2):
        W = params[f"W{l}"]
        summed = sum(p[f"dW{l}"] for p in parts) + lam * W + l1 * np.sign(W)
        np.testing.assert_allclose(summed, back.dW[l - 1], rtol=1e-10, atol=1e-14, err_msg=f"dW{l}")
        np.testing.assert_allclose(sum(p[f"db{l}"] for p in parts), back.db[l - 1], rtol=1e-10, atol=1e-14)
    for n, p in enumerate(parts):
        np.testing.assert_allclose(p["dx"], back.dX[n], rtol=1e-12, atol=1e-15)
        assert p.two_ways_agree


@pytest.mark.parametrize(
    ("L", "activation", "loss_name", "lam", "l1"),
    [
        (2, "tanh", "cross_entropy", 0.01, 0.0),
        (3, "relu", "mse", 0.0, 0.02),
        (6, "sigmoid", "mse", 0.01, 0.005),
    ],
)
def test_both_forms_are_network_backward_at_depth(L, activation, loss_name, lam, l1):
    params, X, Y = deep_problem(L, [4, 3, 5, 2, 3, 4][:L], 3, 9)
    sample_and_batch_agree_with_backward(params, X, Y, activation, loss_name, lam, l1, ("x1", "x2"))


@pytest.mark.slow
@pytest.mark.parametrize("L", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("loss_name", ["cross_entropy", "mse"])
@pytest.mark.parametrize(("lam", "l1"), [(0.0, 0.0), (0.02, 0.0), (0.0, 0.01), (0.01, 0.003)])
def test_both_forms_are_network_backward_at_every_depth_activation_loss_and_penalty(
    L, activation, loss_name, lam, l1
):
    params, X, Y = deep_problem(10 * L + len(activation), [3, 4, 2, 5, 3, 4][:L], 3, 8, ("x1", "x2", "x1_x2"))
    sample_and_batch_agree_with_backward(params, X, Y, activation, loss_name, lam, l1, ("x1", "x2", "x1_x2"))


@pytest.mark.parametrize(("loss_name", "activation"), [("cross_entropy", "tanh"), ("mse", "sigmoid")])
def test_a_samples_gradients_at_depth_are_finite_differences_of_its_share_of_the_loss(loss_name, activation):
    """dW(l) of sample n is d(loss_n / N)/dW(l): central differences on a 3-layer net, every weight."""
    params, X, Y = deep_problem(4, [3, 4, 2], 3, 5, ("x1", "x2_sq", "sin_x1"), scale=0.5)
    features, n, N, h = ("x1", "x2_sq", "sin_x1"), 3, 5, 1e-6
    d = derive(params, X, Y, n, activation, loss_name, features)
    x = expand(X, features)[n : n + 1]

    def share(p):
        fwd = forward(p, x, activation)
        return get_loss(loss_name).value(fwd.log_y_hat, fwd.y_hat, Y[n : n + 1]) / N

    for name in params:
        numeric = np.zeros_like(params[name])
        for at in np.ndindex(*params[name].shape):
            up = {k: v.copy() for k, v in params.items()}
            down = {k: v.copy() for k, v in params.items()}
            up[name][at] += h
            down[name][at] -= h
            numeric[at] = (share(up) - share(down)) / (2 * h)
        np.testing.assert_allclose(d[f"d{name}"], numeric, rtol=1e-6, atol=1e-10, err_msg=name)


def test_an_mse_derivation_has_no_short_way_and_no_worked_mistake():
    params, X, Y = deep_problem(2, [4, 4], 3, 6)
    d = derive(params, X, Y, 1, "tanh", "mse")
    assert d.mistake is None and d.loss == "mse" and d.two_ways_agree
    eqs = {s.name: s for s in d.stages}
    assert "no short way" in eqs["dz3"].equation and "J.T @ dL_dy_hat" in eqs["dz3"].equation
    np.testing.assert_allclose(d["dz3_long"], d["dz3"], rtol=1e-12, atol=1e-16)


def test_the_deep_lines_are_bp2_and_bp4_written_out_with_the_layers_names():
    params, X, Y = deep_problem(1, [4, 3], 2, 6)
    s = {st.name: st for st in derive(params, X, Y, 0).stages}
    b = {st.name: st for st in derive_batch(params, X, Y, lam=0.1, l1=0.01).stages}
    assert s["da2"].equation == "da2 = dz3 @ W3.T" and s["dz2"].equation == "dz2 = da2 * (1 - a2**2)"
    assert s["dW2"].equation == "dW2 = outer(a1, dz2)" and s["dW1"].equation == "dW1 = outer(x, dz1)"
    assert b["dW2"].equation == "dW2 = a1.T @ dz2 + lam * W2 + l1 * sign(W2)"
    assert (
        s["z3"].tex == "z_3 = a_2 W_3 + b_3" and s["dW3"].tex == r"\mathrm{d}W_3 = a_2^{\top}\, \mathrm{d}z_3"
    )
    assert s["dz2"].tex.startswith(r"\delta_2 = \mathrm{d}z_2 = \mathrm{d}a_2 \odot (1 - a_2^{2})")
    assert s["dW2"].dims == ("H1", "H2") and s["dW3"].dims == ("H2", "C") and s["x"].dims == ("2",)
    assert b["dW2"].tex.endswith(r" + \lambda_1 \operatorname{sign}(W_2)")


def test_a_points_features_are_computed_from_its_x1_x2_by_the_features_own_formulas():
    features = ("x1", "x2", "x1_sq", "x1_x2", "sin_x2")
    params, X, Y = deep_problem(3, [4], 2, 5, features)
    d = derive(params, X, Y, 2, features=features)
    x1, x2 = X[2]
    np.testing.assert_array_equal(d["x"], [x1, x2, x1 * x1, x1 * x2, np.sin(x2)])
    x = d.stages[0]
    assert x.equation.startswith("x = [x1, x2, x1 * x1, x1 * x2, sin(x2)]") and x.dims == ("F",)
    assert x.tex.startswith(r"x = \big(x_1,\ x_2,\ x_1^2,\ x_1 x_2,\ \sin x_2\big)")
    assert derive_batch(params, X, Y, features=features)["X"].shape == (5, 5)


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("loss_name", ["cross_entropy", "mse"])
def test_every_deep_equation_read_as_python_gives_its_stages_value(activation, loss_name):
    """Both forms at depth 3, with features, lam and l1: each line evaluated over numpy is its value."""
    features, lam, l1 = ("x1", "x2", "x2_sq", "sin_x1"), 0.02, 0.01
    params, X, Y = deep_problem(6, [4, 3, 5], 3, 10, features, scale=1.0)
    batch = derive_batch(params, X, Y, activation, lam, loss_name, l1, features)
    sample = derive(params, X, Y, 4, activation, loss_name, features)
    forms = {"batch": batch.stages, "per sample": sample.stages}
    if sample.mistake:
        forms["the mistake"] = sample.mistake.stages
    for form, stages in forms.items():
        given = stages if form == "batch" else sample.stages
        point = X if form == "batch" else X[4]
        names = equation_names(params, X, Y, lam, activation, given) | {
            "x1": point[..., 0],
            "x2": point[..., 1],
            "l1": l1,
        }
        for stage in stages:
            for read in read_equation(stage.equation, names, stage.shape):
                assert read.shape == stage.shape, (form, stage.equation)
                np.testing.assert_allclose(
                    read, stage.value, rtol=1e-12, atol=1e-15, err_msg=f"{form}: {stage.equation}"
                )
