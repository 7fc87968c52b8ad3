"""A classroom on one server process: K sessions each watched by one viewer, plus V viewers on
one more (the teacher's) session, all training; frames/s per viewer, REST latency, CPU, memory.

    .venv/bin/python -m bench.classroom                 # K=30, V=100, 60 s; bench/results/classroom.json
    .venv/bin/python -m bench.classroom --seconds 20    # shorter
    .venv/bin/python -m bench.classroom --quick         # K=3, V=5, 4 s: it runs
    .venv/bin/python -m bench.classroom --baseline      # first with frames built in threads, to compare
    .venv/bin/python -m bench.classroom --against ../old --rounds 3 --seconds 20
        # this tree's server and another tree's (a worktree of an older commit) in turn, the
        # order reversed every other round: medians of each, and this one's ratio to it

The server is `python -m app` in a process of its own (one BLAS thread), so its CPU and resident
memory are its own (its frame process's are counted apart); the viewers are WebSocket clients in
this process, each asking what the page asks (grid 100, 30 frames/s, weights and gradients in every
frame) and acknowledging each frame on arrival. A REST client meanwhile reads a session's summary
or its gradients 10 times a second.
Students' sessions are the page's default run (moons, H=5, 60 steps/s); the teacher's is the
CS231n spiral (C=3, H=100). Traffic goes to 127.0.0.1 only, and every loop ends by itself.
"""

from __future__ import annotations

import asyncio  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import httpx  # noqa: E402
import numpy as np  # noqa: E402
import websockets  # noqa: E402

from app.training.history import History  # noqa: E402
from bench import _common  # noqa: E402 (one BLAS thread: bench/__init__.py, before numpy loads)
from bench._server import ServerProcess, family_usage  # noqa: E402

STUDENT = {}  # the page's default run
TEACHER = {"hidden": 100, "dataset": {"kind": "spiral", "classes": 3, "n_samples": 300}}
VIEW = '{"type":"options","fps":30,"grid":100,"arrays_every":1}'
WARM_UP_S = 5.0
REST_PER_S = 10
TARGETS = {"min_viewer_fps": 20.0, "rest_p99_ms": 50.0, "unexplained_rss_growth_mb": 20.0}


async def create(client: httpx.AsyncClient, config: dict) -> dict:
    r = await client.post("/api/sessions", json=config)
    r.raise_for_status()
    created = r.json()
    r = await client.post(
        f"/api/sessions/{created['id']}/play", headers={"Authorization": f"Bearer {created['token']}"}
    )
    r.raise_for_status()
    return created


async def viewer(url: str, frames: list[float], stop_at: float, problems: dict) -> None:
    """Watch until stop_at: note each frame's arrival time, ack it at once; count a connection
    the server dropped and any error message it sent (the load must cause neither)."""
    async with websockets.connect(url, max_size=2**24, compression=None, open_timeout=30) as ws:
        await asyncio.wait_for(ws.recv(), 30)  # hello
        await ws.send(VIEW)
        while (left := stop_at - time.monotonic()) > 0:
            try:
                message = await asyncio.wait_for(ws.recv(), left)
            except TimeoutError:
                return
            except websockets.ConnectionClosed:
                problems["dropped_connections"] += 1
                return
            if isinstance(message, bytes):
                frames.append(time.monotonic())
                await ws.send('{"type":"ack"}')
            elif '"error"' in message:
                problems["error_messages"] += 1


async def rest_prober(
    client: httpx.AsyncClient, ids: list[str], start_at: float, stop_at: float, problems: dict
):
    """REST_PER_S requests a second from start_at to stop_at: a session's summary, or its
    gradients (recomputed in float64 on the server); their latencies in seconds."""
    latencies = []
    await asyncio.sleep(max(start_at - time.monotonic(), 0))
    for i in range(int((stop_at - start_at) * REST_PER_S)):
        due = start_at + i / REST_PER_S
        await asyncio.sleep(max(due - time.monotonic(), 0))
        if time.monotonic() > stop_at:
            break
        path = f"/api/sessions/{ids[i % len(ids)]}" + ("/gradients" if i % 2 else "")
        begun = time.perf_counter()
        r = await client.get(path)
        latencies.append(time.perf_counter() - begun)
        if r.status_code != 200:
            problems["rest_errors"] += 1
    return latencies


