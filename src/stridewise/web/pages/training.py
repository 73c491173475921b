"""The training page: upload a history, see what it shows, confirm what is true, get a graded
way back to running (and its .ics).

Nothing is stored server-side. The runner's assessment state (if they came from their result)
rides along in hidden fields; from the history only four numbers are carried on (usual run
minutes, runs a week, pace, condition) so the plan and calendar can be rebuilt on request."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from stridewise.engine import Engine
from stridewise.kb.models import TriageLevel
from stridewise.training.calendar import plan_ics
from stridewise.training.errors import TrainingError
from stridewise.training.limits import DEFAULT_LIMITS
from stridewise.training.plan import ReturnPlan, build_plan, current_from_numbers
from stridewise.training.report import build_report
from stridewise.training.schemas import TrainingReport
from stridewise.web.deps import engine_of
from stridewise.web.pages.rendering import BASE_ASSETS, PAGE_ASSETS, render
from stridewise.web.pages.result import assess_state
from stridewise.web.pages.runner_state import RunnerState, multi_dict
from stridewise.web.pages.training_chart import chart
from stridewise.web.uploads import (
    BadForm,
    TooManyFiles,
    UploadTooLarge,
    read_upload_form,
    too_large_message,
    too_many_message,
)

router = APIRouter(include_in_schema=False)
log = logging.getLogger("stridewise.web")
PAGE_ASSETS["training"] = [*BASE_ASSETS, "css/training.css", "js/training.js"]


MAX_PLAN_START_DAYS = 366


def _number(raw: str | None) -> float | None:
    try:
        value = float((raw or "").strip()[:12])
    except ValueError:
        return None
    return value if value == value else None


def _start(raw: str | None) -> date:
    try:
        day = date.fromisoformat((raw or "").strip()[:10])
    except ValueError:
        return date.today() + timedelta(days=1)
    today = date.today()
    return (
        day
        if today - timedelta(days=7) <= day <= today + timedelta(days=MAX_PLAN_START_DAYS)
        else today + timedelta(days=1)
    )


def _condition(
    engine: Engine, state: RunnerState, fields: dict[str, str]
) -> tuple[str | None, bool]:
    """The condition to plan for (the top of the runner's result when they came from it, else
    the one they picked) and whether the triage said urgent care or an emergency."""
    if not state.problems():
        result = assess_state(engine, state)
        return result.conditions[0].id, result.triage.level >= TriageLevel.urgent
    picked = fields.get("condition", "")
    return (picked if picked in engine.kb.conditions else None), False


def _plan(
    engine: Engine, condition: str | None, urgent: bool, fields: dict[str, str]
) -> ReturnPlan | None:
    if condition is None:
        return None
    current = current_from_numbers(
        _number(fields.get("run_minutes")),
        _number(fields.get("runs_per_week")),
        _number(fields.get("pace")),
    )
    return build_plan(condition, engine.kb, engine.training, current, urgent=urgent)


def _page(
    request: Request,
    state: RunnerState,
    *,
    report: TrainingReport | None = None,
    plan: ReturnPlan | None = None,
    fields: dict[str, str] | None = None,
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    fields = fields or {}
    carry: dict[str, Any] = {}
    if report and report.summary.current:
        cur = report.summary.current
        carry = {
            "run_minutes": f"{cur.run_minutes:g}",
            "runs_per_week": f"{cur.runs_per_week:g}",
            "pace": f"{cur.pace_s_per_km:g}" if cur.pace_s_per_km else "",
        }
    elif fields:
        carry = {k: fields.get(k, "")[:12] for k in ("run_minutes", "runs_per_week", "pace")}
    kb = engine_of(request).kb
    return render(
        request,
        "training.html",
        "training",
        {
            "state": state,
            "has_state": not state.problems(),
            "report": report,
            "chart": chart(report.weeks) if report and report.weeks else None,
            "plan": plan,
            "carry": carry,
            "error": error,
            "limits": DEFAULT_LIMITS,
            "start": (date.today() + timedelta(days=1)).isoformat(),
            "conditions": sorted(
                ((c.id, c.name) for c in kb.conditions.values()), key=lambda c: c[1]
            ),
            "picked": fields.get("condition", ""),
        },
        status_code=status,
    )


@router.get("/training", response_class=HTMLResponse)
async def training_get(request: Request) -> HTMLResponse:
    return _page(request, RunnerState())


@router.post("/training", response_class=HTMLResponse)
async def training_post(request: Request) -> HTMLResponse:
    ctype = request.headers.get("content-type", "")
    state, fields = RunnerState(), {}
    try:
        if ctype.startswith("multipart/form-data"):
            form = await read_upload_form(request, DEFAULT_LIMITS)
            uploads, items = form.uploads, form.fields
        else:
            raw = await request.form()
            uploads, items = [], [(k, v) for k, v in raw.multi_items() if isinstance(v, str)]
    except UploadTooLarge:
        return _page(request, state, error=too_large_message(DEFAULT_LIMITS), status=413)
    except TooManyFiles:
        return _page(request, state, error=too_many_message(DEFAULT_LIMITS), status=413)
    except (BadForm, Exception):
        return _page(
            request, state, error="We could not read that upload. Please try again.", status=400
        )
    fields = dict(items)
    state = RunnerState.from_form(fields, multi_dict(items))
    report: TrainingReport | None = None
    error = ""
    if uploads:
        try:
            engine = engine_of(request)
            built, _ = await run_in_threadpool(build_report, uploads, engine.kb, engine.training)
        except TrainingError as exc:
            error = str(exc)
        else:
            report = built
            if built.files_read == 0:
                error = "None of the files could be read; see why below."
    elif fields.get("uploading"):
        error = "Please choose one or more files first."
    try:
        condition, urgent = await run_in_threadpool(_condition, engine_of(request), state, fields)
        if report and report.summary.current:
            cur = report.summary.current
            fields |= {
                "run_minutes": str(cur.run_minutes),
                "runs_per_week": str(cur.runs_per_week),
                "pace": str(cur.pace_s_per_km or ""),
            }
        plan = _plan(engine_of(request), condition, urgent, fields)
    except TrainingError as exc:
        plan, error = None, error or str(exc)
    except Exception as exc:
        log.error("training page failed: %s", type(exc).__name__)
        plan, error = None, error or "We could not build a plan just now."
    return _page(
        request,
        state,
        report=report,
        plan=plan,
        fields=fields,
        error=error,
        status=422 if error and (report is None or report.files_read == 0) else 200,
    )


@router.post("/training/plan.ics", response_model=None)
async def training_ics(request: Request) -> Response:
    raw = await request.form()
    items = [(k, v) for k, v in raw.multi_items() if isinstance(v, str)]
    fields = dict(items)
    state = RunnerState.from_form(fields, multi_dict(items))
    try:
        engine = engine_of(request)
        condition, urgent = await run_in_threadpool(_condition, engine, state, fields)
        plan = _plan(engine, condition, urgent, fields)
    except TrainingError as exc:
        return _page(request, state, fields=fields, error=str(exc), status=422)
    if plan is None:
        return _page(
            request, state, fields=fields, error="Please pick a condition first.", status=422
        )
    body = plan_ics(plan, _start(fields.get("start")))
    return Response(
        body,
        media_type="text/calendar",
        headers={
            "Content-Disposition": 'attachment; filename="stridewise-return-to-running.ics"',
            "Cache-Control": "no-store",
        },
    )
