"""What a run's kept steps cost in memory now that each keeps what a fork needs (the optimizer's
state and the mini-batch state beside the parameters), at the largest run the default limits
allow: one command, prints a table. "forkable" is how many kept steps keep a fork's state within
the ring's budget (snapshots.RESUME_BYTES); the others keep their parameters only.

    .venv/bin/python -m bench.fork_memory

Steps with a batch of one point, so that the ring fills in seconds; the mini-batch order (N
indices, shared by the kept steps of one epoch) is added at its worst, a new epoch at every
kept step."""

from __future__ import annotations

import time

from app.api.settings import Settings
from app.core.features import FEATURE_NAMES
from app.training.config import RunConfig
from app.training.limits import RunLimits
from app.training.run import Run

MiB = 2**20


def largest(optimizer: str, points: int) -> RunConfig:
    # 3 x 1024 wide layers with 32 between them: the most weights the hidden-weight bound lets in
    return RunConfig(
        hidden=[1024, 32, 1024, 32, 1024],
        features=list(FEATURE_NAMES),
        dataset={"kind": "blobs", "classes": 8, "n_samples": points},
        optimizer=optimizer,
        learning_rate=0.001,
        batch_size=1,
    )


def main() -> None:
    settings = Settings()
    limits = RunLimits(settings.max_hidden, settings.max_points)
    heads = ("optimizer", "params", "one copy", "kept", "forkable", "ring", "params only", "order, worst")
    widths = (-10, 8, 9, 5, 9, 9, 12, 13)
    print(" ".join(f"{h:<{-w}}" if w < 0 else f"{h:>{w}}" for h, w in zip(heads, widths)))
    for optimizer in ("sgd", "momentum", "adam"):
        config = largest(optimizer, settings.max_points)
        limits.check(config)
        run = Run(config)
        started = time.perf_counter()
        while len(run.snapshots.steps()) < run.snapshots.capacity or run.snapshots.stride == 1:
            run.step()
        seconds = time.perf_counter() - started
        count = sum(p.size for p in run.params.values())
        one = sum(p.nbytes for p in run.params.values())
        kept = len(run.snapshots.steps())
        order_worst = kept * len(run.X_train) * 8
        ring = run.snapshots.nbytes()
        forkable = len(run.snapshots.resumable_steps())
        print(
            f"{optimizer:<10} {count:>8} {one / MiB:>7.2f}Mi {kept:>5} {forkable:>9} {ring / MiB:>7.1f}Mi "
            f"{kept * one / MiB:>10.1f}Mi {order_worst / MiB:>11.1f}Mi"
            f"   ({run.step_count} steps, {seconds:.1f} s)"
        )


if __name__ == "__main__":
    main()