async def steps_at(client: httpx.AsyncClient, ids: list[str], when: float) -> list[int]:
    """Every session's step count at time `when` (monotonic)."""
    await asyncio.sleep(max(when - time.monotonic(), 0))
    return [(await client.get(f"/api/sessions/{sid}")).json()["step"] for sid in ids]


async def sampler(pid: int, start_at: float, stop_at: float) -> list[tuple]:
    """(time, server CPU seconds, server RSS bytes, the same for its frame process) once a
    second through the run."""
    samples = []
    while time.monotonic() < stop_at + 0.5:
        samples.append((time.monotonic(), *family_usage(pid)))
        await asyncio.sleep(1.0)
    return samples


def history_row_bytes() -> float:
    """Memory one history row takes (Python floats in lists), measured here: each training step
    appends one, so the server's memory grows by design until a history's capacity is reached."""
    import tracemalloc

    history = History(100_000)
    row = {
        "step": 0,
        "epoch": 1.0,
        "loss": 0.5,
        "accuracy": 0.9,
        "test_loss": 0.6,
        "test_accuracy": 0.8,
        **{f"grad_norm_{p}": 0.1 for p in ("W1", "b1", "W2", "b2")},
        **{f"ratio_{p}": 0.01 for p in ("W1", "b1", "W2", "b2")},
    }
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for step in range(1, 5001):
        values = {k: v * (1 + step * 1e-7) for k, v in row.items() if k != "step"}  # distinct floats
        history.append({**values, "step": step})
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return grown / 5000


