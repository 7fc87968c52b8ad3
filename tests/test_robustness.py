"""Bad input and odd numbers: clear errors, no crash, no NaN in any JSON, other sessions unaffected."""

from __future__ import annotations

import json
import random

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from .conftest import LiveServer, auth
from .test_stream import Watcher, new_session


def assert_json_is_finite(text: str) -> None:
    json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))


@pytest.mark.parametrize(
    "body",
    [
        {
            "dataset": {
                "kind": "points",
                "points": [{"x": 1e6, "y": -1e6, "label": 0}, {"x": 0, "y": 0, "label": 1}],
            }
        },
        {
            "dataset": {
                "kind": "points",
                "points": [{"x": 1, "y": 1, "label": 0}] * 5 + [{"x": 1, "y": 1, "label": 1}] * 5,
            }
        },
        {"dataset": {"kind": "points", "points": [{"x": i, "y": -i, "label": 0} for i in range(6)]}},
        {
            "dataset": {
                "kind": "points",
                "points": [{"x": 0, "y": 0, "label": 0}, {"x": 1, "y": 0, "label": 1}],
                "classes": 6,
            }
        },
        {"dataset": {"kind": "blobs", "classes": 8, "n_samples": 16}},
        {"hidden": 1},
        {"hidden": 1, "activation": "relu", "init_scale": 100.0},
        {"learning_rate": 100.0, "lam": 10.0},
        {"learning_rate": 100.0, "activation": "relu", "init_scale": 100.0, "lam": 0.0},
        {"dataset": {"kind": "moons", "noise": 10.0}, "label_smoothing": 0.5},
    ],
)
def test_odd_numbers_give_a_clear_status_and_finite_json(client, body):
    r = client.post("/api/sessions", json=body)
    assert r.status_code == 201, r.text
    c = r.json()
    sid = c["id"]
    r = client.post(f"/api/sessions/{sid}/step", json={"n": 200}, headers=auth(c["token"]))
    assert r.status_code == 200
    status = r.json()["session"]["status"]
    assert status in ("paused", "diverged")
    if status == "diverged":
        assert "learning rate" in r.json()["session"]["message"]
    for path in [
        "",
        "/parameters",
        "/gradients",
        "/history",
        "/grid?G=9",
        "/export",
        "/derivation/0",
        "/gradcheck?max_entries=3",
        "/input-gradients",
        "/units/0?G=4",
        "/loss-slice?points=5",
        "/hidden-space?lines=3&samples=3",
    ]:
        reply = client.get(f"/api/sessions/{sid}{path}")
        assert reply.status_code == 200, (path, reply.text)
        assert_json_is_finite(reply.text)
    session = client.app.state.registry.get(sid)
    from app.frames.build import build_now
    from app.frames.encoding import decode_frame
    from app.frames.request import FrameRequest

    _, frame = build_now(session, FrameRequest(8, True, True))  # the binary frame's header is JSON too

    decode_frame(frame)


def test_a_websocket_from_another_origin_is_refused(live_server):
    c = new_session(live_server)
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{live_server.ws_url}/ws/sessions/{c['id']}", origin="http://evil.example").__enter__()
    assert refused.value.response.status_code == 403
    same = connect(f"{live_server.ws_url}/ws/sessions/{c['id']}", origin=live_server.url).__enter__()
    assert json.loads(same.recv(timeout=5))["type"] == "hello"
    same.close()


def test_viewers_per_session_are_capped(tmp_path):
    from app.api.settings import Settings

    with LiveServer(Settings(max_viewers=2, data_dir=str(tmp_path))) as server:
        c = new_session(server)
        watchers = [Watcher(server, c["id"]) for _ in range(2)]
        third = connect(f"{server.ws_url}/ws/sessions/{c['id']}").__enter__()
        reply = json.loads(third.recv(timeout=5))
        assert reply["type"] == "error" and "limit" in reply["message"]
        for w in watchers:
            w.close()


