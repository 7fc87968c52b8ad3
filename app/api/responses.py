"""The error statuses a route can answer, as FastAPI `responses` for the OpenAPI document: each status
described once here; a router declares those all its routes share, a route adds its own."""

from __future__ import annotations

from .schemas.errors import ErrorOut

DESCRIPTIONS = {
    400: "the body is not valid JSON",
    401: "no control token",
    403: "wrong control token",
    404: "no such session",
    409: "not possible in the run's state",
    422: "invalid input; the message says what to change",
    429: "too many sessions",
    507: "the store holds its maximum of saved runs",
}


def error_responses(*statuses: int) -> dict[int | str, dict]:
    """{status: {model, description}} for these statuses, for `responses=` on a router or a route."""
    return {status: {"model": ErrorOut, "description": DESCRIPTIONS[status]} for status in statuses}


# What every route that reads a body or a parameter can answer: the JSON is broken, or a value is wrong.
BAD_INPUT = error_responses(400, 422)
# What the dependencies answer (app.api.deps): a session looked up, a control token checked.
NO_SUCH = error_responses(404)
CONTROL = error_responses(401, 403, 404)
