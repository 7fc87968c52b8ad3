"""The page's weight on the wire and its first frame, in headless Chromium on lecture-hall Wi-Fi
(emulated: 1.5 Mbit/s down and up, 100 ms latency), against the tree before (same run, alternated).

    .venv/bin/python -m bench.page_load            # about 3 minutes; bench/results/page_load.json
    .venv/bin/python -m bench.page_load --quick    # seconds: no throttling, no baseline, one round

Each contender is `python -m app` on 127.0.0.1, which Chromium reaches as http://lab-pc.local
(a name over plain http, as a class reaches it: Chromium then offers gzip, not brotli): this
tree, and the baseline, an older commit (--baseline REF) taken out of git into a temporary
folder. Each is visited once unthrottled first (a server already serving, as in class). Each
round opens the page `/` (a new run, drawn by its driver) in a new browser context, so with an
empty cache (the first load), then reloads it in the same context (the repeat load), and waits
each time for the first frame the page has drawn (window.bpv.framesDrawn). Bytes on the wire
come from Chrome's DevTools protocol: every response's encodedDataLength (headers included; a
304 or a cache hit counts what it cost), plus the WebSocket's frames both ways up to the first
binary frame received (the one drawn). The time is performance.now() when the page shows its
first frame, from the start of the navigation. Contenders take turns each round; figures are
medians over rounds. The figures include the browser's own work: on a loaded machine (2 cores
shared with other test runs) the page's start alone has taken 1 to 3 s with no throttling.
"""

from __future__ import annotations

import base64
import subprocess
import tempfile
from contextlib import ExitStack
from pathlib import Path

from bench import _common  # noqa: E402 (one BLAS thread: bench/__init__.py, before numpy loads)
from bench._server import ServerProcess  # noqa: E402
from tests.browser.chromium import launch  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# The tree before the page was made light: full plotly.js from the plotly package, nothing
# compressed, static files under ?v= query strings.
BASELINE_REF = "a3e7971"
KBIT = 1000 / 8  # bytes per second in one kbit/s
NETWORK = {
    "offline": False,
    "latency": 100,  # ms
    "downloadThroughput": 1500 * KBIT,
    "uploadThroughput": 1500 * KBIT,
}
# Students reach the server by a name or a LAN address over plain http, which is not a secure
# context: Chromium then offers gzip and deflate only (on 127.0.0.1 it also offers br and zstd).
# The page is loaded as http://lab-pc.local, a name Chromium resolves to 127.0.0.1.
LAN_NAME = "lab-pc.local"
TARGETS = {"first_load_kB": 600.0, "repeat_load_kB": 50.0, "first_frame_s": 5.0}  # each at most
# Each load's figures: bytes on the wire (all, HTTP, WebSocket), requests (and how many the cache
# did not answer), seconds to the first frame, and the renderer's busy seconds meanwhile.
FIGURES = (
    "kB",
    "http_kB",
    "ws_kB",
    "requests",
    "from_network",
    "static_from_network",
    "first_frame_s",
    "task_s",
    "script_s",
)
FIRST_FRAME = "() => window.bpv && window.bpv.framesDrawn > 0 && performance.now()"


