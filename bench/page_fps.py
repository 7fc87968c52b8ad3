"""Frames per second the page draws in headless chromium: the full dashboard, H=500, grid G=100.

    .venv/bin/python bench/page_fps.py [--hidden 500] [--grid 100] [--seconds 10] [--fps 60]
    .venv/bin/python bench/page_fps.py --network      # the Network view open: 8, 6 x 16 and 6 x 64

Starts the app in uvicorn on a free port (tests/conftest.py's LiveServer), opens the page with
that configuration in its URL, presses play, and counts the frames the page has drawn and
acknowledged (window.bpv.framesDrawn) over the measuring window. The server's frame-rate cap is
set to --fps (at most the server's max_fps), so the figure is the page's limit, not the cap.
--hidden takes a width or a list of widths (16,16,16); --tab opens that tab of the bottom panel
first (network, hidden, ...). --network measures the network diagram open on a deep run while
it plays, at depth 1 (8 units), 6 x 16 and 6 x 64 (grid 64, every layer's weights and gradients
in every frame), and writes bench/results/page_fps_network.json; beside the frames drawn it
counts the diagram's own paints (window.bpv.networkPaints: at most one an animation frame).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# One BLAS thread unless the environment says otherwise, set before numpy is imported (the server
# runs in this process): with two cores, multi-threaded BLAS stalls while the browser is busy too
# (measured). OPENBLAS_NUM_THREADS=2 python bench/page_fps.py measures the other case.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from app.api.settings import Settings  # noqa: E402
from bench import _common  # noqa: E402
from tests.browser.chromium import launch  # noqa: E402
from tests.conftest import LiveServer  # noqa: E402

PROBE = (
    "() => ({frames: bpv.framesDrawn, drawMs: bpv.drawMs, step: bpv.step, paints: bpv.networkPaints ?? 0})"
)
NETWORK_RUNS = ("8", "16,16,16,16,16,16", "64,64,64,64,64,64")  # depth 1, 6 x 16 and 6 x 64
NETWORK_TARGET = 30.0  # updates a second with the diagram open


def open_page(browser, server, args, hidden: str):
    """The page at `hidden`, its first frame drawn; (page, the console's errors)."""
    query = f"?hidden={hidden}&grid={args.grid}&fps={args.fps:g}"
    if args.steps_per_second:
        query += f"&steps_per_second={args.steps_per_second:g}"
    page = browser.new_page(viewport={"width": args.width, "height": args.height})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/" + query)
    page.wait_for_function("() => window.bpv && window.bpv.framesDrawn > 0", timeout=15000)
    return page, errors


def open_tab(page, tab: str) -> None:
    page.click(f"#tab-{tab}")
    page.wait_for_selector(f'#tab-{tab}[aria-selected="true"]', timeout=5000)
    time.sleep(0.5)  # its first fetch and drawing done


def window(page, seconds: float) -> dict:
    """What the playing page drew over `seconds`: frames, a second, and JS ms a frame."""
    start, t0 = page.evaluate(PROBE), time.perf_counter()
    time.sleep(seconds)
    end, t1 = page.evaluate(PROBE), time.perf_counter()
    frames = end["frames"] - start["frames"]
    return {
        "frames": frames,
        "seconds": t1 - t0,
        "frames_per_s": frames / (t1 - t0),
        "draw_ms_per_frame": (end["drawMs"] - start["drawMs"]) / max(frames, 1),
        # the Network view's own paints (one per animation frame at most, however many frames came)
        "diagram_paints_per_s": (end["paints"] - start["paints"]) / (t1 - t0),
        "steps": end["step"] - start["step"],
    }


def play(page) -> None:
    page.click("#play")
    page.wait_for_function("() => bpv.status === 'running'", timeout=5000)
    time.sleep(1.0)  # past the start: the first redraws, the JIT warming up


def measure(browser, server, args, hidden: str, tab: str | None) -> dict:
    """One page at `hidden`, playing, `tab` open: the frames it drew and acknowledged a second."""
    page, errors = open_page(browser, server, args, hidden)
    if tab:
        open_tab(page, tab)
    play(page)
    row = {"hidden": hidden, "tab": tab, **window(page, args.seconds), "errors": errors}
    page.close()
    return row


def alternated(browser, server, args, hidden: str, rounds: int) -> dict:
    """One page at `hidden`, playing: the Network view and the default view (the weight
    matrices) open in turn, `rounds` windows each, the order reversed every other round;
    medians of each, and the median of each round's ratio network / default."""
    page, errors = open_page(browser, server, args, hidden)
    play(page)
    windows = {"network": [], "weights": []}
    for r in range(rounds):
        for tab in ("network", "weights") if r % 2 == 0 else ("weights", "network"):
            open_tab(page, tab)
            windows[tab].append(window(page, args.seconds))
    page.close()
    fps = {tab: [w["frames_per_s"] for w in ws] for tab, ws in windows.items()}
    draw_ms = {tab: [w["draw_ms_per_frame"] for w in ws] for tab, ws in windows.items()}
    return {
        "hidden": hidden,
        "tab": "network",
        "frames_per_s": _common.median(fps["network"]),
        "draw_ms_per_frame": _common.median(draw_ms["network"]),
        "diagram_paints_per_s": _common.median([w["diagram_paints_per_s"] for w in windows["network"]]),
        "frames_per_s_weights_view": _common.median(fps["weights"]),
        "draw_ms_per_frame_weights_view": _common.median(draw_ms["weights"]),
        "paired_network_over_weights": _common.median([a / b for a, b in zip(*fps.values())]),
        "windows": windows,
        "frames": sum(w["frames"] for w in windows["network"]),
        "seconds": sum(w["seconds"] for w in windows["network"]),
        "steps": sum(w["steps"] for w in windows["network"]),
        "errors": errors,
    }


def report(args, row: dict) -> None:
    print(
        f"page: hidden={row['hidden']}, G={args.grid}, {args.width}x{args.height}, tab {row['tab'] or '-'}, "
        f"asked for {args.fps:g} frames/s"
    )
    print(f"  frames drawn: {row['frames']} in {row['seconds']:.1f} s = {row['frames_per_s']:.1f} frames/s")
    print(f"  drawing: {row['draw_ms_per_frame']:.2f} ms a frame on average (JS, in the page)")
    if "diagram_paints_per_s" in row:
        print(f"  the diagram painted {row['diagram_paints_per_s']:.1f} times a second")
    print(f"  training: {row['steps']} steps in the window")
    if "frames_per_s_weights_view" in row:
        print(
            "  the default view (weights) in the same rounds: "
            f"{row['frames_per_s_weights_view']:.1f} frames/s, "
            f"{row['draw_ms_per_frame_weights_view']:.2f} ms a frame; network / weights, paired: "
            f"{row['paired_network_over_weights']:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden", default="500", help="a width, or widths: 16,16,16")
    parser.add_argument("--grid", type=int, default=None, help="default 100 (64 with --network)")
    parser.add_argument("--seconds", type=float, default=10.0, help="a window (with --network: each)")
    parser.add_argument("--fps", type=float, default=60.0, help="the frame rate the page asks the server for")
    parser.add_argument("--steps-per-second", type=float, default=None, help="default: the run's default")
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--tab", default=None, help="open this tab of the bottom panel first: network, ...")
    parser.add_argument("--network", action="store_true", help="the diagram open, 8, 6 x 16 and 6 x 64")
    parser.add_argument("--rounds", type=int, default=3, help="with --network: windows of each view")
    parser.add_argument("--out", type=Path, default=None, help="with --network: results file")
    args = parser.parse_args()
    if args.grid is None:
        args.grid = 64 if args.network else 100

    started = _common.machine()
    with LiveServer(Settings()) as server, sync_playwright() as p:
        browser = launch(p)
        if args.network:
            rows = [alternated(browser, server, args, hidden, args.rounds) for hidden in NETWORK_RUNS]
        else:
            rows = [measure(browser, server, args, args.hidden, args.tab)]
        browser.close()

    print(f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    for row in rows:
        report(args, row)
    if args.network:
        for row in rows:
            row["target"] = NETWORK_TARGET
            row["verdict"] = "met" if row["frames_per_s"] >= NETWORK_TARGET else "MISSED"
        payload = {
            "grid": args.grid,
            "fps_asked": args.fps,
            "viewport": [args.width, args.height],
            "rows": rows,
        }
        path = _common.write_results("page_fps_network", args.out, started, payload)
        print(f"wrote {path}")
    errors = [e for row in rows for e in row["errors"]]
    if errors:
        print("console errors:", *errors, sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
