"""The rules the server enforces, written into its OpenAPI document so that clients and fuzzers
read them: the server's own limits, not only the outer bounds of the models (which hold for any
server), and the refusals of the HTTP perimeter (app/api/guards.py) on every write.

The models say `hidden <= 1024`; a server started with --max-hidden 64 refuses 65, and its
/openapi.json says `maximum: 64`. Each limit is set at the one place the schema holds it."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from .settings import Settings

# What the perimeter answers a write under /api before any route sees it.
WRITE_REFUSALS = {
    "403": "sent by a page on another site (an Origin that is neither this server nor allowed_origins)",
    "413": "the body is larger than this route's bound (max_body_bytes, max_import_bytes, max_compare_bytes)",
    "415": "a body that is not Content-Type: application/json",
}


def _limits(settings: Settings) -> dict[tuple[str, str], dict]:
    """(model, field) -> the JSON Schema keywords this server's settings tighten."""
    return {
        ("RunConfig", "hidden"): {"maximum": settings.max_hidden},
        ("DatasetConfig", "n_samples"): {"maximum": settings.max_points},
        ("DatasetConfig", "points"): {"maxItems": settings.max_points},
        ("StepRequest", "n"): {"maximum": settings.max_steps_per_request},
    }


def _tighten(schema: dict, keywords: dict) -> None:
    """Set the keywords on the field's schema, or on its non-null branch when it is optional; on
    an array branch (hidden's list of widths), on its items."""
    branches = [b for b in schema.get("anyOf", [schema]) if b.get("type") != "null"]
    branches = [b.get("items", b) if b.get("type") == "array" else b for b in branches]
    for branch in branches:
        for key, value in keywords.items():
            branch[key] = min(value, branch.get(key, value))


def install(app: FastAPI, settings: Settings) -> None:
    """app.openapi() from now on states this server's limits (computed once, then cached)."""

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            models = schema["components"]["schemas"]
            for (model, field), keywords in _limits(settings).items():
                _tighten(models[model]["properties"][field], keywords)
            for path in schema["paths"].values():
                for operation in path.values():
                    for parameter in operation.get("parameters", []):
                        if parameter["name"] == "G":
                            _tighten(parameter["schema"], {"maximum": settings.max_grid})
            for route, path in schema["paths"].items():
                for method, operation in path.items():
                    if method in ("post", "put", "patch", "delete") and route.startswith("/api/"):
                        for status, why in WRITE_REFUSALS.items():
                            operation["responses"].setdefault(
                                status,
                                {
                                    "description": why,
                                    "content": {
                                        "application/json": {
                                            "schema": {"$ref": "#/components/schemas/ErrorOut"}
                                        }
                                    },
                                },
                            )
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi
