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

with z1 = X @ W1 + b1, a1 = f(z1), z2 = a1 @ W2 + b2. numpy only. The keys "dW1", ... are accepted
too. Which f:

    def backward(X, Y, params, lam, activation):
        activation  "tanh", "relu", "sigmoid" or "linear": f for this call

a backward() with a parameter named `activation` is graded on the battery once for each of the
four; without one, f is the file's module-level ACTIVATION ("tanh", "relu", "sigmoid" or
"linear"; "tanh" when it sets none) and the battery runs with that one alone. The header line says
which.

Any depth: a file that sets DEEP = True says its backward() takes params of any depth,
{"W1", "b1", ..., "W(L+1)", "b(L+1)"} for L hidden layers, and returns a gradient for each; it is
also graded on cases with two and three hidden layers (and may return the intermediates dz(L+1),
da(L), dz(L), ..., dz1). docs/examples/backward_deep.py is one, written as a loop.

Where it starts: a backward() that also returns "dz2" (N, C), "da1" (N, H) and "dz1" (N, H), the
intermediates of the same batch, gets told which is the first wrong one ("dz2 is right, da1 is
right, dz1 is wrong: look at f'(z1)"), and a mistake must reproduce them too to be named.

The student's file runs in a subprocess with a time limit (an infinite loop or a crash gives a
verdict, it never hangs the grader) on a seeded battery of cases; the expected gradients and the
names of the mistakes (one, or the smallest set of two or three that reproduces every array) come
from the same core the server uses (app.core.compare). Exit status: 0 when every case passes, 1
when any fails, 2 when the file cannot be loaded.
"""
