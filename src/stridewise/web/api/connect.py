"""JSON API for connecting runners with providers (mounted under /api/v1).

Runners: ``POST /providers/{npi}/requests`` returns a one-time status token (201 only after the
request is committed); ``GET``/``DELETE /requests/{token}`` read or withdraw it. Providers and
operators sign in with ``POST /session`` (a signed HttpOnly cookie); everything under
``/provider`` and ``/operator`` needs that session. Objects that are not the caller's answer 404,
exactly like objects that do not exist. Errors are problem+json."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from stridewise.connect import accounts, claims, operators, profiles
from stridewise.connect import requests as reqs
from stridewise.connect.models import Account, AppointmentRequest, Claim
from stridewise.connect.outbox import WAKE_OUTBOX
from stridewise.connect.schemas import (
    NPI_PATTERN,
    AccountOut,
    ClaimCodeIn,
    ClaimIn,
    ClaimOut,
    InboxItem,
    LoginIn,
    OperatorCounts,
    ProfileIn,
    ProfileOut,
    ReplyIn,
    RequestCreated,
    RequestIn,
    RequestStatusOut,
    SignupIn,
)
from stridewise.connect.summary import build_summary
from stridewise.db.engine import session_scope
from stridewise.web.connect_state import client_key, signed_in, state_of
from stridewise.web.deps import engine_of
from stridewise.web.problems import ProblemError
from stridewise.web.security import clear_session, issue_session

router = APIRouter(tags=["connect"])
NOT_FOUND = ProblemError(404, "Not found", "There is nothing here.", "not-found")


def db(request: Request) -> Iterator[Session]:
    """One transaction per API call, committed when the handler returns and before the response
    is sent (scope="function"), else rolled back. Queued mail is woken only after the commit."""
    state = state_of(request)
    with session_scope(state.engine) as session:
        yield session
    if session.info.pop(WAKE_OUTBOX, False):
        state.worker.wake()


DB = Depends(db, scope="function")


def _account(request: Request, session: Session, role: str) -> Account:
    account = signed_in(request, session)
    if account is None:
        raise ProblemError(401, "Sign in first", "This needs a signed-in account.", "auth")
    if account.role != role:
        raise ProblemError(403, "Forbidden", f"This needs a {role} account.", "forbidden")
    return account


def provider(request: Request, session: Session = DB) -> Account:
    return _account(request, session, "provider")


def operator(request: Request, session: Session = DB) -> Account:
    return _account(request, session, "operator")


def _status_out(row: AppointmentRequest) -> RequestStatusOut:
    return RequestStatusOut(
        npi=row.npi,
        status=row.status,
        reply=row.reply,
        shared_summary=row.summary is not None,
        created_at=row.created_at,
        responded_at=row.responded_at,
    )


def _inbox_item(row: AppointmentRequest) -> InboxItem:
    return InboxItem.model_validate(row, from_attributes=True)


def _claim_out(claim: Claim) -> ClaimOut:
    return ClaimOut(id=claim.id, npi=claim.npi, status=claim.status, created_at=claim.created_at)


# --- runners --------------------------------------------------------------------------------


@router.post("/providers/{npi}/requests", status_code=201, response_model=RequestCreated)
def create_request(npi: str, body: RequestIn, request: Request) -> RequestCreated:
    """Send an appointment request. 201 means it is durably stored."""
    state = state_of(request)
    if not state.limits.requests.hit(client_key(request)):
        retry = state.limits.requests.retry_after(client_key(request))
        raise ProblemError(
            429,
            "Too many requests",
            "Too many requests from here; try again later.",
            "rate-limited",
            retry_after=retry,
        )
    summary = None
    if body.share_summary and body.assessment is not None:
        # Outside the transaction: it is slow.
        summary = build_summary(engine_of(request), body.assessment)
    try:
        with session_scope(state.engine) as session:
            _, token = reqs.create_request(session, state.settings, npi, body, summary)
    except reqs.RequestProblem as exc:
        raise ProblemError(exc.status, exc.title, exc.message, exc.slug) from None
    state.worker.wake()  # mail goes out only now, after the commit
    return RequestCreated(
        token=token,
        status_url=f"{state.settings.base_url}/requests/{token}",
        status="pending",
    )


@router.get("/requests/{token}", response_model=RequestStatusOut)
def request_status(token: str, session: Session = DB) -> RequestStatusOut:
    row = reqs.by_token(session, token)
    if row is None:
        raise NOT_FOUND
    return _status_out(row)


@router.delete("/requests/{token}", status_code=204)
def withdraw_request(token: str, session: Session = DB) -> Response:
    """Withdraw the request and delete everything the runner sent, including queued mail."""
    if not reqs.withdraw(session, token):
        raise NOT_FOUND
    return Response(status_code=204)


@router.get("/providers/{npi}/profile", response_model=ProfileOut)
def public_profile(npi: str, session: Session = DB) -> ProfileOut:
    out = profiles.public_profile(session, npi)
    if out is None:
        raise NOT_FOUND
    return out


# --- accounts and sessions ------------------------------------------------------------------


@router.post("/accounts", status_code=201, response_model=AccountOut)
def sign_up(body: SignupIn, request: Request, response: Response) -> AccountOut:
    """Create a provider account and sign it in."""
    state = state_of(request)
    try:
        with session_scope(state.engine) as session:
            account = accounts.create_account(
                session, body.email, body.password, "provider", body.display_name
            )
            out = AccountOut.model_validate(account, from_attributes=True)
            pw_hash = account.password_hash
    except accounts.AccountError as exc:
        raise ProblemError(422, "Cannot create account", str(exc), "signup") from None
    issue_session(response, state.settings, out.id, pw_hash)
    return out


@router.post("/session", response_model=AccountOut)
def sign_in(body: LoginIn, request: Request, response: Response) -> AccountOut:
    state = state_of(request)
    key = f"{client_key(request)}|{body.email.strip().lower()}"
    if not state.limits.login.hit(key):
        raise ProblemError(
            429,
            "Too many attempts",
            "Too many sign-in attempts; wait a minute.",
            "rate-limited",
            retry_after=state.limits.login.retry_after(key),
        )
    with session_scope(state.engine) as session:
        account = accounts.authenticate(session, body.email, body.password)
        if account is None:
            raise ProblemError(401, "Sign-in failed", "Wrong email or password.", "auth")
        out = AccountOut.model_validate(account, from_attributes=True)
        pw_hash = account.password_hash
    issue_session(response, state.settings, out.id, pw_hash)
    return out


@router.delete("/session", status_code=204)
def sign_out(request: Request) -> Response:
    response = Response(status_code=204)
    clear_session(response, state_of(request).settings)
    return response


# --- providers ------------------------------------------------------------------------------


@router.get("/provider/claims", response_model=list[ClaimOut])
def my_claims(me: Account = Depends(provider), session: Session = DB) -> list[ClaimOut]:
    return [_claim_out(c) for c in claims.claims_of(session, me.id)]


@router.post("/provider/claims", status_code=201, response_model=ClaimOut)
def start_claim(
    body: ClaimIn,
    request: Request,
    me: Account = Depends(provider),
    session: Session = DB,
) -> ClaimOut:
    """Start claiming a listing; a code is emailed to the account's address."""
    try:
        claim = claims.start_claim(session, state_of(request).settings, me, body.npi)
    except claims.ClaimProblem as exc:
        raise ProblemError(exc.status, "Cannot claim", exc.message, "claim") from None
    session.flush()
    return _claim_out(claim)


