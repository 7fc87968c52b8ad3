"""Two mistakes at once, in a backward() graded with every activation (it takes `activation`) and
returning the intermediates too, so the grader also says where the first wrong one starts:
python -m app.grade docs/examples/backward_two_mistakes.py names missing_activation_derivative
(dz1 = da1) and double_regularisation (2 * lam * W)."""

import numpy as np

F = {
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "linear": lambda z: z,
}


def backward(X, Y, params, lam, activation="tanh"):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    a1 = F[activation](X @ W1 + b1)
    z2 = a1 @ W2 + b2
    y_hat = np.exp(z2 - z2.max(axis=1, keepdims=True))
    y_hat /= y_hat.sum(axis=1, keepdims=True)
    dz2 = (y_hat - Y) / N
    da1 = dz2 @ W2.T
    dz1 = da1  # mistake 1: the activation's derivative f'(z1) left out
    return {
        "W1": X.T @ dz1 + 2 * lam * W1,  # mistake 2: (lam/2)|W|^2 differentiates to lam * W, not 2 lam W
        "b1": dz1.sum(axis=0),
        "W2": a1.T @ dz2 + 2 * lam * W2,
        "b2": dz2.sum(axis=0),
        "dz2": dz2,
        "da1": da1,
        "dz1": dz1,
    }
