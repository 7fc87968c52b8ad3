"""The HTTP perimeter, attacked from outside: through a real uvicorn server with httpx and a
WebSocket client, or through the TestClient where only the answer matters.

What it holds against: bodies of any size (413), replies that echo a megabyte back (short 422s),
DNS rebinding (Host allow-list), cross-site simple requests (JSON only, own origin only), framing
and script injection (security headers; tests/browser/test_content_security_policy.py checks the
page under them in a real browser), and a 405 that hides methods.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from app.api.settings import Settings
from app.main import create_app

from ..conftest import LOCAL, LiveServer, auth

JSON = {"Content-Type": "application/json"}
EVIL = "http://evil.example"


def create(base: str, **config) -> dict:
    r = httpx.post(f"{base}/api/sessions", json=config)
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture(scope="module")
def small_limits(tmp_path_factory):
    """A server whose body bounds are small enough to pass quickly, chunk by chunk."""
    settings = Settings(
        data_dir=str(tmp_path_factory.mktemp("small")),
        max_body_bytes=4096,
        max_import_bytes=8192,
        max_compare_bytes=6144,
    )
    with LiveServer(settings) as server:
        yield server


# ---- bounded bodies, short errors ---------------------------------------------------------------


def test_a_body_declared_over_the_bound_gets_413_naming_the_limit(live_server):
    body = b"{" + b" " * (1 << 20) + b"}"  # valid JSON, one byte over a mebibyte with its braces
    r = httpx.post(f"{live_server.url}/api/sessions", content=body, headers=JSON)
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/json"
    detail = "the request body is over 1048576 bytes, this route's limit (setting max_body_bytes)"
    assert r.json() == {"detail": detail}


def chunks(total: int, size: int = 1000):
    """A JSON object of `total` bytes, as a generator: httpx sends it chunked, with no Content-Length."""
    body = b"{" + b" " * (total - 2) + b"}"
    for i in range(0, total, size):
        yield body[i : i + size]


def test_a_chunked_body_is_counted_as_it_streams(small_limits):
    url = f"{small_limits.url}/api/sessions"
    within = httpx.post(url, content=chunks(4096), headers=JSON)
    assert within.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in within.request.headers
    assert within.status_code == 201

    over = httpx.post(url, content=chunks(4097), headers=JSON)
    assert "content-length" not in over.request.headers
    assert over.status_code == 413
    assert over.json()["detail"] == (
        "the request body is over 4096 bytes, this route's limit (setting max_body_bytes)"
    )


def test_import_and_compare_have_their_own_bounds(small_limits):
    s = create(small_limits.url)
    routes = [
        ("/api/runs", 8192, "max_import_bytes"),
        (f"/api/sessions/{s['id']}/compare", 6144, "max_compare_bytes"),
    ]
    for path, limit, setting in routes:
        url = f"{small_limits.url}{path}"
        # Past the default bound but within the route's: the route reads it (and finds it wanting).
        assert httpx.post(url, content=chunks(limit), headers=JSON).status_code == 422
        over = httpx.post(url, content=chunks(limit + 1), headers=JSON)
        assert over.status_code == 413 and setting in over.json()["detail"]


@pytest.mark.slow  # over half a second
def test_large_import_bodies_are_read_one_at_a_time(small_limits):
    """While one import's large body is being read, a second large one waits unread (the memory
    of one parse at a time); a small one passes meanwhile."""
    host, port = "127.0.0.1", small_limits.settings.port
    slow = socket.create_connection((host, port))
    slow.sendall(
        b"POST /api/runs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b"Content-Length: 6000\r\n\r\n{"
    )
    time.sleep(0.2)  # the server is now reading this body
    waiting = {}

    def second_large_import():
        waiting["reply"] = httpx.post(
            f"{small_limits.url}/api/runs", content=b"{" + b" " * 5000 + b"}", headers=JSON, timeout=10
        )

    thread = threading.Thread(target=second_large_import)
    thread.start()
    time.sleep(0.5)
    small = httpx.post(f"{small_limits.url}/api/runs", content=b"{}", headers=JSON)
    assert small.status_code == 422  # read at once: a small body needs no turn
    assert "reply" not in waiting  # the large one waits its turn
    slow.sendall(b" " * 5998 + b"}")
    slow.recv(100)
    slow.close()
    thread.join(timeout=10)
    assert waiting["reply"].status_code == 422


@pytest.fixture
def impatient(tmp_path, monkeypatch):
    """A server that gives a stalled body 0.5 s and a large body's turn 1 s."""
    from app.api import body_limits

    monkeypatch.setattr(body_limits, "LARGE_BODY_WAIT_SECONDS", 1.0)
    settings = Settings(data_dir=str(tmp_path), max_body_bytes=4096, body_idle_seconds=0.5)
    with LiveServer(settings) as server:
        yield server


