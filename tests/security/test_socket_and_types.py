"""The socket's control token stays out of every log, and a number is never taken for what it is not.

From outside, as an attacker or a careless client would: a real uvicorn whose log records are kept,
a WebSocket client offering what the page offers, REST requests with raw JSON bodies.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from app.api.settings import Settings
from tests.conftest import LiveServer, auth, free_port
from tests.test_stream import Watcher, new_session, subprotocols

ROOT = Path(__file__).resolve().parents[2]


class KeptRecords(logging.Handler):
    """Every record the server's loggers emit, as the line a log file would hold."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()}")


@pytest.fixture(scope="module")
def logged_server(tmp_path_factory):
    """A live server logging at "info", as `python -m app` does by default."""
    server = LiveServer(Settings(data_dir=str(tmp_path_factory.mktemp("data"))), log_level="info")
    with server:
        yield server


@pytest.fixture
def server_log(logged_server):
    kept = KeptRecords()
    loggers = [logging.getLogger(name) for name in ("uvicorn.error", "uvicorn.access")]
    for logger in loggers:
        logger.addHandler(kept)
    yield kept.lines
    for logger in loggers:
        logger.removeHandler(kept)


def closed_with(ws) -> int:
    """The close code of a socket the server is closing (after any messages still to read)."""
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            ws.recv(timeout=5)
    return closed.value.rcvd.code


