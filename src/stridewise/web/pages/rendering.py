"""Template rendering for the runner's pages: one Jinja2 environment, the static mount and the
per-page asset lists (which also feed the page-weight report).

Templates live in ``web/templates``; ``base.html`` is the layout every page, including other
teams' pages, extends with ``{% block content %}``. Pages pick their scripts through the
``assets`` block so a page never loads JavaScript it does not use (the 150 KB budget).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

import stridewise
from stridewise.triage.schemas import DISCLAIMER, MAX_TEXT


def _web_dir(name: str) -> Path:
    return Path(str(resources.files("stridewise.web") / name))


TEMPLATES_DIR = _web_dir("templates")
STATIC_DIR = _web_dir("static")

# CSS and JS each page family loads, as paths under /static. The weight report reads these.
BASE_ASSETS = ["css/app.css", "js/app.js"]
PAGE_ASSETS: dict[str, list[str]] = {
    "start": [*BASE_ASSETS],
    "interview": [*BASE_ASSETS, "vendor/htmx/htmx.min.js"],
    "result": [*BASE_ASSETS],
    "care": [*BASE_ASSETS, "vendor/leaflet/leaflet.css", "vendor/leaflet/leaflet.js", "js/care.js"],
    "provider": [*BASE_ASSETS],
    "summary": [*BASE_ASSETS],
    "library": [*BASE_ASSETS],
    "about": [*BASE_ASSETS],
}

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.globals.update(
    version=stridewise.__version__,
    disclaimer=DISCLAIMER,
    emergency_number="911",
    max_text=MAX_TEXT,  # the server's limit on the runner's words; text boxes use the same
)


def with_article(noun: str) -> str:
    """``"an emergency department"``, ``"a podiatrist"``: the article by the first letter,
    which is right for every provider type we name."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


templates.env.filters["with_article"] = with_article


def static_url(path: str) -> str:
    """A cache-busted URL for a file under static/ (the version changes on every release)."""
    return f"/static/{path}?v={stridewise.__version__}"


templates.env.globals["static_url"] = static_url


def page_assets(page: str) -> dict[str, list[str]]:
    """The stylesheet and script URLs for a page family, split for the template."""
    files = PAGE_ASSETS.get(page, BASE_ASSETS)
    return {
        "css": [static_url(f) for f in files if f.endswith(".css")],
        "js": [static_url(f) for f in files if f.endswith(".js")],
    }


def render(
    request: Request, template: str, page: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render ``template`` for ``page`` (a key of PAGE_ASSETS) with the common context."""
    ctx: dict[str, Any] = {
        "assets": page_assets(page),
        "page": page,
        "settings": request.app.state.settings,
    }
    ctx.update(context)
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    # The runner's words are in these pages: keep them out of shared caches.
    response.headers["Cache-Control"] = "no-store"
    return response


def mount_static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
