"""The edges of the numbers, from outside: sigmoid to its last digits at any z (against a 50-digit
reference), init_scale and imported weights only as float32 holds them, and n_samples messages
whose stated range is where acceptance really flips."""

import re
from decimal import Decimal, localcontext

import numpy as np
import pytest

from app.core.activations import get_activation
from app.core.fast_step import FastStep
from app.core.targets import one_hot

from ..conftest import auth

SIGMOID = get_activation("sigmoid")
FLOAT32_TINY = float(np.finfo(np.float32).tiny)  # smallest normal float32, 1.2e-38
SUBNORMAL_STEP = 2.0**-149  # spacing of float32's subnormal numbers
ULPS = 4  # relative error allowed: numpy's exp (< 3 ulp in float32) and one rounding of e / (1 + e)


def exact_sigmoid(z: float) -> Decimal:
    """1 / (1 + e^-z) of the binary value z, to 50 digits."""
    with localcontext() as ctx:
        ctx.prec = 50
        return 1 / (1 + (-Decimal(z)).exp())


def zs(dtype) -> np.ndarray:
    """z every 0.1 over [-700, 700], random ones where the curve bends, and the places where a form
    could break: float32's and float64's underflow and overflow points, the old form's -20 and -38."""
    rng = np.random.RandomState(0)
    edges = [
        -709.8,
        -708.4,
        -103.98,
        -103.9,
        -88.73,
        -87.4,
        -87.3,
        -38,
        -37,
        -20,
        -17.4,
        -1e-30,
        0,
        1e-30,
        17.3,
        17.4,
        36.7,
        36.8,
        39.99,
        40,
        40.01,
        88.8,
        700,
    ]
    z = np.concatenate([np.linspace(-700, 700, 14001), rng.uniform(-40, 40, 4000), edges])
    return np.unique(z.astype(dtype))


def forms(dtype):
    """f as network.py calls it, and the fast in-place form the training step and the grid run."""
    return {"f": SIGMOID.f, "in place": lambda z: SIGMOID.f_in_place(np.array(z, dtype=dtype))}


@pytest.fixture(scope="module")
def reference():
    """{dtype: (z, the exact sigmoid of each z rounded to float64)}; float32 z are exact in float64."""
    table = {}
    for dtype in (np.float64, np.float32):
        z = zs(dtype)
        table[dtype] = z, np.array([float(exact_sigmoid(float(v))) for v in z])
    return table


def assert_saturates_without_warnings(sigmoid, dtype):
    """0 at -inf and the most negative numbers, 1 at the largest, nan for nan: no overflow, no
    invalid operation on the way (the caller raises on both)."""
    big = float(np.finfo(dtype).max)
    z = np.array([-np.inf, -big, -1e4, -800, 0, 800, 1e4, big, np.inf, np.nan], dtype)
    a = sigmoid(z)
    assert list(a[:4]) == [0, 0, 0, 0] and a[4] == 0.5 and list(a[5:9]) == [1, 1, 1, 1] and np.isnan(a[9])


def worst_relative_error(a: np.ndarray, exact: np.ndarray, z: np.ndarray):
    """(largest |a - exact| / exact, the z where it is)."""
    errors = np.abs(a.astype(np.float64) - exact) / exact
    return errors.max(), z[np.argmax(errors)]


@pytest.mark.parametrize("form", ["f", "in place"])
def test_sigmoid_in_float64_is_within_a_few_ulp_from_minus_700_to_700(reference, form):
    """Every z down to -708 has a normal float64 sigmoid (e^-700 = 1e-304): all its digits count.
    Below (z = -709.8 here) it is subnormal, and within one subnormal step of the exact value."""
    z, exact = reference[np.float64]
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = forms(np.float64)[form](z)
        assert_saturates_without_warnings(forms(np.float64)[form], np.float64)
    assert a.dtype == np.float64
    normal = exact >= np.finfo(np.float64).tiny
    assert z[normal].min() <= -700 and z[normal].max() >= 700
    error, where = worst_relative_error(a[normal], exact[normal], z[normal])
    assert error <= ULPS * np.finfo(np.float64).eps, (error, where)
    assert np.max(np.abs(a[~normal] - exact[~normal])) <= 2.0**-1074