def wait_for_line(lines: list[str], text: str, timeout: float = 5.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [line for line in lines if text in line]
        if found:
            return found[0]
        time.sleep(0.02)
    raise AssertionError(f"no log line with {text!r} in {lines}")


# ---- the control token reaches no log line ------------------------------------------------


@pytest.mark.slow  # among the quick loop's heaviest (0.5-0.8 s): the full suite runs it
def test_the_driver_drives_with_the_token_in_a_subprotocol_and_no_log_line_holds_it(
    logged_server, server_log
):
    c = new_session(logged_server)
    driver = Watcher(logged_server, c["id"], c["token"])  # offers bpv.v1 and bpv.token.<token>
    assert driver.ws.subprotocol == "bpv.v1"  # chosen from what was offered; the token is not echoed
    assert driver.hello["role"] == "driver"
    driver.send({"type": "step", "n": 3})
    assert driver.next_text() == {
        "type": "ok",
        "for": "step",
        "step": 3,
        "status": "paused",
        "taken": 3,
        "stopped": None,
    }
    driver.send({"type": "play"})
    assert driver.next_text()["status"] == "running"
    while driver.next_frame()[0]["step"] < 10:  # frames skip steps while it plays
        pass
    driver.send({"type": "pause"})
    assert driver.next_text()["for"] == "pause"
    httpx.post(f"{logged_server.url}/api/sessions/{c['id']}/step", json={"n": 2}, headers=auth(c["token"]))
    driver.close()

    handshake = wait_for_line(server_log, f"WebSocket /ws/sessions/{c['id']}")
    assert handshake.endswith("[accepted]")
    wait_for_line(server_log, f'POST /api/sessions/{c["id"]}/step HTTP/1.1" 200')
    assert [line for line in server_log if c["token"] in line] == []


def test_a_token_in_the_url_is_refused_with_how_to_send_it_and_kept_out_of_the_log(logged_server, server_log):
    c = new_session(logged_server)
    with connect(f"{logged_server.ws_url}/ws/sessions/{c['id']}?token={c['token']}") as ws:
        refusal = json.loads(ws.recv(timeout=5))
        assert refusal["type"] == "error" and "not go in the URL" in refusal["message"]
        assert '"bpv.token." + token' in refusal["message"]
        assert closed_with(ws) == 4400
        # refused even though the token was right: nothing was driven
        assert httpx.get(f"{logged_server.url}/api/sessions/{c['id']}").json()["viewers"] == 0

        handshake = wait_for_line(server_log, f"WebSocket /ws/sessions/{c['id']}?token=")
        assert "token=[redacted]" in handshake
        assert [line for line in server_log if c["token"] in line] == []


@pytest.mark.parametrize("key", ["%74oken", "tok%65n", "TOKEN"])
def test_a_percent_encoded_token_key_is_refused_and_redacted_too(logged_server, server_log, key):
    c = new_session(logged_server)
    with connect(f"{logged_server.ws_url}/ws/sessions/{c['id']}?{key}={c['token']}") as ws:
        first = json.loads(ws.recv(timeout=5))  # refused where the server reads it as ?token=
        assert first["type"] == ("hello" if key == "TOKEN" else "error")
        assert first.get("role") != "driver"
        ws.close()
        httpx.get(f"{logged_server.url}/api/sessions/{c['id']}?{key}={c['token']}")
        wait_for_line(server_log, f"/api/sessions/{c['id']}?{key}=")
        assert [line for line in server_log if c["token"] in line] == []


def test_the_driver_is_let_in_when_strangers_fill_the_viewers(tmp_path):
    server = LiveServer(Settings(data_dir=str(tmp_path), max_viewers=2))
    with server:
        c = new_session(server)
        url = f"{server.ws_url}/ws/sessions/{c['id']}"
        with connect(url) as one, connect(url) as two:
            for ws in (one, two):
                assert json.loads(ws.recv(timeout=5))["type"] == "hello"
            with connect(url) as third:
                assert "viewers" in json.loads(third.recv(timeout=5))["message"]
                assert closed_with(third) == 4429
            with connect(url, subprotocols=subprotocols(c["token"])) as driver:
                hello = json.loads(driver.recv(timeout=5))
                assert hello["type"] == "hello" and hello["role"] == "driver"


def test_a_wrong_token_in_the_subprotocol_gets_4403_and_controls_nothing(logged_server):
    c = new_session(logged_server)
    with connect(f"{logged_server.ws_url}/ws/sessions/{c['id']}", subprotocols=subprotocols("guessed")) as ws:
        assert ws.subprotocol == "bpv.v1"
        refusal = json.loads(ws.recv(timeout=5))
        assert refusal == {"type": "error", "message": "wrong control token for this session", "for": None}
        assert closed_with(ws) == 4403
        assert httpx.get(f"{logged_server.url}/api/sessions/{c['id']}").json()["step"] == 0


def test_a_viewer_offers_only_the_protocol_or_none_and_watches(logged_server):
    c = new_session(logged_server)
    url = f"{logged_server.ws_url}/ws/sessions/{c['id']}"
    with connect(url, subprotocols=["bpv.v1"]) as browser_like, connect(url) as bare:
        assert browser_like.subprotocol == "bpv.v1" and bare.subprotocol is None
        for ws in (browser_like, bare):
            assert json.loads(ws.recv(timeout=5))["role"] == "viewer"
        browser_like.send(json.dumps({"type": "play"}))
        while isinstance(reply := browser_like.recv(timeout=5), bytes):
            pass
        assert "only its driver" in json.loads(reply)["message"]


@pytest.mark.slow  # starts python -m app
def test_python_m_app_logs_no_token_even_at_debug_level(tmp_path):
    """The real command, its whole output read: at "debug" uvicorn also prints handshake headers,
    the subprotocol header with the token among them."""
    port = free_port()
    output = tmp_path / "server.log"
    args = [
        sys.executable,
        "-m",
        "app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "debug",
        "--data-dir",
        str(tmp_path),
        "--frame-process",
        "0",
    ]
    with open(output, "wb") as sink:
        server = subprocess.Popen(
            args, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"}
        )
        try:
            url, ws_url = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                assert server.poll() is None and time.monotonic() < deadline, output.read_text()
                try:
                    created = httpx.post(f"{url}/api/sessions", json={}, timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            c = created.json()
            session = f"{ws_url}/ws/sessions/{c['id']}"
            with connect(session, subprotocols=subprotocols(c["token"])) as ws:
                assert json.loads(ws.recv(timeout=5))["role"] == "driver"
                ws.send(json.dumps({"type": "step", "n": 2}))
                while isinstance(reply := ws.recv(timeout=5), bytes):
                    pass
                assert json.loads(reply)["step"] == 2
            with connect(f"{session}?token={c['token']}") as ws:
                assert "not go in the URL" in json.loads(ws.recv(timeout=5))["message"]
        finally:
            server.terminate()
            server.wait(timeout=10)
    log = output.read_text()
    assert "sec-websocket-protocol: bpv.v1, bpv.token.[redacted]" in log.lower()
    assert f"/ws/sessions/{c['id']}?token=[redacted]" in log
    assert c["token"] not in log


# ---- numbers: finite where a number is meant, integers where an index is ------------------


def test_nan_or_infinity_in_a_socket_message_is_refused_naming_the_field(logged_server):
    c = new_session(logged_server)
    driver = Watcher(logged_server, c["id"], c["token"])
    cases = [
        ('{"type": "set", "learning_rate": NaN}', "set", "learning_rate"),
        ('{"type": "set", "momentum": -Infinity}', "set", "momentum"),
        ('{"type": "set", "lam": 1e999}', "set", "lam"),
        ('{"type": "points", "add": [{"x": NaN, "y": 0, "label": 1}]}', "points", "add.0.x"),
        ('{"type": "options", "fps": Infinity}', "options", "fps"),
    ]
    for text, kind, field in cases:
        driver.send(text)
        reply = driver.next_text()
        assert reply["type"] == "error" and reply["for"] == kind
        assert reply["message"].startswith(f"{field}: must be a finite number"), reply
    summary = httpx.get(f"{logged_server.url}/api/sessions/{c['id']}").json()
    assert summary["config"]["learning_rate"] == 1.0 and summary["config"]["beta1"] == 0.9
    assert summary["config"]["lam"] == 0.001 and summary["config"]["dataset"]["kind"] == "moons"
    driver.close()


def points_of(server, session_id) -> list[float]:
    return httpx.get(f"{server.url}/api/sessions/{session_id}/export").json()["points"]["x"]


@pytest.mark.parametrize("index", [False, True, "0", 0.0])
def test_a_rest_points_edit_takes_no_boolean_string_or_float_for_an_index(logged_server, index):
    c = new_session(logged_server)
    before = points_of(logged_server, c["id"])
    r = httpx.post(
        f"{logged_server.url}/api/sessions/{c['id']}/points",
        json={"remove": [index]},
        headers=auth(c["token"]),
    )
    assert r.status_code == 422
    assert "remove" in json.dumps(r.json()["detail"])  # the field is named, whatever the detail's layout
    assert points_of(logged_server, c["id"]) == before  # point 0 is still there


def test_a_socket_points_edit_takes_no_boolean_for_an_index_or_a_label(logged_server):
    c = new_session(logged_server)
    before = points_of(logged_server, c["id"])
    driver = Watcher(logged_server, c["id"], c["token"])
    cases = [
        ({"type": "points", "remove": [False]}, "remove.0"),
        ({"type": "points", "remove": ["3"]}, "remove.0"),
        ({"type": "points", "add": [{"x": 0.1, "y": 0.2, "label": True}]}, "add.0.label"),
        ({"type": "points", "add": [{"x": "0.1", "y": 0.2, "label": 1}]}, "add.0.x"),
        ({"type": "step", "n": True}, "n"),
    ]
    for message, field in cases:
        driver.send(message)
        reply = driver.next_text()
        assert reply["type"] == "error" and reply["for"] == message["type"]
        assert reply["message"].startswith(f"{field}: Input should be a valid"), reply
    assert points_of(logged_server, c["id"]) == before
    assert httpx.get(f"{logged_server.url}/api/sessions/{c['id']}").json()["step"] == 0
    driver.close()


# ---- request bodies are read as written -------------------------------------------------------

WRONG_TYPES = [
    ("/api/sessions", "post", {"hidden": True}, "hidden"),
    ("/api/sessions", "post", {"learning_rate": "0.5"}, "learning_rate"),
    ("/api/sessions", "post", {"seed": 3.0}, "seed"),
    (
        "/api/sessions",
        "post",
        {"dataset": {"kind": "points", "points": [{"x": 0, "y": 0, "label": True}]}},
        "label",
    ),
    ("/api/sessions", "post", {"dataset": {"n_samples": 1e400}}, "n_samples"),
    ("{run}", "patch", {"batch_size": True}, "batch_size"),
    ("{run}", "patch", {"learning_rate": float("nan")}, "learning_rate"),
    ("{run}/step", "post", {"n": True}, "n"),
]


@pytest.mark.parametrize("path, method, body, field", WRONG_TYPES)
def test_a_number_must_be_a_number_in_every_request_body(client, path, method, body, field):
    run = client.post("/api/sessions", json={}).json()
    url = path.replace("{run}", f"/api/sessions/{run['id']}")
    reply = client.request(
        method,
        url,
        content=json.dumps(body),
        headers={"Content-Type": "application/json", **auth(run["token"])},
    )
    assert reply.status_code == 422, reply.text
    assert field in json.dumps(reply.json()["detail"])
    assert client.get(f"/api/sessions/{run['id']}").json()["step"] == 0
