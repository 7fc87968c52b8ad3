"""Training step time: ours (app/core/fast_step.py) against the same network in PyTorch autograd.

    .venv/bin/python -m bench.step            # about 2 minutes; writes bench/results/step.json
    .venv/bin/python -m bench.step --quick    # seconds: it runs and its figures are finite

One step = forward, loss (mean cross-entropy + L2), backward, SGD update, float32, one thread
each, same data and same initial weights, in this one process. The contenders are timed in
turn within each round, and the figures are medians over rounds. For context it also times the
plain numpy step of app/core/network.py and the session's whole step (its player's step(1), as
wired now: the lock, the history row, norms, divergence checks).

PyTorch is optional (`.venv/bin/pip install torch==2.13.0`); without it the torch column says so.
"""

from __future__ import annotations

import numpy as np  # noqa: E402

from app.core.datasets import make_dataset  # noqa: E402
from app.core.fast_step import FastStep  # noqa: E402
from app.core.network import PARAM_NAMES, backward, forward, init_params, loss  # noqa: E402
from app.core.targets import one_hot  # noqa: E402
from app.training.config import RunConfig  # noqa: E402
from app.training.run import Run  # noqa: E402
from app.training.session import Session  # noqa: E402
from bench import _common  # first: one BLAS thread before numpy loads

try:
    import torch
except ImportError:  # an optional benchmark extra, never a product dependency
    torch = None

HIDDEN = (8, 100, 500)
SAMPLES = (200, 2000)
CLASSES = (2, 3)
LEARNING_RATE = 0.1
LAM = 1e-3


def target_for(N: int, H: int) -> float | None:
    """The issue's target for ours / torch: 0.5 up to N=500, 1.0 for N=2000 at H=500."""
    if N <= 500:
        return 0.5
    if H == 500:
        return 1.0
    return None


def problem(N: int, H: int, C: int):
    d = make_dataset("blobs", n_samples=N, classes=C, seed=0)
    X = d.X.astype(np.float32)
    Y = one_hot(d.labels, C).astype(np.float32)
    return X, Y, init_params(H, C, seed=0, dtype=np.float32)


def ours(params, X, Y, H, C):
    fast = FastStep(H, C, "tanh")

    def step():
        _, grads = fast.loss_and_grads(params, X, Y, LAM)
        for name in PARAM_NAMES:
            params[name] -= LEARNING_RATE * grads[name]

    return step, fast


def reference(params, X, Y):
    """network.py as written: one equation a line, fresh arrays for each."""

    def step():
        fwd = forward(params, X, "tanh")
        loss(params, fwd, Y, LAM)
        grads = backward(params, fwd, Y, LAM).grads()
        for name in PARAM_NAMES:
            params[name] -= LEARNING_RATE * grads[name]

    return step


def pytorch(params, X, Y):
    """The same network as a PyTorch user writes it: autograd, soft-label cross-entropy."""
    W1, b1, W2, b2 = (torch.tensor(params[name], requires_grad=True) for name in PARAM_NAMES)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)

    def value():
        z2 = torch.addmm(b2, torch.tanh(torch.addmm(b1, Xt, W1)), W2)
        return torch.nn.functional.cross_entropy(z2, Yt) + LAM / 2 * ((W1 * W1).sum() + (W2 * W2).sum())

    def step():
        value().backward()
        with torch.no_grad():
            for p in (W1, b1, W2, b2):
                p -= LEARNING_RATE * p.grad
                p.grad = None

    def loss_and_grads():
        L = value()
        L.backward()
        grads = {name: p.grad.numpy().copy() for name, p in zip(PARAM_NAMES, (W1, b1, W2, b2))}
        for p in (W1, b1, W2, b2):
            p.grad = None
        return L.item(), grads

    return step, loss_and_grads


