"""Shared fixtures: a real uvicorn server on a free loopback port, and a TestClient app."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest
import uvicorn
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings

from app.api.log_redaction import redact_uvicorn_logs
from app.api.settings import Settings
from app.main import create_app

# CI runs the same examples every time (a red run must be reproducible); locally they vary.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


# The quick loop (-m "not browser and not slow") runs the first QUICK_CASES cases of a
# parametrised family longer than LONG_FAMILY; the others are marked slow, so the full suite still
# runs every case while the loop stays under a minute with a thousand tests.
LONG_FAMILY = 3
QUICK_CASES = 2


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config, items):
    families: dict[tuple[str, str], list[pytest.Item]] = {}
    for item in items:
        if getattr(item, "callspec", None) is not None:
            families.setdefault((item.nodeid.split("::")[0], item.originalname), []).append(item)
    for cases in families.values():
        if len(cases) > LONG_FAMILY:
            for item in cases[QUICK_CASES:]:
                item.add_marker(pytest.mark.slow)


def pytest_ignore_collect(collection_path, config):
    """The API fuzz builds a test per route from the OpenAPI schema as it is collected (3-4 s),
    and all of them are slow: a run that leaves slow tests out need not build them."""
    if collection_path.name == "test_api_fuzz.py" and "not slow" in (config.option.markexpr or ""):
        return True
    return None


LOCAL = "http://localhost"  # TestClient's base URL: a Host name the server answers to


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving create_app(settings) in a background thread, as `make run` would."""

    def __init__(self, settings: Settings, log_level: str = "warning"):
        self.settings = settings.replace(port=free_port())
        self.app = create_app(self.settings)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.settings.port,
            log_level=log_level,
            ws_per_message_deflate=False,
            ws_max_size=self.settings.max_message_bytes,
        )
        redact_uvicorn_logs()
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.settings.port}"

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    with LiveServer(Settings(data_dir=str(tmp_path_factory.mktemp("data")))) as server:
        yield server


@pytest.fixture
def client(tmp_path):
    with TestClient(create_app(Settings(max_sessions=8, data_dir=str(tmp_path))), base_url=LOCAL) as c:
        yield c


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}
