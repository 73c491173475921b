"""Provider and operator pages: sign up and in, claim a listing, edit the athlete profile, read
and answer requests; the operator's claim approvals and counts.

Every page that shows an object loads it through a query scoped to the signed-in account, so
another provider's request id or NPI is a 404 page, the same as an id that does not exist.
Forms post back here; bad input re-renders the form with friendly messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from stridewise.connect import accounts, claims, operators, profiles, sessions
from stridewise.connect import requests as reqs
from stridewise.connect.limits import RateLimited
from stridewise.connect.models import Account
from stridewise.connect.schemas import SERVICE_LABELS, ProfileIn
from stridewise.db.engine import session_scope
from stridewise.errors import Reason
from stridewise.inputs import INVISIBLE_IN_EMAIL, visible_only
from stridewise.web.pages.connect_common import (
    client_key,
    friendly_errors,
    notice,
    signed_in,
    state_of,
    too_many,
)
from stridewise.web.pages.rendering import render
from stridewise.web.params import RowId
from stridewise.web.problems import status_of
from stridewise.web.security import clear_session, issue_session, session_token

router = APIRouter(include_in_schema=False)
PAGE = "account"  # the provider's own pages (the nav's "For providers" section)
OPERATOR_PAGE = "operator"
HOME = {"provider": "/provider", "operator": "/operator"}  # where each role lands signed in
# What a page says after an action (``?done=<key>``): fixed sentences, so nothing the user typed
# ever travels in a URL.
DONE = {
    "welcome": "Your account is ready. Next: claim your listing by NPI below.",
    "code_sent": "We sent a 6-digit code to your email. Type it below to verify your claim.",
    "verified": "Code accepted. An operator will check your claim against the NPI record; "
    "we email you when it is decided.",
    "saved": "Your athlete profile is saved. Runners see it on your listing now.",
    "replied": "Your answer was sent. The runner sees it on their private link.",
    "approved": "Claim approved. The provider was told by email and can now fill in their "
    "athlete profile.",
    "rejected": "Claim rejected. The provider was told by email.",
}


def _done(request: Request) -> str:
    return DONE.get(request.query_params.get("done", ""), "")


def mailbox_url(request: Request) -> str:
    """The demo mailbox's address when mail stays on this machine, else empty."""
    settings = state_of(request).settings
    return "/dev/mailbox" if settings.local_mailbox_enabled else ""


async def _form(request: Request) -> dict[str, str]:
    raw = await request.form()
    return {k: v for k, v in raw.items() if isinstance(v, str)}


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _as(request: Request, role: str, work: Callable[[Session, Account], Response]) -> Response:
    """Run ``work`` in one transaction for the signed-in account of ``role``; else redirect to
    sign-in. The other role opening a page is sent to its own home (the site's "Providers" link
    leads an operator to /provider); posting to the other role's pages is a 404."""
    with session_scope(state_of(request).engine) as session:
        account = signed_in(request, session)
        if account is None:
            return _see_other("/provider/login")
        if account.role != role:
            if request.method == "GET":
                return _see_other(HOME.get(account.role, "/"))
            return notice(request, "Not found", "There is nothing here.", 404)
        response = work(session, account)
    if session.info.pop("stridewise.wake_outbox", False):
        state_of(request).worker.wake()
    return response


# --- accounts -------------------------------------------------------------------------------


@router.get("/provider/signup", response_class=HTMLResponse)
def signup_form(request: Request) -> HTMLResponse:
    return render(request, "connect/signup.html", PAGE, {"values": {}, "errors": []})


@router.post("/provider/signup", response_class=HTMLResponse)
async def signup(request: Request) -> Response:
    # argon2 and the database run in the threadpool, never on the event loop.
    return await run_in_threadpool(_signup, request, await _form(request))


