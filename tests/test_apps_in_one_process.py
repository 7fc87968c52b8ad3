"""Two apps in one process share nothing: each has its own trainer thread, registry, frame builder
and feeds, so each trains and streams its own sessions, and closing one leaves the other training."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from app.api.settings import Settings
from app.training.config import RunConfig
from app.training.run import Run
from app.training.session import Session
from app.training.trainer import Trainer

from .conftest import LiveServer
from .test_stream import Watcher, new_session


def steps_of(server, session_id) -> int:
    return httpx.get(f"{server.url}/api/sessions/{session_id}").json()["step"]


def frame_past(watcher, step: int, timeout: float = 10.0) -> dict:
    """The header of the first frame at `step` or later (a playing run skips steps between frames)."""
    deadline = time.monotonic() + timeout
    while True:
        header, _ = watcher.next_frame(timeout=max(deadline - time.monotonic(), 0.01))
        if header["step"] >= step:
            return header


def trainer_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name == "trainer"}


@pytest.mark.slow
def test_two_apps_in_one_process_each_train_and_stream_their_own_sessions(tmp_path):
    with LiveServer(Settings(data_dir=str(tmp_path / "second"))) as second:
        first = LiveServer(Settings(data_dir=str(tmp_path / "first")))
        with first:
            a = new_session(first, {"steps_per_second": 200})
            b = new_session(second, {"steps_per_second": 200})
            one, other = first.app.state, second.app.state
            for name in ("trainer", "registry", "frame_builder", "frame_feeds"):
                assert getattr(one, name) is not getattr(other, name), name
            assert httpx.get(f"{first.url}/api/sessions/{b['id']}").status_code == 404
            assert httpx.get(f"{second.url}/api/sessions/{a['id']}").status_code == 404

            wa, wb = Watcher(first, a["id"], a["token"]), Watcher(second, b["id"], b["token"])
            for w in (wa, wb):
                w.send({"type": "play"})
            assert frame_past(wa, 20)["status"] == "running"
            assert frame_past(wb, 20)["status"] == "running"
            session_a = one.registry.get(a["id"])
            assert session_a.player.trainer is one.trainer
            assert one.registry.get(a["id"]) is not None and one.frame_feeds.of(session_a)
            assert other.registry.get(b["id"]).player.trainer is other.trainer
            threads_before = trainer_threads()
            wa.close()
        # the first app's lifespan ended: its sessions are closed and its trainer thread is gone
        assert session_a.player.closed and not session_a.player.playing
        stopped_at = session_a.run.step_count
        assert len(threads_before - trainer_threads()) == 1

        before = steps_of(second, b["id"])
        header, _ = wb.next_frame()
        time.sleep(0.5)
        assert steps_of(second, b["id"]) >= before + 20  # the second app trains on
        later = [wb.next_frame()[0]["step"] for _ in range(5)]
        assert later[-1] > header["step"] and later == sorted(later)  # and streams on
        assert session_a.run.step_count == stopped_at  # the first one's run no longer moves
        wb.send({"type": "pause"})
        wb.close()


def test_a_closed_trainer_pauses_its_runs_ends_its_thread_and_can_play_again():
    trainer = Trainer()
    session = Session(Run(RunConfig(steps_per_second=500)), trainer)
    session.player.play()
    deadline = time.monotonic() + 10
    while session.run.step_count < 5:
        assert time.monotonic() < deadline, "the run was not played"
        time.sleep(0.01)
    threads = trainer_threads()
    trainer.close()
    assert session.player.status == "paused" and len(threads - trainer_threads()) == 1
    stopped_at = session.run.step_count
    time.sleep(0.1)
    assert session.run.step_count == stopped_at
    session.player.play()  # a new thread
    while session.run.step_count < stopped_at + 5:
        assert time.monotonic() < deadline + 10, "the run was not played again"
        time.sleep(0.01)
    session.close()
    trainer.close()
