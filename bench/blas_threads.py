"""numpy's BLAS on one thread against one a core, for the server's REST reports and the live step.

    .venv/bin/python -m bench.blas_threads           # about 6 minutes; bench/results/blas_threads.json
    .venv/bin/python -m bench.blas_threads --quick   # a minute: it runs, its figures are finite

OpenBLAS reads OPENBLAS_NUM_THREADS once, when numpy loads, so each setting is a process of its
own: two servers (`python -m app`, one with OPENBLAS_NUM_THREADS=1, one with as many threads as
the machine has cores, OpenBLAS's own default) hold the same runs and answer the same requests,
and two step workers (this module with --step-worker) time app/core/fast_step.py's step, float32
as the live loop runs it. The two settings are timed in turn within each round (medians over
rounds), first on the machine as it is ("idle") and then with `--load` busy processes spinning
("loaded"), and the figure is the ratio (the cores' time over one thread's: above 1, one thread
is faster).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import ExitStack

from bench import _common  # noqa: E402 (one BLAS thread: bench/__init__.py, before numpy loads)

CORES = os.cpu_count() or 1
SETTINGS = {"1 thread": 1, f"{CORES} threads": CORES}
# (hidden layers, width, training points, classes): the networks the reports are asked about
REPORT_RUNS = {"6x64": ([64] * 6, 250, 8), "3x256": ([256] * 3, 2500, 3)}
TRAIN_FRACTION = 0.8  # 200 and 2000 training points
# The fast step: (layers, width, training points), three classes
STEPS = ((1, 8, 200), (6, 64, 200), (3, 256, 200), (1, 8, 2000), (6, 64, 2000), (3, 256, 2000))
SAMPLE_SECONDS = 0.05  # each step sample times this long a batch of steps


def busy_processes(n: int) -> list[subprocess.Popen]:
    """n processes that spin on a core each until terminated: a loaded machine."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def stop(processes: list[subprocess.Popen]) -> None:
    for p in processes:
        p.terminate()
    for p in processes:
        p.wait(timeout=10)


# --- the live step, in a worker process per setting ---------------------------------------------


def step_worker() -> None:
    """Read `L H N` lines; answer each with the seconds one fast step takes (a batch of steps)."""
    from bench.step import ours, problem

    steps = {}
    for line in sys.stdin:
        L, H, N = (int(v) for v in line.split())
        if (L, H, N) not in steps:
            X, Y, params = problem(N, H, 3, L)
            step, _ = ours(params, X, Y, H, 3, L)
            start = time.perf_counter()
            step()
            calls = max(1, int(SAMPLE_SECONDS / max(time.perf_counter() - start, 1e-6)))
            steps[L, H, N] = (step, calls)
        step, calls = steps[L, H, N]
        print(_common.per_call(step, calls)(), flush=True)


class StepWorker:
    def __init__(self, threads: int):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.blas_threads", "--step-worker"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def timer(self, L: int, H: int, N: int):
        def timed() -> float:
            self.process.stdin.write(f"{L} {H} {N}\n")
            self.process.stdin.flush()
            return float(self.process.stdout.readline())

        return timed

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)


def measure_steps(workers: dict, rounds: int, budget_s: float) -> list[dict]:
    rows = []
    for L, H, N in STEPS:
        runs = {name: w.timer(L, H, N) for name, w in workers.items()}
        samples = _common.alternate(runs, rounds, budget_s)
        rows.append({"what": f"step {L}x{H} N={N}", **_figures(samples)})
        _progress(rows[-1])
    return rows


# --- the REST reports, from a server per setting ------------------------------------------------


def start_runs(server) -> dict[str, dict]:
    """The report runs on this server, each trained a few steps: name -> {id, token}."""
    import httpx

    runs = {}
    for name, (hidden, n, classes) in REPORT_RUNS.items():
        dataset = {"kind": "blobs", "n_samples": n, "classes": classes, "train_fraction": TRAIN_FRACTION}
        config = {"hidden": hidden, "init_scale": "xavier", "dataset": dataset}
        run = httpx.post(f"{server.url}/api/sessions", json=config, timeout=30).raise_for_status().json()
        headers = {"Authorization": f"Bearer {run['token']}"}
        httpx.post(f"{server.url}/api/sessions/{run['id']}/step", json={"n": 5}, headers=headers, timeout=30)
        runs[name] = {**run, "layers": len(hidden)}
    return runs