def stalled_import(server, declared: int = 6000) -> socket.socket:
    """An import that declares a large body, sends one byte of it, and stops."""
    stalled = socket.create_connection(("127.0.0.1", server.settings.port))
    stalled.sendall(
        b"POST /api/runs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {declared}\r\n\r\n{{".encode()
    )
    return stalled


@pytest.mark.slow  # over half a second
def test_a_stalled_body_is_answered_408_and_frees_the_large_body_turn(impatient):
    stalled = stalled_import(impatient)
    stalled.settimeout(5)
    answer = b""
    while b"\r\n\r\n" not in answer or not answer.endswith(b"}"):  # the head, then the JSON body
        answer += stalled.recv(4096)
    answer = answer.decode()
    assert answer.startswith("HTTP/1.1 408") and "body_idle_seconds" in answer
    stalled.close()
    reply = httpx.post(f"{impatient.url}/api/runs", content=b"{" + b" " * 5000 + b"}", headers=JSON)
    assert reply.status_code == 422  # read at once: the turn is free again


@pytest.mark.slow  # over half a second
def test_a_large_body_waits_for_its_turn_a_bounded_time(tmp_path, monkeypatch):
    from app.api import body_limits

    monkeypatch.setattr(body_limits, "LARGE_BODY_WAIT_SECONDS", 0.5)
    settings = Settings(data_dir=str(tmp_path), max_body_bytes=4096, body_idle_seconds=5)
    with LiveServer(settings) as server:
        holder = stalled_import(server)  # holds the turn for up to 5 s
        time.sleep(0.1)
        start = time.monotonic()
        reply = httpx.post(f"{server.url}/api/runs", content=b"{" + b" " * 5000 + b"}", headers=JSON)
        assert reply.status_code == 503 and reply.headers["retry-after"] == "10"
        assert "send this one again later" in reply.json()["detail"]
        assert time.monotonic() - start < 2
        holder.close()


@pytest.mark.slow
def test_a_saved_run_larger_than_the_default_bound_imports(live_server):
    """The default import bound takes a real run well past 1 MiB: H = 1024, its kept snapshots."""
    s = create(live_server.url, hidden=1024, dataset={"n_samples": 1000})
    httpx.post(f"{live_server.url}/api/sessions/{s['id']}/step", json={"n": 40}, headers=auth(s["token"]))
    saved = httpx.post(f"{live_server.url}/api/sessions/{s['id']}/save", headers=auth(s["token"])).json()
    exported = httpx.get(f"{live_server.url}/api/runs/{saved['id']}/export")
    assert len(exported.content) > 3 << 20
    imported = httpx.post(f"{live_server.url}/api/runs", content=exported.content, headers=JSON)
    assert imported.status_code == 201, imported.text[:300]


def test_a_422_names_each_field_without_echoing_the_input(client):
    bad = {"x": "not a number " * 4, "y": 0, "label": 0}
    body = json.dumps({"dataset": {"kind": "points", "points": [bad] * 12_000}})
    assert 990_000 < len(body) < 1 << 20  # a megabyte, within the bound
    r = client.post("/api/sessions", content=body, headers=JSON)
    assert r.status_code == 422
    assert len(r.content) < 4000  # FastAPI's default reply to this body is about 3.5 MB
    reply = r.json()
    assert len(reply["detail"]) == 20 and reply["more_errors"] == 12_000 - 20
    for i, error in enumerate(reply["detail"]):
        assert set(error) == {"loc", "msg", "type"}
        assert error["loc"] == ["body", "dataset", "points", i, "x"]
        assert "not a number" not in error["msg"]


