"""The start page: the runner's words, the foot-and-leg map, side, age and sex.

GET / shows the empty form. The form posts to /interview (see interview.py), which sends the
runner back here, with their input kept and the problems listed, when something is missing."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from stridewise.web.pages.foot_map import (
    ANKLE_FRONT_PATH,
    LEG_SIDE_PATH,
    PANELS,
    REGIONS,
    SIDE_LABELS,
    ordered_regions,
)
from stridewise.web.pages.rendering import render
from stridewise.web.pages.runner_state import InputProblem, RunnerState

router = APIRouter(include_in_schema=False)


def render_start(
    request: Request, state: RunnerState, problems: list[InputProblem] | None = None
) -> HTMLResponse:
    """The start page for ``state`` with ``problems`` shown (status 200 so htmx swaps it in)."""
    return render(
        request,
        "start.html",
        "start",
        {
            "state": state,
            "problems": problems or [],
            "regions": ordered_regions(),
            "selected": set(state.regions),
            "selected_labels": [REGIONS[r].label for r in state.regions],
            "sides": SIDE_LABELS,
            "side": state.side,
            "panels": PANELS,
            "paths": {"leg": LEG_SIDE_PATH, "ankle": ANKLE_FRONT_PATH},
        },
    )


@router.get("/", response_class=HTMLResponse)
async def start_page(request: Request) -> HTMLResponse:
    return render_start(request, RunnerState())
