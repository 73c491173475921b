"""JSON API for connecting runners with providers (mounted under /api/v1).

Runners: ``POST /providers/{npi}/requests`` returns a one-time status token (201 only after the
request is committed); ``GET``/``DELETE /requests/{token}`` read or withdraw it. Providers and
operators sign in with ``POST /session`` (a signed HttpOnly cookie); everything under
``/provider`` and ``/operator`` needs that session. Objects that are not the caller's answer 404,
exactly like objects that do not exist. Errors are problem+json; rate limits answer 429 with
``Retry-After``. POSTs that create something accept an ``Idempotency-Key`` header: a retry with
the same key and body replays the first answer (``Idempotent-Replayed: true``) and creates
nothing; the same key with another body is a 422."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from stridewise.connect import accounts, claims, idempotency, operators, profiles, sessions
from stridewise.connect import requests as reqs
from stridewise.connect.limits import RateLimited
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
    PasswordChangeIn,
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
from stridewise.errors import Reason
from stridewise.web.connect_state import client_key, signed_in, state_of
from stridewise.web.deps import engine_of
from stridewise.web.params import RowId
from stridewise.web.problems import ProblemError, status_of
from stridewise.web.security import clear_session, issue_session, session_token

router = APIRouter(tags=["connect"])
NOT_FOUND = ProblemError(404, "Not found", "There is nothing here.", "not-found")
IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Optional, 16-255 visible ASCII characters (a UUID). A retry with the same "
        "key and body replays the first answer instead of creating again (for 24 hours).",
    ),
]
REPLAYED = "Idempotent-Replayed"


def _limited(exc: RateLimited, detail: str) -> ProblemError:
    return ProblemError(
        429, "Too many requests", detail, "rate-limited", retry_after=exc.retry_after
    )


def _key_problem(exc: idempotency.IdempotencyError) -> ProblemError:
    if isinstance(exc, idempotency.MalformedKey):
        status = 400
    elif isinstance(exc, idempotency.KeyInProgress):
        status = 409
    else:
        status = 422
    return ProblemError(status, "Idempotency-Key not usable", str(exc), "idempotency")


def _idempotency(
    request: Request, raw: str | None, principal: str, body: BaseModel
) -> idempotency.IdempotencyKey | None:
    if raw is None:
        return None
    try:
        return idempotency.prepare(
            state_of(request).settings.secret_key,
            raw,
            principal,
            f"{request.method} {request.url.path}",
            body.model_dump_json(),
        )
    except idempotency.IdempotencyError as exc:
        raise _key_problem(exc) from None


def _replayed(request: Request, key: idempotency.IdempotencyKey | None) -> JSONResponse | None:
    """The stored answer for a retried key (checked before rate limits, so a retry of
    something that was done is never refused)."""
    if key is None:
        return None
    try:
        replay = idempotency.lookup(state_of(request).engine, key)
    except idempotency.IdempotencyError as exc:
        raise _key_problem(exc) from None
    return _replay_response(replay)


def _replay_response(replay: idempotency.Replay | None) -> JSONResponse | None:
    if replay is None:
        return None
    return JSONResponse(replay.body, status_code=replay.status_code, headers={REPLAYED: "true"})


def _claim_key(
    request: Request, session: Session, key: idempotency.IdempotencyKey | None
) -> JSONResponse | None:
    """First statement of a creating transaction: claim the key, or the answer to replay."""
    if key is None:
        return None
    ttl = timedelta(hours=state_of(request).settings.idempotency_ttl_hours)
    try:
        return _replay_response(idempotency.claim(session, key, ttl))
    except idempotency.IdempotencyError as exc:
        raise _key_problem(exc) from None


def _finish_key(
    session: Session, key: idempotency.IdempotencyKey | None, status: int, out: BaseModel
) -> None:
    if key is not None:
        idempotency.finish(session, key, status, out.model_dump(mode="json"))


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
        who = {"operator": "an operator"}.get(role, f"a {role}")
        raise ProblemError(403, "Forbidden", f"This needs {who} account.", "forbidden")
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
def create_request(
    npi: str, body: RequestIn, request: Request, idempotency_key: IdempotencyKeyHeader = None
) -> Any:
    """Send an appointment request. 201 means it is durably stored."""
    state = state_of(request)
    key = _idempotency(request, idempotency_key, "anonymous", body)
    if (replay := _replayed(request, key)) is not None:
        return replay
    try:
        state.limits.appointment_request(client_key(request), npi, body.email)
    except RateLimited as exc:
        raise _limited(exc, "Too many requests from here; try again later.") from None
    summary = None
    if body.share_summary and body.assessment is not None:
        try:
            # Outside the transaction: it is slow.
            summary = build_summary(engine_of(request), body.assessment)
        except ValueError as exc:  # e.g. an answer to a question we never ask
            raise ProblemError(422, "Invalid assessment", str(exc), "validation") from None
    try:
        with session_scope(state.engine) as session:
            if (replay := _claim_key(request, session, key)) is not None:
                return replay
            _, token = reqs.create_request(session, state.settings, npi, body, summary)
            out = RequestCreated(
                token=token,
                status_url=f"{state.settings.base_url}/requests/{token}",
                status="pending",
            )
            _finish_key(session, key, 201, out)
    except reqs.RequestProblem as exc:
        raise ProblemError(status_of(exc), exc.title, exc.message, exc.slug) from None
    state.worker.wake()  # mail goes out only now, after the commit
    return out


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
def sign_up(
    body: SignupIn,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Any:
    """Create a provider account and sign it in. A replayed sign-up (same key, same body, so
    the same password) signs in again with a fresh session."""
    state = state_of(request)
    key = _idempotency(request, idempotency_key, "anonymous", body)
    replay = _replayed(request, key)
    if replay is None:
        try:
            state.limits.signup(client_key(request))
        except RateLimited as exc:
            raise _limited(exc, "Too many new accounts from here; try again later.") from None
    try:
        with session_scope(state.engine) as session:
            if replay is None:
                replay = _claim_key(request, session, key)
            if replay is not None:
                account_id = int(json.loads(bytes(replay.body))["id"])
                issue_session(replay, state.settings, sessions.start(session, account_id))
                return replay
            account = accounts.create_account(
                session, body.email, body.password, "provider", body.display_name
            )
            out = AccountOut.model_validate(account, from_attributes=True)
            _finish_key(session, key, 201, out)
            token = sessions.start(session, out.id)
    except accounts.AccountError as exc:
        raise ProblemError(422, "Cannot create account", str(exc), "signup") from None
    issue_session(response, state.settings, token)
    return out


@router.post("/session", response_model=AccountOut)
def sign_in(body: LoginIn, request: Request, response: Response) -> AccountOut:
    state = state_of(request)
    try:
        state.limits.login(client_key(request), body.email)
    except RateLimited as exc:
        raise _limited(exc, "Too many sign-in attempts; wait and try again.") from None
    with session_scope(state.engine) as session:
        account = accounts.authenticate(session, body.email, body.password)
        if account is None:
            raise ProblemError(401, "Sign-in failed", "Wrong email or password.", "auth")
        out = AccountOut.model_validate(account, from_attributes=True)
        token = sessions.start(session, account.id)
    issue_session(response, state.settings, token)
    return out


@router.delete("/session", status_code=204)
def sign_out(request: Request, session: Session = DB) -> Response:
    """End this session on the server (a copy of the cookie stops working too)."""
    sessions.end(session, session_token(request))
    response = Response(status_code=204)
    clear_session(response, state_of(request).settings)
    return response


@router.put("/account/password", status_code=204)
def change_password(body: PasswordChangeIn, request: Request, session: Session = DB) -> Response:
    """Change the signed-in account's password. Every session of the account ends; this
    browser gets a new one."""
    account = signed_in(request, session)
    if account is None:
        raise ProblemError(401, "Sign in first", "This needs a signed-in account.", "auth")
    try:
        accounts.change_password(session, account, body.current_password, body.new_password)
    except accounts.AccountError as exc:
        raise ProblemError(422, "Cannot change password", str(exc), "password") from None
    response = Response(status_code=204)
    issue_session(response, state_of(request).settings, sessions.start(session, account.id))
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
    idempotency_key: IdempotencyKeyHeader = None,
) -> Any:
    """Start claiming a listing; a code is emailed to the account's address."""
    state = state_of(request)
    key = _idempotency(request, idempotency_key, f"account:{me.id}", body)
    if (replay := _replayed(request, key)) is not None:
        return replay
    try:
        state.limits.claim_code(me.id, body.npi)
    except RateLimited as exc:
        raise _limited(exc, "Too many codes were sent for this listing; try tomorrow.") from None
    try:
        with session_scope(state.engine) as session:
            if (replay := _claim_key(request, session, key)) is not None:
                return replay
            claim = claims.start_claim(session, state.settings, me, body.npi)
            session.flush()
            out = _claim_out(claim)
            _finish_key(session, key, 201, out)
    except claims.ClaimProblem as exc:
        raise ProblemError(status_of(exc), "Cannot claim", exc.message, "claim") from None
    state.worker.wake()
    return out