@pytest.mark.parametrize("form", ["f", "in place"])
def test_sigmoid_in_float32_is_within_a_few_ulp_and_then_underflows_as_float32_does(reference, form):
    """Where sigmoid(z) is a normal float32 (z > -87.3) its relative error is a few float32 ulp.
    Below, the exact value is a float32 subnormal or 0 (from z = -104): the answer is then within
    one subnormal step (1.4e-45) of it, and 0 where the exact value rounds to 0."""
    z, exact = reference[np.float32]
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = forms(np.float32)[form](z)
        assert_saturates_without_warnings(forms(np.float32)[form], np.float32)
    assert a.dtype == np.float32
    normal = exact >= FLOAT32_TINY
    error, where = worst_relative_error(a[normal], exact[normal], z[normal])
    assert error <= ULPS * np.finfo(np.float32).eps, (error, where)
    below = ~normal
    assert below.sum() > 1000 and z[below].max() > -88 and z[below].min() <= -700
    assert np.max(np.abs(a[below] - exact[below])) <= SUBNORMAL_STEP
    assert np.all(a[exact < SUBNORMAL_STEP / 2] == 0) and np.all(a[below] >= 0)
    assert np.all(a[z >= 17.4] == 1)  # 1 - e^-z rounds to 1 in float32 there


def test_sigmoid_derivative_keeps_its_digits_where_a_is_tiny():
    """f'(z) = a (1 - a) with a = e^-700..e^-1: 1 - a is ~1, so the product is as exact as a is."""
    z = np.linspace(-700, -1, 6991)
    df = SIGMOID.df(z, SIGMOID.f(z))
    with localcontext() as ctx:
        ctx.prec = 50
        exact = np.array([float(s * (1 - s)) for s in map(exact_sigmoid, z)])
    error, where = worst_relative_error(df, exact, z)
    assert error <= 2 * ULPS * np.finfo(np.float64).eps, (error, where)


def test_the_training_step_backpropagates_through_a_saturated_sigmoid():
    """Every hidden unit at z1 ~ -62 .. -48 (a1 ~ 1e-27 .. 1e-21): the float32 step's dW1 and db1,
    which go through f'(z1) = a1 (1 - a1), match a float64 reference computed with 1 / (1 + exp(-z)).
    The old 0.5 (1 + tanh(z / 2)) gave a1 = 0 there: no gradient reached the first layer."""
    rng = np.random.RandomState(0)
    H, C, N = 16, 3, 64
    params = {
        "W1": rng.randn(2, H) * 0.5,
        "b1": rng.uniform(-60, -50, H),
        "W2": rng.randn(H, C),
        "b2": rng.randn(C),
    }
    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    X32 = rng.uniform(-1, 1, (N, 2)).astype(np.float32)
    Y = one_hot(rng.randint(0, C, N), C)
    _, grads = FastStep(H, C, "sigmoid").loss_and_grads(p32, X32, Y.astype(np.float32))

    W1, b1, W2, b2 = (p32[k].astype(np.float64) for k in ("W1", "b1", "W2", "b2"))
    X = X32.astype(np.float64)
    z1 = X @ W1 + b1
    a1 = 1 / (1 + np.exp(-z1))  # accurate in float64 at these z: no cancellation, no overflow
    assert FLOAT32_TINY < a1.min() and a1.max() < 1e-20
    z2 = a1 @ W2 + b2
    y_hat = np.exp(z2 - z2.max(axis=1, keepdims=True))
    y_hat /= y_hat.sum(axis=1, keepdims=True)
    dz1 = (y_hat - Y) / N @ W2.T * (a1 * (1 - a1))
    for name, expected in {"W1": X.T @ dz1, "b1": dz1.sum(axis=0)}.items():
        error = np.max(np.abs(grads[name] - expected)) / np.max(np.abs(expected))
        assert error < 1e-4, (name, error)  # float32 rounding of z1 ~ -55 is ~2e-6 of a1


# --- init_scale: a fixed std the float32 weights can hold -----------------------------------------


