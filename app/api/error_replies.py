"""Error replies in the shape a client can act on, and no larger than it needs.

- a 422 names each field and says what is wrong, without echoing the input (FastAPI's default
  repeats the whole input for every error: a 1 MB body gave an 11 MB reply, and an input holding
  NaN could not be written as JSON at all), and shows the first 20 errors with a count of the rest;
- a 405 lists every method its path takes, not only those of the first route on that path.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount

MAX_ERRORS_SHOWN = 20
MAX_LOC_PART = 64  # a key in loc may be a client's own (an unknown field), of any length
MAX_MESSAGE = 300
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short_error(error: dict) -> dict:
    """One validation error as {loc, msg, type}: where, what is wrong, and its kind."""
    loc = [part if isinstance(part, int) else _clip(str(part), MAX_LOC_PART) for part in error.get("loc", ())]
    return {"loc": loc, "msg": _clip(str(error.get("msg", "")), MAX_MESSAGE), "type": str(error.get("type"))}


async def validation_error_reply(request: Request, exc: RequestValidationError | ValidationError):
    """The request's errors (or a model's, checked in a route), the first few of them in full."""
    errors = exc.errors()
    content: dict = {"detail": [short_error(e) for e in errors[:MAX_ERRORS_SHOWN]]}
    if len(errors) > MAX_ERRORS_SHOWN:
        content["more_errors"] = len(errors) - MAX_ERRORS_SHOWN
    return JSONResponse(content, status_code=422)


def allowed_methods(app: FastAPI, scope: dict) -> list[str]:
    """Every method some route of the app takes at this request's path."""
    allowed = []
    for method in METHODS:
        probe = {
            "type": "http",
            "method": method,
            "path": scope["path"],
            "root_path": scope.get("root_path", ""),
            "headers": [],
            "query_string": b"",
        }
        routes = (route for route in app.router.routes if not isinstance(route, Mount))
        if any(route.matches(dict(probe))[0] == Match.FULL for route in routes):
            allowed.append(method)
    return allowed


async def http_error_reply(request: Request, exc: HTTPException):
    if exc.status_code == 405:
        methods = allowed_methods(request.app, request.scope)
        if methods:
            exc = HTTPException(405, exc.detail, headers={**(exc.headers or {}), "Allow": ", ".join(methods)})
    return await http_exception_handler(request, exc)


def install_error_replies(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_error_reply)
    # A model checked inside a route (a stored run read back) fails the same way; without this its
    # ValueError handler would send every error of the list as one long text.
    app.add_exception_handler(ValidationError, validation_error_reply)
    app.add_exception_handler(HTTPException, http_error_reply)
