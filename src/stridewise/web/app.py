"""The ASGI application: the JSON API under /api/v1 and the runner's pages, one process."""

from __future__ import annotations

from fastapi import FastAPI

import stridewise
from stridewise.settings import Settings, get_settings
from stridewise.web.api import assessments
from stridewise.web.problems import install_problem_handlers


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Stridewise",
        version=stridewise.__version__,
        description="Triage, self-care and provider finding for runners with foot and leg pain. "
        "Not a diagnosis.",
    )
    app.state.settings = settings
    install_problem_handlers(app)
    app.include_router(assessments.router, prefix="/api/v1")
    return app
