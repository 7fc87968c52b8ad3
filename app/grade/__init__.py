"""Grade a student's hand-written backward pass on this machine, with no server.

    python -m app.grade my_backprop.py

my_backprop.py defines

    def backward(X, Y, params, lam):
        X       (N, 2)   the inputs, one sample a row
        Y       (N, C)   the targets, one-hot or soft labels (every row sums to 1)
        params  {"W1": (2, H), "b1": (H,), "W2": (H, C), "b2": (C,)}
        lam     the L2 strength on W1 and W2 (biases are not penalised)
        returns {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}, numpy arrays shaped like params,
                the gradient of the mean loss
                L = -(1/N) sum(Y * log softmax(z2)) + (lam/2) (|W1|^2 + |W2|^2)

with z1 = X @ W1 + b1, a1 = f(z1), z2 = a1 @ W2 + b2. f is tanh unless the file sets
ACTIVATION = "relu" or "sigmoid" (or "tanh") at module level. numpy only. The keys "dW1", ... are
accepted too.

The student's file runs in a subprocess with a time limit (an infinite loop or a crash gives a
verdict, it never hangs the grader) on a seeded battery of cases; the expected gradients and the
names of the mistakes come from the same core the server uses (app.core.compare). Exit status: 0
when every case passes, 1 when any fails, 2 when the file cannot be loaded.
"""
