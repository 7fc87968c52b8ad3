"""Where a frame is built: in the frame process when it runs, else in one of a few worker threads.
Either way it is build.py's frame, the same bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import anyio

from .build import build_now
from .request import FrameRequest
from .worker import FrameWorker, WorkerGone

if TYPE_CHECKING:
    from app.training.session import Session

# Frames built in worker threads, at most this many at once in the whole server: under the GIL
# more do not build faster, they only take turns, and the training thread and the event loop wait
# behind them (with anyio's default of 40, a classroom of 130 viewers trained 450 steps/s, not
# 1200, and its REST p99 was 0.5 s, not 0.05 s).
BUILD_THREADS = 2


class FrameBuilder:
    """Builds a session's frame in the frame process when there is one, else in a worker thread."""

    def __init__(self, use_process: bool):
        self.worker = FrameWorker() if use_process else None
        self._threads = anyio.CapacityLimiter(BUILD_THREADS)

    async def build(self, session: Session, request: FrameRequest) -> tuple[int, bytes]:
        """(version, frame) of `session` as it is when the build begins."""
        worker = self.worker
        if worker is not None:
            if worker.ready:
                try:
                    return await worker.build(session, request)
                except WorkerGone:
                    pass
            worker.start_soon()
        return await anyio.to_thread.run_sync(build_now, session, request, limiter=self._threads)

    async def close(self) -> None:
        if self.worker is not None:
            await self.worker.close()
