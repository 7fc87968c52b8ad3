"""An animation rendered in a process of its own, at a lower priority (nice 10): drawing and
encoding hold Python's lock for most of their time, and in the server's process a render halved
a playing run's steps/s (bench/animation_load.py); a process runs beside the trainer on the other
core instead, and gives way to the server when both want one."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable

from .animation import Story, render_gif

NICENESS = 10  # the render gives way to the server's threads and its frame process
RENDER_SECONDS = 180.0  # a render still going after this is stopped and said to have failed


class RenderFailed(Exception):
    """Why a render gave no GIF, in words for its status."""


def _render_here(story: Story, conn) -> None:
    """The child: render, sending ("progress", frames done), then ("done", gif) or ("failed", why)."""
    try:
        gif = render_gif(story, lambda done: conn.send(("progress", done)))
        conn.send(("done", gif))
    except Exception as error:
        conn.send(("failed", f"the render failed: {type(error).__name__}"))
    finally:
        conn.close()


class RenderProcess:
    """One render in a child process; `stop()` ends it from another thread (the server closing)."""

    def __init__(self, seconds: float = RENDER_SECONDS):
        self.seconds = seconds
        self._process = None

    def __call__(self, story: Story, progress: Callable[[int], None]) -> bytes:
        context = multiprocessing.get_context("spawn")  # no fork of a process with threads
        receive, send = context.Pipe(duplex=False)
        process = context.Process(
            target=_render_here, args=(story, send), name="animation-render", daemon=True
        )
        try:
            process.start()
        except BaseException:  # nothing to stop later: a process never started cannot be joined
            receive.close()
            send.close()
            raise
        self._process = process
        with contextlib.suppress(OSError):  # low from its first import on, not only once it draws
            os.setpriority(os.PRIO_PROCESS, process.pid, NICENESS)
        send.close()
        deadline = time.monotonic() + self.seconds
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not receive.poll(left):
                    raise RenderFailed(
                        f"the render took over {self.seconds:g} s and was stopped: ask for fewer frames"
                    )
                kind, value = receive.recv()
                if kind == "progress":
                    progress(value)
                elif kind == "done":
                    return value
                else:
                    raise RenderFailed(value)
        except EOFError:
            raise RenderFailed("the render's process stopped before it finished") from None
        finally:
            receive.close()
            self.stop()
            self._process = None

    def stop(self) -> None:
        process = self._process
        if process is not None and process.is_alive():
            process.kill()
        if process is not None:
            process.join(5)
