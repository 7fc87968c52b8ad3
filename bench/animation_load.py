"""Does rendering a GIF slow the live runs? A run playing on a server in this process, its steps
counted over a window with no render going and over one with GIF renders going back to back (the
largest one asked for: 120 frames of two runs compared at 640 pixels), alternated: a run at the
default 60 steps/s (a class's), and one as fast as it may (10,000 steps/s: the trainer thread's
whole core, the worst case). Prints steps/s of each and their ratio; writes
bench/results/animation_load.json.

    .venv/bin/python -m bench.animation_load     (--seconds 8, --rounds 3; --quick: a few seconds)

Also the size and frame count of the animation a class would make of a spiral run of 300 steps."""

from __future__ import annotations

import time

import httpx

from ._common import machine, median, parser, write_results
from ._server import InProcessServer

LIVE = {"dataset": {"kind": "moons", "n_samples": 200}, "hidden": 16}
SPEEDS = (60, 10_000)
SPIRAL = {"dataset": {"kind": "spiral"}, "hidden": 16}


def finished(http: httpx.Client, animation_id: str) -> dict:
    while True:
        status = http.get(f"/api/animations/{animation_id}").json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.1)


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=8.0)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    seconds, rounds = (1.5, 1) if args.quick else (args.seconds, args.rounds)
    started = machine()
    with InProcessServer() as server, httpx.Client(base_url=server.url, timeout=60) as http:

        def trained(config: dict, steps: int) -> dict:
            run = http.post("/api/sessions", json=config).json()
            auth = {"Authorization": f"Bearer {run['token']}"}
            http.post(f"/api/sessions/{run['id']}/step", json={"n": steps}, headers=auth)
            return run

        spiral = trained(SPIRAL, 300)
        other = http.post(
            f"/api/sessions/{spiral['id']}/fork", json={"at_step": 100, "changes": {"learning_rate": 0.1}}
        )
        other = other.json()
        http.post(
            f"/api/sessions/{other['id']}/step",
            json={"n": 200},
            headers={"Authorization": f"Bearer {other['token']}"},
        )
        # the animation the closing note reports: the spiral run alone, at the menu's defaults
        t0 = time.perf_counter()
        made = http.post(
            f"/api/sessions/{spiral['id']}/animations", json={"frames": 60, "width": 480, "fps": 8}
        )
        note = finished(http, made.json()["id"])
        note["seconds"] = round(time.perf_counter() - t0, 2)

        heavy = {"with": other["id"], "frames": 120, "width": 640, "fps": 10}

        def steps_per_second(session, rendering: bool) -> float:
            renders = []
            if rendering:  # keep the renderer busy through the window: one rendering, more queued
                renders = [
                    http.post(f"/api/sessions/{spiral['id']}/animations", json=heavy).json() for _ in range(3)
                ]
                while http.get(f"/api/animations/{renders[0]['id']}").json()["state"] != "rendering":
                    time.sleep(0.02)
            before, t = session.run.step_count, time.perf_counter()
            time.sleep(seconds)
            rate = (session.run.step_count - before) / (time.perf_counter() - t)
            for render in renders:
                finished(http, render["id"])
            return rate

        samples = {}
        for speed in SPEEDS:
            live = trained({**LIVE, "steps_per_second": speed}, 0)
            session = server.session(live["id"])
            auth = {"Authorization": f"Bearer {live['token']}"}
            http.post(f"/api/sessions/{live['id']}/play", headers=auth)
            found = samples[speed] = {"idle": [], "rendering": []}
            for r in range(rounds):
                for name in ("idle", "rendering") if r % 2 == 0 else ("rendering", "idle"):
                    found[name].append(steps_per_second(session, name == "rendering"))
            http.delete(f"/api/sessions/{live['id']}", headers=auth)
    ratios = {}
    print(f"{'playing at':>12}{'no render':>12}{'rendering':>12}{'ratio':>8}")
    for speed, found in samples.items():
        idle, busy = median(found["idle"]), median(found["rendering"])
        ratios[speed] = busy / idle
        print(f"{speed:>12,}{idle:>12.0f}{busy:>12.0f}{busy / idle:>8.2f}")
    print(
        f"spiral, 300 steps, 60 frames asked at 480 px: {note['frames']} frames, {note['bytes']:,} bytes,"
        f" {note['seconds']} s"
    )
    write_results(
        "animation_load",
        args.out,
        started,
        {
            "steps_per_second": {str(speed): found for speed, found in samples.items()},
            "ratio": {str(speed): ratio for speed, ratio in ratios.items()},
            "spiral_300_steps_gif": {k: note[k] for k in ("frames", "bytes", "seconds")},
        },
        quick=args.quick,
    )


if __name__ == "__main__":
    main()
