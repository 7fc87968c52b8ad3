"""Frames per second the page draws in headless chromium: the full dashboard, H=500, grid G=100.

    .venv/bin/python bench/page_fps.py [--hidden 500] [--grid 100] [--seconds 10] [--fps 60]

Starts the app in uvicorn on a free port (tests/conftest.py's LiveServer), opens the page with
that configuration in its URL, presses play, and counts the frames the page has drawn and
acknowledged (window.bpv.framesDrawn) over the measuring window. The server's frame-rate cap is
set to --fps (at most the server's max_fps), so the figure is the page's limit, not the cap.
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
from tests.browser.chromium import launch  # noqa: E402
from tests.conftest import LiveServer  # noqa: E402

PROBE = "() => ({frames: bpv.framesDrawn, drawMs: bpv.drawMs, step: bpv.step})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden", type=int, default=500)
    parser.add_argument("--grid", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--fps", type=float, default=60.0, help="the frame rate the page asks the server for")
    parser.add_argument("--steps-per-second", type=float, default=None, help="default: the run's default")
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    args = parser.parse_args()

    query = f"?hidden={args.hidden}&grid={args.grid}&fps={args.fps:g}"
    if args.steps_per_second:
        query += f"&steps_per_second={args.steps_per_second:g}"
    with LiveServer(Settings()) as server, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server.url + "/" + query)
        page.wait_for_function("() => window.bpv && window.bpv.framesDrawn > 0", timeout=15000)
        page.click("#play")
        page.wait_for_function("() => bpv.status === 'running'", timeout=5000)
        time.sleep(1.0)  # past the start: plotly's first redraws, the JIT warming up
        start, t0 = page.evaluate(PROBE), time.perf_counter()
        time.sleep(args.seconds)
        end, t1 = page.evaluate(PROBE), time.perf_counter()
        browser.close()

    frames = end["frames"] - start["frames"]
    seconds = t1 - t0
    print(f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    print(
        f"page: H={args.hidden}, G={args.grid}, {args.width}x{args.height}, asked for {args.fps:g} frames/s"
    )
    print(f"frames drawn: {frames} in {seconds:.1f} s = {frames / seconds:.1f} frames/s")
    print(
        f"drawing: {(end['drawMs'] - start['drawMs']) / max(frames, 1):.2f} ms a frame on average "
        "(JS, in the page)"
    )
    print(f"training: {end['step'] - start['step']} steps in the window")
    if errors:
        print("console errors:", *errors, sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
