"""What the room tests stand on: a TCP proxy between a browser and the server that can cut its
connections (a network drop) or go silent without closing them (a laptop that slept), and a
viewer page watching a run."""

from __future__ import annotations

import asyncio
import threading

from .conftest import Recorder, new_context, open_page
from .dashboard import FIRST_FRAME, Dashboard

# A new context loads the page cold (plotly.js is 4.8 MB) on a machine the tests share: give the
# first frame time, and wait for it rather than for every resource's load event.
LOAD_MS = 60_000


def open_and_wait(dash: Dashboard, url: str) -> Dashboard:
    dash.page.goto(url, wait_until="commit", timeout=LOAD_MS)
    dash.page.wait_for_function(FIRST_FRAME, timeout=LOAD_MS)
    return dash


class TcpProxy:
    """127.0.0.1:<port> forwarded to the server, on an asyncio loop of its own. `cut()` drops the
    WebSocket connections through it at once; `freeze()` keeps them open but forwards nothing more
    on them (a dead link that never says so). New connections always get through."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.sockets: list[dict] = []  # WebSocket connections: {"transports", "frozen"}
        self.websockets_opened = 0
        self.server = None
        self.port = 0

    def __enter__(self) -> TcpProxy:
        self.thread.start()
        listening = asyncio.start_server(self.handle, "127.0.0.1", 0)
        started = asyncio.run_coroutine_threadsafe(listening, self.loop)
        self.server = started.result(timeout=5)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc) -> None:
        asyncio.run_coroutine_threadsafe(self._shut(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)

    async def _shut(self) -> None:
        """Close the listener and every connection, and let their pipes finish."""
        self.server.close()
        for link in self.sockets:
            for transport in link["transports"]:
                transport.abort()
        pipes = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        if pipes:
            await asyncio.wait(pipes, timeout=5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        link = {"transports": [writer.transport, up_writer.transport], "frozen": False, "ws": False}
        self.sockets.append(link)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter, first: bool) -> None:
            try:
                while data := await src.read(65536):
                    if first and data.startswith(b"GET /ws/"):
                        link["ws"] = True
                        self.websockets_opened += 1
                    first = False
                    if not link["frozen"]:  # a frozen link loses what it carries
                        dst.write(data)
                        await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                if not link["frozen"]:
                    dst.close()

        await asyncio.gather(pipe(reader, up_writer, True), pipe(up_reader, writer, False))

    def _on_loop(self, action) -> None:
        done = threading.Event()

        def run():
            action()
            done.set()

        self.loop.call_soon_threadsafe(run)
        done.wait(timeout=5)

    def cut(self, every: bool = False) -> None:
        def abort():
            for link in self.sockets:
                if every or link["ws"]:
                    for transport in link["transports"]:
                        transport.abort()

        self._on_loop(abort)

    def freeze(self) -> None:
        def freeze():
            for link in self.sockets:
                if link["ws"]:
                    link["frozen"] = True

        self._on_loop(freeze)


class Watcher:
    """A student's browser (a context of its own) watching a run, at `base` (the server or a proxy)."""

    def __init__(self, browser, server, session_id: str, base: str | None = None):
        self.recorder = Recorder()
        self.context = new_context(browser, 1280, 800)
        self.dash = Dashboard(open_page(self.context, self.recorder), server)
        open_and_wait(self.dash, f"{base or server.url}/?watch={session_id}")

    def keeps_counting(self, steps: int = 15) -> int:
        """Wait until the step this student sees has gone `steps` past where it is now."""
        now = self.dash.step()
        return self.dash.wait_for_step(f"s >= {now + steps}", timeout=30_000)

    def close(self) -> None:
        self.context.close()
        assert self.recorder.unexpected_errors() == [], "the watcher's page logged errors"
        assert self.recorder.foreign_urls() == []
