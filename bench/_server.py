"""The server under test, on loopback only: in this process (to see inside a session), or as its
own process exactly as `python -m app` runs it (to measure that process's CPU and memory)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.conftest import LiveServer

HOST = "127.0.0.1"  # never anything but loopback


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class InProcessServer(LiveServer):
    """uvicorn serving create_app() in a thread of this process, as the tests' live server does
    (configured like app/__main__.py: no per-message deflate), with its saved runs in a throwaway
    folder. `session(id)` gives a session itself, to see inside it."""

    def __init__(self, **settings):
        from app.api.settings import Settings

        self._data = tempfile.TemporaryDirectory(prefix="bench-data-")
        super().__init__(Settings(log_level="warning", data_dir=self._data.name, **settings))

    def session(self, session_id: str):
        return self.app.state.registry.get(session_id)

    def __exit__(self, *exc):
        super().__exit__(*exc)
        self._data.cleanup()


class ServerProcess:
    """`python -m app` in a process of its own, one BLAS thread (or `blas_threads`; None: the
    environment as it is, the server's own choice), on a free loopback port; run from `root`
    (default: this tree), which may be another tree of the project (an older commit)."""

    def __init__(self, root: Path | None = None, blas_threads: int | None = 1, **settings):
        self.root = root or Path(__file__).resolve().parent.parent
        self.blas_threads = blas_threads
        self.port = free_port()
        self._data = tempfile.TemporaryDirectory(prefix="bench-data-")
        values = {
            "host": HOST,
            "port": self.port,
            "log_level": "warning",
            "data_dir": self._data.name,
            **settings,
        }
        self.args = [sys.executable, "-m", "app"]
        for name, value in values.items():
            self.args += [f"--{name.replace('_', '-')}", str(value)]
        self.url = f"http://{HOST}:{self.port}"
        self.ws_url = f"ws://{HOST}:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
        if self.blas_threads is not None:
            env |= {"OPENBLAS_NUM_THREADS": str(self.blas_threads), "OMP_NUM_THREADS": str(self.blas_threads)}
        self.process = subprocess.Popen(self.args, cwd=self.root, env=env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with code {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/api/presets", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError("the server did not answer within 30 s")
            time.sleep(0.1)

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._data.cleanup()

    @property
    def pid(self) -> int:
        return self.process.pid


def process_usage(pid: int) -> tuple[float, int]:
    """(CPU seconds used so far, resident memory in bytes) of process `pid`, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    rss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) * 1024
    return cpu, rss


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid` (the server's frame process), from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended meanwhile
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def family_usage(pid: int) -> tuple[float, int, float, int]:
    """process_usage of `pid`, then the same summed over its child processes."""
    cpu, rss = process_usage(pid)
    child_cpu = child_rss = 0
    for child in child_pids(pid):
        try:
            c, r = process_usage(child)
        except OSError:
            continue
        child_cpu, child_rss = child_cpu + c, child_rss + r
    return cpu, rss, child_cpu, child_rss
