"""The result page: triage banner, likely conditions with "why we think so", self-care, tools,
lower-leg areas, who to see and why, and the way on to care and the clinician's summary.

POST /result assesses the runner's state as it stands (the interview posts here for "skip the
rest"); interview.py also renders this page when the interview engine says to stop."""

from __future__ import annotations

import json
import logging

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from stridewise.engine import Engine
from stridewise.triage.schemas import AssessmentResult
from stridewise.web.deps import engine_of
from stridewise.web.pages.errors import render_trouble
from stridewise.web.pages.rendering import render
from stridewise.web.pages.runner_state import RunnerState, read_form
from stridewise.web.pages.start import render_start

router = APIRouter(include_in_schema=False)
log = logging.getLogger("stridewise.web")

STOP_WORDS = {
    "confident": "We have enough to go on.",
    "no_useful_question": "We have asked everything that would change the picture.",
    "question_cap": "That is all the questions we ask.",
    "emergency": "We stopped the questions because this needs help now.",
}


def assess_state(engine: Engine, state: RunnerState) -> AssessmentResult:
    """Run the engine on the runner's state (which must have passed ``problems()``)."""
    return engine.assess(state.request(engine.kb))


def render_result(
    request: Request,
    state: RunnerState,
    result: AssessmentResult,
    stop_reason: str | None = None,
) -> HTMLResponse:
    """The result page for ``state`` and the engine's ``result``."""
    req = state.request(engine_of(request).kb)
    # What connect's request form can be prefilled with (POST prefill=1): app.js keeps it in
    # this browser tab's sessionStorage when the runner follows a "find care" link.
    carry = {"text": req.text, "age": req.age or "", "sex": req.sex or "", "answers": req.answers}
    return render(
        request,
        "result.html",
        "result",
        {
            "state": state,
            "r": result,
            "level": result.triage.level.value,
            "stop_words": STOP_WORDS.get(stop_reason or "", ""),
            "top_specialist": result.specialists[0] if result.specialists else None,
            "runner_json": json.dumps(carry, separators=(",", ":")),
        },
    )


@router.get("/result", include_in_schema=False)
async def result_get() -> Response:
    return RedirectResponse("/", status_code=303)


@router.post("/result", response_class=HTMLResponse)
async def result_page(request: Request) -> HTMLResponse:
    state, _ = await read_form(request)
    problems = state.problems()
    if problems:
        return render_start(request, state, problems)
    try:
        result = assess_state(engine_of(request), state)
    except Exception as exc:
        log.error("assessment failed: %s", type(exc).__name__)
        return render_trouble(request, state)
    return render_result(request, state, result)
