"""A classic mistake for the grader: the gradient of the summed loss, dz2 = y_hat - Y without the / N.
python -m app.grade docs/examples/backward_forgot_mean.py names it (summed_not_mean)."""

import numpy as np


def backward(X, Y, params, lam):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    a1 = np.tanh(X @ W1 + b1)
    z2 = a1 @ W2 + b2
    y_hat = np.exp(z2 - z2.max(axis=1, keepdims=True))
    y_hat /= y_hat.sum(axis=1, keepdims=True)
    dz2 = y_hat - Y  # the mistake: the loss is the mean, so this must be (y_hat - Y) / N
    dz1 = (dz2 @ W2.T) * (1 - a1**2)
    return {
        "W1": X.T @ dz1 + N * lam * W1,
        "b1": dz1.sum(axis=0),
        "W2": a1.T @ dz2 + N * lam * W2,
        "b2": dz2.sum(axis=0),
    }
