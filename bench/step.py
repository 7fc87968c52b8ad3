"""Training step time: ours (app/core/fast_step.py) against the same network in PyTorch autograd.

    .venv/bin/python -m bench.step            # about 4 minutes; writes bench/results/step.json
    .venv/bin/python -m bench.step --deep     # the deep networks alone (6 x 64, 3 x 256)
    .venv/bin/python -m bench.step --quick    # seconds: it runs and its figures are finite

One step = forward, loss (mean cross-entropy + L2), backward, SGD update, float32, one thread
each, same data and same initial weights, in this one process. The contenders are timed in
turn within each round, and the figures are medians over rounds. For context it also times the
plain numpy step of app/core/network.py and the session's whole step (its player's step(1), as
wired now: the lock, the history row, norms, divergence checks). One hidden layer of H units,
and deep networks of L layers of H units each (tanh), the same code for both.

PyTorch is optional (the `bench` extra, in an environment of its own: bench/README.md); without
it the torch column says so.
"""

from __future__ import annotations

import numpy as np  # noqa: E402

from app.core.datasets import make_dataset  # noqa: E402
from app.core.fast_step import FastStep  # noqa: E402
from app.core.network import backward, forward, init_params, loss, param_names  # noqa: E402
from app.core.targets import one_hot  # noqa: E402
from app.training.config import RunConfig  # noqa: E402
from app.training.run import Run  # noqa: E402
from app.training.session import Session  # noqa: E402
from bench import _common  # noqa: E402 (one BLAS thread: bench/__init__.py, before numpy loads)

try:
    import torch
except ImportError:  # an optional benchmark extra, never a product dependency
    torch = None

HIDDEN = (8, 100, 500)
SAMPLES = (200, 2000)
CLASSES = (2, 3)
# Deep networks: (L layers, H units each), 3 classes, both sample counts; target 0.5 for all
DEEP = ((6, 64), (3, 256))
DEEP_CLASSES = 3
LEARNING_RATE = 0.1
LAM = 1e-3


def target_for(N: int, H: int, L: int = 1) -> float | None:
    """The target for ours / torch: 0.5 up to N=500, 1.0 for N=2000 at H=500; 0.5 for every deep
    network (6 x 64 and 3 x 256, N = 200 and 2000)."""
    if L > 1 or N <= 500:
        return 0.5
    if H == 500:
        return 1.0
    return None


def widths_of(H: int, L: int) -> int | list[int]:
    """RunConfig's hidden: H (one layer, as ever) or L layers of H."""
    return H if L == 1 else [H] * L


def problem(N: int, H: int, C: int, L: int = 1):
    d = make_dataset("blobs", n_samples=N, classes=C, seed=0)
    X = d.X.astype(np.float32)
    Y = one_hot(d.labels, C).astype(np.float32)
    return X, Y, init_params(widths_of(H, L), C, seed=0, dtype=np.float32)


def ours(params, X, Y, H, C, L=1):
    fast = FastStep(widths_of(H, L), C, "tanh")
    names = param_names(L)

    def step():
        _, grads = fast.loss_and_grads(params, X, Y, LAM)
        for name in names:
            params[name] -= LEARNING_RATE * grads[name]

    return step, fast


def reference(params, X, Y, L=1):
    """network.py as written: one equation a line, fresh arrays for each."""
    names = param_names(L)

    def step():
        fwd = forward(params, X, "tanh")
        loss(params, fwd, Y, LAM)
        grads = backward(params, fwd, Y, LAM).grads()
        for name in names:
            params[name] -= LEARNING_RATE * grads[name]

    return step