def test_an_oversized_message_closes_only_that_socket(live_server):
    c = new_session(live_server)
    big = Watcher(live_server, c["id"], c["token"])
    other = Watcher(live_server, c["id"], c["token"])
    big.send("x" * (live_server.settings.max_message_bytes + 10))
    with pytest.raises(ConnectionClosed):
        for _ in range(20):
            big.ws.recv(timeout=5)
    other.send({"type": "step", "n": 2})
    other.frame_at_step(2)
    assert httpx.get(f"{live_server.url}/api/sessions/{c['id']}").json()["step"] == 2
    other.close()


def test_a_flood_of_controls_leaves_the_server_and_other_sessions_working(live_server):
    victim = new_session(live_server)
    flooded = new_session(live_server)
    w = Watcher(live_server, flooded["id"], flooded["token"])
    rng = random.Random(0)
    kinds = [
        {"type": "play"},
        {"type": "pause"},
        {"type": "step", "n": 3},
        {"type": "reset"},
        {"type": "set", "learning_rate": 0.5},
        {"type": "set", "learning_rate": -1},
        {"type": "nope"},
        "{bad",
    ]
    for _ in range(400):
        w.send(rng.choice(kinds))
    w.send({"type": "pause"})
    r = httpx.post(
        f"{live_server.url}/api/sessions/{victim['id']}/step", json={"n": 5}, headers=auth(victim["token"])
    )
    assert r.status_code == 200 and r.json()["taken"] == 5
    # the flooded socket still answers, in order, once its queue is drained
    w.send({"type": "options", "fps": 7})
    deadline = 1000
    while deadline:
        message = w.next_text(timeout=10)
        if message.get("for") == "options" and message["type"] == "ok":
            break
        deadline -= 1
    assert deadline
    w.close()


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
messages = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"type": st.sampled_from(["ack", "options", "play", "pause", "step", "reset", "set", "points", "x"])},
        optional={
            "n": json_values,
            "fps": json_values,
            "grid": json_values,
            "learning_rate": json_values,
            "batch_size": json_values,
            "add": json_values,
            "remove": json_values,
            "optimizer": json_values,
        },
    ),
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(message=messages)
def test_websocket_fuzz_gets_answers_never_a_dead_socket(live_server, message):
    c = fuzz_session(live_server)
    w = c["watcher"]
    w.send(json.dumps(message))
    c["count"] = c.get("count", 0) + 1
    marker = 1 + c["count"] % 50  # a known message after it must still be answered, in order
    w.send({"type": "options", "fps": marker})
    for _ in range(50):
        reply = w.next_text(timeout=10)
        assert reply["type"] in ("ok", "error", "points")
        if reply.get("for") == "options" and reply.get("fps") == marker:
            break
    else:
        pytest.fail("no answer to the options message")
    w.send({"type": "pause"})


_fuzz = {}


def fuzz_session(server):
    """One session and socket shared by every fuzz example (each example must leave it working)."""
    if _fuzz.get("server") is not server:
        c = new_session(server, {"dataset": {"n_samples": 20}})
        _fuzz.update(server=server, watcher=Watcher(server, c["id"], c["token"]))
    return _fuzz


def test_cors_is_off_unless_configured(client):
    r = client.options(
        "/api/sessions",
        headers={"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in {k.lower() for k in r.headers}
    r = client.post("/api/sessions", json={}, headers={"Origin": "http://elsewhere.example"})
    assert "access-control-allow-origin" not in {k.lower() for k in r.headers}


def test_a_long_run_keeps_history_and_snapshots_bounded():
    from app.training.config import RunConfig
    from app.training.run import Run
    from app.training.session import Session

    session = Session(Run(RunConfig(hidden=3, dataset={"n_samples": 20}), history_capacity=64))
    session.player.step(3000)
    run = session.run
    assert len(run.history) <= 64 and len(run.snapshots.steps()) <= run.snapshots.capacity
    steps = run.history.columns["step"]
    assert steps[0] <= 64 and steps[-1] >= 3000 - run.history.stride  # the whole course, coarser