@router.post("/provider/claims/{claim_id}/verify", response_model=ClaimOut)
def verify_claim(
    claim_id: RowId,
    body: ClaimCodeIn,
    request: Request,
    me: Account = Depends(provider),
    session: Session = DB,
) -> ClaimOut:
    state = state_of(request)
    mine = claims.own_claim(session, me.id, claim_id)
    if mine is not None:
        try:
            state.limits.claim_guess(mine.npi)
        except RateLimited as exc:
            raise _limited(exc, "Too many codes were tried for this listing today.") from None
    try:
        claim = claims.verify_code(session, state.settings, me.id, claim_id, body.code)
    except claims.ClaimProblem as exc:
        if exc.reason is Reason.invalid:
            session.commit()  # keep the failed-attempt count despite the error
        raise ProblemError(status_of(exc), "Cannot verify", exc.message, "claim") from None
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
    request_id: RowId, me: Account = Depends(provider), session: Session = DB
) -> InboxItem:
    row = reqs.for_provider(session, me.id, request_id)
    if row is None:
        raise NOT_FOUND
    return _inbox_item(row)


@router.post("/provider/requests/{request_id}/reply", response_model=InboxItem)
def reply(
    request_id: RowId,
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
        raise ProblemError(status_of(exc), exc.title, exc.message, exc.slug) from None
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
    claim_id: RowId,
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
        raise ProblemError(status_of(exc), "Cannot decide", exc.message, "claim") from None
    return _claim_out(claim)


__all__ = ["NPI_PATTERN", "router"]
