"""/docs: Swagger UI over this server's /openapi.json, from the copy vendored in static/vendor, so
the API's reference works with no internet (FastAPI's own /docs loads it from a CDN)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html

from ..deps import StaticAssets

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def swagger_ui(static: StaticAssets):
    vendored = f"{static.prefix}/vendor/swagger-ui"
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="backprop-visualizer: the REST API",
        swagger_js_url=f"{vendored}/swagger-ui-bundle.js",
        swagger_css_url=f"{vendored}/swagger-ui.css",
        swagger_favicon_url=f"{vendored}/favicon-32x32.png",
    )
