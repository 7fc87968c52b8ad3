"""The GIF of the training: rendered on the server's one render thread from the kept steps, a frame
a kept step or `frames` of them, frames that change as the run trained; bounded in frames, width,
bytes, queue and time kept."""

from __future__ import annotations

import io
import multiprocessing.context
import threading
import time

import numpy as np
import pytest
from PIL import Image, ImageSequence

from app.figures.animation import even_subset, render_gif
from app.figures.render_process import RenderProcess
from app.figures.renders import AnimationRenders

from .conftest import auth


@pytest.fixture
def threaded(client):
    """The app's renders drawn in the worker thread itself: the same GIF without a process's
    second of start-up (the slow test below goes through the process)."""
    client.app.state.animation_renders = AnimationRenders(render=render_gif)
    return client


def trained(client, steps, **config):
    created = client.post("/api/sessions", json={"hidden": 8, **config}).json()
    client.post(f"/api/sessions/{created['id']}/step", json={"n": steps}, headers=auth(created["token"]))
    return created


def finished(client, animation_id, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = client.get(f"/api/animations/{animation_id}").json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.05)
    raise AssertionError(f"animation {animation_id} still {status['state']} after {seconds} s")


def frames_of(gif: bytes) -> list[np.ndarray]:
    image = Image.open(io.BytesIO(gif))
    assert image.format == "GIF"
    return [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(image)]


def test_even_subset_keeps_the_first_and_last_and_counts_exactly():
    steps = list(range(0, 302, 2))
    picked = even_subset(steps, 120)
    assert len(picked) == len(set(picked)) == 120 and picked[0] == 0 and picked[-1] == 300
    assert even_subset(steps[:10], 120) == steps[:10]


def test_gif_has_a_frame_a_kept_step_and_changes_as_it_trained(threaded):
    client = threaded
    run = trained(client, 24)  # keeps steps 0..24: 25 of them, fewer than asked
    reply = client.post(f"/api/sessions/{run['id']}/animations", json={"frames": 60, "width": 160, "fps": 10})
    assert reply.status_code == 202 and reply.json()["total"] == 25
    status = finished(client, reply.json()["id"])
    assert status["state"] == "done" and status["done"] == status["frames"] == 25
    gif = client.get(f"/api/animations/{reply.json()['id']}/file")
    assert gif.headers["content-type"] == "image/gif" and len(gif.content) == status["bytes"]
    frames = frames_of(gif.content)
    assert len(frames) == 25 and frames[0].shape[1] == 160
    changed = np.abs(frames[0].astype(int) - frames[-1].astype(int)).max(axis=2) > 30
    assert changed.mean() > 0.05  # the regions moved from step 0 to step 24


@pytest.mark.slow
def test_gif_of_a_long_run_has_exactly_the_frames_asked_rendered_in_a_process(client):
    run = trained(client, 300)  # keeps 151 steps
    reply = client.post(f"/api/sessions/{run['id']}/animations", json={"frames": 25, "width": 160})
    status = finished(client, reply.json()["id"])
    assert (
        status["state"] == "done"
        and len(frames_of(client.get(f"/api/animations/{status['id']}/file").content)) == 25
    )


def test_gif_with_another_run_shows_both(threaded):
    client = threaded
    run = trained(client, 20)
    fork = client.post(f"/api/sessions/{run['id']}/fork", json={"changes": {"learning_rate": 0.1}}).json()
    client.post(f"/api/sessions/{fork['id']}/step", json={"n": 10}, headers=auth(fork["token"]))
    reply = client.post(
        f"/api/sessions/{run['id']}/animations", json={"with": fork["id"], "frames": 5, "width": 320}
    )
    status = finished(client, reply.json()["id"])
    frames = frames_of(client.get(f"/api/animations/{status['id']}/file").content)
    assert len(frames) == 5 and frames[0].shape[1] == 320
    assert frames[0].shape[0] > 160 + 100  # two square plots side by side, and the loss chart under them


@pytest.mark.parametrize(
    "body, field",
    [
        ({"frames": 121}, "frames"),
        ({"width": 641}, "width"),
        ({"fps": 0}, "fps"),
        ({"with": "nobody"}, "with"),
    ],
)
def test_bad_animation_requests_name_their_field(client, body, field):
    run = trained(client, 2)
    reply = client.post(f"/api/sessions/{run['id']}/animations", json=body)
    assert reply.status_code == 422
    detail = reply.json()["detail"]
    assert detail.startswith(f"{field}:") if isinstance(detail, str) else detail[0]["loc"][-1] == field


def test_queue_full_is_429_and_the_queued_ones_still_render(client):
    gate = threading.Event()

    def held(story, progress):  # renders in the worker thread, once the gate opens
        gate.wait(10)
        return render_gif(story, progress)

    client.app.state.animation_renders = AnimationRenders(waiting=1, render=held)
    run = trained(client, 3)
    url = f"/api/sessions/{run['id']}/animations"
    first = client.post(url, json={"width": 160}).json()
    deadline = time.monotonic() + 5
    while client.get(f"/api/animations/{first['id']}").json()["state"] != "rendering":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    second = client.post(url, json={"width": 160})
    assert second.status_code == 202 and second.json()["state"] == "queued"
    third = client.post(url, json={"width": 160})
    assert third.status_code == 429 and "one animation at a time" in third.json()["detail"]
    assert client.get(f"/api/animations/{second.json()['id']}/file").status_code == 409  # not yet rendered
    gate.set()
    assert finished(client, second.json()["id"])["state"] == "done"


def test_over_the_byte_cap_fails_in_words_and_an_old_result_is_404(client):
    client.app.state.animation_renders = AnimationRenders(gif_bytes=1000, keep_seconds=0.2, render=render_gif)
    run = trained(client, 3)
    reply = client.post(f"/api/sessions/{run['id']}/animations", json={"width": 160}).json()
    status = finished(client, reply["id"])
    assert status["state"] == "failed" and "over this server's" in status["message"] and status["bytes"] == 0
    time.sleep(0.3)
    assert client.get(f"/api/animations/{reply['id']}").status_code == 404
    assert client.get(f"/api/animations/{reply['id']}/file").status_code == 404


def test_a_render_process_that_cannot_start_fails_and_leaves_nothing_to_stop(monkeypatch):
    """A process the system refuses (out of processes or memory): the render fails with the
    reason, and stopping afterwards (the server closing) has nothing to join and does not raise."""

    def refused(self):
        raise OSError("no more processes")

    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", refused)
    render = RenderProcess()
    with pytest.raises(OSError, match="no more processes"):
        render(None, lambda done: None)
    render.stop()
