"""The result page: triage banner, likely conditions with "why we think so", self-care, tools,
lower-leg areas, who to see and why, and the way on to care and the clinician's summary.

POST /result assesses the runner's state as it stands (the interview posts here for "skip the
rest"); interview.py also renders this page when the interview engine says to stop."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from stridewise.engine import Engine
from stridewise.kb.loader import KnowledgeBase
from stridewise.kb.models import TriageLevel
from stridewise.triage.schemas import AssessmentResult, ConditionOut, ToolOut
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
    "skipped": "You skipped the remaining questions. We still asked the ones that check for "
    "warning signs.",
}


MIN_SHOWN = 0.01  # conditions under 1% are not listed: noise to a runner, kept in the summary
ED_RADIUS = 50  # miles: the emergency search starts wide so it rarely comes back empty
_PERCENT = re.compile(r"\s*\(\d+%\)")


@dataclass(frozen=True)
class Banner:
    """What the triage banner says: one line per warning sign, and one explanation."""

    signs: list[str]
    explain: str


def banner_facts(kb: KnowledgeBase, result: AssessmentResult) -> Banner:
    """The warning signs that set the level (rule names, one per sign: variants of the same
    sign such as the three "cannot stand on tiptoe" rules count once) and one sentence of
    explanation, the top rule's reason. Without a rule, the engine's reason with its
    probability removed; at emergency level also without its "check within 24 hours" clause,
    which would contradict "now"."""
    rules = {r.id: r for r in kb.red_flags}
    level = result.triage.level
    fired = [rules[i] for i in result.triage.red_flags if i in rules]
    top = [r for r in fired if r.level == level] or [r for r in fired if r.level >= level]
    signs: list[str] = []
    seen: set[str] = set()
    for rule in top:
        key = rule.name.split(":")[0].strip().lower()
        if key not in seen:
            seen.add(key)
            signs.append(rule.name)
    if top:
        return Banner(signs, top[0].reason)
    if not result.triage.reasons:
        return Banner([], "")
    explain = _PERCENT.sub("", result.triage.reasons[0])
    if level == TriageLevel.emergency:
        explain = explain.split(";")[0].rstrip(".") + "."
    return Banner([], explain)


def shown_conditions(result: AssessmentResult) -> list[ConditionOut]:
    """The conditions worth listing to the runner (at least 1%; always the top one)."""
    return [c for i, c in enumerate(result.conditions) if i == 0 or c.probability >= MIN_SHOWN]


def extra_tools(result: AssessmentResult) -> list[ToolOut]:
    """Tools not already a step of the self-care plan (a night splint is said once)."""
    titles = " | ".join(m.title.lower() for m in result.self_care)
    return [t for t in result.tools if t.name.lower() not in titles]


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
    # An age or sex given only in their own words ("I'm 38") fills the form's boxes too: read
    # from this request's text, as the engine read it, never from anything stored.
    age: int | None = req.age
    sex: str | None = req.sex
    if age is None or sex is None:
        said = engine_of(request).extract(req.text)
        age = age if age is not None else said.age
        sex = sex or said.sex
    carry = {"text": req.text, "age": age or "", "sex": sex or "", "answers": req.answers}
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
            "banner": banner_facts(engine_of(request).kb, result),
            "conditions": shown_conditions(result),
            "tools": extra_tools(result),
            "ed_radius": ED_RADIUS,
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
        result = await run_in_threadpool(assess_state, engine_of(request), state)
    except Exception as exc:
        log.error("assessment failed: %s", type(exc).__name__)
        return render_trouble(request, state)
    return render_result(request, state, result)