class WireCount:
    """What one page load cost on the wire, from the DevTools protocol's Network events."""

    def __init__(self, cdp) -> None:
        self.http_bytes = 0
        self.ws_bytes = 0
        self.requests = 0
        self.from_network = 0
        self.static_from_network = 0  # of the page's files (under /static/): none on a reload
        self.frame_seen = False
        self.largest: list[tuple[int, str]] = []
        self.accept_encoding: str | None = None
        # Only what this load asked for: the page before a reload may still finish a request
        # or receive a frame on its old socket.
        self._urls: dict[str, str] = {}
        self._sockets: set[str] = set()
        self._cdp = cdp
        self._listeners = {
            "Network.requestWillBeSent": self._request,
            "Network.requestWillBeSentExtraInfo": self._request_headers,
            "Network.loadingFinished": self._finished,
            "Network.webSocketCreated": lambda e: self._sockets.add(e["requestId"]),
            "Network.webSocketFrameSent": lambda e: self._ws(e, received=False),
            "Network.webSocketFrameReceived": lambda e: self._ws(e, received=True),
        }
        for event, listener in self._listeners.items():
            cdp.on(event, listener)

    def detach(self) -> None:
        for event, listener in self._listeners.items():
            self._cdp.remove_listener(event, listener)

    def _request(self, event) -> None:
        self._urls[event["requestId"]] = event["request"]["url"]

    def _request_headers(self, event) -> None:
        headers = {k.lower(): v for k, v in event.get("headers", {}).items()}
        if self.accept_encoding is None and "accept-encoding" in headers:
            self.accept_encoding = headers["accept-encoding"]

    def _finished(self, event) -> None:
        if self.frame_seen or event["requestId"] not in self._urls:
            return
        size = int(event["encodedDataLength"])
        self.http_bytes += size
        self.requests += 1
        self.from_network += size > 0  # the browser's cache answers the others
        self.static_from_network += size > 0 and "/static/" in self._urls[event["requestId"]]
        self.largest.append((size, self._urls.get(event["requestId"], "?")))

    def _ws(self, event, received: bool) -> None:
        if self.frame_seen or event["requestId"] not in self._sockets:
            return
        response = event["response"]
        binary = response["opcode"] == 2
        payload = response["payloadData"]
        self.ws_bytes += len(base64.b64decode(payload)) if binary else len(payload.encode())
        if received and binary:
            self.frame_seen = True

    def figures(self, first_frame_ms: float) -> dict:
        top = sorted(self.largest, reverse=True)[:5]
        return {
            "kB": (self.http_bytes + self.ws_bytes) / 1000,
            "http_kB": self.http_bytes / 1000,
            "ws_kB": self.ws_bytes / 1000,
            "requests": self.requests,
            "from_network": self.from_network,
            "static_from_network": self.static_from_network,
            "first_frame_s": first_frame_ms / 1000,
            "largest": [{"bytes": size, "url": url.split("/", 3)[-1][:100]} for size, url in top],
            "accept_encoding": self.accept_encoding,
        }


def busy_seconds(cdp) -> dict:
    """The renderer's time running tasks, and scripts among them, since the document began
    (DevTools' Performance metrics): what the page's own work cost, apart from the network."""
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {"task_s": metrics.get("TaskDuration", 0.0), "script_s": metrics.get("ScriptDuration", 0.0)}


def load(page, cdp, go) -> dict:
    """One load of the page (go() navigates or reloads), counted up to its first frame drawn."""
    count = WireCount(cdp)
    go()
    first_frame_ms = page.wait_for_function(FIRST_FRAME, polling="raf", timeout=180_000).json_value()
    busy = busy_seconds(cdp)
    page.wait_for_timeout(0)  # let the events that arrived with the frame be dispatched
    count.detach()
    return {**count.figures(first_frame_ms), **busy}


def visit(browser, url: str, throttle: bool) -> dict:
    """A first load in a fresh context (empty cache), then a reload in the same context."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Performance.enable")
        if throttle:
            cdp.send("Network.emulateNetworkConditions", NETWORK)
        # Waiting for the first frame, not for "load" (the baseline's takes over 30 s).
        first = load(page, cdp, lambda: page.goto(url, wait_until="commit", timeout=180_000))
        repeat = load(page, cdp, lambda: page.reload(wait_until="commit", timeout=180_000))
        if errors:
            raise RuntimeError(f"the page at {url} raised: {errors[:3]}")
        return {"first": first, "repeat": repeat}
    finally:
        context.close()


def baseline_tree(ref: str, into: Path) -> Path:
    """The project at commit `ref`, out of git (no checkout of this tree is touched)."""
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def summarize(samples: list[dict]) -> dict:
    """Medians over rounds of each load's figures."""
    out = {}
    for which in ("first", "repeat"):
        loads = [s[which] for s in samples]
        out[which] = {key: _common.median([x[key] for x in loads]) for key in FIGURES}
        out[which]["largest"] = loads[-1]["largest"]
    out["accept_encoding"] = samples[-1]["first"]["accept_encoding"]
    return out


