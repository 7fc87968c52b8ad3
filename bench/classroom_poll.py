"""The classroom with a poll open: does a class voting slow the stream? One server, the
classroom's load (K student runs with a viewer each, V viewers on the teacher's run, the teacher's
own driver socket), measured in windows that alternate between no poll and a poll the V viewers
vote on, in the same run; frames/s per viewer in each, and their ratio.

    .venv/bin/python -m bench.classroom_poll                 # K=30, V=100, 3 rounds of 2 x 15 s
    .venv/bin/python -m bench.classroom_poll --quick         # K=3, V=5, 1 round of 2 x 3 s: it runs

Asking a poll pauses the run; the teacher's run is played on at once, so its frames flow while
the votes arrive. While a poll is open every voter votes at once (a class answering together: V
votes within half a second), then changes its vote every VOTE_EVERY_S seconds, far more often
than a class would: the driver's socket is told of each vote (the live count), the watchers are
not. Each window begins with its poll asked (or closed) and a settling second not counted.
Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402

import httpx  # noqa: E402
import numpy as np  # noqa: E402
import websockets  # noqa: E402

from bench import _common  # noqa: E402 (one BLAS thread: bench/__init__.py, before numpy loads)
from bench._server import ServerProcess  # noqa: E402
from bench.classroom import STUDENT, TEACHER, VIEW, create  # noqa: E402

VOTE_EVERY_S = 2.0
SETTLE_S = 1.0
CHOICES = ["lower", "higher", "the same", "it diverges"]


class Room:
    """What the clients share: the poll open (its id, and an event set while one is), and every
    problem seen."""

    def __init__(self):
        self.poll: int | None = None
        self.open = asyncio.Event()
        self.problems = {"dropped_connections": 0, "error_messages": 0, "votes_refused": 0}
        self.votes_sent = 0
        self.vote_answers = 0
        self.driver_poll_messages = 0

    def ask(self, poll: int) -> None:
        self.poll = poll
        self.open.set()

    def close(self) -> None:
        self.poll = None
        self.open.clear()


async def vote(ws, room: Room, voter: str, stop_at: float) -> None:
    """While a poll is open: vote within half a second of its opening, then every VOTE_EVERY_S;
    asleep otherwise (the socket's reader is the same as a watcher's that never votes)."""
    rng = random.Random(voter)
    while time.monotonic() < stop_at:
        try:
            await asyncio.wait_for(room.open.wait(), max(stop_at - time.monotonic(), 0.01))
        except TimeoutError:
            return
        await asyncio.sleep(rng.uniform(0, 0.5))
        while room.poll is not None and time.monotonic() < stop_at:
            message = {
                "type": "vote",
                "poll": room.poll,  # counted under the viewer id the socket's hello gave it
                "choice": rng.randrange(len(CHOICES)),
            }
            await ws.send(json.dumps(message))
            room.votes_sent += 1
            await asyncio.sleep(VOTE_EVERY_S)


async def watch(url: str, frames: list[float], stop_at: float, room: Room, voter: str | None, protocols=None):
    """Watch until stop_at, acking each frame on arrival; a voter votes beside (vote())."""
    async with websockets.connect(
        url, max_size=2**24, compression=None, open_timeout=30, subprotocols=protocols
    ) as ws:
        await asyncio.wait_for(ws.recv(), 30)  # hello
        await ws.send(VIEW)
        voting = asyncio.create_task(vote(ws, room, voter, stop_at)) if voter else None
        try:
            while (left := stop_at - time.monotonic()) > 0:
                try:
                    message = await asyncio.wait_for(ws.recv(), left)
                except TimeoutError:
                    return
                except websockets.ConnectionClosed:
                    room.problems["dropped_connections"] += 1
                    return
                if isinstance(message, bytes):
                    frames.append(time.monotonic())
                    await ws.send('{"type":"ack"}')
                elif '"for": "vote"' in message:
                    if '"error"' in message:
                        room.problems["votes_refused"] += 1
                    else:
                        room.vote_answers += 1
                elif '"type": "poll"' in message:
                    if protocols:
                        room.driver_poll_messages += 1
                elif '"error"' in message:
                    room.problems["error_messages"] += 1
        finally:
            if voting:
                voting.cancel()


def vote_cost(votes: int = 20_000) -> float:
    """Microseconds the server spends on one vote message beyond the socket's own I/O: reading
    it (decode, the strict model), counting it (PollBook.vote, telling the run's 101 listeners)
    and writing its answer, measured in this process on a poll like the benchmark's."""
    from app.api.stream.messages import VoteMessage, decode, parse
    from app.training.config import RunConfig
    from app.training.run import Run

    run = Run(RunConfig())
    book = run.polls
    book.ask(run, "text", {"question": "Q", "choices": CHOICES}, 10)
    for _ in range(101):
        book.subscribe(lambda votes_only: None)
    texts = [
        json.dumps({"type": "vote", "poll": 1, "viewer": f"voter-{i % 100:04d}-bench", "choice": i % 4})
        for i in range(votes)
    ]
    begun = time.perf_counter()
    for text in texts:
        message = parse(VoteMessage, decode({"text": text}, 65536))
        book.vote(message.poll, message.viewer, message.choice, 500, 200)
        json.dumps({"type": "ok", "for": "vote", "poll": message.poll, "choice": message.choice})
    return (time.perf_counter() - begun) / votes * 1e6


def rate(times: list[float], start: float, stop: float) -> float:
    return sum(start <= t <= stop for t in times) / (stop - start)


async def measure(server: ServerProcess, K: int, V: int, seconds: float, rounds: int) -> dict:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        students = [await create(client, STUDENT) for _ in range(K)]
        teacher = await create(client, TEACHER)
        auth = {"Authorization": f"Bearer {teacher['token']}"}
        windows = []  # (phase, start, stop)
        t = time.monotonic() + 5.0  # the viewers connect and settle first
        for r in range(rounds):
            for phase in ("none", "poll") if r % 2 == 0 else ("poll", "none"):
                windows.append((phase, t + SETTLE_S, t + SETTLE_S + seconds))
                t += SETTLE_S + seconds
        stop_at = t
        room = Room()
        ws = f"{server.ws_url}/ws/sessions/"
        watched = [(s["id"], None) for s in students] + [
            (teacher["id"], f"voter-{i:04d}-bench") for i in range(V)
        ]
        arrivals: list[list[float]] = [[] for _ in watched]
        driver_frames: list[float] = []
        tasks = [
            asyncio.create_task(watch(ws + sid, arrivals[i], stop_at, room, voter))
            for i, (sid, voter) in enumerate(watched)
        ]
        driver_protocols = ["bpv.v1", f"bpv.token.{teacher['token']}"]
        tasks.append(
            asyncio.create_task(
                watch(ws + teacher["id"], driver_frames, stop_at, room, None, driver_protocols)
            )
        )
        polls = f"/api/sessions/{teacher['id']}/polls"
        for phase, start, _stop in windows:
            await asyncio.sleep(max(start - SETTLE_S - time.monotonic(), 0))
            if phase == "poll":
                body = {"template": "text", "question": "What will the loss do next?", "choices": CHOICES}
                r = await client.post(polls, json=body, headers=auth)
                r.raise_for_status()
                # Asking pauses the run (the class predicts from where it stands); it plays on
                # here, so that its frames flow while the votes arrive: the worst case.
                (await client.post(f"/api/sessions/{teacher['id']}/play", headers=auth)).raise_for_status()
                room.ask(r.json()["id"])
            elif room.poll is not None:
                closing = room.poll
                room.close()
                (await client.post(f"{polls}/{closing}/close", headers=auth)).raise_for_status()
        await asyncio.gather(*tasks)
        final = (await client.get(polls, headers=auth)).json()
    rows = []
    for phase, start, stop in windows:
        fps = np.array([rate(times, start, stop) for times in arrivals])
        rows.append(
            {
                "phase": phase,
                "teacher_viewer_fps_median": float(np.median(fps[K:])) if V else None,
                "teacher_viewer_fps_min": float(fps[K:].min()) if V else None,
                "student_viewer_fps_min": float(fps[:K].min()) if K else None,
                "viewer_fps_min": float(fps.min()),
                "driver_fps": rate(driver_frames, start, stop),
                "frames_per_s_total": float(fps.sum()),
            }
        )
    return {
        "windows": rows,
        "votes_sent": room.votes_sent,
        "votes_answered": room.vote_answers,
        "driver_poll_messages": room.driver_poll_messages,
        "voters_counted": [p["voters"] for p in final],
        **room.problems,
    }


FIGURES = (
    "teacher_viewer_fps_median",
    "teacher_viewer_fps_min",
    "student_viewer_fps_min",
    "viewer_fps_min",
    "driver_fps",
    "frames_per_s_total",
)


def main(argv=None) -> dict:
    p = _common.parser(__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=None, help="each window (default 15; --quick 3)")
    p.add_argument("--sessions", type=int, default=None, help="K (default 30; --quick 3)")
    p.add_argument(
        "--viewers", type=int, default=None, help="V voters on the teacher's run (default 100; --quick 5)"
    )
    p.add_argument(
        "--rounds", type=int, default=None, help="rounds of (no poll, poll) (default 3; --quick 1)"
    )
    args = p.parse_args(argv)
    started = _common.machine()
    K = args.sessions if args.sessions is not None else (3 if args.quick else 30)
    V = args.viewers if args.viewers is not None else (5 if args.quick else 100)
    seconds = args.seconds or (3.0 if args.quick else 15.0)
    rounds = args.rounds or (1 if args.quick else 3)
    if not (0 <= K <= 60 and 1 <= V <= 500 and 1 <= seconds <= 600 and 1 <= rounds <= 20):
        raise SystemExit("keep K in 0..60, V in 1..500, seconds in 1..600 and rounds in 1..20")
    with ServerProcess(max_sessions=max(64, K + 1), max_viewers=max(200, V + 1)) as server:
        result = asyncio.run(measure(server, K, V, seconds, rounds))
    result["vote_cost_us"] = vote_cost(2_000 if args.quick else 20_000)
    medians = {
        phase: {
            k: _common.median([w[k] for w in result["windows"] if w["phase"] == phase and w[k] is not None])
            for k in FIGURES
        }
        for phase in ("none", "poll")
    }
    # The machine is shared: its load moves frame rates by 2x from minute to minute. Each round's
    # two windows are side by side, so the ratio within a round is what the poll changed.
    windows = result["windows"]
    paired = {
        k: [
            poll[k] / none[k]
            for none, poll in (
                sorted(windows[2 * r : 2 * r + 2], key=lambda w: w["phase"]) for r in range(rounds)
            )
            if none[k] and poll[k] is not None
        ]
        for k in FIGURES
    }
    shown = [
        {
            "figure": k,
            "none": medians["none"][k],
            "poll": medians["poll"][k],
            "ratio": _common.median(paired[k]),
            "low": min(paired[k], default=None),
            "high": max(paired[k], default=None),
        }
        for k in FIGURES
    ]
    print(f"K={K}, V={V} voters, {rounds} rounds of {seconds:g} s a window: medians over the rounds,")
    print("and the median of each round's ratio (poll open / no poll, side by side) with its range")
    columns = [("figure", "figure", ""), ("none", "no poll", ".2f"), ("poll", "poll open", ".2f")]
    columns += [("ratio", "poll / none", ".3f"), ("low", "lowest", ".3f"), ("high", "highest", ".3f")]
    print(_common.table(shown, columns))
    extra = {k: v for k, v in result.items() if k != "windows"}
    print(json.dumps(extra))
    payload = {
        "K": K,
        "V": V,
        "seconds": seconds,
        "rounds": rounds,
        "vote_every_s": VOTE_EVERY_S,
        "medians": medians,
        "ratios": {row["figure"]: row["ratio"] for row in shown},
        "round_ratios": paired,
        **result,
    }
    path = _common.write_results("classroom_poll", args.out, started, payload, args.quick)
    print(f"wrote {path}")
    return payload


if __name__ == "__main__":
    main()
