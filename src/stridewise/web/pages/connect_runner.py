"""The runner's connect pages: request an appointment, then follow it on a private status link.

``GET /providers/{npi}/request`` shows the form. The result page may POST its runner state
(``text``, ``age``, ``sex``, ``answers`` as JSON) with ``prefill=1`` to open the form with the
description filled in; nothing is stored until the runner presses Send. A sent request answers
303 to ``/requests/{token}`` (so a reload cannot send it twice), where the runner sees the status
and the provider's reply and can withdraw it, which deletes everything they sent.
Bad input re-renders the form with a friendly message; nothing here answers a 500."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from stridewise.connect import idempotency, profiles
from stridewise.connect import requests as reqs
from stridewise.connect.limits import RateLimited
from stridewise.connect.schemas import RequestIn
from stridewise.connect.summary import build_summary
from stridewise.connect.tokens import new_status_token
from stridewise.db.engine import session_scope
from stridewise.engine import Engine
from stridewise.web.deps import engine_of
from stridewise.web.pages.connect_common import (
    ConnectState,
    client_key,
    friendly_errors,
    notice,
    state_of,
    too_many,
)
from stridewise.web.pages.rendering import render
from stridewise.web.problems import status_of

router = APIRouter(include_in_schema=False)

FORM_FIELDS = ("name", "email", "phone", "preferred_times", "message", "text", "age", "sex")
# The request form's own labels, so a problem names the box the runner sees.
LABELS = {
    "name": "Your name",
    "email": "Email",
    "phone": "Phone",
    "preferred_times": "Preferred times",
    "message": "A short message",
    "text": "What is going on (your own words)",
    "age": "Age",
    "sex": "Sex",
}
# The answers ride in a hidden field from the result page; only a tampered form breaks them.
ANSWERS_LOST = (
    "We could not read the answers carried from your result. Open the result again and follow "
    "its link to this provider, or untick the share box."
)
SHARE_HINT = (
    "To share your Stridewise summary, fill it in; or untick the share box to send without it."
)


def _provider_context(request: Request, npi: str) -> dict[str, Any] | None:
    with session_scope(state_of(request).engine) as session:
        profile = reqs.can_receive(session, npi)
        if profile is None:
            return None
        return {
            "npi": npi,
            "provider_name": profiles.listing_name(session, npi) or f"NPI {npi}",
            "profile": profiles.to_out(profile),
        }


def _form_page(
    request: Request,
    ctx: dict[str, Any],
    values: dict[str, str],
    errors: list[str],
    status_code: int = 200,
) -> HTMLResponse:
    # A key per form, kept across re-renders: pressing Send twice (or resubmitting after a
    # lost answer) sends one request.
    values = {**values, "idempotency_key": values.get("idempotency_key") or new_status_token()}
    return render(
        request,
        "connect/request_form.html",
        "provider",
        {**ctx, "values": values, "errors": errors},
        status_code=status_code,
    )


def _not_connected(request: Request) -> HTMLResponse:
    return notice(
        request,
        "This provider is not on Stridewise yet",
        "They have not claimed their listing, so they cannot receive requests here. "
        "Use the phone number or address on their listing instead.",
        404,
    )


def _parse(form: dict[str, str]) -> RequestIn:
    """Build the API model from the form; raises ValidationError or ValueError."""
    share = form.get("share_summary") == "yes"
    assessment: dict[str, Any] | None = None
    if share:
        answers = json.loads(form.get("answers") or "{}")
        if not isinstance(answers, dict):
            raise ValueError(ANSWERS_LOST)
        age = form.get("age", "").strip()
        if age and not (age.isdigit() and len(age) <= 3):
            raise ValueError("Age: use a whole number of years, or leave it empty.")
        assessment = {
            "text": form.get("text", ""),
            "age": int(age) if age else None,
            "sex": form.get("sex") or None,
            "answers": answers,
        }
    return RequestIn.model_validate(
        {
            "name": form.get("name", ""),
            "email": form.get("email", ""),
            "phone": form.get("phone", ""),
            "preferred_times": form.get("preferred_times", ""),
            "message": form.get("message", ""),
            "share_summary": share,
            "assessment": assessment,
        }
    )


def _not_accepting(request: Request, npi: str, ctx: dict[str, Any]) -> HTMLResponse:
    """Said before the runner types anything (the form used to be shown, filled in, and only
    then refused), with a way back to the listing's phone and address."""
    return render(
        request,
        "connect/notice.html",
        "account",
        {
            "title": "Not accepting new patients",
            "message": f"{ctx['provider_name']} is not taking new patients through Stridewise "
            "at the moment. Their listing has their phone and address, or search again for "
            "someone else near you.",
            "back_url": f"/care/providers/{npi}",
            "back_label": "Back to their listing",
            "more_url": "/care",
            "more_label": "Find someone else",
        },
        status_code=409,
    )


@router.get("/providers/{npi}/request", response_class=HTMLResponse)
def request_form(npi: str, request: Request) -> HTMLResponse:
    ctx = _provider_context(request, npi)
    if ctx is None:
        return _not_connected(request)
    if not ctx["profile"].accepting_new_patients:
        return _not_accepting(request, npi, ctx)
    return _form_page(request, ctx, {"answers": "{}"}, [])