def main(argv=None) -> dict:
    p = _common.parser(__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=None, help="rounds (default 3; --quick 1)")
    p.add_argument("--baseline", default=BASELINE_REF, help=f"the commit to compare (default {BASELINE_REF})")
    p.add_argument("--no-baseline", action="store_true", help="this tree only")
    args = p.parse_args(argv)
    rounds = args.rounds or (1 if args.quick else 3)
    if not 1 <= rounds <= 20:
        raise SystemExit("keep --rounds in 1..20")
    with_baseline = not (args.quick or args.no_baseline)
    throttle = not args.quick
    started = _common.machine()
    from playwright.sync_api import sync_playwright

    with ExitStack() as stack:
        servers = {"ours": stack.enter_context(ServerProcess(allowed_hosts=LAN_NAME))}
        if with_baseline:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-baseline-")))
            tree = baseline_tree(args.baseline, folder)
            servers["baseline"] = stack.enter_context(ServerProcess(root=tree, allowed_hosts=LAN_NAME))
        playwright = stack.enter_context(sync_playwright())
        browser = launch(playwright, f"--host-resolver-rules=MAP {LAN_NAME} 127.0.0.1")
        stack.callback(browser.close)
        urls = {name: f"http://{LAN_NAME}:{server.port}/" for name, server in servers.items()}
        # A server already serving, as in class once the teacher's page is open: its frame
        # process started, its template compiled (not counted).
        for url in urls.values() if not args.quick else ():
            visit(browser, url, throttle=False)
        samples = {name: [] for name in servers}
        for r in range(rounds):
            order = list(servers) if r % 2 == 0 else list(reversed(servers))
            for name in order:
                samples[name].append(visit(browser, urls[name], throttle))
                print(f"round {r + 1} {name}: {_brief(samples[name][-1])}", flush=True)

    results = {name: summarize(s) for name, s in samples.items()}
    ours = results["ours"]
    figures = {
        "first_load_kB": ours["first"]["kB"],
        "repeat_load_kB": ours["repeat"]["kB"],
        "first_frame_s": ours["first"]["first_frame_s"],
    }
    verdicts = {k: _common.verdict(v, TARGETS[k]) for k, v in figures.items()}
    rows = []
    for which in ("first", "repeat"):
        for key in FIGURES:
            row = {"figure": f"{which} load: {key}", "ours": ours[which][key]}
            if "baseline" in results:
                base = results["baseline"][which][key]
                row["baseline"] = base
                row["ratio"] = ours[which][key] / base if base else None
            rows.append(row)
    columns = [("figure", "figure", ""), ("ours", "this tree", ".2f")]
    if "baseline" in results:
        columns += [("baseline", f"baseline {args.baseline}", ".2f"), ("ratio", "this/baseline", ".3f")]
    print(f"network: {'1.5 Mbit/s down and up, 100 ms latency' if throttle else 'not throttled (--quick)'}")
    print(f"medians of {rounds} round(s); Chromium's Accept-Encoding: {ours['accept_encoding']}")
    print(_common.table(rows, columns))
    print()
    print(_common.targets_table(figures, TARGETS, verdicts, ".2f"))
    payload = {
        "network": NETWORK if throttle else None,
        "rounds": rounds,
        "baseline_ref": args.baseline if with_baseline else None,
        "results": results,
        "samples": samples,
        "figures": {k: _common.finite(v) for k, v in figures.items()},
        "targets": TARGETS,
        "verdicts": verdicts,
    }
    path = _common.write_results("page_load", args.out, started, payload, quick=args.quick)
    print(f"wrote {path}")
    return payload


def _brief(sample: dict) -> str:
    first, repeat = sample["first"], sample["repeat"]
    return (
        f"first {first['kB']:.1f} kB, frame at {first['first_frame_s']:.2f} s; "
        f"repeat {repeat['kB']:.1f} kB, frame at {repeat['first_frame_s']:.2f} s"
    )


if __name__ == "__main__":
    main()