def pytorch(params, X, Y, L=1):
    """The same network as a PyTorch user writes it: autograd, soft-label cross-entropy."""
    names = param_names(L)
    tensors = [torch.tensor(params[name], requires_grad=True) for name in names]
    Ws, bs = tensors[0::2], tensors[1::2]
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)

    def value():
        a = Xt
        for W, b in zip(Ws[:-1], bs[:-1]):
            a = torch.tanh(torch.addmm(b, a, W))
        z_out = torch.addmm(bs[-1], a, Ws[-1])
        return torch.nn.functional.cross_entropy(z_out, Yt) + LAM / 2 * sum((W * W).sum() for W in Ws)

    def step():
        value().backward()
        with torch.no_grad():
            for p in tensors:
                p -= LEARNING_RATE * p.grad
                p.grad = None

    def loss_and_grads():
        value_now = value()
        value_now.backward()
        grads = {name: p.grad.numpy().copy() for name, p in zip(names, tensors)}
        for p in tensors:
            p.grad = None
        return value_now.item(), grads

    return step, loss_and_grads


def products(X, params, L=1):
    """The floor under any step of this network: its matrix products alone, the same shapes, into
    preallocated arrays (forward a(l-1) @ W(l); backward a(l-1).T @ delta(l) and, below the top,
    delta(l) @ W(l).T), no bias, no activation, no softmax."""
    N = len(X)
    Ws = [params[f"W{l}"] for l in range(1, L + 2)]
    a = [X] + [np.random.default_rng(l).random((N, W.shape[1]), dtype=np.float32) for l, W in enumerate(Ws)]
    dW = [np.empty_like(W) for W in Ws]
    da = [np.empty_like(a[l]) for l in range(len(Ws))]
    W_T = [np.ascontiguousarray(W.T) for W in Ws]

    def step():
        for l, W in enumerate(Ws):
            np.matmul(a[l], W, out=a[l + 1])
        for l in range(len(Ws) - 1, -1, -1):
            np.matmul(a[l].T, a[l + 1], out=dW[l])
            if l > 0:
                np.matmul(a[l + 1], W_T[l], out=da[l])

    return step


def session_step(N: int, H: int, C: int, L: int = 1):
    config = RunConfig.model_validate(
        {
            "hidden": widths_of(H, L),
            "learning_rate": LEARNING_RATE,
            "lam": LAM,
            "dataset": {"kind": "blobs", "classes": C, "n_samples": N, "train_fraction": 1.0},
        }
    )
    session = Session(Run(config, history_capacity=1000))
    return lambda: session.player.step(1)


def agreement(params, X, Y, H, C, L=1) -> dict:
    """Largest relative difference of ours and torch's loss and gradients from network.py's, at
    the initial weights: the contenders compute the same thing."""
    fwd = forward(params, X, "tanh")
    L_ref, g_ref = loss(params, fwd, Y, LAM), backward(params, fwd, Y, LAM).grads()
    L_ours, g_ours = FastStep(widths_of(H, L), C, "tanh").loss_and_grads(params, X, Y, LAM)

    def worst(L, g):
        rel = [abs(L - L_ref) / abs(L_ref)]
        rel += [float(np.max(np.abs(g[k] - g_ref[k])) / max(np.max(np.abs(g_ref[k])), 1e-30)) for k in g_ref]
        return max(rel)

    out = {"ours_vs_numpy": worst(L_ours, g_ours)}
    if torch is not None:
        out["torch_vs_numpy"] = worst(*pytorch({k: v.copy() for k, v in params.items()}, X, Y, L)[1]())
    return out


