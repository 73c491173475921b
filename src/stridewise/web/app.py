"""The ASGI application: the JSON API under /api/v1 and the runner's pages, one process."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from starlette.middleware.gzip import GZipMiddleware

import stridewise
from stridewise.settings import Settings, get_settings
from stridewise.web import security
from stridewise.web.api import assessments
from stridewise.web.api import connect as connect_api
from stridewise.web.api import interview as interview_api
from stridewise.web.api import library as library_api
from stridewise.web.api import providers as providers_api
from stridewise.web.pages import (
    about,
    api_docs,
    care,
    connect_provider,
    connect_runner,
    dev_mailbox,
    interview,
    library,
    result,
    start,
    summary,
)
from stridewise.web.pages.errors import install_page_error_handlers
from stridewise.web.pages.rendering import mount_static, static_url
from stridewise.web.problems import install_problem_handlers


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Stridewise",
        version=stridewise.__version__,
        description="Triage, self-care and provider finding for runners with foot and leg pain. "
        "Not a diagnosis.",
        # The built-in docs pages load scripts from a CDN and run inline scripts, which our CSP
        # blocks: /docs is served by pages.api_docs from vendored Swagger UI instead. No ReDoc.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    install_problem_handlers(app)
    # Browsers get friendly HTML error pages outside /api; the API keeps problem+json.
    install_page_error_handlers(app)
    app.include_router(assessments.router, prefix="/api/v1")
    app.include_router(interview_api.router, prefix="/api/v1")
    app.include_router(library_api.router, prefix="/api/v1")
    app.include_router(providers_api.router, prefix="/api/v1")
    for pages in (start, interview, result, care, summary, library, about, api_docs):
        app.include_router(pages.router)
    app.include_router(connect_api.router, prefix="/api/v1")
    for pages in (connect_runner, connect_provider, dev_mailbox):
        app.include_router(pages.router)
    mount_static(app)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> RedirectResponse:
        # Pages link the SVG icon; this serves clients that ask for the conventional path.
        return RedirectResponse(static_url("icons/favicon.svg"), status_code=301)

    # Headers, CSP and CSRF for every response (innermost, so it sees HTML before gzip).
    security.install(app, settings)
    # Added last so it is the outermost layer: security must see (and edit) uncompressed HTML.
    # Compressed transfer keeps every page's CSS+JS well under the 150 KB budget.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    return app
