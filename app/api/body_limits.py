"""Request bodies, bounded: by size (413, counted as they stream in, at once when Content-Length
says so), by silence (408, a body that stops arriving), and one large body read at a time (503
after a bounded wait). Pure ASGI middleware: streaming responses go through untouched."""

from __future__ import annotations

import asyncio

import anyio
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.settings import Settings


class BodyRefused(HTTPException):
    """A request body the server will not read on: raised from the body's reading, so the route
    passes it on and the app answers it as JSON like any other error."""


class BodyTooLarge(BodyRefused):
    def __init__(self, limit: int, setting: str) -> None:
        detail = f"the request body is over {limit} bytes, this route's limit (setting {setting})"
        super().__init__(413, detail)


class BodyStalled(BodyRefused):
    def __init__(self, seconds: float) -> None:
        super().__init__(
            408, f"the request body stopped arriving for {seconds:g} s (setting body_idle_seconds)"
        )


class NoTurn(BodyRefused):
    def __init__(self, seconds: float) -> None:
        detail = f"another large body has been read for over {seconds:g} s; send this one again later"
        super().__init__(503, detail, headers={"Retry-After": "10"})


LARGE_BODY_WAIT_SECONDS = 30.0  # how long a large body waits for its turn before a 503


class BodySizeLimit:
    """A 413 once a request body passes its route's bound: at once when Content-Length says so,
    else as soon as the bytes received pass it (a chunked body has no Content-Length).

    Each bound is a setting, named: `default` for every route, `routes` {(method, path): setting}
    for those whose bodies are larger by nature (importing a saved run).

    A body over the default bound is read one at a time, the others waiting unread (uvicorn stops
    reading a socket whose request is not being read): parsing a largest saved run takes about
    500 MB, and forty of them at once would take the server, and every run on it, down. So that
    one stalled sender cannot hold that turn for ever, a body that sends nothing for
    body_idle_seconds gets a 408, and a body that waits 30 s for its turn a 503."""

    def __init__(
        self, app: ASGIApp, settings: Settings, default: str, routes: dict[tuple[str, str], str]
    ) -> None:
        self.app = app
        self.default = default
        self.settings = settings
        self.routes = [(method, compile_path(path)[0], setting) for (method, path), setting in routes.items()]
        self.one_large_body = asyncio.Semaphore(1)

    def setting_for(self, scope: Scope) -> str:
        for method, path_regex, setting in self.routes:
            if scope["method"] == method and path_regex.match(scope["path"]):
                return setting
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        setting = self.setting_for(scope)
        limit = getattr(self.settings, setting)
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self.answer(BodyTooLarge(limit, setting), scope, receive, send)
            return

        received = 0
        complete = False
        idle = self.settings.body_idle_seconds

        async def receive_bounded() -> Message:
            nonlocal received, complete
            if complete:  # after the body, a receive waits for the client to leave: no bound
                return await receive()
            try:
                with anyio.fail_after(idle):
                    message = await receive()
            except TimeoutError:
                raise BodyStalled(idle) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if received > limit:
                    raise BodyTooLarge(limit, setting)
            return message

        started = False

        async def send_noting_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        large = not declared.isdigit() or int(declared) > getattr(self.settings, self.default)
        try:
            if large and setting != self.default:
                await self.take_turn()
                try:
                    await self.app(scope, receive_bounded, send_noting_start)
                finally:
                    self.one_large_body.release()
            else:
                await self.app(scope, receive_bounded, send_noting_start)
        except BodyRefused as refused:
            if started:
                raise
            await self.answer(refused, scope, receive, send)

    async def take_turn(self) -> None:
        try:
            with anyio.fail_after(LARGE_BODY_WAIT_SECONDS):
                await self.one_large_body.acquire()
        except TimeoutError:
            raise NoTurn(LARGE_BODY_WAIT_SECONDS) from None

    @staticmethod
    async def answer(refused: BodyRefused, scope: Scope, receive: Receive, send: Send) -> None:
        # The client may still be sending: close the connection after the answer.
        headers = {**(refused.headers or {}), "Connection": "close"}
        response = JSONResponse({"detail": refused.detail}, status_code=refused.status_code, headers=headers)
        await response(scope, receive, send)