def messages(response) -> list[str]:
    """The error messages of a 4xx, each with its field path (never the echoed input)."""
    detail = response.json()["detail"]
    if isinstance(detail, str):
        return [detail]
    return [f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg', '')}" for e in detail]


def parameters(client, session_id) -> dict[str, np.ndarray]:
    r = client.get(f"/api/sessions/{session_id}/parameters")
    assert r.status_code == 200, r.text
    params = r.json()["params"]
    return {name: np.asarray(params[name]["values"], dtype=np.float64) for name in ("W1", "W2")}


def test_init_scale_is_bounded_to_what_float32_holds(client):
    """1e-300 became 0 in float32: every weight 0. A scale whose weights are not normal float32
    numbers is a 422 naming init_scale; a small one they hold gives weights of that std."""
    for init_scale in (1e-300, 1e-45, 1e-38, 1e-31, 0.0, -1e-3):
        r = client.post("/api/sessions", json={"init_scale": init_scale})
        assert r.status_code == 422, (init_scale, r.text)
        assert any("init_scale" in m for m in messages(r)), messages(r)
    for init_scale in (1e-30, 1e-12, 0.01):
        r = client.post("/api/sessions", json={"init_scale": init_scale, "hidden": 50})
        assert r.status_code == 201, r.text
        for name, W in parameters(client, r.json()["id"]).items():
            assert np.all(W != 0) and np.all(np.isfinite(W)), (init_scale, name)
            assert np.std(W) == pytest.approx(init_scale, rel=0.5), (init_scale, name)
        client.delete(f"/api/sessions/{r.json()['id']}", headers=auth(r.json()["token"]))


# --- n_samples: the range a message states is where acceptance flips ------------------------------

BOUNDS = [  # (pattern, which bounds it states)
    (r"from (\d+) to (\d+)", ("lo", "hi")),
    (r"at least (\d+)", ("lo",)),
    (r"greater than or equal to (\d+)", ("lo",)),
    (r"at most (\d+)", ("hi",)),
    (r"less than or equal to (\d+)", ("hi",)),
]


def stated_bounds(message: str) -> dict[str, int]:
    bounds = {}
    for pattern, names in BOUNDS:
        for match in re.finditer(pattern, message):
            bounds.update(zip(names, map(int, match.groups())))
    return bounds


def accepted(client, dataset: dict) -> bool:
    r = client.post("/api/sessions", json={"dataset": dataset})
    if r.status_code == 201:
        client.delete(f"/api/sessions/{r.json()['id']}", headers=auth(r.json()["token"]))
        return True
    assert r.status_code == 422, r.text
    return False


@pytest.mark.parametrize("kind,classes", [("spiral", None), ("spiral", 5), ("blobs", 8)])
def test_n_samples_message_states_the_range_where_acceptance_flips(client, kind, classes):
    dataset = {"kind": kind} if classes is None else {"kind": kind, "classes": classes}
    C = classes or 3
    r = client.post("/api/sessions", json={"dataset": {**dataset, "n_samples": 2 * C - 1}})
    assert r.status_code == 422, r.text
    [message] = [m for m in messages(r) if "n_samples" in m]
    bounds = stated_bounds(message)
    assert "lo" in bounds, message
    assert not accepted(client, {**dataset, "n_samples": bounds["lo"] - 1}), message
    assert accepted(client, {**dataset, "n_samples": bounds["lo"]}), message
    if "hi" in bounds:
        assert accepted(client, {**dataset, "n_samples": bounds["hi"]}), message
        assert not accepted(client, {**dataset, "n_samples": bounds["hi"] + 1}), message


# --- imported runs: values beyond float32 are refused, naming where they are ----------------------


def exported_run(client, optimizer: str) -> dict:
    c = client.post("/api/sessions", json={"optimizer": optimizer, "learning_rate": 0.05, "hidden": 3}).json()
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 3}, headers=auth(c["token"]))
    saved = client.post(f"/api/sessions/{c['id']}/save", headers=auth(c["token"]))
    assert saved.status_code == 201, saved.text
    return client.get(f"/api/runs/{saved.json()['id']}/export").json()


def poke(document: dict, path: tuple, value: float) -> None:
    """Set the first number of the array at `path` (keys and indices) in document to value."""
    array = document
    for key in path:
        array = array[key]
    while isinstance(array[0], list):
        array = array[0]
    array[0] = value


FLOAT32_MAX = float(np.finfo(np.float32).max)
PLACES = [  # (optimizer, path in the document, the name the message must give)
    ("sgd", ("params", "W1"), "params.W1"),
    ("sgd", ("params", "b2"), "params.b2"),
    ("sgd", ("snapshots", "params", 1, "W2"), "snapshots.params[1].W2"),
    ("momentum", ("optimizer", "velocity", "b1"), "optimizer.velocity.b1"),
    ("adam", ("optimizer", "v", "W2"), "optimizer.v.W2"),
]


@pytest.mark.parametrize("optimizer,path,name", PLACES)
@pytest.mark.parametrize("value", [1e300, -1e39])
def test_imported_numbers_beyond_float32_are_refused_by_name(client, optimizer, path, name, value):
    document = exported_run(client, optimizer)
    poke(document, path, value)
    r = client.post("/api/runs", json=document)
    assert r.status_code == 422, r.text
    assert any(name in m and "float32" in m for m in messages(r)), messages(r)


def test_the_largest_float32_is_imported_and_one_step_beyond_it_is_not(client):
    """The bound the message states is the one enforced: float32's max itself still fits."""
    document = exported_run(client, "sgd")
    poke(document, ("params", "W1"), -1e300)
    [message] = [m for m in messages(client.post("/api/runs", json=document)) if "params.W1" in m]
    [stated] = re.findall(r"\|x\| <= ([0-9.e+]+)", message)
    assert float(stated) == FLOAT32_MAX
    poke(document, ("params", "W1"), float(np.nextafter(FLOAT32_MAX, np.inf)))
    assert client.post("/api/runs", json=document).status_code == 422
    poke(document, ("params", "W1"), -FLOAT32_MAX)
    assert client.post("/api/runs", json=document).status_code == 201
