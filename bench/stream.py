"""The live stream: frames/s and frame age at a real WebSocket client over loopback, while training.

    .venv/bin/python -m bench.stream            # about 1 minute; writes bench/results/stream.json
    .venv/bin/python -m bench.stream --quick    # seconds

The server is uvicorn in this process (as app/__main__.py configures it), so the benchmark can
note when each training step finished; a frame's age is when the client got it minus when the
step it shows finished (it includes up to one step interval: the state it shows was current
until the next step). The client is websockets' own, acknowledging each frame as the page does.

Cases, each on a session training spiral data (N=200, C=3) at 500 steps/s:
  fast_H8, fast_H500 (G=100): a client asking the product's top rate, 60 frames/s, acking at once;
    the server sends a frame no sooner than 1/60 s after the previous one began (docs/protocol.md),
    so this stays just under 60
  capacity_H500: the same client against a server allowed 1000 frames/s: how many frames the
    server can build and deliver to one viewer. The target (at least 60) is read here
  slow_H500: a client that takes 100 ms to "draw" each frame before acking (10 frames/s)
And, without a network: a frame's size and its encoding time, and what building one costs.
"""

from __future__ import annotations

import json  # noqa: E402
import time  # noqa: E402

import httpx  # noqa: E402
import numpy as np  # noqa: E402
from websockets.sync.client import connect  # noqa: E402

from app.core.grid import decision_grid  # noqa: E402
from app.frames.build import build_now, hidden_to_hidden  # noqa: E402
from app.frames.encoding import decode_frame, encode_frame, quantize_probabilities, scaled16  # noqa: E402
from app.frames.request import FrameRequest  # noqa: E402
from app.training.config import RunConfig  # noqa: E402
from app.training.evaluation import evaluate  # noqa: E402
from app.training.run import Run  # noqa: E402
from app.training.session import Session  # noqa: E402
from bench import _common  # noqa: E402 (one BLAS thread: bench/__init__.py, before numpy loads)
from bench._server import InProcessServer  # noqa: E402

G = 100
STEPS_PER_SECOND = 500
TARGETS = {
    "fps_one_viewer_H500": 60.0,  # at least, uncapped (the capacity case)
    "frame_bytes": 64 * 1024,  # at most, G=100, H=500, C=3, with weights and gradients
    "encode_ms": 0.1,
    "frame_bytes_6x64": 128 * 1024,  # at most, G=64, 6 x 64 hidden, C=3, every layer's weights and gradients
    "slow_client_age_p95_ms": 150.0,
    "slow_client_age_growth_ms": 25.0,  # last third's median age minus the first third's, at most
}


def run_config(H: int) -> dict:
    return {
        "hidden": H,
        "learning_rate": 0.5,
        "steps_per_second": STEPS_PER_SECOND,
        "dataset": {"kind": "spiral", "classes": 3, "n_samples": 200},
    }


def stamp_steps(session) -> dict[int, float]:
    """{step: time.perf_counter() when it finished}, filled in as the session trains."""
    finished: dict[int, float] = {}
    run = session.run
    original = run.step

    def timed():
        ok = original()
        if ok:
            finished[run.step_count] = time.perf_counter()
        return ok

    run.step = timed  # this run's own: its player calls run.step()
    return finished


def watch(server, H: int, seconds: float, draw_s: float = 0.0, fps: float = 60.0) -> dict:
    """Create a session of H hidden units, play it, and watch it for `seconds` as one client that
    spends `draw_s` drawing each frame before its ack. Frames/s, ages and sizes as received."""
    created = httpx.post(f"{server.url}/api/sessions", json=run_config(H), timeout=10).json()
    session = server.session(created["id"])
    finished = stamp_steps(session)
    url = f"{server.ws_url}/ws/sessions/{created['id']}"
    with connect(url, max_size=2**24, compression=None) as ws:
        json.loads(ws.recv(timeout=10))  # hello
        ws.send(json.dumps({"type": "options", "fps": fps, "grid": G, "arrays_every": 1}))
        httpx.post(
            f"{server.url}/api/sessions/{created['id']}/play",
            headers={"Authorization": f"Bearer {created['token']}"},
            timeout=10,
        )
        received, ages, sizes, steps = [], [], [], []
        start = time.perf_counter()
        while time.perf_counter() - start < seconds and len(received) < 100_000:
            data = ws.recv(timeout=10)
            now = time.perf_counter()
            if isinstance(data, str):
                continue  # ok for the options
            (length,) = np.frombuffer(data, "<u4", count=1)
            header = json.loads(data[4 : 4 + int(length)])
            if header["grid"]["G"] == G and header["step"] in finished:
                received.append(now - start)
                ages.append(now - finished[header["step"]])
                sizes.append(len(data))
                steps.append(header["step"])
            if draw_s:
                time.sleep(draw_s)
            ws.send('{"type":"ack"}')
        elapsed = time.perf_counter() - start
    httpx.delete(
        f"{server.url}/api/sessions/{created['id']}",
        headers={"Authorization": f"Bearer {created['token']}"},
        timeout=10,
    )
    return summarise(H, draw_s, fps, received, ages, sizes, steps, elapsed)


