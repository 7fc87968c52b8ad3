"""The server's end of the frame process, which builds frames without waiting for the server's GIL.

One Python process is one core: its event loop, its training thread and its frame builds take
turns under the GIL, and in a classroom (30 runs, 130 viewers) building frames was a fifth of it.
A frame is a pure function of a copy of the run (build.py), so a second process can build it on
the second core while this one trains and sends. The server's side costs ~0.1 ms a
frame (pickle a snapshot, read the bytes back) against ~0.7-1.7 ms to build one here.

The process starts on the first frame asked for, in the background; until it has said it is
ready, and whenever it is gone (killed, crashed), builder.py builds frames in worker threads,
and it is started again. Its pipes belong to the event loop that started it.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import pickle
import sys
import time
from typing import TYPE_CHECKING

import anyio

from .pipe import LENGTH, DataCache, pack
from .request import FrameData, FrameJob, FrameRequest, take_job, take_job_now

if TYPE_CHECKING:
    from app.training.session import Session

log = logging.getLogger(__name__)

# Jobs queued in the frame process at once. A job's snapshot is taken when it is sent, so a long
# queue makes frames older: sixteen at ~0.5-1.5 ms a build is a few ms, 24 at worst. Fewer starved
# a classroom: a slot stays taken until the server's busy event loop reads the result back, and
# with two, 30 runs' viewers waited 60-90 ms a frame for a slot (measured) while the process sat
# idle most of the time.
IN_FLIGHT = 16
RETRY_AFTER = 10.0  # seconds between attempts to start a frame process that failed
# A frame takes milliseconds; a process that has not answered in this long is stuck (stopped,
# swapping, looping) and is killed, so that frames are built in threads rather than not at all.
ANSWER_WITHIN = 3.0


class WorkerGone(Exception):
    """The frame process ended or its pipe broke; the frame is built in a thread instead."""


class FrameWorker:
    def __init__(self):
        self.process: asyncio.subprocess.Process | None = None
        self.ready = False
        self.builds = 0  # frames the process built (the tests and benchmarks read it)
        self._starting: asyncio.Task | None = None
        self._waiting: collections.deque[asyncio.Future] = collections.deque()
        self._reader: asyncio.Task | None = None
        self._cache = DataCache()
        self._slots = asyncio.Semaphore(IN_FLIGHT)
        self._next_start = 0.0  # time.monotonic() from which it may be started (again)
        self.closed = False  # the server is shutting down: never start it again

    def start_soon(self) -> None:
        """Start the process in the background if it is not running or starting."""
        if self.closed or self._starting is not None or self.ready:
            return
        if time.monotonic() >= self._next_start:
            self._next_start = time.monotonic() + RETRY_AFTER
            self._starting = asyncio.get_running_loop().create_task(self._start())

    async def _start(self) -> None:
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "app.frames.frame_process",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
            kind, _ = await self._read()
            if kind != "ready":
                raise WorkerGone(f"the frame process said {kind!r} first")
            if self.closed:
                raise WorkerGone("the server closed while the frame process started")
            self._cache = DataCache()
            self.ready = True
            self._reader = asyncio.get_running_loop().create_task(self._read_forever())
        except (OSError, WorkerGone, asyncio.IncompleteReadError) as e:
            log.warning("frame process did not start (%s); frames are built in threads", e)
            await self._stop_process()
        finally:
            self._starting = None

    async def _read(self):
        head = await self.process.stdout.readexactly(LENGTH.size)
        return pickle.loads(await self.process.stdout.readexactly(LENGTH.unpack(head)[0]))

    async def _read_forever(self) -> None:
        try:
            while True:
                message = await self._read()
                future = self._waiting.popleft()
                if not future.done():
                    future.set_result(message)
        except (asyncio.IncompleteReadError, OSError, IndexError) as e:
            log.warning("frame process ended (%r); frames are built in threads until it is back", e)
        finally:
            self.ready = False
            while self._waiting:
                future = self._waiting.popleft()
                if not future.done():
                    future.set_exception(WorkerGone("the frame process ended"))
            await self._stop_process()

    async def build(self, session: Session, request: FrameRequest) -> tuple[int, bytes]:
        """(version, frame) of `session` as it is when a slot in the process is free."""
        async with self._slots:
            if not self.ready:
                raise WorkerGone("the frame process is not running")
            job_and_data = take_job_now(session, request)
            if job_and_data is None:  # a burst of training holds the run: wait for it in a thread
                job_and_data = await anyio.to_thread.run_sync(take_job, session, request)
            if not self.ready:
                raise WorkerGone("the frame process ended")
            job, data = job_and_data
            future = self._send(job, data)
            try:
                kind, payload = await asyncio.wait_for(asyncio.shield(future), ANSWER_WITHIN)
            except TimeoutError:
                future.add_done_callback(_retrieved)  # it fails when the process is gone; nobody waits
                log.warning(
                    "frame process did not answer in %.0f s; killed, frames are built in threads",
                    ANSWER_WITHIN,
                )
                self._kill()
                raise WorkerGone("the frame process did not answer") from None
        if kind == "missing":  # its datasets and ours differ: only a fresh start puts them in step
            log.warning("frame process lacked the data %s; restarting it", payload)
            self._kill()
            raise WorkerGone("the frame process lacked a dataset")
        if kind != "frame":
            raise RuntimeError(f"the frame process could not build a frame: {payload}")
        self.builds += 1
        return job.version, payload

    def _send(self, job: FrameJob, data: FrameData) -> asyncio.Future:
        has_data = job.data_key in self._cache
        future = asyncio.get_running_loop().create_future()
        self._waiting.append(future)
        self.process.stdin.write(pack((job, None if has_data else data)))  # buffered: never blocks
        self._cache.use(job.data_key, None if has_data else True)  # as the process will, once it reads it
        return future

    def _kill(self) -> None:
        """End the process; the reader then fails every build waiting on it (WorkerGone)."""
        self.ready = False
        if self.process is not None and self.process.returncode is None:
            self.process.kill()

    async def _stop_process(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.returncode is None:
            try:
                process.stdin.close()
                await asyncio.wait_for(process.wait(), 5)
            except (TimeoutError, OSError):
                process.kill()
                await process.wait()

    async def close(self) -> None:
        self.closed = True
        for task in (self._starting, self._reader):
            if task is not None:
                task.cancel()
        self.ready = False
        await self._stop_process()


def _retrieved(future: asyncio.Future) -> None:
    if not future.cancelled():
        future.exception()
