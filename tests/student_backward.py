"""A student's backward pass written independently of app.core, at any depth, every catalogue
mistake a switch: the tests build each wrong gradient here and check the catalogue names it.

The backward pass is a loop over the layers, as a student writes it from the notes, so a switch
changes its line in every layer that line runs for."""

from __future__ import annotations

import numpy as np

RIGHT_SWITCHES = {
    "scale": "mean",  # "mean"; "data_term": dz_out without / N, penalties unscaled; "all": N * penalties too
    "dz_out": "right",  # the loss's own; "diagonal": -y (1 - p); "mse": (p - y) p (1 - p); "p_minus_y": p - y
    "sign": 1,
    "reg": 1.0,  # the factor on lam * W
    "l1_term": "sign",  # "none": left out; "one": l1 alone; "W": l1 * W
    "reg_biases": False,
    "df": "right",  # "none", "activation", "from_z"
    "dW_from": "a",  # "z": dW(l) = z(l-1).T @ dz(l) for l > 1
    "bias": "sum",  # "mean"
    "transpose": (),  # of "W1", "W2", ..., or "all"
}

# Each catalogue id (and form) as the switches a student flips.
SWITCHES = {
    ("summed_not_mean", "all"): {"scale": "all"},
    ("summed_not_mean", "data_term"): {"scale": "data_term"},
    ("transposed", "W1"): {"transpose": ("W1",)},
    ("transposed", "W2"): {"transpose": ("W2",)},
    ("transposed", "both"): {"transpose": ("W1", "W2")},
    ("transposed", "all"): {"transpose": "all"},
    ("transposed", "W3"): {"transpose": ("W3",)},
    ("transposed", "W4"): {"transpose": ("W4",)},
    ("no_regularisation", None): {"reg": 0.0},
    ("single_term_softmax", None): {"dz_out": "diagonal"},
    ("tanh_derivative_from_z", None): {"df": "from_z"},
    ("missing_activation_derivative", None): {"df": "none"},
    ("sign_flipped", None): {"sign": -1},
    ("double_regularisation", None): {"reg": 2.0},
    ("regularised_biases", None): {"reg_biases": True},
    ("mse_output_derivative", None): {"dz_out": "mse"},
    ("activation_not_derivative", None): {"df": "activation"},
    ("sigmoid_derivative_from_z", None): {"df": "from_z"},
    ("preactivation_in_dW2", None): {"dW_from": "z"},
    ("biases_averaged", None): {"bias": "mean"},
    ("half_regularisation", None): {"reg": 0.5},
    ("mse_without_softmax_jacobian", None): {"dz_out": "p_minus_y"},
    ("mse_jacobian_diagonal", None): {"dz_out": "mse"},
    ("l1_sign_forgotten", "one"): {"l1_term": "one"},
    ("l1_sign_forgotten", "as_W"): {"l1_term": "W"},
    ("no_l1_term", None): {"l1_term": "none"},
}
ONLY_WITH = {"tanh_derivative_from_z": "tanh", "sigmoid_derivative_from_z": "sigmoid"}
ONLY_FOR_LOSS = {
    "single_term_softmax": "cross_entropy",
    "mse_output_derivative": "cross_entropy",
    "mse_without_softmax_jacobian": "mse",
    "mse_jacobian_diagonal": "mse",
}


def exists_at(key: tuple, L: int) -> bool:
    """Whether the (id, form) can be made in a network of L hidden layers: "both" is one hidden
    layer's two matrices, "all" a deeper one's every matrix, W(l) needs layer l."""
    name, form = key
    if name != "transposed":
        return True
    if form == "both":
        return L == 1
    if form == "all":
        return L > 1
    return int(form[1:]) <= L + 1


def f_and_df(activation: str, z: np.ndarray):
    """(a, f'(z)) for each activation, written out here."""
    if activation == "tanh":
        a = np.tanh(z)
        return a, 1 - a**2
    if activation == "relu":
        return np.maximum(z, 0), (z > 0).astype(float)
    if activation == "sigmoid":
        a = 1 / (1 + np.exp(-z))
        return a, a * (1 - a)
    if activation == "linear":
        return z.copy(), np.ones_like(z)
    raise ValueError(activation)


