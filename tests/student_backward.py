"""A student's backward pass written independently of app.core, every catalogue mistake a switch:
the tests build each wrong gradient here and check the catalogue names it."""

from __future__ import annotations

import numpy as np

RIGHT_SWITCHES = {
    "scale": "mean",  # "mean"; "data_term": dz2 without / N, lam * W unscaled; "all": N * lam * W too
    "dz2": "softmax",  # "diagonal": -y (1 - p); "mse": (p - y) p (1 - p)
    "sign": 1,
    "reg": 1.0,  # the factor on lam * W
    "reg_biases": False,
    "df": "right",  # "none", "activation", "from_z"
    "dW2_from": "a1",  # "z1"
    "bias": "sum",  # "mean"
    "transpose": (),  # of "W1", "W2"
}

# Each catalogue id (and form) as the switches a student flips.
SWITCHES = {
    ("summed_not_mean", "all"): {"scale": "all"},
    ("summed_not_mean", "data_term"): {"scale": "data_term"},
    ("transposed", "W1"): {"transpose": ("W1",)},
    ("transposed", "W2"): {"transpose": ("W2",)},
    ("transposed", "both"): {"transpose": ("W1", "W2")},
    ("no_regularisation", None): {"reg": 0.0},
    ("single_term_softmax", None): {"dz2": "diagonal"},
    ("tanh_derivative_from_z", None): {"df": "from_z"},
    ("missing_activation_derivative", None): {"df": "none"},
    ("sign_flipped", None): {"sign": -1},
    ("double_regularisation", None): {"reg": 2.0},
    ("regularised_biases", None): {"reg_biases": True},
    ("mse_output_derivative", None): {"dz2": "mse"},
    ("activation_not_derivative", None): {"df": "activation"},
    ("sigmoid_derivative_from_z", None): {"df": "from_z"},
    ("preactivation_in_dW2", None): {"dW2_from": "z1"},
    ("biases_averaged", None): {"bias": "mean"},
    ("half_regularisation", None): {"reg": 0.5},
}
ONLY_WITH = {"tanh_derivative_from_z": "tanh", "sigmoid_derivative_from_z": "sigmoid"}


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


def student_backward(params, X, Y, lam, activation="tanh", dtype=np.float64, **switches):
    """{"W1": dW1, ..., "dz2": ..., "da1": ..., "dz1": ...} as a student with these switches writes them."""
    s = {**RIGHT_SWITCHES, **switches}
    W1, b1, W2, b2 = (np.asarray(params[k], dtype=dtype) for k in ("W1", "b1", "W2", "b2"))
    X, Y = np.asarray(X, dtype=dtype), np.asarray(Y, dtype=dtype)
    N = len(X)
    z1 = X @ W1 + b1
    a1, fprime = f_and_df(activation, z1)
    z2 = a1 @ W2 + b2
    e = np.exp(z2 - z2.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    dz2 = {"softmax": p - Y, "diagonal": -Y * (1 - p), "mse": (p - Y) * p * (1 - p)}[s["dz2"]]
    dz2 = s["sign"] * (dz2 / N if s["scale"] == "mean" else dz2)
    reg = lam * s["reg"] * (N if s["scale"] == "all" else 1)
    dW2 = (z1 if s["dW2_from"] == "z1" else a1).T @ dz2 + reg * W2
    da1 = dz2 @ W2.T
    if s["df"] == "from_z":
        fprime = 1 - z1**2 if activation == "tanh" else z1 * (1 - z1)
    dz1 = da1 * {"right": fprime, "none": 1.0, "activation": a1, "from_z": fprime}[s["df"]]
    dW1 = X.T @ dz1 + reg * W1
    reduce = np.mean if s["bias"] == "mean" else np.sum
    db1, db2 = reduce(dz1, axis=0), reduce(dz2, axis=0)
    if s["reg_biases"]:
        bias_reg = lam * (N if s["scale"] == "all" else 1)
        db1, db2 = db1 + bias_reg * b1, db2 + bias_reg * b2
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    for name in s["transpose"]:
        grads[name] = grads[name].T
    return {**grads, "dz2": dz2, "da1": da1, "dz1": dz1}


def switches_of(chosen) -> dict | None:
    """The switches of a set of (id, form): None when two flip the same switch."""
    merged: dict = {}
    for key in chosen:
        for switch, value in SWITCHES[key].items():
            if switch in merged:
                return None
            merged[switch] = value
    return merged