def test_an_unknown_field_of_any_length_is_named_in_a_few_dozen_characters(client):
    r = client.post("/api/sessions", json={"k" * 100_000: 1})
    assert r.status_code == 422 and len(r.content) < 400
    assert r.json()["detail"][0]["loc"][1].startswith("kkkk") and len(r.json()["detail"][0]["loc"][1]) <= 64


@pytest.mark.parametrize(
    "body, field",
    [
        (b'{"learning_rate": NaN}', ["body", "learning_rate"]),
        (b'{"dataset": {"noise": Infinity}}', ["body", "dataset", "noise"]),
        (b'{"lam": -Infinity}', ["body", "lam"]),
    ],
)
def test_a_nan_or_infinity_literal_gets_a_422_naming_the_field(client, body, field):
    r = client.post("/api/sessions", content=body, headers=JSON)
    assert r.status_code == 422
    assert [error["loc"] for error in r.json()["detail"]] == [field]


# ---- Host allow-list (DNS rebinding) ------------------------------------------------------------


def test_http_answers_only_to_allowed_host_names(live_server):
    port = live_server.settings.port
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}", "localhost.evil"):
        assert httpx.get(f"{live_server.url}/", headers={"Host": host}).status_code == 400, host
        r = httpx.post(f"{live_server.url}/api/sessions", headers={"Host": host, "Origin": f"http://{host}"})
        assert r.status_code == 400, host
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        assert httpx.get(f"{live_server.url}/api/presets", headers={"Host": host}).status_code == 200, host


def test_a_rebinding_page_cannot_open_the_websocket(live_server):
    """A page on evil.example whose name now resolves to 127.0.0.1: its socket sends Host and Origin
    both evil.example, which the Origin == Host comparison alone lets in."""
    s = create(live_server.url)
    port = live_server.settings.port
    path = f"/ws/sessions/{s['id']}"
    with socket.create_connection(("127.0.0.1", port)) as sock:
        with pytest.raises(InvalidStatus) as refused:
            connect(
                f"ws://evil.example:{port}{path}",
                sock=sock,
                origin=f"http://evil.example:{port}",
                open_timeout=5,
            )
    assert refused.value.response.status_code == 400

    with connect(f"{live_server.ws_url}{path}", origin=live_server.url, open_timeout=5) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "hello"