async def classroom(server: ServerProcess, K: int, V: int, seconds: float, warm_up_s=WARM_UP_S) -> dict:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        students = [await create(client, STUDENT) for _ in range(K)]
        teacher = await create(client, TEACHER)
        ids = [s["id"] for s in students] + [teacher["id"]]
        begun = time.monotonic()
        start_at, stop_at = begun + warm_up_s, begun + warm_up_s + seconds
        watched = [s["id"] for s in students] + [teacher["id"]] * V
        arrivals: list[list[float]] = [[] for _ in watched]
        rusage = resource.getrusage(resource.RUSAGE_SELF)
        problems = {"dropped_connections": 0, "error_messages": 0, "rest_errors": 0}
        tasks = [
            asyncio.create_task(viewer(f"{server.ws_url}/ws/sessions/{sid}", arrivals[i], stop_at, problems))
            for i, sid in enumerate(watched)
        ]
        rest = asyncio.create_task(rest_prober(client, ids, start_at, stop_at, problems))
        usage = asyncio.create_task(sampler(server.pid, start_at, stop_at))
        steps_before = await steps_at(client, ids, start_at)
        steps_after = await steps_at(client, ids, stop_at)
        await asyncio.gather(*tasks)
        latencies = await rest
        samples = await usage
        client_cpu = _cpu_seconds(resource.getrusage(resource.RUSAGE_SELF)) - _cpu_seconds(rusage)
        wall = time.monotonic() - begun
    fps = np.array([sum(start_at <= t <= stop_at for t in times) / seconds for times in arrivals])
    student_fps, teacher_fps = fps[:K], fps[K:]
    window = [sample for sample in samples if start_at - 0.5 <= sample[0] <= stop_at + 0.5]
    (t0, cpu0, _, child_cpu0, _), (t1, cpu1, _, child_cpu1, _) = window[0], window[-1]
    rss = np.array([r for _, _, r, _, _ in window], dtype=float)
    child_rss = np.array([r for *_, r in window], dtype=float)
    quarter = max(1, len(rss) // 4)
    rss_growth = float(np.median(rss[-quarter:]) - np.median(rss[:quarter]))
    new_rows = sum(after - before for before, after in zip(steps_before, steps_after))
    # the history rows added between the middles of the first and the last quarter of the samples
    expected_growth = new_rows * history_row_bytes() * (len(rss) - quarter) / max(len(rss), 1)
    lat_ms = np.array(latencies) * 1e3
    return {
        "K": K,
        "V": V,
        "seconds": seconds,
        "viewers": len(watched),
        **problems,
        "viewer_fps_min": float(fps.min()),
        "viewer_fps_median": float(np.median(fps)),
        "student_viewer_fps_min": float(student_fps.min()) if K else None,
        "student_viewer_fps_median": float(np.median(student_fps)) if K else None,
        "teacher_viewer_fps_min": float(teacher_fps.min()) if V else None,
        "teacher_viewer_fps_median": float(np.median(teacher_fps)) if V else None,
        "frames_per_s_total": float(fps.sum()),
        "steps_per_s_total": new_rows / seconds,
        "rest_requests": len(latencies),
        "rest_p50_ms": _common.quantile(lat_ms, 0.50),
        "rest_p99_ms": _common.quantile(lat_ms, 0.99),
        "rest_max_ms": float(lat_ms.max()) if len(lat_ms) else None,
        "server_cpu_percent": 100 * (cpu1 - cpu0) / (t1 - t0),
        "frame_process_cpu_percent": 100 * (child_cpu1 - child_cpu0) / (t1 - t0),
        "client_cpu_percent": 100 * client_cpu / wall,
        "server_rss_mb_start": float(rss[:quarter].mean() / 2**20),
        "server_rss_mb_end": float(rss[-quarter:].mean() / 2**20),
        "rss_growth_mb": rss_growth / 2**20,
        "frame_process_rss_mb_start": float(child_rss[:quarter].mean() / 2**20),
        "frame_process_rss_mb_end": float(child_rss[-quarter:].mean() / 2**20),
        "history_growth_mb_expected": expected_growth / 2**20,
        "unexplained_rss_growth_mb": (rss_growth - expected_growth) / 2**20,
        "rss_mb_series": [round(r / 2**20, 1) for r in rss],
    }


COMPARED = (
    "viewer_fps_min",
    "viewer_fps_median",
    "student_viewer_fps_min",
    "teacher_viewer_fps_min",
    "frames_per_s_total",
    "rest_p50_ms",
    "rest_p99_ms",
    "server_cpu_percent",
    "frame_process_cpu_percent",
    "steps_per_s_total",
)


def against(args) -> dict:
    """This tree's server and another's under the same load, alternated over rounds (the order
    reversed every other round, the load average noted before each run); medians and ratios."""
    started = _common.machine()
    K = args.sessions if args.sessions is not None else (3 if args.quick else 30)
    V = args.viewers if args.viewers is not None else (5 if args.quick else 100)
    seconds = args.seconds or (4.0 if args.quick else 20.0)
    if not (0 <= K <= 60 and 0 <= V <= 500 and 1 <= seconds <= 600 and 1 <= args.rounds <= 20):
        raise SystemExit("keep K in 0..60, V in 0..500, seconds in 1..600 and rounds in 1..20")
    trees = {"this": None, "against": args.against.resolve()}
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for round_ in range(args.rounds):
        for name in list(trees) if round_ % 2 == 0 else list(trees)[::-1]:
            load = os.getloadavg()[0]
            with ServerProcess(root=trees[name], max_sessions=max(64, K + 1)) as server:
                result = asyncio.run(classroom(server, K, V, seconds, 1.0 if args.quick else WARM_UP_S))
            row = {k: result[k] for k in COMPARED} | {"load_average": load}
            runs[name].append(row)
            print(
                f"round {round_} {name:8s} min {row['viewer_fps_min']:5.1f} frames/s a viewer, "
                f"REST p99 {row['rest_p99_ms']:6.1f} ms, load {load:.1f}",
                flush=True,
            )
    medians = {
        name: {k: _common.median([r[k] for r in rows]) for k in COMPARED} for name, rows in runs.items()
    }
    shown = [
        {
            "figure": k,
            "this": medians["this"][k],
            "against": medians["against"][k],
            "ratio": medians["this"][k] / medians["against"][k] if medians["against"][k] else None,
        }
        for k in COMPARED
    ]
    print()
    print(f"medians over {args.rounds} rounds; against = {trees['against']}")
    columns = [("figure", "figure", ""), ("this", "this tree", ".2f"), ("against", "against", ".2f")]
    print(_common.table(shown, columns + [("ratio", "this / against", ".2f")]))
    payload = {
        "K": K,
        "V": V,
        "seconds": seconds,
        "rounds": args.rounds,
        "against": str(trees["against"]),
        "medians": medians,
        "runs": runs,
    }
    path = _common.write_results("classroom_against", args.out, started, payload, args.quick)
    print(f"wrote {path}")
    return payload


def _cpu_seconds(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def main(argv=None) -> dict:
    p = _common.parser(__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=None, help="measured seconds (default 60; --quick 4)")
    p.add_argument("--sessions", type=int, default=None, help="K (default 30; --quick 3)")
    p.add_argument(
        "--viewers", type=int, default=None, help="V on the teacher's run (default 100; --quick 5)"
    )
    p.add_argument(
        "--baseline",
        action="store_true",
        help="first the same load with frames built in the server's process (--frame-process 0), to compare",
    )
    p.add_argument(
        "--against",
        type=Path,
        default=None,
        help="another tree (e.g. a git worktree of an older commit): its server and this one's in turn",
    )
    p.add_argument("--rounds", type=int, default=3, help="rounds of --against (default 3)")
    args = p.parse_args(argv)
    if args.against is not None:
        return against(args)
    started = _common.machine()
    K = args.sessions if args.sessions is not None else (3 if args.quick else 30)
    V = args.viewers if args.viewers is not None else (5 if args.quick else 100)
    seconds = args.seconds or (4.0 if args.quick else 60.0)
    if not (0 <= K <= 60 and 0 <= V <= 500 and 1 <= seconds <= 600):
        raise SystemExit("keep K in 0..60, V in 0..500 and seconds in 1..600")
    warm_up = 1.0 if args.quick else WARM_UP_S
    baseline = None
    if args.baseline:  # the same load with every frame built in the server's own process
        with ServerProcess(max_sessions=max(64, K + 1), frame_process=0) as server:
            baseline = asyncio.run(classroom(server, K, V, seconds, warm_up))
    with ServerProcess(max_sessions=max(64, K + 1)) as server:
        result = asyncio.run(classroom(server, K, V, seconds, warm_up))
    figures = {
        "min_viewer_fps": result["viewer_fps_min"],
        "rest_p99_ms": result["rest_p99_ms"],
        "unexplained_rss_growth_mb": result["unexplained_rss_growth_mb"],
    }
    verdicts = {k: _common.verdict(v, TARGETS[k], at_most=k != "min_viewer_fps") for k, v in figures.items()}
    shown = [
        {"figure": k, "value": v, "baseline": baseline[k] if baseline else None}
        for k, v in result.items()
        if k != "rss_mb_series"
    ]
    columns = [("figure", "figure", ""), ("value", "frame process", ".2f")]
    print(_common.table(shown, columns + ([("baseline", "frames in threads", ".2f")] if baseline else [])))
    print()
    print(_common.targets_table(figures, TARGETS, verdicts, ".2f"))
    clean = {k: (_common.finite(v) if isinstance(v, float) else v) for k, v in result.items()}
    payload = {"result": clean, "figures": figures, "targets": TARGETS, "verdicts": verdicts}
    if baseline:
        payload["baseline_frames_in_threads"] = {
            k: (_common.finite(v) if isinstance(v, float) else v) for k, v in baseline.items()
        }
    path = _common.write_results("classroom", args.out, started, payload, args.quick)
    print(f"wrote {path}")
    return payload


if __name__ == "__main__":
    main()