def _signup(request: Request, form: dict[str, str]) -> Response:
    state = state_of(request)
    try:
        state.limits.signup(client_key(request))
    except RateLimited as exc:
        return too_many(request, exc, "Too many new accounts from here. Try again later.")
    try:
        with session_scope(state.engine) as session:
            account = accounts.create_account(
                session,
                form.get("email", ""),
                form.get("password", ""),
                "provider",
                form.get("display_name", ""),
            )
            token = sessions.start(session, account.id)
    except accounts.AccountError as exc:
        values = {k: form.get(k, "") for k in ("email", "display_name")}
        return render(
            request,
            "connect/signup.html",
            PAGE,
            {"values": values, "errors": [str(exc)]},
            status_code=422,
        )
    response = _see_other("/provider?done=welcome")
    issue_session(response, state.settings, token)
    return response


@router.get("/provider/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return render(request, "connect/login.html", PAGE, {"errors": [], "email": ""})


@router.post("/provider/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    return await run_in_threadpool(_login, request, await _form(request))


def _login(request: Request, form: dict[str, str]) -> Response:
    state = state_of(request)
    email = form.get("email", "")[:254]
    if not visible_only(email):  # said as sign-up says it, not "wrong email or password"
        return render(
            request,
            "connect/login.html",
            PAGE,
            {"errors": [INVISIBLE_IN_EMAIL], "email": ""},
            status_code=422,
        )
    try:
        state.limits.login(client_key(request), email)
    except RateLimited as exc:
        return too_many(request, exc, "Too many sign-in attempts. Wait and try again.")
    with session_scope(state.engine) as session:
        account = accounts.authenticate(session, email, form.get("password", "")[:1024])
        found = (sessions.start(session, account.id), account.role) if account else None
    if found is None:
        return render(
            request,
            "connect/login.html",
            PAGE,
            {"errors": ["Wrong email or password."], "email": email},
            status_code=401,
        )
    response = _see_other("/operator" if found[1] == "operator" else "/provider")
    issue_session(response, state.settings, found[0])
    return response


@router.post("/provider/logout")
def logout(request: Request) -> Response:
    """End the session on the server, so a copied cookie stops working too."""
    with session_scope(state_of(request).engine) as session:
        sessions.end(session, session_token(request))
    response = _see_other("/provider/login")
    clear_session(response, state_of(request).settings)
    return response


def _password_page(request: Request, errors: list[str], status_code: int = 200) -> HTMLResponse:
    return render(
        request, "connect/password.html", PAGE, {"errors": errors}, status_code=status_code
    )


@router.get("/provider/password", response_class=HTMLResponse)
def password_form(request: Request) -> Response:
    with session_scope(state_of(request).engine) as session:
        if signed_in(request, session) is None:
            return _see_other("/provider/login")
    return _password_page(request, [])


@router.post("/provider/password", response_class=HTMLResponse)
async def change_password(request: Request) -> Response:
    """Every session of the account ends; this browser gets a fresh one."""
    return await run_in_threadpool(_change_password, request, await _form(request))


def _change_password(request: Request, form: dict[str, str]) -> Response:
    state = state_of(request)
    with session_scope(state.engine) as session:
        account = signed_in(request, session)
        if account is None:
            return _see_other("/provider/login")
        try:
            accounts.change_password(
                session, account, form.get("current_password", ""), form.get("new_password", "")
            )
        except accounts.AccountError as exc:
            return _password_page(request, [str(exc)], 422)
        token = sessions.start(session, account.id)
        home = HOME.get(account.role, "/")
    response = _see_other(home)
    issue_session(response, state.settings, token)
    return response


# --- provider dashboard, claims and profile -------------------------------------------------


def _dashboard(
    request: Request, session: Session, me: Account, errors: list[str], status_code: int = 200
) -> HTMLResponse:
    mine, claimed = profiles.profiles_of(session, me.id), claims.claims_of(session, me.id)
    npis = [p.npi for p in mine] + [c.npi for c in claimed]
    ctx = {
        "me": me,
        "claims": claimed,
        "profiles": mine,
        "labels": profiles.listing_labels(session, npis),
        "pending": sum(r.status == "pending" for r in reqs.inbox(session, me.id)),
        "errors": errors,
        "done": "" if errors else _done(request),
        "mailbox_url": mailbox_url(request),
    }
    return render(request, "connect/dashboard.html", PAGE, ctx, status_code=status_code)


@router.get("/provider", response_class=HTMLResponse)
def dashboard(request: Request) -> Response:
    return _as(request, "provider", lambda s, me: _dashboard(request, s, me, []))


@router.post("/provider/claims", response_class=HTMLResponse)
async def start_claim(request: Request) -> Response:
    npi = (await _form(request)).get("npi", "").strip()

    def work(session: Session, me: Account) -> Response:
        try:
            state_of(request).limits.claim_code(me.id, npi)
        except RateLimited as exc:
            return too_many(request, exc, "Too many codes were sent for this listing today.")
        try:
            claims.start_claim(session, state_of(request).settings, me, npi)
        except claims.ClaimProblem as exc:
            return _dashboard(request, session, me, [exc.message], 422)
        return _see_other("/provider?done=code_sent")

    return _as(request, "provider", work)


@router.post("/provider/claims/{claim_id}/verify", response_class=HTMLResponse)
async def verify_claim(claim_id: RowId, request: Request) -> Response:
    code = (await _form(request)).get("code", "").strip()[:12]

    def work(session: Session, me: Account) -> Response:
        mine = claims.own_claim(session, me.id, claim_id)
        if mine is not None:
            try:
                state_of(request).limits.claim_guess(mine.npi)
            except RateLimited as exc:
                return too_many(request, exc, "Too many codes were tried for this listing today.")
        try:
            claims.verify_code(session, state_of(request).settings, me.id, claim_id, code)
        except claims.ClaimProblem as exc:
            # Rendering (not raising) keeps the transaction, so failed tries are counted.
            return _dashboard(request, session, me, [exc.message], status_of(exc))
        return _see_other("/provider?done=verified")

    return _as(request, "provider", work)


def _profile_page(
    request: Request, npi: str, values: dict[str, Any], errors: list[str], status_code: int = 200
) -> HTMLResponse:
    ctx = {"npi": npi, "v": values, "errors": errors, "service_labels": SERVICE_LABELS, "done": ""}
    return render(request, "connect/profile.html", PAGE, ctx, status_code=status_code)


@router.get("/provider/profiles/{npi}", response_class=HTMLResponse)
def profile_form(npi: str, request: Request) -> Response:
    def work(session: Session, me: Account) -> Response:
        profile = profiles.own_profile(session, me.id, npi)
        if profile is None:
            return notice(request, "Not found", "There is nothing here.", 404)
        return _profile_page(request, npi, profiles.to_out(profile).model_dump(), [])

    return _as(request, "provider", work)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]


# The profile form's own labels, for its error messages.
PROFILE_LABELS = {
    "sports_focus": "Sports focus",
    "sports_treated": "Sports treated",
    "services": "Services",
    "languages": "Languages",
    "insurance": "Insurance accepted",
    "booking_url": "Booking link",
}


@router.post("/provider/profiles/{npi}", response_class=HTMLResponse)
async def save_profile(npi: str, request: Request) -> Response:
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    values: dict[str, Any] = {
        "running_focus": form.get("running_focus") == "yes",
        "sports_focus": form.get("sports_focus", ""),
        "sports_treated": _split(form.get("sports_treated", "")),
        "services": [s for s in raw.getlist("services") if isinstance(s, str)],
        "accepting_new_patients": form.get("accepting_new_patients") == "yes",
        "languages": _split(form.get("languages", "")),
        "insurance": _split(form.get("insurance", "")),
        "booking_url": form.get("booking_url", "").strip(),
    }

    def work(session: Session, me: Account) -> Response:
        if profiles.own_profile(session, me.id, npi) is None:
            return notice(request, "Not found", "There is nothing here.", 404)
        try:
            data = ProfileIn.model_validate(values)
        except ValidationError as exc:
            return _profile_page(request, npi, values, friendly_errors(exc, PROFILE_LABELS), 422)
        profiles.update_profile(session, me.id, npi, data)
        return _see_other("/provider?done=saved")

    return _as(request, "provider", work)


# --- inbox ----------------------------------------------------------------------------------


@router.get("/provider/inbox", response_class=HTMLResponse)
def inbox(request: Request) -> Response:
    def work(session: Session, me: Account) -> Response:
        rows = reqs.inbox(session, me.id)
        labels = profiles.listing_labels(session, [r.npi for r in rows])
        ctx = {"rows": rows, "labels": labels, "done": _done(request)}
        return render(request, "connect/inbox.html", PAGE, ctx)

    return _as(request, "provider", work)


def _item_page(
    request: Request,
    session: Session,
    me: Account,
    request_id: RowId,
    errors: list[str],
    status_code: int = 200,
) -> Response:
    row = reqs.for_provider(session, me.id, request_id)
    if row is None:
        return notice(request, "Not found", "There is nothing here.", 404)
    ctx = {
        "r": row,
        "labels": profiles.listing_labels(session, [row.npi]),
        "errors": errors,
        "done": "" if errors else _done(request),
    }
    return render(request, "connect/inbox_item.html", PAGE, ctx, status_code=status_code)


@router.get("/provider/inbox/{request_id}", response_class=HTMLResponse)
def inbox_item(request_id: RowId, request: Request) -> Response:
    return _as(request, "provider", lambda s, me: _item_page(request, s, me, request_id, []))


@router.post("/provider/inbox/{request_id}/reply", response_class=HTMLResponse)
async def reply(request_id: RowId, request: Request) -> Response:
    form = await _form(request)
    decision = form.get("decision", "")
    message = form.get("message", "")

    def work(session: Session, me: Account) -> Response:
        if decision not in ("accept", "decline") or len(message) > 2000:
            return _item_page(
                request,
                session,
                me,
                request_id,
                ["Choose accept or decline, with a message of at most 2000 characters."],
                422,
            )
        try:
            reqs.respond(
                session,
                state_of(request).settings,
                me.id,
                request_id,
                "accept" if decision == "accept" else "decline",
                message.strip(),
            )
        except reqs.RequestProblem as exc:
            if exc.reason is Reason.not_found:
                return notice(request, "Not found", "There is nothing here.", 404)
            return _item_page(request, session, me, request_id, [exc.message], status_of(exc))
        return _see_other(f"/provider/inbox/{request_id}?done=replied")

    return _as(request, "provider", work)


# --- operator -------------------------------------------------------------------------------


@router.get("/operator", response_class=HTMLResponse)
def operator_home(request: Request) -> Response:
    def work(session: Session, me: Account) -> Response:
        pending = [
            (
                c,
                profiles.listing_name(session, c.npi) or "not in the directory",
                session.get(Account, c.account_id),
            )
            for c in claims.awaiting_approval(session)
        ]
        ctx = {"counts": operators.counts(session), "pending": pending, "done": _done(request)}
        return render(request, "connect/operator.html", OPERATOR_PAGE, ctx)

    return _as(request, "operator", work)


@router.post("/operator/claims/{claim_id}/{decision}", response_class=HTMLResponse)
def decide(claim_id: RowId, decision: str, request: Request) -> Response:
    def work(session: Session, me: Account) -> Response:
        if decision not in ("approve", "reject"):
            return notice(request, "Not found", "There is nothing here.", 404)
        try:
            claims.decide(
                session, state_of(request).settings, me.id, claim_id, decision == "approve"
            )
        except claims.ClaimProblem as exc:
            return notice(request, "Cannot decide", exc.message, status_of(exc))
        return _see_other(f"/operator?done={'approved' if decision == 'approve' else 'rejected'}")

    return _as(request, "operator", work)
