"""Settings from defaults, environment and flags; `python -m app` serves what `make run` promises."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import httpx
import pytest

from app.api.settings import Settings

from .conftest import free_port


def test_flags_win_over_environment_which_wins_over_defaults():
    s = Settings.from_env(
        {"BPV_PORT": "9001", "BPV_MAX_HIDDEN": "64"}, argv=["--port", "9002", "--host", "0.0.0.0"]
    )
    assert (s.port, s.host, s.max_hidden, s.max_sessions) == (9002, "0.0.0.0", 64, Settings().max_sessions)


@pytest.mark.parametrize(
    "environ, says",
    [
        ({"BPV_PORT": "eighty"}, "port must be a whole number"),
        ({"BPV_MAX_SESSIONS": "0"}, "max_sessions must be positive"),
        ({"BPV_PORT": "70000"}, "port must be in"),
    ],
)
def test_bad_settings_name_the_setting(environ, says):
    with pytest.raises(ValueError, match=says):
        Settings.from_env(environ)


@pytest.mark.slow
def test_python_m_app_serves_the_api_and_the_docs(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert f"http://localhost:{port}/" in server.stdout.readline()
        deadline = time.monotonic() + 20
        while True:
            try:
                docs = httpx.get(f"http://127.0.0.1:{port}/docs")
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.1)
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
        assert httpx.post(f"http://127.0.0.1:{port}/api/sessions", json={}).status_code == 201
        page = httpx.get(f"http://127.0.0.1:{port}/")
        static = re.search(r'src="(/static/[0-9a-f]+)/app.js"', page.text)[1]
        plotly = httpx.get(f"http://127.0.0.1:{port}{static}/vendor/plotly/plotly-basic.min.js")
        assert plotly.status_code == 200 and len(plotly.content) > 1_000_000
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.slow  # over half a second
def test_bad_flag_exits_with_a_message():
    out = subprocess.run([sys.executable, "-m", "app", "--port", "x"], capture_output=True, text=True)
    assert out.returncode != 0 and "port must be a whole number" in out.stderr


@pytest.mark.parametrize(("name", "most"), [("max_polls", 1000), ("max_poll_voters", 10_000)])
def test_poll_limits_are_bounded_by_what_a_saved_run_holds(name, most):
    from app.training.polls_saved import MAX_POLLS_SAVED, MAX_VOTES_SAVED

    assert (MAX_POLLS_SAVED, MAX_VOTES_SAVED) == (1000, 10_000)
    assert getattr(Settings(**{name: most}), name) == most
    with pytest.raises(ValueError, match=f"{name} must be at most {most}"):
        Settings(**{name: most + 1})
    with pytest.raises(ValueError, match=name):
        Settings.from_env({}, [f"--{name.replace('_', '-')}", str(most + 1)])