@router.post("/provider/claims/{claim_id}/verify", response_model=ClaimOut)
def verify_claim(
    claim_id: int,
    body: ClaimCodeIn,
    request: Request,
    me: Account = Depends(provider),
    session: Session = DB,
) -> ClaimOut:
    settings = state_of(request).settings
    try:
        claim = claims.verify_code(session, settings, me.id, claim_id, body.code)
    except claims.ClaimProblem as exc:
        if exc.status == 422:
            session.commit()  # keep the failed-attempt count despite the error
        raise ProblemError(exc.status, "Cannot verify", exc.message, "claim") from None
    return _claim_out(claim)


@router.get("/provider/profiles/{npi}", response_model=ProfileOut)
def my_profile(npi: str, me: Account = Depends(provider), session: Session = DB) -> ProfileOut:
    profile = profiles.own_profile(session, me.id, npi)
    if profile is None:
        raise NOT_FOUND
    return profiles.to_out(profile)


@router.put("/provider/profiles/{npi}", response_model=ProfileOut)
def edit_profile(
    npi: str, body: ProfileIn, me: Account = Depends(provider), session: Session = DB
) -> ProfileOut:
    profile = profiles.update_profile(session, me.id, npi, body)
    if profile is None:
        raise NOT_FOUND
    return profiles.to_out(profile)


@router.get("/provider/requests", response_model=list[InboxItem])
def my_inbox(me: Account = Depends(provider), session: Session = DB) -> list[InboxItem]:
    return [_inbox_item(r) for r in reqs.inbox(session, me.id)]


@router.get("/provider/requests/{request_id}", response_model=InboxItem)
def inbox_item(
    request_id: int, me: Account = Depends(provider), session: Session = DB
) -> InboxItem:
    row = reqs.for_provider(session, me.id, request_id)
    if row is None:
        raise NOT_FOUND
    return _inbox_item(row)


@router.post("/provider/requests/{request_id}/reply", response_model=InboxItem)
def reply(
    request_id: int,
    body: ReplyIn,
    request: Request,
    me: Account = Depends(provider),
    session: Session = DB,
) -> InboxItem:
    """Accept or decline with a message the runner sees on their status link."""
    try:
        row = reqs.respond(
            session, state_of(request).settings, me.id, request_id, body.decision, body.message
        )
    except reqs.RequestProblem as exc:
        raise ProblemError(exc.status, exc.title, exc.message, exc.slug) from None
    return _inbox_item(row)


# --- operators ------------------------------------------------------------------------------


@router.get("/operator/counts", response_model=OperatorCounts)
def counts(_: Account = Depends(operator), session: Session = DB) -> OperatorCounts:
    return operators.counts(session)


@router.get("/operator/claims", response_model=list[ClaimOut])
def pending_claims(_: Account = Depends(operator), session: Session = DB) -> list[ClaimOut]:
    return [_claim_out(c) for c in claims.awaiting_approval(session)]


@router.post("/operator/claims/{claim_id}/{decision}", response_model=ClaimOut)
def decide_claim(
    claim_id: int,
    decision: str,
    request: Request,
    me: Account = Depends(operator),
    session: Session = DB,
) -> ClaimOut:
    if decision not in ("approve", "reject"):
        raise NOT_FOUND
    try:
        claim = claims.decide(
            session, state_of(request).settings, me.id, claim_id, decision == "approve"
        )
    except claims.ClaimProblem as exc:
        raise ProblemError(exc.status, "Cannot decide", exc.message, "claim") from None
    return _claim_out(claim)


__all__ = ["NPI_PATTERN", "router"]
