"""Frames shared among a run's viewers, and built in the frame process: the same bytes as a
frame built in a thread, the data sent once per dataset, and a process that dies is replaced."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import threading
import time
import weakref

import pytest

from app.api.settings import Settings
from app.frames import worker as frame_worker
from app.frames.build import build_now
from app.frames.builder import FrameBuilder
from app.frames.encoding import decode_frame
from app.frames.feed import FrameFeeds
from app.frames.pipe import DATA_KEPT
from app.frames.request import FrameRequest, take_job_now
from app.training.config import RunConfig
from app.training.run import Run
from app.training.session import Session

from .conftest import LiveServer
from .test_stream import Watcher, new_session


def until(condition, timeout=20.0, every=0.02):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(every)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LiveServer(Settings(data_dir=str(tmp_path_factory.mktemp("data")))) as live:
        yield live


@pytest.mark.slow
def test_viewers_of_one_run_share_its_frames(server):
    c = new_session(server, {"steps_per_second": 60})
    session = server.app.state.registry.get(c["id"])
    watchers = [Watcher(server, c["id"]) for _ in range(12)]
    for w in watchers:
        w.send({"type": "options", "grid": 40, "fps": 30})
    driver = Watcher(server, c["id"], c["token"])
    driver.send({"type": "options", "grid": 40, "fps": 30})
    driver.send({"type": "play"})
    counts = [0] * len(watchers)

    def watch(i):
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            header, _ = watchers[i].next_frame()
            counts[i] += header["status"] == "running"

    threads = [threading.Thread(target=watch, args=(i,)) for i in range(len(watchers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    driver.send({"type": "pause"})
    builds = sum(feed.builds for feed in server.app.state.frame_feeds.of(session))
    assert min(counts) >= 10  # every viewer was served, at a useful rate
    # 13 viewers at up to 30 frames/s each, one run at 60 steps/s: a frame is built at most about
    # once per step, shared by the viewers who ask within SHARE_WITHIN of it
    assert builds * 3 < sum(counts), (builds, counts)
    for w in [*watchers, driver]:
        w.close()


def test_a_paused_run_sends_its_current_state_not_a_shared_older_frame(server):
    c = new_session(server)
    first = Watcher(server, c["id"])
    assert first.frame_at_step(0)[0]["viewers"] == 1
    second = Watcher(server, c["id"])  # joins within SHARE_WITHIN of the frame built for `first`
    header, _ = second.next_frame()
    assert header["viewers"] == 2
    first.close()
    second.close()


def run(coroutine):
    """asyncio.run in a thread of its own: the browser tests' sync Playwright leaves a loop
    running in this one."""
    result = {}

    def target():
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as e:  # handed to the test below
            result["error"] = e

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def test_the_frame_process_builds_exactly_the_frame_a_thread_builds():
    session = Session(
        Run(RunConfig.model_validate({"hidden": 7, "dataset": {"kind": "spiral", "classes": 3}}))
    )
    session.player.step(25)
    in_thread = [build_now(session, FrameRequest(16, True, True)), build_now(session, FrameRequest(9, False))]
    others = [Session(Run(RunConfig())) for _ in range(DATA_KEPT + 3)]  # more datasets than it keeps

    async def scenario():
        worker = (await ready_builder()).worker
        try:
            versions, frames = [], []
            for request in [FrameRequest(16, True, True), FrameRequest(9, False, False)]:
                version, data = await worker.build(session, request)
                versions.append(version)
                frames.append(data)
            for other in others:  # push the first session's data out of the process's cache
                await worker.build(other, FrameRequest(4, False, False))
            version, again = await worker.build(session, FrameRequest(16, True, True))
            session.player.edit_points([(0.5, 0.5, 2)], remove=[0, 1])
            edited = await worker.build(session, FrameRequest(8, False, True))
            return versions, frames, again, edited, worker.builds
        finally:
            await worker.close()

    versions, frames, again, edited, builds = run(scenario())
    assert [(v, data) for v, data in in_thread] == list(zip(versions, frames))  # the same bytes
    assert builds == 2 + len(others) + 2
    assert again == frames[0]  # the data sent again once evicted gives the same frame
    header, arrays = decode_frame(edited[1])
    assert len(arrays["residual"]) == len(session.run.X_train)  # the edited points, sent anew
    assert header["data_version"] == session.run.data_version


async def ready_builder() -> FrameBuilder:
    builder = FrameBuilder(use_process=True)
    builder.worker.start_soon()
    for _ in range(400):
        if builder.worker.ready:
            return builder
        await asyncio.sleep(0.05)
    raise AssertionError("the frame process did not start")


@pytest.mark.slow  # among the quick loop's heaviest (0.5-0.8 s): the full suite runs it
def test_a_frame_process_that_lacks_a_dataset_is_restarted_and_the_frame_built_anyway(monkeypatch):
    monkeypatch.setattr(frame_worker, "RETRY_AFTER", 0.0)
    session = Session(Run(RunConfig()))
    expected = build_now(session, FrameRequest(10, True))

    async def scenario():
        builder = await ready_builder()
        try:
            first = builder.worker.process.pid
            builder.worker._cache.use((session.id, session.run.data_version), True)  # believes it sent it
            got = await builder.build(session, FrameRequest(10, True))  # "missing": in a thread instead
            assert not builder.worker.ready
            for _ in range(400):
                await builder.build(session, FrameRequest(10, True, False))  # starts it again
                if builder.worker.ready:
                    break
                await asyncio.sleep(0.05)
            built = builder.worker.builds
            again = await builder.build(session, FrameRequest(10, True, False))
            return got, again, first, builder.worker.process.pid, builder.worker.builds - built
        finally:
            await builder.close()

    got, again, first, second, builds = run(scenario())
    assert got == expected and again == expected
    assert second != first and builds == 1  # the fresh process built the last one


@pytest.mark.slow  # over half a second
def test_a_stuck_frame_process_is_killed_and_frames_are_built_in_threads(monkeypatch):
    monkeypatch.setattr(frame_worker, "ANSWER_WITHIN", 0.5)
    session = Session(Run(RunConfig()))
    expected = build_now(session, FrameRequest(10, False))

    async def scenario():
        builder = await ready_builder()
        try:
            process = builder.worker.process
            os.kill(process.pid, signal.SIGSTOP)  # alive, answering nothing
            began = time.monotonic()
            got = await builder.build(session, FrameRequest(10, False, False))
            waited = time.monotonic() - began
            await asyncio.wait_for(process.wait(), 10)
            return got, waited, process.returncode
        finally:
            await builder.close()

    got, waited, returncode = run(scenario())
    assert got == expected and waited < 5
    assert returncode == -signal.SIGKILL


@pytest.mark.slow
def test_closing_during_a_build_leaves_no_frame_process(monkeypatch):
    monkeypatch.setattr(frame_worker, "RETRY_AFTER", 0.0)
    session = Session(Run(RunConfig()))

    async def scenario():
        builder = await ready_builder()
        process = builder.worker.process
        os.kill(process.pid, signal.SIGSTOP)  # a build that takes a while
        build = asyncio.create_task(builder.build(session, FrameRequest(50, True, True)))
        await asyncio.sleep(0.1)
        await builder.close()
        version, data = await build  # finished in a thread
        await asyncio.sleep(0.5)
        return data, process.returncode, builder.worker.process, builder.worker.ready

    data, returncode, process_after, ready_after = run(scenario())
    assert decode_frame(data)[0]["grid"]["G"] == 50
    assert returncode is not None  # the stopped process was ended
    assert process_after is None and not ready_after  # and none was started after close()


@pytest.mark.slow
def test_a_viewer_switching_feeds_never_sees_the_run_step_back(tmp_path):
    with LiveServer(Settings(data_dir=str(tmp_path), max_fps=240)) as live:
        c = new_session(live, {"steps_per_second": 500})
        others = [Watcher(live, c["id"]) for _ in range(3)]  # they keep the feeds' frames fresh
        w = Watcher(live, c["id"], c["token"])
        for viewer in [*others, w]:
            viewer.send({"type": "options", "fps": 240, "grid": 12, "arrays_every": 2})
        w.send({"type": "play"})
        stop = threading.Event()

        def watch(viewer):
            while not stop.is_set():
                viewer.next_frame()

        threads = [threading.Thread(target=watch, args=(v,)) for v in others]
        for t in threads:
            t.start()
        steps = [w.next_frame()[0]["step"] for _ in range(300)]
        stop.set()
        for t in threads:
            t.join()
        w.send({"type": "pause"})
        assert all(b >= a for a, b in zip(steps, steps[1:])), [
            (a, b) for a, b in zip(steps, steps[1:]) if b < a
        ]
        assert steps[-1] > steps[0]
        for viewer in [*others, w]:
            viewer.close()


def test_a_feed_does_not_keep_its_session_alive():
    session = Session(Run(RunConfig()))
    feeds = FrameFeeds(FrameBuilder(use_process=False))
    feeds.feed(session, FrameRequest(8, True, False))
    gone = weakref.ref(session)
    session.close()
    del session
    gc.collect()
    assert gone() is None


@pytest.mark.slow
def test_a_killed_frame_process_is_replaced_and_frames_go_on(tmp_path, monkeypatch):
    monkeypatch.setattr(frame_worker, "RETRY_AFTER", 0.3)
    with LiveServer(Settings(data_dir=str(tmp_path))) as live:
        c = new_session(live)
        w = Watcher(live, c["id"], c["token"])
        w.send({"type": "options", "grid": 20})
        w.send({"type": "play"})
        worker = live.app.state.frame_builder.worker
        until(lambda: w.next_frame() and worker.ready and worker.builds > 3)  # frames flow only when acked
        first_pid = worker.process.pid
        os.kill(first_pid, signal.SIGKILL)
        steps = [w.next_frame()[0]["step"] for _ in range(30)]  # built in threads meanwhile
        assert steps == sorted(steps) and steps[-1] > steps[0]
        until(lambda: w.next_frame() and worker.ready and worker.process.pid != first_pid)
        built = worker.builds
        for _ in range(10):
            w.next_frame()
        assert worker.builds > built  # the new process builds the frames again
        assert not [t for t in w.texts if t["type"] == "error"]
        w.close()


def test_frames_are_built_in_threads_when_the_frame_process_is_off(tmp_path):
    with LiveServer(Settings(data_dir=str(tmp_path), frame_process=0)) as live:
        c = new_session(live)
        w = Watcher(live, c["id"], c["token"])
        w.send({"type": "step", "n": 3})
        header, arrays = w.frame_at_step(3)
        assert arrays["grid"].shape[2] == 2
        assert live.app.state.frame_builder.worker is None
        w.close()


def test_frame_process_setting_is_0_or_1():
    with pytest.raises(ValueError, match="frame_process must be 0 or 1"):
        Settings(frame_process=2)


def test_the_event_loop_never_waits_for_a_burst_of_training():
    session = Session(Run(RunConfig()))
    held, release = threading.Event(), threading.Event()

    def trainer():
        with session.player.lock:
            held.set()
            release.wait(5)

    thread = threading.Thread(target=trainer)
    thread.start()
    held.wait(5)
    try:
        began = time.perf_counter()
        assert take_job_now(session, FrameRequest(8, False)) is None  # at once, not after the burst
        assert time.perf_counter() - began < 0.5  # the burst lasts 5 s
    finally:
        release.set()
        thread.join()
    job, data = take_job_now(session, FrameRequest(8, False))
    assert job.version == session.player.version and data.key == (session.id, session.run.data_version)


def test_a_viewer_whose_last_frame_shows_the_closed_run_is_not_left_waiting():
    """The frame it was sent may have been built after the close (shared from another viewer's
    build), so its version is the closed run's: no change is to come, yet it must be told."""
    from types import SimpleNamespace

    from app.api.stream.viewer import Viewer

    session = Session(Run(RunConfig()))
    websocket = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(frame_feeds=None)))
    viewer = Viewer(websocket, session, "viewer", Settings())
    session.close()

    async def wait():
        await asyncio.wait_for(viewer.wait_for_change(session.player.version), 2)
        return "returned"

    assert run(wait()) == "returned"
