"""Control tokens out of the server's log, whatever a client or the log level does.

The page sends the token in headers uvicorn does not log at "info" (Authorization, and the
WebSocket subprotocol `bpv.token.<token>`). This filter is the second line of defence: a client
that still writes `?token=` into a URL, or a log level ("debug", "trace") at which uvicorn prints
request scopes, gets `[redacted]` in the log where the token was.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from urllib.parse import unquote

# uvicorn.error: the WebSocket handshake lines; uvicorn.access: HTTP request lines;
# uvicorn.asgi: whole ASGI scopes (headers, query string, subprotocols) at log level "trace"
UVICORN_LOGGERS = ("uvicorn.error", "uvicorn.access", "uvicorn.asgi")

REDACTED = "[redacted]"

# What precedes a secret, then the secret itself up to a delimiter of the text it sits in
# (a query's "&", a header list's ",", a repr's quote): a token of any alphabet, percent-encoded too.
SECRET = re.compile(r"(token=|bpv\.token\.|bearer\s+)[^\s&,;'\"\]\)]+", re.IGNORECASE)


# A query parameter whose name, once percent-decoded, is "token" (?%74oken= is read as ?token=).
QUERY_PARAMETER = re.compile(r"([?&])([^=&\s]+)=([^&\s'\"]+)")


def _redact_parameter(match: re.Match) -> str:
    if unquote(match.group(2)).lower() != "token":
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}={REDACTED}"


def redact(text: str) -> str:
    return QUERY_PARAMETER.sub(_redact_parameter, SECRET.sub(lambda m: m.group(1) + REDACTED, text))


def _redacted_arg(value):
    """A %-argument with any secret replaced. Values without one stay as they were (and of their
    type: "%d" still gets an int); one with a secret becomes the redacted text "%s" would print."""
    text = value if isinstance(value, str) else str(value)
    clean = redact(text)
    return value if clean == text else clean


class SecretRedaction(logging.Filter):
    """Redacts tokens in a record's message and arguments in place. The arguments stay separate
    (uvicorn's access formatter reads them by position), each redacted on its own."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, Mapping):
            record.args = {key: _redacted_arg(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redacted_arg(value) for value in record.args)
        return True


_FILTER = SecretRedaction()


def redact_uvicorn_logs() -> None:
    """Install the filter on uvicorn's loggers: once per process however often it is called; it
    survives uvicorn's own logging setup (dictConfig leaves a logger's filters in place)."""
    for name in UVICORN_LOGGERS:
        logging.getLogger(name).addFilter(_FILTER)