def measure(N: int, H: int, C: int, rounds: int, budget_s: float, L: int = 1) -> dict:
    X, Y, params0 = problem(N, H, C, L)
    copy = lambda: {k: v.copy() for k, v in params0.items()}  # noqa: E731
    work = N * H * (1 + (L - 1) * H / 16)  # calls per timing so one timing lasts ~10-30 ms
    calls = max(2, int(4e6 / (work + 50_000)))
    fast_step, _ = ours(copy(), X, Y, H, C, L)
    runs = {
        "ours": _common.per_call(fast_step, calls),
        "numpy": _common.per_call(reference(copy(), X, Y, L), max(1, calls // 3)),
        "session": _common.per_call(session_step(N, H, C, L), max(1, calls // 3)),
        "products": _common.per_call(products(X, copy(), L), calls),
    }
    if torch is not None:
        runs["torch"] = _common.per_call(pytorch(copy(), X, Y, L)[0], calls)
    for run in runs.values():
        run()  # warm: buffers allocated, caches and torch's kernels primed
    samples = _common.alternate(runs, rounds, budget_s)
    row = {"N": N, "L": L, "H": H, "C": C, "rounds": len(samples["ours"])}
    for name, xs in samples.items():
        row[f"{name}_us"] = _common.median(xs) * 1e6
    row["torch_us"] = row.get("torch_us")
    row["ratio"] = row["ours_us"] / row["torch_us"] if row["torch_us"] else None
    if torch is not None:  # each round's own ratio: robust to the machine's load drifting
        row["paired_ratio"] = _common.median([a / b for a, b in zip(samples["ours"], samples["torch"])])
    row["numpy_over_ours"] = row["numpy_us"] / row["ours_us"]
    # how close each contender comes to the matrix products alone, each round's own ratio
    floor = samples["products"]
    row["ours_over_products"] = _common.median([a / b for a, b in zip(samples["ours"], floor)])
    if torch is not None:
        row["torch_over_products"] = _common.median([a / b for a, b in zip(samples["torch"], floor)])
    row["target"] = target_for(N, H, L)
    row["verdict"] = _common.verdict(row["ratio"], row["target"]) if row["target"] else "-"
    row.update(agreement(params0, X, Y, H, C, L))
    return row


def main(argv=None) -> dict:
    p = _common.parser(__doc__.splitlines()[0])
    p.add_argument("--deep", action="store_true", help="only the deep networks (6 x 64, 3 x 256)")
    args = p.parse_args(argv)
    started = _common.machine()
    if torch is not None:
        torch.set_num_threads(1)
    rounds, budget = (3, 1.0) if args.quick else (21, 12.0)
    configs = [] if args.deep else [(N, 1, H, C) for N in SAMPLES for H in HIDDEN for C in CLASSES]
    configs += [(N, L, H, DEEP_CLASSES) for L, H in DEEP for N in SAMPLES]
    if args.quick:  # the small ones: it runs, every contender, every column, one deep network
        configs = [(N, L, H, C) for N, L, H, C in configs if L == 1 and N * H <= 200 * 100]
        configs.append((200, 3, 16, DEEP_CLASSES))
    rows = [measure(N, H, C, rounds, budget, L) for N, L, H, C in configs]
    print(
        _common.table(
            rows,
            [
                ("N", "N", ""),
                ("L", "L", ""),
                ("H", "H", ""),
                ("C", "C", ""),
                ("ours_us", "ours µs", ".0f"),
                ("torch_us", "torch µs", ".0f"),
                ("ratio", "ours/torch", ".2f"),
                ("paired_ratio", "paired", ".2f"),
                ("target", "target", ""),
                ("verdict", "", ""),
                ("numpy_us", "numpy.py µs", ".0f"),
                ("session_us", "session µs", ".0f"),
                ("products_us", "products µs", ".0f"),
                ("ours_over_products", "ours/products", ".2f"),
                ("torch_over_products", "torch/products", ".2f"),
            ],
        )
    )
    if torch is None:
        print("torch not installed: see bench/README.md for the environment with the bench extra")
    payload = {
        "torch": None if torch is None else torch.__version__,
        "learning_rate": LEARNING_RATE,
        "lam": LAM,
        "rows": [{k: (_common.finite(v) if isinstance(v, float) else v) for k, v in r.items()} for r in rows],
    }
    path = _common.write_results("step", args.out, started, payload, args.quick)
    print(f"wrote {path}")
    return payload


if __name__ == "__main__":
    main()