def session_step(N: int, H: int, C: int):
    config = RunConfig.model_validate(
        {
            "hidden": H,
            "learning_rate": LEARNING_RATE,
            "lam": LAM,
            "dataset": {"kind": "blobs", "classes": C, "n_samples": N, "train_fraction": 1.0},
        }
    )
    session = Session(Run(config, history_capacity=1000))
    return lambda: session.player.step(1)


def agreement(params, X, Y, H, C) -> dict:
    """Largest relative difference of ours and torch's loss and gradients from network.py's, at
    the initial weights: the contenders compute the same thing."""
    fwd = forward(params, X, "tanh")
    L_ref, g_ref = loss(params, fwd, Y, LAM), backward(params, fwd, Y, LAM).grads()
    L_ours, g_ours = FastStep(H, C, "tanh").loss_and_grads(params, X, Y, LAM)

    def worst(L, g):
        rel = [abs(L - L_ref) / abs(L_ref)]
        rel += [float(np.max(np.abs(g[k] - g_ref[k])) / max(np.max(np.abs(g_ref[k])), 1e-30)) for k in g_ref]
        return max(rel)

    out = {"ours_vs_numpy": worst(L_ours, g_ours)}
    if torch is not None:
        out["torch_vs_numpy"] = worst(*pytorch({k: v.copy() for k, v in params.items()}, X, Y)[1]())
    return out


def measure(N: int, H: int, C: int, rounds: int, budget_s: float) -> dict:
    X, Y, params0 = problem(N, H, C)
    copy = lambda: {k: v.copy() for k, v in params0.items()}  # noqa: E731
    work = N * H  # calls per timing so one timing lasts ~10-30 ms
    calls = max(2, int(4e6 / (work + 50_000)))
    fast_step, _ = ours(copy(), X, Y, H, C)
    runs = {
        "ours": _common.per_call(fast_step, calls),
        "numpy": _common.per_call(reference(copy(), X, Y), max(1, calls // 3)),
        "session": _common.per_call(session_step(N, H, C), max(1, calls // 3)),
    }
    if torch is not None:
        runs["torch"] = _common.per_call(pytorch(copy(), X, Y)[0], calls)
    for run in runs.values():
        run()  # warm: buffers allocated, caches and torch's kernels primed
    samples = _common.alternate(runs, rounds, budget_s)
    row = {"N": N, "H": H, "C": C, "rounds": len(samples["ours"])}
    for name, xs in samples.items():
        row[f"{name}_us"] = _common.median(xs) * 1e6
    row["torch_us"] = row.get("torch_us")
    row["ratio"] = row["ours_us"] / row["torch_us"] if row["torch_us"] else None
    if torch is not None:  # each round's own ratio: robust to the machine's load drifting
        row["paired_ratio"] = _common.median([a / b for a, b in zip(samples["ours"], samples["torch"])])
    row["numpy_over_ours"] = row["numpy_us"] / row["ours_us"]
    row["target"] = target_for(N, H)
    row["verdict"] = _common.verdict(row["ratio"], row["target"]) if row["target"] else "-"
    row.update(agreement(params0, X, Y, H, C))
    return row


def main(argv=None) -> dict:
    args = _common.parser(__doc__.splitlines()[0]).parse_args(argv)
    started = _common.machine()
    if torch is not None:
        torch.set_num_threads(1)
    rounds, budget = (3, 1.0) if args.quick else (21, 12.0)
    configs = [(N, H, C) for N in SAMPLES for H in HIDDEN for C in CLASSES]
    if args.quick:  # the small ones: it runs, every contender, every column
        configs = [(N, H, C) for N, H, C in configs if N * H <= 200 * 100]
    rows = [measure(N, H, C, rounds, budget) for N, H, C in configs]
    print(
        _common.table(
            rows,
            [
                ("N", "N", ""),
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
            ],
        )
    )
    if torch is None:
        print("torch not installed: .venv/bin/pip install torch==2.13.0 for the comparison")
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
