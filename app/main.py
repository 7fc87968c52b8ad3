"""The app factory: create_app(settings) wires the registry, the routes and the background expiry.

Everything with a thread, a process or shared state (the trainer, the registry, the frame builder
and feeds, the store) is made here and kept on app.state: two apps in one process share nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware.trustedhost import TrustedHostMiddleware

from app import __version__
from app.api import openapi_rules
from app.api.body_limits import BodySizeLimit
from app.api.compression import CompressedReads
from app.api.error_replies import install_error_replies
from app.api.guards import (
    WILDCARD_ADDRESSES,
    JsonWritesFromOwnOrigin,
    SecurityHeaders,
    allowed_hosts,
)
from app.api.routers import (
    api_docs,
    catalogue,
    control,
    inspect,
    pages,
    passes,
    polls,
    runs,
    sessions,
    stream,
    twins,
)
from app.api.routers import exports as export_routes
from app.api.settings import Settings
from app.api.static_assets import StaticTree
from app.figures.renders import AnimationRenders
from app.frames.builder import FrameBuilder
from app.frames.feed import FrameFeeds
from app.training.limits import RunLimits
from app.training.player import SessionError
from app.training.registry import LimitReached, Registry
from app.training.store import RunStore, StoreFull
from app.training.trainer import Trainer

log = logging.getLogger(__name__)


def _answer_with(status: int):
    async def handler(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=status)

    return handler


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        async def expire_forever():
            while True:
                await asyncio.sleep(min(60.0, settings.idle_seconds / 4, settings.driver_grace_seconds / 4))
                app.state.registry.expire_idle()

        task = asyncio.create_task(expire_forever())
        try:
            yield
        finally:
            task.cancel()
            app.state.registry.close_all()
            await anyio.to_thread.run_sync(app.state.trainer.close)  # waits for a burst in progress
            await app.state.frame_builder.close()
            await anyio.to_thread.run_sync(app.state.animation_renders.close)

    app = FastAPI(
        docs_url=None,  # served by routers/api_docs.py from our own copy of Swagger UI
        redoc_url=None,
        title="backprop-visualizer",
        version=__version__,
        description=(
            "Train a tanh-softmax network step by step and inspect its backpropagation: gradients, "
            "a finite-difference gradient check, the worked derivation for any point. Create a "
            "session with POST /api/sessions ({} is the classic moons run), keep its token for "
            "the control routes, and watch it live on the WebSocket /ws/sessions/{id}."
        ),
        lifespan=lifespan,
    )
    app.state.settings = settings
    limits = RunLimits(max_hidden=settings.max_hidden, max_points=settings.max_points)
    app.state.trainer = Trainer()
    app.state.registry = Registry(
        settings.max_sessions,
        settings.idle_seconds,
        limits,
        app.state.trainer,
        driver_grace_seconds=settings.driver_grace_seconds,
    )
    app.state.frame_builder = FrameBuilder(use_process=settings.frame_process)
    app.state.frame_feeds = FrameFeeds(app.state.frame_builder)
    app.state.store = RunStore(settings.data_dir, settings.max_saved_runs)
    app.state.inspections = anyio.Semaphore(settings.max_inspections)
    app.state.animation_renders = AnimationRenders()  # GIFs, one at a time on a thread of their own
    app.state.static_tree = StaticTree(pages.STATIC_DIR)  # read on the first request for a page file

    # Errors the layers below raise, as the status a client can act on; the message says what to do.
    statuses = {ValueError: 422, SessionError: 409, LimitReached: 429, StoreFull: 507}
    for error, status in statuses.items():
        app.add_exception_handler(error, _answer_with(status))
    install_error_replies(app)
    app.add_middleware(CompressedReads)  # innermost: the perimeter's refusals are a few bytes
    add_perimeter(app, settings)

    app.include_router(catalogue.router)
    app.include_router(sessions.router)
    app.include_router(control.router)
    app.include_router(inspect.router)
    app.include_router(passes.router)
    app.include_router(polls.router)
    app.include_router(runs.router)
    app.include_router(twins.router)
    app.include_router(export_routes.router)
    app.include_router(stream.router)
    app.include_router(pages.router)
    app.include_router(api_docs.router)
    openapi_rules.install(app, settings)
    return app


def add_perimeter(app: FastAPI, settings: Settings) -> None:
    """The middleware every request passes. Each one added wraps those before it, so a request meets
    them bottom up: security headers (outermost, so that even a refusal carries them), the Host
    check, JSON writes from our own origin, the body bound, and then the routes."""
    app.add_middleware(
        BodySizeLimit,
        settings=settings,
        default="max_body_bytes",
        routes={
            ("POST", "/api/runs"): "max_import_bytes",
            ("POST", "/api/sessions/{session_id}/compare"): "max_compare_bytes",
        },
    )
    app.add_middleware(JsonWritesFromOwnOrigin, allowed_origins=settings.allowed_origins)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(settings), www_redirect=False)
    app.add_middleware(SecurityHeaders, frame_ancestors=settings.frame_ancestors)
    if settings.host in WILDCARD_ADDRESSES and not settings.allowed_hosts:
        log.warning(
            "serving on %s, but answering only to loopback Host names: set --allowed-hosts to the "
            "address or name others use to reach this machine",
            settings.host,
        )
