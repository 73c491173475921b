"""The ASGI application: the JSON API under /api/v1 and the runner's pages, one process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.middleware.gzip import GZipMiddleware

from stridewise import logs
from stridewise.engine import Engine
from stridewise.heap import settle
from stridewise.settings import Settings, get_settings
from stridewise.version import __version__
from stridewise.web import health, security
from stridewise.web.api import assessments
from stridewise.web.api import connect as connect_api
from stridewise.web.api import interview as interview_api
from stridewise.web.api import library as library_api
from stridewise.web.api import providers as providers_api
from stridewise.web.api import training as training_api
from stridewise.web.connect_state import connect_state
from stridewise.web.edge import EdgeMiddleware
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
    training,
)
from stridewise.web.pages.errors import form_refused_page, install_page_error_handlers
from stridewise.web.pages.rendering import mount_static, static_url
from stridewise.web.problems import install_problem_handlers, problems


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """What runs for the life of the server process: the long-lived tables built and frozen out
    of the collector's way (:mod:`stridewise.heap`), and the outbox mail worker (when enabled)."""
    await run_in_threadpool(settle)
    state = connect_state(app)
    if state.settings.outbox_worker_enabled:
        state.worker.start()
    try:
        yield
    finally:
        state.worker.stop()


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """The app, with its settings and its engine (loaded from ``settings.kb_dir`` when not
    given: the packaged knowledge by default)."""
    settings = settings or get_settings()
    settings.check_can_serve()  # no placeholder secret outside development
    engine = engine or Engine.load(settings.kb_dir)
    app = FastAPI(
        title="Stridewise",
        version=__version__,
        description="Triage, self-care and provider finding for runners with foot and leg pain. "
        "Not a diagnosis.",
        # The built-in docs pages load scripts from a CDN and run inline scripts, which our CSP
        # blocks: /docs is served by pages.api_docs from vendored Swagger UI instead. No ReDoc.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    install_problem_handlers(app)
    # Browsers get friendly HTML error pages outside /api; the API keeps problem+json.
    install_page_error_handlers(app)
    # Every API route may answer these problems (the edge refuses bad input before any route).
    common = problems(400, 413, 422)
    app.include_router(health.router, responses=problems())
    app.include_router(assessments.router, prefix="/api/v1", responses=common)
    app.include_router(interview_api.router, prefix="/api/v1", responses=common)
    app.include_router(library_api.router, prefix="/api/v1", responses={**common, **problems(404)})
    app.include_router(
        providers_api.router, prefix="/api/v1", responses={**common, **problems(404)}
    )
    app.include_router(training_api.router, prefix="/api/v1", responses={**common, **problems(404)})
    for pages in (start, interview, result, care, summary, library, about, api_docs, training):
        app.include_router(pages.router)
    app.include_router(
        connect_api.router,
        prefix="/api/v1",
        responses={**common, **problems(401, 403, 404, 409, 429)},
    )
    for pages in (connect_runner, connect_provider, dev_mailbox):
        app.include_router(pages.router)
    mount_static(app)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> RedirectResponse:
        # Pages link the SVG icon; this serves clients that ask for the conventional path.
        return RedirectResponse(static_url("icons/favicon.svg"), status_code=301)

    # Headers, CSP and CSRF for every response (innermost, so it sees HTML before gzip).
    security.install(app, settings, refusal_page=form_refused_page)
    # Added last so it is the outermost layer: security must see (and edit) uncompressed HTML.
    # Compressed transfer keeps every page's CSS+JS well under the 150 KB budget.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    # Outermost: request ids, bounded input, quiet crashes (see web/edge.py).
    app.add_middleware(
        EdgeMiddleware,
        handlers=app.exception_handlers,
        headers=security.security_headers(settings),
    )
    logs.guard_existing_handlers()
    return app
