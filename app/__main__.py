"""`python -m app` (and the `backprop-visualizer` command): serve on 127.0.0.1:8000 by default."""

from __future__ import annotations

import sys

import uvicorn

from app.api.log_redaction import redact_uvicorn_logs
from app.api.settings import Settings
from app.main import create_app


def main(argv: list[str] | None = None) -> None:
    try:
        settings = Settings.from_env(argv=sys.argv[1:] if argv is None else argv)
    except ValueError as e:
        sys.exit(f"backprop-visualizer: {e}")
    host = "localhost" if settings.host in ("127.0.0.1", "::1") else settings.host
    print(f"backprop-visualizer: open http://{host}:{settings.port}/ in a browser", flush=True)
    redact_uvicorn_logs()
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        ws_per_message_deflate=False,  # float frames barely compress; deflate cost 25% of throughput
        ws_max_size=settings.max_message_bytes,
    )


if __name__ == "__main__":
    main()
