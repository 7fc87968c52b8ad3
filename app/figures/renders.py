"""Animations rendered one at a time (each in a process of its own, render_process.py, followed by
one worker thread), with a small queue, progress, and results kept a few minutes (a few at most)
for their download, then forgotten."""

from __future__ import annotations

import logging
import queue
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .animation import GIF_BYTES, Story
from .render_process import RenderFailed, RenderProcess

log = logging.getLogger(__name__)

WAITING = 3  # renders queued behind the one rendering; past it, a new one is refused (429)
KEEP_SECONDS = 300.0  # a finished render is kept this long for its download
KEEP_RESULTS = 4  # and no more than this many: the oldest finished one goes first


class RendersBusy(Exception):
    """The queue is full: the API's 429."""


@dataclass
class Render:
    id: str
    total: int
    state: str = "queued"  # "rendering", "done", "failed"
    done: int = 0
    gif: bytes | None = None
    message: str = ""
    finished_at: float = 0.0
    story: Story | None = field(default=None, repr=False)

    def status(self) -> dict:
        return {
            "id": self.id,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "frames": self.total,
            "bytes": len(self.gif) if self.gif is not None else 0,
            "message": self.message,
        }


class AnimationRenders:
    def __init__(
        self,
        waiting: int = WAITING,
        keep_seconds: float = KEEP_SECONDS,
        keep_results: int = KEEP_RESULTS,
        gif_bytes: int = GIF_BYTES,
        render: Callable[[Story, Callable[[int], None]], bytes] | None = None,
    ):
        """render(story, progress) -> the GIF, or RenderFailed: by default in a process."""
        self._render = render or RenderProcess()
        self.keep_seconds, self.keep_results, self.gif_bytes = keep_seconds, keep_results, gif_bytes
        self._queue: queue.Queue[Render | None] = queue.Queue(maxsize=waiting)
        self._renders: dict[str, Render] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = False

    def submit(self, story: Story) -> Render:
        """Queue a render of `story`; RendersBusy when the queue is full."""
        render = Render(secrets.token_urlsafe(12), story.total, story=story)
        with self._lock:
            self._forget_old()
            try:
                self._queue.put_nowait(render)
            except queue.Full:
                raise RendersBusy(
                    f"the server renders one animation at a time and {self._queue.maxsize} are waiting: "
                    "try again in a minute"
                ) from None
            self._renders[render.id] = render
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="animation-renders", daemon=True)
                self._thread.start()
        return render

    def get(self, render_id: str) -> Render | None:
        with self._lock:
            self._forget_old()
            return self._renders.get(render_id)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            thread = self._thread
        if thread is not None:
            while True:  # make room for the stop sign: queued renders are dropped at shutdown
                try:
                    self._queue.put_nowait(None)
                    break
                except queue.Full:
                    self._queue.get_nowait()
            stop = getattr(self._render, "stop", None)
            if stop is not None:
                stop()  # a render in progress ends with the server
            thread.join(timeout=30)

    def _forget_old(self) -> None:
        """Drop finished renders older than keep_seconds, then the oldest past keep_results."""
        now = time.monotonic()
        finished = sorted(
            (r for r in self._renders.values() if r.state in ("done", "failed")), key=lambda r: r.finished_at
        )
        for i, render in enumerate(finished):
            if now - render.finished_at > self.keep_seconds or i < len(finished) - self.keep_results:
                del self._renders[render.id]

    def _work(self) -> None:
        while True:
            render = self._queue.get()
            if render is None or self._closed:
                return
            render.state = "rendering"
            try:
                gif = self._render(render.story, lambda done, r=render: setattr(r, "done", done))
                if len(gif) > self.gif_bytes:
                    render.state, render.message = (
                        "failed",
                        (
                            f"the GIF came to {len(gif) / 2**20:.1f} MiB, over this server's "
                            f"{self.gif_bytes / 2**20:g} MiB: ask for fewer frames or a smaller width"
                        ),
                    )
                else:
                    render.gif, render.state = gif, "done"
            except RenderFailed as failed:
                render.state, render.message = "failed", str(failed)
            except Exception as error:  # one render's failure is said in its status; the thread goes on
                log.exception("animation %s failed", render.id)
                render.state, render.message = "failed", f"the render failed: {type(error).__name__}"
            finally:
                render.story = None  # the kept copies it held go
                with self._lock:
                    render.finished_at = time.monotonic()
                    self._forget_old()