def test_allowed_hosts_and_a_specific_bind_address_are_answered(tmp_path):
    environ = {"BPV_ALLOWED_HOSTS": "classroom.example, *.lab.example, 192.168.1.5, fe80::1"}
    settings = Settings.from_env(environ, argv=["--host", "10.0.0.7", "--data-dir", str(tmp_path)])
    with TestClient(create_app(settings)) as client:
        for host in (
            "classroom.example",
            "pc3.lab.example",
            "192.168.1.5:8000",
            "[fe80::1]:8000",
            "10.0.0.7",
            "localhost",
        ):
            assert client.get("/api/presets", headers={"Host": host}).status_code == 200, host
        for host in ("lab.example.evil", "192.168.1.6", "testserver", "0.0.0.0"):
            assert client.get("/api/presets", headers={"Host": host}).status_code == 400, host
    with TestClient(create_app(Settings(host="0.0.0.0", data_dir=str(tmp_path)))) as client:
        assert client.get("/api/presets", headers={"Host": "0.0.0.0:8000"}).status_code == 400
        assert client.get("/api/presets", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    with pytest.raises(ValueError, match="allowed_hosts"):
        Settings(allowed_hosts="evil.*")


# ---- writes: JSON only, own origin only ---------------------------------------------------------


def test_cross_site_simple_requests_change_nothing(live_server):
    """What a page on another site can send with no preflight: a form post (urlencoded, multipart,
    text/plain) or a fetch with a text/plain body."""
    base = live_server.url
    s = create(base)
    run = httpx.post(f"{base}/api/sessions/{s['id']}/save", headers=auth(s["token"])).json()
    exported = httpx.get(f"{base}/api/runs/{run['id']}/export").content
    runs_before = len(httpx.get(f"{base}/api/runs").json())
    simple = [
        ("/api/sessions", {"content": b"{}", "headers": {"Content-Type": "text/plain;charset=UTF-8"}}),
        ("/api/sessions", {"content": b"", "headers": {"Content-Type": "text/plain"}}),
        ("/api/sessions", {"data": {"hidden": "3"}}),
        ("/api/sessions", {"files": {"f": ("x.json", b"{}", "application/json")}}),
        ("/api/sessions", {"content": b"{}"}),  # a body with no Content-Type (a fetch of a Blob)
        ("/api/runs", {"content": exported, "headers": {"Content-Type": "text/plain"}}),
        (f"/api/runs/{run['id']}/load", {"content": b"{}", "headers": {"Content-Type": "text/plain"}}),
    ]
    for path, request in simple:
        r = httpx.post(f"{base}{path}", **request)
        assert r.status_code == 415, (path, request, r.text)
        assert "application/json" in r.json()["detail"]
    assert len(httpx.get(f"{base}/api/runs").json()) == runs_before


def test_a_foreign_origin_may_not_write_and_own_origin_or_none_may(live_server):
    base = live_server.url
    s = create(base)
    for origin in (EVIL, "null", f"https://127.0.0.1:{live_server.settings.port}", base + ".evil.example"):
        r = httpx.post(f"{base}/api/sessions", json={}, headers={"Origin": origin})
        assert r.status_code == 403 and origin in r.json()["detail"], origin
    writes = [
        ("DELETE", f"/api/sessions/{s['id']}"),
        ("PATCH", f"/api/sessions/{s['id']}"),
        ("POST", f"/api/sessions/{s['id']}/step"),
        ("POST", "/api/runs"),
    ]
    for method, path in writes:
        r = httpx.request(method, f"{base}{path}", json={}, headers={"Origin": EVIL, **auth(s["token"])})
        assert r.status_code == 403, (method, path)
    assert httpx.get(f"{base}/api/sessions/{s['id']}").status_code == 200

    assert httpx.post(f"{base}/api/sessions", json={}, headers={"Origin": base}).status_code == 201
    assert httpx.post(f"{base}/api/sessions", json={}).status_code == 201
    # Reading is not a write: a foreign page can ask (the browser keeps the answer from it).
    assert httpx.get(f"{base}/api/presets", headers={"Origin": EVIL}).status_code == 200


def test_an_allowed_origin_may_write(tmp_path):
    settings = Settings(data_dir=str(tmp_path), allowed_origins="https://teacher.example")
    with TestClient(create_app(settings), base_url=LOCAL) as client:
        ok = client.post("/api/sessions", json={}, headers={"Origin": "https://teacher.example"})
        assert ok.status_code == 201
        assert client.post("/api/sessions", json={}, headers={"Origin": EVIL}).status_code == 403


def test_a_write_with_no_body_needs_no_content_type(live_server):
    """curl -X POST and the page's own bodiless calls send no Content-Type at all."""
    base = live_server.url
    r = httpx.post(f"{base}/api/sessions")
    assert r.status_code == 201 and r.json()["session"]["config"]["hidden"] == 5
    s = r.json()
    step = httpx.post(f"{base}/api/sessions/{s['id']}/step", headers=auth(s["token"]))
    assert step.status_code == 200 and step.json()["session"]["step"] == 1
    step = httpx.post(f"{base}/api/sessions/{s['id']}/step", json={"n": 3}, headers=auth(s["token"]))
    assert step.status_code == 200 and step.json()["session"]["step"] == 4
    json_utf8 = {"Content-Type": "application/json; charset=utf-8", **auth(s["token"])}
    step = httpx.post(f"{base}/api/sessions/{s['id']}/step", content=b'{"n": 2}', headers=json_utf8)
    assert step.status_code == 200 and step.json()["session"]["step"] == 6
    assert httpx.delete(f"{base}/api/sessions/{s['id']}", headers=auth(s["token"])).status_code == 204


# ---- security headers ---------------------------------------------------------------------------


def policy(response) -> dict[str, str]:
    directives = (d.strip().split(" ", 1) for d in response.headers["content-security-policy"].split(";"))
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


def test_every_response_carries_the_security_headers(live_server):
    base = live_server.url
    static = base + live_server.app.state.static_tree.prefix
    responses = [
        httpx.get(f"{base}/"),
        httpx.get(f"{static}/app.js"),
        httpx.get(f"{static}/vendor/plotly/plotly-basic.min.js"),
        httpx.get(f"{base}/api/presets"),
        httpx.get(f"{base}/api/sessions/nope"),  # 404
        httpx.post(f"{base}/api/sessions", content=b"x", headers={"Content-Type": "text/plain"}),  # 415
        httpx.get(f"{base}/", headers={"Host": "evil.example"}),  # 400
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 404, 415, 400]
    for r in responses:
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        p = policy(r)
        assert p["script-src"] == "'self'"  # no inline script, no eval
        assert p["frame-ancestors"] == "'none'"
        assert p["connect-src"] == "'self'" and p["object-src"] == "'none'"
        assert "unsafe-eval" not in r.headers["content-security-policy"]
    # Swagger UI starts with an inline script: allowed there, and only there; nothing from elsewhere.
    docs = httpx.get(f"{base}/docs")
    assert policy(docs)["script-src"] == "'self' 'unsafe-inline'"
    assert "http" not in docs.headers["content-security-policy"]
    assert policy(docs)["frame-ancestors"] == "'none'" and docs.headers["x-content-type-options"] == "nosniff"


def test_the_api_reference_loads_nothing_from_another_site(live_server):
    """/docs is Swagger UI from our own static files (the room may have no internet); /redoc, which
    would load ReDoc from a CDN, is not served."""
    base = live_server.url
    docs = httpx.get(f"{base}/docs")
    assert docs.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert len(sources) == 3 and all(s.startswith(live_server.app.state.static_tree.prefix) for s in sources)
    for source in sources:
        assert httpx.get(base + source).status_code == 200, source
    assert "http" not in docs.text.replace(base, "")
    assert httpx.get(f"{base}/redoc").status_code == 404


def test_an_unexpected_server_error_carries_the_headers_and_says_little(tmp_path):
    """A bug that raises past every handler is answered as a short JSON 500 with the same security
    headers, without the exception's text, and the next request is served as before."""
    app = create_app(Settings(data_dir=str(tmp_path)))

    @app.get("/api/raise-for-the-test")
    def raises():
        raise RuntimeError("secret internals")

    with TestClient(app, base_url=LOCAL, raise_server_exceptions=False) as client:
        reply = client.get("/api/raise-for-the-test")
        assert reply.status_code == 500 and "secret" not in reply.text
        assert reply.json()["detail"].startswith("the server failed to answer this request")
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert policy(reply)["script-src"] == "'self'"
        assert client.get("/api/presets").status_code == 200


def test_embedding_is_a_setting(tmp_path):
    settings = Settings(data_dir=str(tmp_path), frame_ancestors="'self' https://lms.example")
    with TestClient(create_app(settings), base_url=LOCAL) as client:
        assert policy(client.get("/"))["frame-ancestors"] == "'self' https://lms.example"


# ---- 405 ----------------------------------------------------------------------------------------


def test_a_405_lists_every_method_of_its_path(live_server):
    base = live_server.url
    s = create(base)
    for method, path, allowed in [
        ("PUT", f"/api/sessions/{s['id']}", {"GET", "PATCH", "DELETE"}),
        ("PUT", "/api/runs", {"GET", "POST"}),
        ("POST", "/api/runs/abc", {"GET", "DELETE"}),
        ("GET", f"/api/sessions/{s['id']}/step", {"POST"}),
    ]:
        r = httpx.request(method, f"{base}{path}")
        assert r.status_code == 405, (method, path)
        assert set(r.headers["allow"].split(", ")) == allowed, (method, path)
