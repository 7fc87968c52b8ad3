"""A backward pass for any number of hidden layers, written as a loop from the notes (Nielsen's
BP1-BP4): `python -m app.grade docs/examples/backward_deep.py` grades it on the one-hidden-layer
cases and, since it sets DEEP, on the cases with two and three hidden layers too."""

import numpy as np

DEEP = True  # backward() takes W1, b1, ..., W(L+1), b(L+1) for any L
ACTIVATION = "tanh"


def backward(X, Y, params, lam):
    L = len(params) // 2 - 1  # hidden layers; layer L + 1 is the output
    W = {l: params[f"W{l}"] for l in range(1, L + 2)}
    b = {l: params[f"b{l}"] for l in range(1, L + 2)}
    N = len(X)
    a, z = {0: X}, {}
    for l in range(1, L + 1):
        z[l] = a[l - 1] @ W[l] + b[l]
        a[l] = np.tanh(z[l])
    z[L + 1] = a[L] @ W[L + 1] + b[L + 1]
    y_hat = np.exp(z[L + 1] - z[L + 1].max(axis=1, keepdims=True))
    y_hat /= y_hat.sum(axis=1, keepdims=True)
    dz, da, grads = {L + 1: (y_hat - Y) / N}, {}, {}  # BP1
    for l in range(L + 1, 0, -1):
        grads[f"W{l}"] = a[l - 1].T @ dz[l] + lam * W[l]  # BP4
        grads[f"b{l}"] = dz[l].sum(axis=0)  # BP3
        if l > 1:
            da[l - 1] = dz[l] @ W[l].T
            dz[l - 1] = da[l - 1] * (1 - a[l - 1] ** 2)  # BP2
    return {**grads, **{f"dz{l}": v for l, v in dz.items()}, **{f"da{l}": v for l, v in da.items()}}
