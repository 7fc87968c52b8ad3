"""Every benchmark, one after another, each in a process of its own (so none inherits another's
threads, caches or memory): step, grid, stream, classroom, page_load, and page_fps (the full
dashboard, then the Network view open on deep runs) when it is there.

    .venv/bin/python -m bench.run_all            # about 9 minutes; bench/results/*.json
    .venv/bin/python -m bench.run_all --quick    # under a minute: they all run

--quick is passed on to each (page_fps.py, a script with flags of its own, gets --seconds 3
instead). One that fails is reported, and the rest still run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULES = ("step", "grid", "stream", "classroom", "page_load")  # python -m bench.NAME [--quick]
FULL_ONLY = {"classroom": ["--baseline"]}  # the full run compares with frames built in threads
PAGE = HERE / "page_fps.py"  # headless chromium drawing the page: python bench/page_fps.py


def run(name: str, command: list[str]) -> bool:
    print(f"== {name}", flush=True)
    began = time.monotonic()
    code = subprocess.call(command, cwd=HERE.parent)
    verdict = "ok" if code == 0 else f"FAILED (exit {code})"
    print(f"== {name}: {verdict} in {time.monotonic() - began:.0f} s\n", flush=True)
    return code == 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if set(args) - {"--quick"}:
        print(__doc__)
        return 0 if set(args) <= {"-h", "--help"} else 2
    quick = ["--quick"] if "--quick" in args else []
    failed = [
        name
        for name in MODULES
        if not run(name, [sys.executable, "-m", f"bench.{name}", *(quick or FULL_ONLY.get(name, []))])
    ]
    if PAGE.exists():
        if not run("page_fps", [sys.executable, str(PAGE), *(["--seconds", "3"] if quick else [])]):
            failed.append("page_fps")
        network = ["--network", *(["--seconds", "2", "--rounds", "1"] if quick else [])]
        if quick:  # not over the kept figures
            network += ["--out", str(HERE / "results" / "quick" / "page_fps_network.json")]
        if not run("page_fps --network", [sys.executable, str(PAGE), *network]):
            failed.append("page_fps --network")
    else:
        print("== page_fps: bench/page_fps.py is not here, skipped", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
