"""The HTTP perimeter: what every request passes before a route sees it, as pure ASGI middleware
(streaming responses and the WebSocket go through untouched).

- which Host names the server answers to (Starlette's TrustedHostMiddleware, with the list below);
- writes only as JSON and only from this server's own pages or an allowed origin;
- (request bodies: bounded by app/api/body_limits.py, added beside these);
- the security headers every response carries.
"""

from __future__ import annotations

import re

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.settings import Settings, comma_list

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
WILDCARD_ADDRESSES = ("", "0.0.0.0", "::", "[::]")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _as_host_header_name(host: str) -> str:
    """How a name appears in a Host header: an IPv6 address in brackets, lower case."""
    host = host.strip().lower()
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def allowed_hosts(settings: Settings) -> list[str]:
    """The Host names to answer: loopback, the address the server is bound to when it is a specific
    one, and the allowed_hosts setting. Checking Host is what defeats DNS rebinding: a page on
    evil.example whose name now resolves to 127.0.0.1 still sends Host: evil.example."""
    hosts = list(LOOPBACK_HOSTS)
    if settings.host not in WILDCARD_ADDRESSES:
        hosts.append(_as_host_header_name(settings.host))
    hosts += [_as_host_header_name(name) for name in comma_list(settings.allowed_hosts)]
    return hosts


class JsonWritesFromOwnOrigin:
    """A write under /api (POST, PUT, PATCH, DELETE) is refused when a browser sends it from another
    site (403), or when it carries a body that is not application/json (415).

    Browsers send a form post or a text/plain fetch to any site without asking first; both carry
    an Origin header and neither can be application/json. Clients that are not browsers (curl,
    scripts) send no Origin and pass; a write with no body at all needs no content type."""

    def __init__(self, app: ASGIApp, allowed_origins: str = "") -> None:
        self.app = app
        self.allowed_origins = {origin.rstrip("/").lower() for origin in comma_list(allowed_origins)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in WRITE_METHODS and scope["path"].startswith("/api/"):
            refusal = self.refusal(scope)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def refusal(self, scope: Scope) -> JSONResponse | None:
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        own_origin = f"{scope['scheme']}://{headers.get('host', '')}".lower()
        if origin is not None and origin.rstrip("/").lower() not in {own_origin, *self.allowed_origins}:
            return JSONResponse(
                {
                    "detail": f"a request from the page {origin[:100]} may not change anything here; "
                    f"only this server's own pages (or an origin in the allowed_origins setting) may"
                },
                status_code=403,
            )
        content_type = headers.get("content-type")
        has_body = headers.get("transfer-encoding") is not None or headers.get("content-length", "0") != "0"
        if content_type is None and not has_body:
            return None
        if content_type is None or content_type.split(";")[0].strip().lower() != "application/json":
            return JSONResponse(
                {
                    "detail": f"send the body as JSON, with Content-Type: application/json "
                    f"(got {(content_type or 'none')[:60]})"
                },
                status_code=415,
            )
        return None


def content_security_policy(frame_ancestors: str) -> str:
    """The page's policy: scripts only from this server's files (no inline script, no eval), styles
    inline too (plotly.js and KaTeX set style attributes), fetch and WebSocket to this server only."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


def docs_security_policy(frame_ancestors: str) -> str:
    """/docs (Swagger UI, from static/vendor) starts with an inline script; it shows only this
    API's own schema and talks to this server alone."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "worker-src 'self' blob:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


DOCS_PAGES = re.compile(r"^/docs(/|$)")


INTERNAL_ERROR = JSONResponse(
    {"detail": "the server failed to answer this request; other requests and runs are not affected"},
    status_code=500,
)


class SecurityHeaders:
    """Headers every HTTP response carries: the Content-Security-Policy, no MIME sniffing, and no
    Referer (a share link holds a session's id).

    Starlette answers an unhandled exception outside every middleware, so its 500 would carry none
    of them: an exception raised before the response started is answered here instead (as JSON,
    with the headers) and raised on, so the server still logs it."""

    def __init__(self, app: ASGIApp, frame_ancestors: str = "'none'") -> None:
        self.app = app
        common = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
        csp = b"content-security-policy"
        self.page_headers = [*common, (csp, content_security_policy(frame_ancestors).encode())]
        self.docs_headers = [*common, (csp, docs_security_policy(frame_ancestors).encode())]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.docs_headers if DOCS_PAGES.match(scope["path"]) else self.page_headers

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not started:
                await INTERNAL_ERROR(scope, receive, send_with_headers)
            raise
