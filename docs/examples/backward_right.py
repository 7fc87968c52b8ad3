"""A correct backward pass for the grader: python -m app.grade docs/examples/backward_right.py"""

import numpy as np

ACTIVATION = "tanh"


def backward(X, Y, params, lam):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    a1 = np.tanh(X @ W1 + b1)
    z2 = a1 @ W2 + b2
    y_hat = np.exp(z2 - z2.max(axis=1, keepdims=True))
    y_hat /= y_hat.sum(axis=1, keepdims=True)
    dz2 = (y_hat - Y) / N
    dz1 = (dz2 @ W2.T) * (1 - a1**2)
    return {
        "W1": X.T @ dz1 + lam * W1,
        "b1": dz1.sum(axis=0),
        "W2": a1.T @ dz2 + lam * W2,
        "b2": dz2.sum(axis=0),
    }