def summarise(H, draw_s, fps, received, ages, sizes, steps, elapsed) -> dict:
    ages_ms = np.asarray(ages) * 1e3
    third = max(1, len(ages_ms) // 3)
    return {
        "H": H,
        "G": G,
        "draw_ms": draw_s * 1e3,
        "asked_fps": fps,
        "seconds": elapsed,
        "frames": len(received),
        "frames_per_s": (len(received) - 1) / (received[-1] - received[0]) if len(received) > 1 else None,
        "steps_per_s": (steps[-1] - steps[0]) / (received[-1] - received[0]) if len(steps) > 1 else None,
        "age_median_ms": _common.median(ages_ms),
        "age_p95_ms": _common.quantile(ages_ms, 0.95),
        "age_max_ms": float(ages_ms.max()) if len(ages_ms) else None,
        "age_first_third_ms": _common.median(ages_ms[:third]),
        "age_last_third_ms": _common.median(ages_ms[-third:]),
        "frame_bytes": int(np.median(sizes)) if sizes else None,
    }


def frame_figures(H: int, rounds: int) -> dict:
    """Size, encoding time and building cost of one frame (G=100, weights and gradients), no network."""
    session = Session(Run(RunConfig.model_validate(run_config(H))))
    run = session.run
    session.player.step(5)
    _, data = build_now(session, FrameRequest(G, True))
    header, arrays = decode_frame(data)
    header.pop("arrays")
    named = list(arrays.items())
    encode = _common.per_call(lambda: encode_frame(header, named), 200)
    encode()
    snap, d = session.player.state(), run.dataset
    args = (
        snap.params,
        run.X_train,
        run.Y_train,
        d.labels_train,
        run.X_test,
        run.Y_test,
        d.labels_test,
        run.activation,
        snap.lam,
    )
    y_hat = decision_grid(snap.params, d.box, G, run.activation)

    def build():  # a new version each time, so the session's frame cache cannot answer
        session.player.step(1)
        start = time.perf_counter()
        build_now(session, FrameRequest(G, True))
        return time.perf_counter() - start

    parts = {
        "encode": encode,
        "build": lambda: float(np.mean([build() for _ in range(10)])),
        "evaluate": _common.per_call(lambda: evaluate(*args), 10),
        "grid": _common.per_call(lambda: decision_grid(snap.params, d.box, G, run.activation), 10),
        "quantize": _common.per_call(lambda: quantize_probabilities(y_hat), 50),
    }
    samples = _common.alternate(parts, rounds, budget_s=10)
    out = {"H": H, "G": G, "C": run.C, "frame_bytes": len(data)}
    out.update({f"{name}_ms": _common.median(xs) * 1e3 for name, xs in samples.items()})
    return out


DEEP_G = 64


def deep_frame_figures(L: int, H: int, rounds: int) -> dict:
    """A deep run's frame (G=64, every layer's weights and gradients): its bytes as sent (the
    hidden-to-hidden matrices as scaled float16) and as every array in float32 would be, and the
    time to encode each (app/frames/build.py's arrays, encoding.py's encoder)."""
    config = {**run_config([H] * L), "learning_rate": 0.1}
    session = Session(Run(RunConfig.model_validate(config)))
    session.player.step(5)
    _, data = build_now(session, FrameRequest(DEEP_G, True))
    header, arrays = decode_frame(data)
    header.pop("arrays")
    params = session.player.state().params
    compact = hidden_to_hidden(params)
    # as build.py sends them: W(l) and dW(l) of the hidden-to-hidden layers scaled, the rest as they are
    sent = [(n, scaled16(a) if n.removeprefix("d") in compact else a) for n, a in arrays.items()]
    as_float32 = list(arrays.items())
    compacted = [a for n, a in arrays.items() if n.removeprefix("d") in compact]
    timers = {
        # build.py scales them for every frame
        "scale16": _common.per_call(lambda: [scaled16(a) for a in compacted], 50),
        "encode_sent": _common.per_call(lambda: encode_frame(header, sent), 50),
        "encode_float32": _common.per_call(lambda: encode_frame(header, as_float32), 50),
    }
    samples = _common.alternate(timers, rounds, budget_s=5)
    out = {
        "hidden": f"{L}x{H}",
        "G": DEEP_G,
        "frame_bytes": len(data),
        "frame_bytes_all_float32": len(encode_frame(header, as_float32)),
    }
    out.update({f"{name}_ms": _common.median(xs) * 1e3 for name, xs in samples.items()})
    return out


def main(argv=None) -> dict:
    args = _common.parser(__doc__.splitlines()[0]).parse_args(argv)
    started = _common.machine()
    fast_s, slow_s, rounds = (1.0, 1.5, 2) if args.quick else (10.0, 20.0, 15)
    frames = [frame_figures(H, rounds) for H in (8, 500)]
    deep = [deep_frame_figures(6, H, rounds) for H in (16, 64)]
    with InProcessServer() as server:
        cases = {
            "fast_H8": watch(server, 8, fast_s),
            "fast_H500": watch(server, 500, fast_s),
            "slow_H500": watch(server, 500, slow_s, draw_s=0.1),
        }
    with InProcessServer(max_fps=1000.0) as server:
        cases["capacity_H500"] = watch(server, 500, fast_s, fps=1000.0)
    frame500 = frames[1]
    slow = cases["slow_H500"]
    growth = slow["age_last_third_ms"] - slow["age_first_third_ms"]
    figures = {
        "fps_one_viewer_H500": cases["capacity_H500"]["frames_per_s"],
        "frame_bytes": frame500["frame_bytes"],
        "encode_ms": frame500["encode_ms"],
        "frame_bytes_6x64": deep[1]["frame_bytes"],
        "slow_client_age_p95_ms": slow["age_p95_ms"],
        "slow_client_age_growth_ms": growth,
    }
    verdicts = {
        name: _common.verdict(value, TARGETS[name], at_most=name != "fps_one_viewer_H500")
        for name, value in figures.items()
    }
    print(
        _common.table(
            frames,
            [
                ("H", "H", ""),
                ("G", "G", ""),
                ("C", "C", ""),
                ("frame_bytes", "frame bytes", ""),
                ("encode_ms", "encode ms", ".3f"),
                ("build_ms", "build ms", ".2f"),
                ("evaluate_ms", "evaluate ms", ".2f"),
                ("grid_ms", "grid ms", ".2f"),
                ("quantize_ms", "quantize ms", ".3f"),
            ],
        )
    )
    print()
    print(
        _common.table(
            deep,
            [
                ("hidden", "hidden", ""),
                ("G", "G", ""),
                ("frame_bytes", "frame bytes", ""),
                ("frame_bytes_all_float32", "all float32", ""),
                ("scale16_ms", "scale16 ms", ".3f"),
                ("encode_sent_ms", "encode ms", ".3f"),
                ("encode_float32_ms", "float32 ms", ".3f"),
            ],
        )
    )
    print()
    rows = [{"case": name, **case} for name, case in cases.items()]
    print(
        _common.table(
            rows,
            [
                ("case", "case", ""),
                ("H", "H", ""),
                ("draw_ms", "draw ms", ".0f"),
                ("frames_per_s", "frames/s", ".1f"),
                ("steps_per_s", "steps/s", ".0f"),
                ("age_median_ms", "age med ms", ".1f"),
                ("age_p95_ms", "age p95", ".1f"),
                ("age_max_ms", "age max", ".1f"),
                ("age_first_third_ms", "1st third", ".1f"),
                ("age_last_third_ms", "last third", ".1f"),
                ("frame_bytes", "bytes", ""),
            ],
        )
    )
    print()
    print(_common.targets_table(figures, TARGETS, verdicts, ".3f"))
    clean = lambda d: {k: (_common.finite(v) if isinstance(v, float) else v) for k, v in d.items()}  # noqa: E731
    payload = {
        "steps_per_second": STEPS_PER_SECOND,
        "frames": [clean(f) for f in frames],
        "deep_frames": [clean(f) for f in deep],
        "cases": {name: clean(case) for name, case in cases.items()},
        "figures": clean(figures),
        "targets": TARGETS,
        "verdicts": verdicts,
    }
    path = _common.write_results("stream", args.out, started, payload, args.quick)
    print(f"wrote {path}")
    return payload


if __name__ == "__main__":
    main()