def _output_delta(p, Y, loss: str, form: str):
    """dL/dz_out for the summed loss (no / N yet), as the switch writes it."""
    if form == "diagonal":
        return -Y * (1 - p)
    if form == "mse":
        return (p - Y) * p * (1 - p)
    if form == "p_minus_y" or loss == "cross_entropy":
        return p - Y
    g = p - Y  # dL/dp of 1/2 |p - y|^2, then through the softmax Jacobian diag(p) - p p^T
    return p * g - p * np.sum(g * p, axis=1, keepdims=True)


def student_backward(
    params, X, Y, lam, activation="tanh", dtype=np.float64, loss="cross_entropy", l1=0.0, **switches
):
    """{"W1": dW1, ..., "b{O}": ..., "dz{O}": ..., "da{L}": ..., ..., "dz1": ...} as a student with
    these switches writes them, for a network of L = len(params) / 2 - 1 hidden layers."""
    s = {**RIGHT_SWITCHES, **switches}
    O = len(params) // 2
    W = {l: np.asarray(params[f"W{l}"], dtype=dtype) for l in range(1, O + 1)}
    b = {l: np.asarray(params[f"b{l}"], dtype=dtype) for l in range(1, O + 1)}
    X, Y = np.asarray(X, dtype=dtype), np.asarray(Y, dtype=dtype)
    N = len(X)
    # forward: a[0] = X, z[l] = a[l-1] W[l] + b[l], a[l] = f(z[l])
    a, z, fprime = {0: X}, {}, {}
    for l in range(1, O):
        z[l] = a[l - 1] @ W[l] + b[l]
        a[l], fprime[l] = f_and_df(activation, z[l])
    z[O] = a[O - 1] @ W[O] + b[O]
    e = np.exp(z[O] - z[O].max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    # backward
    times = N if s["scale"] == "all" else 1
    reg = lam * s["reg"] * times
    dz = {O: s["sign"] * _output_delta(p, Y, loss, s["dz_out"])}
    if s["scale"] == "mean":
        dz[O] = dz[O] / N
    da, grads = {}, {}
    for l in range(O, 0, -1):
        below = z[l - 1] if s["dW_from"] == "z" and l > 1 else a[l - 1]
        dW = below.T @ dz[l] + reg * W[l]
        if s["l1_term"] == "sign":
            dW = dW + l1 * times * np.sign(W[l])
        elif s["l1_term"] == "one":
            dW = dW + l1 * times
        elif s["l1_term"] == "W":
            dW = dW + l1 * times * W[l]
        db = dz[l].mean(axis=0) if s["bias"] == "mean" else dz[l].sum(axis=0)
        if s["reg_biases"]:
            db = db + lam * times * b[l]
        grads[f"W{l}"], grads[f"b{l}"] = dW, db
        if l > 1:
            da[l - 1] = dz[l] @ W[l].T
            df = fprime[l - 1]
            if s["df"] == "from_z":
                df = 1 - z[l - 1] ** 2 if activation == "tanh" else z[l - 1] * (1 - z[l - 1])
            elif s["df"] == "none":
                df = 1.0
            elif s["df"] == "activation":
                df = a[l - 1]
            dz[l - 1] = da[l - 1] * df
    names = [f"W{l}" for l in range(1, O + 1)] if s["transpose"] == "all" else s["transpose"]
    for name in names:
        grads[name] = grads[name].T
    inter = {f"dz{O}": dz[O]}
    for l in range(O - 1, 0, -1):
        inter[f"da{l}"], inter[f"dz{l}"] = da[l], dz[l]
    return {**{k: grads[k] for k in sorted(grads, key=lambda k: (int(k[1:]), k[0] == "b"))}, **inter}


def switches_of(chosen) -> dict | None:
    """The switches of a set of (id, form): None when two flip the same switch."""
    merged: dict = {}
    for key in chosen:
        for switch, value in SWITCHES[key].items():
            if switch in merged:
                return None
            merged[switch] = value
    return merged