@router.post("/providers/{npi}/request", response_class=HTMLResponse)
async def send_request(npi: str, request: Request) -> Response:
    """Prefill (from the result page) or send. Sending stores the request, then redirects."""
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    ctx = _provider_context(request, npi)
    if ctx is None:
        return _not_connected(request)
    values = {k: form.get(k, "") for k in FORM_FIELDS}
    values["answers"] = form.get("answers", "{}")
    values["share_summary"] = form.get("share_summary", "")
    values["idempotency_key"] = form.get("idempotency_key", "")
    if not ctx["profile"].accepting_new_patients:
        return _not_accepting(request, npi, ctx)
    if form.get("prefill"):
        # Consent is opt-in: the description is filled in, the share box is left unticked.
        values["share_summary"] = ""
        return _form_page(request, ctx, values, [])
    try:
        data = _parse(form)
    except ValidationError as exc:
        errors = friendly_errors(exc, LABELS)
        if any(str(e["loc"][0]) == "assessment" for e in exc.errors() if e.get("loc")):
            errors.append(SHARE_HINT)
        return _form_page(request, ctx, values, errors, 422)
    except json.JSONDecodeError:
        return _form_page(request, ctx, values, [ANSWERS_LOST], 422)
    except ValueError as exc:  # _parse's own sentences
        return _form_page(request, ctx, values, [str(exc)], 422)
    state = state_of(request)
    key = _form_key(request, values["idempotency_key"], data)

    def already() -> HTMLResponse:
        return _form_page(request, ctx, values, ["This form was already sent. Reload it."], 409)

    try:
        # Database work stays off the event loop.
        sent = await run_in_threadpool(idempotency.lookup, state.engine, key) if key else None
    except idempotency.IdempotencyError:
        return already()
    if sent is not None:
        return RedirectResponse(f"/requests/{sent.body['token']}?sent=1", status_code=303)
    try:
        await run_in_threadpool(
            state.limits.appointment_request, client_key(request), npi, data.email
        )
    except RateLimited as exc:
        return too_many(
            request, exc, "Too many requests were sent from here recently. Try again later."
        )
    try:
        token = await run_in_threadpool(_store, engine_of(request), state, npi, data, key)
    except idempotency.IdempotencyError:  # before ValueError: a reused key is one too
        return already()
    except ValueError:  # e.g. an answer to a question we never ask
        return _form_page(request, ctx, values, [ANSWERS_LOST], 422)
    except reqs.RequestProblem as exc:
        return notice(request, exc.title, exc.message, status_of(exc))
    state.worker.wake()
    return RedirectResponse(f"/requests/{token}?sent=1", status_code=303)


def _form_key(request: Request, raw: str, data: RequestIn) -> idempotency.IdempotencyKey | None:
    """The form's own Idempotency-Key (a malformed one is ignored: the form still sends)."""
    try:
        return idempotency.prepare(
            state_of(request).settings.secret_key,
            raw,
            "anonymous",
            f"POST {request.url.path}",
            data.model_dump_json(),
        )
    except idempotency.IdempotencyError:
        return None


def _store(
    engine: Engine,
    state: ConnectState,
    npi: str,
    data: RequestIn,
    key: idempotency.IdempotencyKey | None,
) -> str:
    """Build the summary (the engine) and store the request once per Idempotency-Key: in the
    threadpool, not on the event loop. Raises ValueError for an assessment the engine refuses,
    RequestProblem, IdempotencyError."""
    summary = (
        build_summary(engine, data.assessment) if data.share_summary and data.assessment else None
    )
    with session_scope(state.engine) as session:
        ttl = timedelta(hours=state.settings.idempotency_ttl_hours)
        sent = idempotency.claim(session, key, ttl) if key else None
        if sent is not None:
            return str(sent.body["token"])
        _, token = reqs.create_request(session, state.settings, npi, data, summary)
        if key:
            idempotency.finish(session, key, 201, {"token": token})
    return token


@router.get("/requests/{token}", response_class=HTMLResponse)
def request_status(token: str, request: Request, sent: int = 0) -> HTMLResponse:
    with session_scope(state_of(request).engine) as session:
        row = reqs.by_token(session, token)
        if row is None:
            return notice(
                request,
                "No request here",
                "This link does not match a request. It may have been withdrawn and deleted.",
                404,
            )
        name = profiles.listing_name(session, row.npi) or f"NPI {row.npi}"
        ctx = {
            "token": token,
            "sent": bool(sent),
            "status": row.status,
            "reply": row.reply,
            "provider_name": name,
            "shared_summary": row.summary is not None,
            "created_at": row.created_at,
            "status_url": f"{state_of(request).settings.base_url}/requests/{token}",
        }
    return render(request, "connect/request_status.html", "provider", ctx)


@router.post("/requests/{token}/withdraw", response_class=HTMLResponse)
def withdraw(token: str, request: Request) -> HTMLResponse:
    """Delete the request and everything the runner sent (including mail not yet sent)."""
    with session_scope(state_of(request).engine) as session:
        deleted = reqs.withdraw(session, token)
    if not deleted:
        return notice(request, "No request here", "There was nothing to withdraw.", 404)
    return notice(
        request,
        "Request withdrawn",
        "Your request was withdrawn and everything you sent has been deleted.",
        200,
    )
