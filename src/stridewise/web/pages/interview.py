"""The interview: one question at a time, with back, progress, why, and an emergency banner as
soon as a red flag is answered.

POST /interview takes the runner's state (hidden fields) plus at most one of: an answer to the
question ``q`` (``answer``, or ``dont_know``), or ``back`` to undo the last answer. It answers
with the next question, or with the result page once the interview engine says to stop. Every
response is 200 with HTML (problems are shown on the page) so htmx swaps it in.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from stridewise.web.deps import engine_of
from stridewise.web.pages.answer_words import describe_steps
from stridewise.web.pages.errors import render_trouble
from stridewise.web.pages.rendering import render
from stridewise.web.pages.result import render_result
from stridewise.web.pages.runner_state import MAX_AGE, RunnerState, read_form
from stridewise.web.pages.start import render_start

router = APIRouter(include_in_schema=False)
log = logging.getLogger("stridewise.web")


def _apply_answer(state: RunnerState, form: dict[str, str]) -> tuple[RunnerState, str | None]:
    """Record the answer in ``form`` (if any). Returns the new state and a message for the
    runner when the answer cannot be used (the same question is then asked again)."""
    if form.get("back"):
        return state.without_last(), None
    qid = form.get("q", "").strip()
    if not qid:
        return state, None
    if form.get("dont_know"):
        return state.with_answer(qid, "unknown"), None
    value = form.get("answer", "").strip()
    if qid == "age":
        if value.isdigit() and 1 <= int(value) <= MAX_AGE:
            return state.with_answer(qid, str(int(value))), None
        return state, f"Please type your age as a whole number from 1 to {MAX_AGE}, or skip."
    if not value:
        return state, "Please pick one of the answers."
    return state.with_answer(qid, value), None


@router.get("/interview", include_in_schema=False)
async def interview_get() -> Response:
    # The state only ever travels in a POST body; a bare GET (a bookmark, a reload) starts over.
    return RedirectResponse("/", status_code=303)


@router.post("/interview", response_class=HTMLResponse)
async def interview(request: Request) -> HTMLResponse:
    state, form = await read_form(request)
    problems = state.problems()
    if problems:
        return render_start(request, state, problems)
    state, error = _apply_answer(state, form)
    engine = engine_of(request)
    try:
        step = engine.next_step(state.request(engine.kb))
    except Exception as exc:  # the runner gets a way forward, never a stack trace
        log.error("interview step failed: %s", type(exc).__name__)
        return render_trouble(request, state)
    if step.should_stop or step.question is None:
        return render_result(request, state, step.assessment, stop_reason=step.stop_reason)
    last = state.last_answer()
    return render(
        request,
        "interview.html",
        "interview",
        {
            "state": state,
            "step": step,
            "q": step.question,
            "error": error,
            "last": describe_steps(engine.kb, [last])[0] if last else None,
        },
    )
