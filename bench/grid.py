"""Decision-grid evaluation time: app/core/grid.py against one plain forward pass over the grid.

    .venv/bin/python -m bench.grid            # about 30 s; writes bench/results/grid.json
    .venv/bin/python -m bench.grid --quick    # seconds

decision_grid (float32, blocks that stay in cache, b1 folded into the product) is timed in turn
with network.forward over all G*G points at once in float32 and in float64, the ways the grid
was computed before; figures are medians over rounds. Target: G=100, H=500 in at most 4 ms.
"""

from __future__ import annotations

import numpy as np  # noqa: E402

from app.core.grid import decision_grid, grid_points  # noqa: E402
from app.core.network import forward, init_params  # noqa: E402
from bench import _common  # noqa: E402 (one BLAS thread: bench/__init__.py, before numpy loads)

GRIDS = (50, 100, 150)
HIDDEN = (100, 500)
C = 3
BOX = (-1.5, 1.5, -1.5, 1.5)
TARGET_MS = 4.0  # G=100, H=500


def measure(G: int, H: int, rounds: int, budget_s: float) -> dict:
    params32 = init_params(H, C, seed=0, dtype=np.float32)
    params64 = init_params(H, C, seed=0)
    P32, P64 = grid_points(BOX, G, np.float32), grid_points(BOX, G)
    calls = max(1, int(2e6 / (G * G * H)))
    runs = {
        "blocks32": _common.per_call(lambda: decision_grid(params32, BOX, G), calls),
        "plain32": _common.per_call(lambda: forward(params32, P32).y_hat, calls),
        "plain64": _common.per_call(lambda: forward(params64, P64).y_hat, calls),
    }
    for run in runs.values():
        run()
    samples = _common.alternate(runs, rounds, budget_s)
    row = {"G": G, "H": H, "C": C, "rounds": len(samples["blocks32"])}
    for name, xs in samples.items():
        row[f"{name}_ms"] = _common.median(xs) * 1e3
    y_hat = decision_grid(params32, BOX, G).reshape(-1, C)
    row["max_abs_diff_vs_float64"] = float(np.max(np.abs(y_hat - forward(params64, P64).y_hat)))
    row["target_ms"] = TARGET_MS if (G, H) == (100, 500) else None
    row["verdict"] = _common.verdict(row["blocks32_ms"], TARGET_MS) if row["target_ms"] else "-"
    return row


def main(argv=None) -> dict:
    args = _common.parser(__doc__.splitlines()[0]).parse_args(argv)
    started = _common.machine()
    rounds, budget = (3, 0.5) if args.quick else (31, 5.0)
    rows = [measure(G, H, rounds, budget) for G in GRIDS for H in HIDDEN]
    print(
        _common.table(
            rows,
            [
                ("G", "G", ""),
                ("H", "H", ""),
                ("blocks32_ms", "grid.py ms", ".2f"),
                ("target_ms", "target", ""),
                ("verdict", "", ""),
                ("plain32_ms", "one pass f32 ms", ".2f"),
                ("plain64_ms", "one pass f64 ms", ".2f"),
                ("max_abs_diff_vs_float64", "|Δy_hat| vs f64", ".1e"),
            ],
        )
    )
    payload = {
        "box": BOX,
        "rows": [{k: (_common.finite(v) if isinstance(v, float) else v) for k, v in r.items()} for r in rows],
    }
    path = _common.write_results("grid", args.out, started, payload, args.quick)
    print(f"wrote {path}")
    return payload


if __name__ == "__main__":
    main()