def report_requests(server, run: dict) -> dict[str, tuple[str, str, dict | None]]:
    """name -> (method, url, body) of each report asked; the compare bodies from the run itself:
    a catalogue mistake's gradient (found among the first sets) and ours with dW1 scaled, which no
    set explains (so every set up to three is tried)."""
    import httpx

    base = f"{server.url}/api/sessions/{run['id']}"
    shown = ",".join(f"{layer}:{j}" for layer in range(1, run["layers"] + 1) for j in range(16))
    mistake = httpx.get(f"{base}/compare/examples/summed_not_mean", timeout=60).raise_for_status().json()
    grads = httpx.get(f"{base}/gradients", timeout=60).raise_for_status().json()["grads"]
    unknown = {f"d{k}": v["values"] for k, v in grads.items()}
    unknown["dW1"] = [[1.3 * x for x in row] for row in unknown["dW1"]]
    asked = {
        "compare, one mistake": ("POST", f"{base}/compare", {"gradients": mistake["gradients"]}),
        "compare, none explains": ("POST", f"{base}/compare", {"gradients": unknown}),
    }
    asked["gradcheck"] = ("GET", f"{base}/gradcheck", None)
    if run["layers"] == 3:  # 3 x 256, N = 2000: compare and gradcheck take 10-60 s there, idle
        asked = {}
    return asked | {
        "derivation": ("GET", f"{base}/derivation/0", None),
        "pass, backward": ("GET", f"{base}/pass?direction=backward", None),
        "unit-maps": ("GET", f"{base}/unit-maps?units={shown}", None),
    }


def request_timer(client, method: str, url: str, body: dict | None):
    def timed() -> float:
        start = time.perf_counter()
        client.request(method, url, json=body).raise_for_status()
        return time.perf_counter() - start

    return timed


def measure_reports(servers: dict, runs: dict, rounds: int, budget_s: float) -> list[dict]:
    import httpx

    rows = []
    with httpx.Client(timeout=120) as client:
        for run_name in REPORT_RUNS:
            asked = {name: report_requests(servers[name], runs[name][run_name]) for name in servers}
            for report in asked[next(iter(servers))]:
                timers = {name: request_timer(client, *asked[name][report]) for name in servers}
                samples = _common.alternate(timers, rounds, budget_s)
                rows.append({"what": f"{report} {run_name}", **_figures(samples)})
                _progress(rows[-1])
    return rows


# --- both, idle and loaded ----------------------------------------------------------------------


def _figures(samples: dict[str, list[float]]) -> dict:
    one, cores = (_common.median(samples[name]) for name in SETTINGS)
    return {
        "one_thread_ms": one * 1000,
        "cores_ms": cores * 1000,
        "cores_over_one": cores / one,
        "rounds": len(samples["1 thread"]),
    }


def _progress(row: dict) -> None:
    print(f"  {row['what']}: {row['cores_over_one']:.2f}", file=sys.stderr, flush=True)


COLUMNS = [
    ("what", "", ""),
    ("one_thread_ms", "1 thread ms", ".2f"),
    ("cores_ms", f"{CORES} threads ms", ".2f"),
    ("cores_over_one", f"{CORES}t / 1t", ".2f"),
    ("rounds", "rounds", ""),
]


def main() -> None:
    if "--step-worker" in sys.argv:
        step_worker()
        return
    p = _common.parser(__doc__.splitlines()[0])
    p.add_argument("--load", type=int, default=3, help="busy processes for the loaded machine")
    args = p.parse_args()
    rounds, budget = (3, 0.5) if args.quick else (7, 8.0)
    started = _common.machine()
    from bench._server import ServerProcess

    results = {}
    with ExitStack() as stack:
        servers = {name: stack.enter_context(ServerProcess(blas_threads=n)) for name, n in SETTINGS.items()}
        workers = {name: StepWorker(n) for name, n in SETTINGS.items()}
        for w in workers.values():
            stack.callback(w.close)
        runs = {name: start_runs(server) for name, server in servers.items()}
        for machine_state in ("idle", "loaded"):
            busy = busy_processes(args.load if machine_state == "loaded" else 0)
            try:
                load_before = os.getloadavg()[0]
                rows = measure_steps(workers, rounds, budget) + measure_reports(servers, runs, rounds, budget)
            finally:
                stop(busy)
            results[machine_state] = {"busy": len(busy), "load_average_1min": load_before, "rows": rows}
            print(f"\n{machine_state}: {len(busy)} busy processes, load average {load_before:.1f}")
            print(_common.table(rows, COLUMNS))
    payload = {"settings": SETTINGS, **results}
    path = _common.write_results("blas_threads", args.out, started, payload, args.quick)
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
