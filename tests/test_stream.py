"""The live stream against a real uvicorn on loopback, with a real WebSocket client."""

from __future__ import annotations

import json
import time

import httpx
import numpy as np
import pytest
from websockets.sync.client import connect

from app.frames.encoding import decode_frame

from .conftest import auth


def subprotocols(token=None) -> list[str]:
    """What the page offers when it opens a session's socket: the protocol, and to drive, the
    control token as a second subprotocol (a header, so the token is in no URL)."""
    return ["bpv.v1"] + ([f"bpv.token.{token}"] if token is not None else [])


class Watcher:
    """A WebSocket client that keeps frames and text messages apart, and acks when told to."""

    def __init__(self, server, session_id, token=None, viewer=None):
        """viewer: a viewer id to offer back, as a page that reconnects does."""
        url = f"{server.ws_url}/ws/sessions/{session_id}"
        offered = subprotocols(token) + ([f"bpv.viewer.{viewer}"] if viewer is not None else [])
        self._connection = connect(url, subprotocols=offered, max_size=2**24)
        self.ws = self._connection.__enter__()
        self.hello = json.loads(self.ws.recv(timeout=10))
        self.texts: list[dict] = []

    def send(self, message) -> None:
        self.ws.send(message if isinstance(message, (str, bytes)) else json.dumps(message))

    def next_frame(self, timeout=10.0, ack=True):
        """The next binary frame (header, arrays); text messages met on the way are kept."""
        deadline = time.monotonic() + timeout
        while True:
            data = self.ws.recv(timeout=max(deadline - time.monotonic(), 0.01))
            if isinstance(data, bytes):
                if ack:
                    self.send({"type": "ack"})
                return decode_frame(data)
            self.texts.append(json.loads(data))

    def next_text(self, timeout=10.0) -> dict:
        if self.texts:
            return self.texts.pop(0)
        deadline = time.monotonic() + timeout
        while True:
            data = self.ws.recv(timeout=max(deadline - time.monotonic(), 0.01))
            if isinstance(data, str):
                return json.loads(data)
            self.send({"type": "ack"})

    def frame_at_step(self, step, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            header, arrays = self.next_frame(timeout=max(deadline - time.monotonic(), 0.01))
            if header["step"] == step:
                return header, arrays

    def frame_with_grid(self, G, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            header, arrays = self.next_frame(timeout=max(deadline - time.monotonic(), 0.01))
            if header["grid"]["G"] == G:
                return header, arrays

    def close(self):
        self._connection.__exit__(None, None, None)


def raw_connect(url, **options):
    return connect(url, **options).__enter__()


def new_session(server, body=None):
    r = httpx.post(f"{server.url}/api/sessions", json=body or {})
    assert r.status_code == 201, r.text
    return r.json()


def test_hello_then_frames_with_the_documented_layout(live_server):
    c = new_session(live_server, {"hidden": 6, "dataset": {"kind": "spiral", "classes": 3, "n_samples": 150}})
    w = Watcher(live_server, c["id"])
    hello = w.hello
    assert hello["type"] == "hello" and hello["role"] == "viewer" and hello["classes"] == 3
    assert len(hello["points"]["x"]) == 150 and len(hello["points"]["train"]) == 120
    assert hello["session"]["config"]["hidden"] == 6
    w.send({"type": "options", "grid": 20})
    header, arrays = w.frame_with_grid(20)
    assert header["type"] == "frame" and header["status"] == "paused"
    shapes = {name: a.shape for name, a in arrays.items()}
    assert shapes == {
        "grid": (20, 20, 3),
        "W1": (2, 6),
        "b1": (6,),
        "W2": (6, 3),
        "b2": (3,),
        "dW1": (2, 6),
        "db1": (6,),
        "dW2": (6, 3),
        "db2": (3,),
    }
    assert arrays["grid"].dtype == np.uint8 and arrays["W1"].dtype == np.float32
    assert np.all(np.abs(arrays["grid"].sum(axis=2).astype(int) - 255) <= 2)
    assert set(header["grad"]) == {"W1", "b1", "W2", "b2"}
    assert header["grad"]["W2"]["norm"] == pytest.approx(np.linalg.norm(arrays["dW2"]), rel=1e-5)
    w.close()


@pytest.mark.slow  # over half a second
def test_step_n_advances_exactly_n_and_frames_arrive_in_step_order(live_server):
    c = new_session(live_server)
    w = Watcher(live_server, c["id"], c["token"])
    assert w.hello["role"] == "driver"
    w.frame_at_step(0)
    w.send({"type": "step", "n": 7})
    assert w.next_text() == {
        "type": "ok",
        "for": "step",
        "step": 7,
        "status": "paused",
        "taken": 7,
        "stopped": None,
    }
    w.frame_at_step(7)
    w.send({"type": "step"})
    w.frame_at_step(8)
    w.send({"type": "play"})
    steps = [w.next_frame()[0]["step"] for _ in range(15)]
    assert steps == sorted(steps) and steps[-1] > 8
    w.send({"type": "pause"})
    w.close()


@pytest.mark.slow  # among the quick loop's heaviest (0.5-0.8 s): the full suite runs it
def test_a_paused_session_sends_no_new_steps(live_server):
    c = new_session(live_server)
    w = Watcher(live_server, c["id"], c["token"])
    w.send({"type": "step", "n": 3})
    w.frame_at_step(3)
    with pytest.raises(TimeoutError):
        w.next_frame(timeout=0.5)  # nothing changed, so nothing is sent
    w.close()


def test_frame_gradients_equal_rest_gradients_at_the_same_step(live_server):
    c = new_session(live_server, {"hidden": 9, "lam": 0.01})
    w = Watcher(live_server, c["id"], c["token"])
    w.send({"type": "step", "n": 12})
    header, arrays = w.frame_at_step(12)
    rest = httpx.get(f"{live_server.url}/api/sessions/{c['id']}/gradients").json()
    assert rest["step"] == 12
    for name in ("W1", "b1", "W2", "b2"):
        np.testing.assert_allclose(arrays[f"d{name}"], rest["grads"][name]["values"], rtol=2e-4, atol=1e-6)
    assert header["train_loss"] == pytest.approx(rest["loss"], rel=1e-5)
    w.close()


def test_a_viewer_without_the_token_cannot_control(live_server):
    c = new_session(live_server)
    w = Watcher(live_server, c["id"])
    for message in [
        {"type": "play"},
        {"type": "step", "n": 5},
        {"type": "reset"},
        {"type": "set", "learning_rate": 9},
    ]:
        w.send(message)
        reply = w.next_text()
        assert reply["type"] == "error" and "driver" in reply["message"] and reply["for"] == message["type"]
    s = httpx.get(f"{live_server.url}/api/sessions/{c['id']}").json()
    assert s["step"] == 0 and s["status"] == "paused" and s["config"]["learning_rate"] == 1.0
    httpx.post(f"{live_server.url}/api/sessions/{c['id']}/step", headers=auth(c["token"]))
    assert w.frame_at_step(1)[0]["step"] == 1  # still watching
    wrong = raw_connect(f"{live_server.ws_url}/ws/sessions/{c['id']}", subprotocols=subprotocols("guess"))
    assert "wrong control token" in json.loads(wrong.recv(timeout=5))["message"]
    wrong.close()
    w.close()


@pytest.mark.parametrize(
    "message, says",
    [
        ("not json", "not JSON"),
        ("[" * 5000 + "]" * 5000, "not JSON"),  # nested deeper than the parser goes
        ("[1, 2]", "JSON object"),
        ('{"kind": "play"}', "type"),
        ('{"type": "fly"}', "unknown message type"),
        ('{"type": "step", "n": -3}', "n:"),
        ('{"type": "step", "n": "many"}', "n:"),
        ('{"type": "set", "learning_rate": -1}', "learning_rate"),
        ('{"type": "set", "optimizer": "rmsprop"}', "optimizer"),
        ('{"type": "set", "colour": "red"}', "colour"),
        ('{"type": "options", "fps": 1000}', "fps must be at most"),
        ('{"type": "options", "grid": 0}', "grid"),
        (b"\x00\x01binary", "binary"),
    ],
)
def test_a_malformed_message_gets_an_error_and_the_socket_lives(live_server, message, says):
    c = new_session(live_server)
    w = Watcher(live_server, c["id"], c["token"])
    w.send(message)
    reply = w.next_text()
    assert reply["type"] == "error" and says in reply["message"], reply
    w.send({"type": "step", "n": 2})
    assert w.next_text()["type"] == "ok"
    w.frame_at_step(2)
    w.close()


def test_two_viewers_see_the_same_step_sequence(live_server):
    c = new_session(live_server)
    driver = Watcher(live_server, c["id"], c["token"])
    viewer = Watcher(live_server, c["id"])
    seen = {id(driver): [], id(viewer): []}
    for n in range(1, 6):
        driver.send({"type": "step", "n": 1})
        for w in (driver, viewer):
            header, arrays = w.frame_at_step(n)
            seen[id(w)].append((header["step"], arrays["W1"].tobytes()))
    assert seen[id(driver)] == seen[id(viewer)]
    assert httpx.get(f"{live_server.url}/api/sessions/{c['id']}").json()["viewers"] == 2
    driver.close()
    viewer.close()


def test_a_drivers_second_device_is_not_counted_as_watching(live_server):
    """The teacher's laptop and phone both hold the control token: the class is the one student."""
    c = new_session(live_server)
    laptop = Watcher(live_server, c["id"], c["token"])
    phone = Watcher(live_server, c["id"], c["token"])
    student = Watcher(live_server, c["id"])
    laptop.send({"type": "step", "n": 1})
    header, _ = laptop.frame_at_step(1)
    assert (header["viewers"], header["watchers"]) == (3, 1)
    summary = httpx.get(f"{live_server.url}/api/sessions/{c['id']}").json()
    assert (summary["viewers"], summary["watchers"]) == (3, 1)
    for w in (laptop, phone, student):
        w.close()


@pytest.mark.slow  # over half a second
def test_a_client_that_does_not_ack_gets_one_frame_then_the_latest(live_server):
    c = new_session(live_server, {"steps_per_second": 2000})
    w = Watcher(live_server, c["id"], c["token"])
    w.send({"type": "play"})
    first, _ = w.next_frame(ack=False)
    time.sleep(0.5)  # the run goes on; an acking client would have had ~15 frames
    pending = []
    with pytest.raises(TimeoutError):
        while True:
            data = w.ws.recv(timeout=0.2)
            if isinstance(data, bytes):
                pending.append(data)
    assert pending == []  # nothing queued behind the unacknowledged frame
    w.send({"type": "ack"})
    latest, _ = w.next_frame()
    assert latest["step"] - first["step"] > 200  # the next frame is the run as it is now
    w.send({"type": "pause"})
    w.close()


@pytest.mark.slow  # among the quick loop's heaviest (0.5-0.8 s): the full suite runs it
def test_arrays_every_k_and_fps_are_honoured(live_server):
    c = new_session(live_server, {"steps_per_second": 1000})
    w = Watcher(live_server, c["id"], c["token"])
    w.send({"type": "options", "arrays_every": 3, "fps": 20, "grid": 10})
    w.send({"type": "play"})
    names = []
    start = time.monotonic()
    for _ in range(12):
        header, arrays = w.next_frame()
        if header["grid"]["G"] == 10:
            names.append("W1" in arrays)
    elapsed = time.monotonic() - start
    w.send({"type": "pause"})
    assert elapsed > 10 / 20  # paced at 20 frames/s at most
    assert names.count(True) in (len(names) // 3, len(names) // 3 + 1) and names.count(True) < len(names)
    w.close()


def test_a_diverging_run_sends_status_diverged_and_finite_json(live_server):
    c = new_session(live_server, {"learning_rate": 30.0, "lam": 0.1, "steps_per_second": 2000})
    w = Watcher(live_server, c["id"], c["token"])
    w.send({"type": "play"})
    deadline = time.monotonic() + 10
    while True:
        header, _ = w.next_frame()
        if header["status"] == "diverged":
            break
        assert time.monotonic() < deadline
    assert "lower" in header["message"]
    w.texts.clear()  # the ok for the first play
    w.send({"type": "play"})
    reply = w.next_text()
    assert reply["type"] == "error" and "learning rate" in reply["message"]
    w.send({"type": "reset"})
    assert w.next_text()["for"] == "reset"
    assert w.frame_at_step(0)[0]["status"] == "paused"
    w.close()


def test_unknown_session_gets_an_error_and_a_close(live_server):
    ws = raw_connect(f"{live_server.ws_url}/ws/sessions/nope")
    assert "no session" in json.loads(ws.recv(timeout=5))["message"]
    ws.close()


def test_deleting_a_watched_session_tells_the_viewer(live_server):
    c = new_session(live_server)
    w = Watcher(live_server, c["id"])
    w.frame_at_step(0)
    httpx.delete(f"{live_server.url}/api/sessions/{c['id']}", headers=auth(c["token"]))
    assert "deleted" in w.next_text()["message"]
    w.close()


def test_input_gradients_come_with_frames_when_asked(live_server):
    c = new_session(live_server)
    w = Watcher(live_server, c["id"], c["token"])
    w.send({"type": "options", "input_gradients": True, "grid": 12})
    header, arrays = w.frame_with_grid(12)
    rest = httpx.get(f"{live_server.url}/api/sessions/{c['id']}/input-gradients").json()
    np.testing.assert_allclose(arrays["dX"], rest["dX"], rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(arrays["residual"], rest["residual"], rtol=1e-4, atol=1e-6)
    w.close()


def test_added_points_reach_every_viewer_before_the_next_frame(live_server):
    c = new_session(live_server, {"dataset": {"kind": "moons", "n_samples": 20, "train_fraction": 1.0}})
    driver = Watcher(live_server, c["id"], c["token"])
    viewer = Watcher(live_server, c["id"])
    header, _ = viewer.frame_at_step(0)
    assert header["viewers"] == 2
    driver.send(
        {
            "type": "points",
            "add": [{"x": 3.0, "y": 3.0, "label": 1}, {"x": -3.0, "y": -3.0, "label": 0}],
            "remove": [0],
        }
    )
    assert driver.next_text()["for"] == "points"
    viewer.send({"type": "options", "input_gradients": True})
    message = viewer.next_text()
    while message["type"] != "points":
        message = viewer.next_text()
    assert len(message["points"]["x"]) == 21 and message["points"]["x"][-2:] == [3.0, -3.0]
    arrays = viewer.next_frame()[1]
    while "dX" not in arrays:
        arrays = viewer.next_frame()[1]
    assert arrays["dX"].shape == (21, 2)  # the frame after the points message follows the new points
    assert message["box"][1] > 3.0  # the box grew to hold the new point
    s = httpx.get(f"{live_server.url}/api/sessions/{c['id']}").json()
    assert s["config"]["dataset"]["kind"] == "points" and len(s["config"]["dataset"]["points"]) == 21
    viewer.send({"type": "points", "add": [{"x": 0, "y": 0, "label": 0}]})
    reply = viewer.next_text()
    while reply["type"] != "error":  # the options' "ok" may come after the points message
        reply = viewer.next_text()
    assert "driver" in reply["message"]
    driver.close()
    viewer.close()


def test_watchers_are_told_which_run_replaced_the_one_they_watched(live_server):
    old, new = new_session(live_server), new_session(live_server)
    w = Watcher(live_server, old["id"])
    w.frame_at_step(0)
    bad = httpx.delete(
        f"{live_server.url}/api/sessions/{old['id']}",
        params={"replaced_by": "nope"},
        headers=auth(old["token"]),
    )
    assert bad.status_code == 422
    httpx.delete(
        f"{live_server.url}/api/sessions/{old['id']}",
        params={"replaced_by": new["id"]},
        headers=auth(old["token"]),
    )
    goodbye = w.next_text()
    assert goodbye["type"] == "error" and goodbye["replaced_by"] == new["id"]
    w.close()


def test_watchers_see_the_drivers_live_settings_in_frames(live_server):
    c = new_session(live_server)
    driver = Watcher(live_server, c["id"], c["token"])
    viewer = Watcher(live_server, c["id"])
    driver.send({"type": "set", "lam": 0.05, "optimizer": "adam", "batch_size": 16})
    assert driver.next_text()["for"] == "set"
    for _ in range(20):
        header, _ = viewer.next_frame()
        if header["live"]["lam"] == 0.05:
            break
    assert header["live"] == {
        "learning_rate": 1.0,
        "optimizer": "adam",
        "beta1": 0.9,
        "lam": 0.05,
        "l1": 0.0,
        "batch_size": 16,
        "steps_per_second": 60.0,
    }
    driver.close()
    viewer.close()


def test_a_deep_runs_frames_carry_every_layer_and_its_deltas_over_the_socket(live_server):
    """hidden [8, 6, 4], three features, mse, l1: hello's config as the run has it; each frame
    every W(l), b(l), dW(l), db(l), a grad entry for each, and the deltas equal to REST's."""
    body = {
        "hidden": [8, 6, 4],
        "loss": "mse",
        "l1": 0.001,
        "init_scale": "he",
        "features": ["x1", "x2", "x1_x2"],
        "activation": "relu",
        "dataset": {"kind": "spiral", "classes": 3, "n_samples": 150},
    }
    c = new_session(live_server, body)
    w = Watcher(live_server, c["id"], c["token"])
    config = w.hello["session"]["config"]
    assert {k: config[k] for k in ("hidden", "loss", "l1", "init_scale", "features")} == {
        k: body[k] for k in ("hidden", "loss", "l1", "init_scale", "features")
    }
    w.send({"type": "step", "n": 9})
    header, arrays = w.frame_at_step(9)
    sizes = [3, 8, 6, 4, 3]
    for l in range(1, 5):
        assert arrays[f"W{l}"].shape == arrays[f"dW{l}"].shape == (sizes[l - 1], sizes[l])
        assert arrays[f"b{l}"].shape == arrays[f"db{l}"].shape == (sizes[l],)
    assert list(header["grad"]) == ["W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4"]
    # dW3, hidden to hidden, comes as scaled float16: each entry within 2**-11 of its own value
    assert header["grad"]["W3"]["norm"] == pytest.approx(np.linalg.norm(arrays["dW3"]), rel=2**-11)
    assert header["grad"]["W4"]["norm"] == pytest.approx(np.linalg.norm(arrays["dW4"]), rel=1e-5)
    rest = httpx.get(f"{live_server.url}/api/sessions/{c['id']}/gradients").json()
    assert rest["step"] == 9
    np.testing.assert_allclose(header["deltas"], rest["deltas"], rtol=1e-4)
    for name in ("W1", "W4"):
        np.testing.assert_allclose(arrays[f"d{name}"], rest["grads"][name]["values"], rtol=2e-4, atol=1e-6)
    w.close()
