"""Interactive API documentation (GET /docs): Swagger UI served from this site.

FastAPI's built-in /docs loads Swagger UI from a CDN and starts it with an inline script, both of
which our Content-Security-Policy blocks (``script-src 'self'``, no inline). So the app turns the
built-in page off and this route serves the vendored copy (``static/vendor/swagger-ui``, from the
npm package ``swagger-ui-dist``) started by ``static/js/swagger-init.js``, which reads the schema
URL from a data attribute. The schema itself stays at FastAPI's ``/openapi.json``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from stridewise.web.pages.rendering import static_url, templates

router = APIRouter(include_in_schema=False)

DOCS_ASSETS = {
    "css": ["vendor/swagger-ui/swagger-ui.css", "css/api_docs.css"],
    "js": ["vendor/swagger-ui/swagger-ui-bundle.js", "js/swagger-init.js"],
}


@router.get("/docs", response_class=HTMLResponse)
async def api_docs(request: Request) -> HTMLResponse:
    app = request.app
    return templates.TemplateResponse(
        request,
        "api_docs.html",
        {
            "title": f"{app.title} API",
            "openapi_url": app.openapi_url or "/openapi.json",
            "css": [static_url(f) for f in DOCS_ASSETS["css"]],
            "js": [static_url(f) for f in DOCS_ASSETS["js"]],
        },
    )
