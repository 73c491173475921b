"""The summary for the clinician: a printable page (POST /summary) and the same content as a PDF
download (POST /summary.pdf). The runner's state arrives in the form; nothing is stored, and the
PDF is built in memory. No account is needed."""

from __future__ import annotations

import logging
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from stridewise.engine import Engine
from stridewise.training.plan import plan_for_result
from stridewise.web.deps import engine_of
from stridewise.web.pages.answer_words import describe_steps
from stridewise.web.pages.errors import render_trouble
from stridewise.web.pages.foot_map import SIDE_LABELS
from stridewise.web.pages.rendering import render
from stridewise.web.pages.result import assess_state
from stridewise.web.pages.runner_state import RunnerState, read_form
from stridewise.web.pages.start import render_start
from stridewise.web.pdf import SummaryContent, summary_pdf

router = APIRouter(include_in_schema=False)
log = logging.getLogger("stridewise.web")


def summary_content(engine: Engine, state: RunnerState) -> SummaryContent:
    """Assess ``state`` and gather what the summary shows."""
    result = assess_state(engine, state)
    req = state.request(engine.kb)
    return SummaryContent(
        text=state.text,
        result=result,
        age=req.age,
        sex=req.sex,
        where=state.region_labels(),
        side=SIDE_LABELS.get(state.side, "").lower(),
        answers=[(s.question, s.answer) for s in describe_steps(engine.kb, state.steps)],
        made_on=date.today(),
        return_plan=plan_for_result(result, engine.kb, engine.training),
    )


@router.get("/summary", include_in_schema=False)
@router.get("/summary.pdf", include_in_schema=False)
async def summary_get() -> Response:
    return RedirectResponse("/", status_code=303)


@router.post("/summary", response_class=HTMLResponse)
async def summary_page(request: Request) -> HTMLResponse:
    state, _ = await read_form(request)
    if problems := state.problems():
        return render_start(request, state, problems)
    try:
        content = summary_content(engine_of(request), state)
    except Exception as exc:
        log.error("summary failed: %s", type(exc).__name__)
        return render_trouble(request, state)
    return render(request, "summary.html", "summary", {"state": state, "s": content})


@router.post("/summary.pdf", response_model=None)
async def summary_download(request: Request) -> Response:
    state, _ = await read_form(request)
    if problems := state.problems():
        return render_start(request, state, problems)
    try:
        pdf = summary_pdf(summary_content(engine_of(request), state))
    except Exception as exc:
        log.error("summary pdf failed: %s", type(exc).__name__)
        return render_trouble(request, state)
    name = f"stridewise-summary-{date.today().isoformat()}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
