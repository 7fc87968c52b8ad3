"""What every benchmark shares: one BLAS thread, alternating medians, a table, a results file.

bench/__init__.py sets one BLAS thread before any bench module loads numpy (OpenBLAS reads
OPENBLAS_NUM_THREADS once, when numpy loads; with 2 cores a second BLAS thread stalls whenever
the event loop or another session wants the core: bench/blas_threads.py); the setting here only
repeats it for a script that imports this module by itself.
"""

from __future__ import annotations

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="a few seconds: check that it runs, not how fast")
    p.add_argument("--out", type=Path, default=None, help="results file (default bench/results/NAME.json)")
    return p


def alternate(runs: dict, rounds: int, budget_s: float = 30.0) -> dict[str, list[float]]:
    """Time each callable in `runs` (name -> f() returning seconds per unit) once per round, in
    turn, for `rounds` rounds or until `budget_s` is spent (at least 3 rounds). Alternating
    spreads whatever else the machine does over all of them alike, so ratios stay fair."""
    samples = {name: [] for name in runs}
    deadline = time.perf_counter() + budget_s
    for r in range(rounds):
        order = list(runs) if r % 2 == 0 else list(reversed(runs))
        for name in order:
            samples[name].append(runs[name]())
        if r >= 2 and time.perf_counter() > deadline:
            break
    return samples


def per_call(f, calls: int):
    """A timer for alternate(): seconds per call of f, over `calls` calls."""

    def timed() -> float:
        start = time.perf_counter()
        for _ in range(calls):
            f()
        return (time.perf_counter() - start) / calls

    return timed


def median(xs) -> float:
    return float(statistics.median(xs)) if len(xs) else math.nan


def quantile(xs, q: float) -> float:
    """The q-quantile (0..1) of xs, nearest rank; nan when empty."""
    if not len(xs):
        return math.nan
    xs = sorted(xs)
    return float(xs[min(len(xs) - 1, max(0, math.ceil(q * len(xs)) - 1))])


def machine() -> dict:
    """What the figures depend on besides the code: recorded with every result."""
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "load_average_at_start": list(os.getloadavg()),
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def table(rows: list[dict], columns: list[tuple[str, str, str]]) -> str:
    """rows as a text table; columns are (key, heading, format) such as ("ratio", "ours/torch", ".2f")."""
    cells = [[h for _, h, _ in columns]]
    for row in rows:
        cells.append([_cell(row.get(key), fmt) for key, _, fmt in columns])
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def targets_table(figures: dict, targets: dict, verdicts: dict, digits: str = ".2f") -> str:
    """Each figure measured against its target, with its verdict (met or not), as a text table."""
    rows = [{"figure": k, "value": figures[k], "target": targets[k], "verdict": verdicts[k]} for k in figures]
    columns = [("figure", "figure", ""), ("value", "measured", digits), ("target", "target", "")]
    columns.append(("verdict", "", ""))
    return table(rows, columns)


def _cell(value, fmt: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan"
    return format(value, fmt) if fmt else str(value)


def finite(value) -> float | None:
    """JSON has no NaN: a missing or non-finite figure is written as null."""
    return float(value) if value is not None and math.isfinite(value) else None


def write_results(name: str, out: Path | None, started: dict, payload: dict, quick: bool = False) -> Path:
    """payload, with `started` (machine() when the run began), to out; by default
    bench/results/NAME.json, or bench/results/quick/NAME.json for a --quick run (not kept in git)."""
    path = out or (RESULTS / "quick" if quick else RESULTS) / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    command = "python -m bench." + name + "".join(f" {a}" for a in sys.argv[1:])
    started = {**started, "load_average_at_end": list(os.getloadavg())}
    payload = {"benchmark": name, "command": command, "machine": started, **payload}
    path.write_text(json.dumps(payload, indent=2, allow_nan=False) + "\n")
    return path


def verdict(value: float | None, target: float, at_most: bool = True) -> str:
    """'met' / 'MISSED' for a figure against a target (at most or at least)."""
    if value is None or not math.isfinite(value):
        return "n/a"
    return "met" if (value <= target if at_most else value >= target) else "MISSED"
