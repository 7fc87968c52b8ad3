"""The server's settings and limits, in one place: defaults, environment variables, command-line flags.

Every setting NAME can be given as the environment variable BPV_NAME (upper case) or the flag
--name (dashes for underscores); a flag wins over the environment, which wins over the default.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from dataclasses import dataclass, fields

from app.training.polls_saved import MAX_POLLS_SAVED, MAX_VOTES_SAVED

# Settings a saved run must be able to hold: a run saved at them loads back.
SAVED_RUN_BOUNDS = {"max_polls": MAX_POLLS_SAVED, "max_poll_voters": MAX_VOTES_SAVED}


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    max_sessions: int = 64
    max_hidden: int = 1024
    max_points: int = 5000
    max_grid: int = 200
    max_steps_per_request: int = 5000
    max_step_seconds: float = 10.0  # one request's (or socket message's) steps stop after this long
    body_idle_seconds: float = 15.0  # a request body that sends nothing this long gets a 408
    max_inspections: int = 4  # inspect requests computed at once; the rest wait, holding no thread
    idle_seconds: float = 1800.0  # a session nobody used or watched for this long is deleted
    # A session whose driver's socket closed (a reload, a closed tab, a laptop asleep) plays on as
    # left this long for the driver to come back; then it is deleted, even if watched.
    driver_grace_seconds: float = 1800.0
    default_fps: float = 30.0
    max_fps: float = 60.0
    max_message_bytes: int = 65536  # a WebSocket message from a client
    max_viewers: int = 200  # sockets watching one session
    max_polls: int = 100  # polls asked in one run
    max_poll_voters: int = 500  # viewer ids voting in one poll (a reconnecting viewer keeps its id)
    allowed_origins: str = ""  # comma-separated extra origins allowed to drive the API; same-origin always is
    # Host names the server answers to besides the loopback ones and a specific --host (a LAN address
    # or name students type); comma-separated, "*.example.org" for a domain, "*" for any.
    allowed_hosts: str = ""
    frame_ancestors: str = "'none'"  # pages allowed to embed this one in a frame (a CSP source list)
    max_body_bytes: int = 1 << 20  # a request body, for every route but the two below
    max_import_bytes: int = 80 << 20  # POST /api/runs: the largest saved run at the default limits is ~60 MiB
    max_compare_bytes: int = 4 << 20  # POST .../compare: 2 MB of CSV, each newline escaped in JSON
    data_dir: str = "data"  # where saved runs live (runs.sqlite3)
    max_saved_runs: int = 1000
    log_level: str = "info"
    frame_process: int = (
        1  # 1: build the stream's frames in a second process (a core of its own); 0: in threads
    )

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type in ("int", "float") and value <= 0 and f.name not in ("port", "frame_process"):
                raise ValueError(f"{f.name} must be positive, got {value}")
        for name, most in SAVED_RUN_BOUNDS.items():
            if getattr(self, name) > most:
                raise ValueError(
                    f"{name} must be at most {most} (what a saved run holds), got {getattr(self, name)}"
                )
        if self.frame_process not in (0, 1):
            raise ValueError(f"frame_process must be 0 or 1, got {self.frame_process}")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port must be in 0..65535, got {self.port}")
        if not self.frame_ancestors.strip() or any(c in self.frame_ancestors for c in ";,\r\n"):
            raise ValueError(
                f"frame_ancestors must be a CSP source list such as 'self' https://lms.example, "
                f"got {self.frame_ancestors!r}"
            )
        for pattern in comma_list(self.allowed_hosts):
            wildcard = pattern.startswith("*") and pattern != "*"
            if "*" in pattern[1:] or wildcard and not pattern.startswith("*."):
                raise ValueError(f"allowed_hosts: a wildcard is '*.example.org' or '*', got {pattern!r}")

    @classmethod
    def from_env(cls, environ=os.environ, argv: list[str] | None = None) -> Settings:
        values = {}
        for f in fields(cls):
            raw = environ.get(f"BPV_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _parse(f, raw)
        if argv is not None:
            parser = argparse.ArgumentParser(prog="backprop-visualizer", description="Serve the visualizer.")
            for f in fields(cls):
                parser.add_argument(
                    f"--{f.name.replace('_', '-')}",
                    dest=f.name,
                    default=None,
                    help=f"default {f.default} (environment BPV_{f.name.upper()})",
                )
            for name, raw in vars(parser.parse_args(argv)).items():
                if raw is not None:
                    values[name] = _parse(next(f for f in fields(cls) if f.name == name), raw)
        return cls(**values)

    def replace(self, **changes) -> Settings:
        return dataclasses.replace(self, **changes)


def comma_list(text: str) -> list[str]:
    """A comma-separated setting as its items, blanks dropped."""
    return [item.strip() for item in text.split(",") if item.strip()]


def _parse(f, raw: str):
    try:
        return {"int": int, "float": float}.get(f.type, str)(raw)
    except ValueError:
        kind = {"int": "a whole number", "float": "a number"}.get(f.type, "text")
        raise ValueError(f"{f.name} must be {kind}, got {raw!r}") from None
