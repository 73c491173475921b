"""Appointment requests: a runner's send, status, withdraw; a provider's inbox and reply.

Authorisation lives here, in the queries: a runner reaches a request only through its token, a
provider only through an NPI whose verified profile they own. Anything else is "not found", so a
guessed id or token learns nothing. Functions take the caller's session and never commit: the
caller's transaction makes the request and its outbox mail appear together or not at all."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stridewise.connect import mailer
from stridewise.connect.models import (
    Account,
    AppointmentRequest,
    OutboxMail,
    ProviderProfile,
    utcnow,
)
from stridewise.connect.outbox import enqueue
from stridewise.connect.schemas import Decision, RequestIn
from stridewise.connect.tokens import new_status_token, token_digest
from stridewise.db.engine import erase_after_commit
from stridewise.errors import DomainProblem, Reason
from stridewise.settings import Settings


class RequestProblem(DomainProblem):
    """A request that cannot be made or answered; ``message`` is safe to show to people."""

    def __init__(self, reason: Reason, title: str, message: str, slug: str) -> None:
        super().__init__(reason, message)
        self.title = title
        self.slug = slug


def can_receive(session: Session, npi: str) -> ProviderProfile | None:
    """The verified profile that would receive a request for ``npi``, or None."""
    profile = session.get(ProviderProfile, npi)
    return profile if profile is not None and profile.verified else None


def create_request(
    session: Session,
    settings: Settings,
    npi: str,
    data: RequestIn,
    summary: dict[str, Any] | None,
) -> tuple[AppointmentRequest, str]:
    """Store the request and queue its mails; return it with its status token (shown once).

    Only providers who claimed and verified their listing can receive requests: otherwise
    nobody could read the runner's message, and we would be holding it for no one."""
    profile = can_receive(session, npi)
    if profile is None:
        raise RequestProblem(
            Reason.not_found,
            "Provider not on Stridewise",
            "This provider has not joined Stridewise yet, so they cannot receive requests here.",
            "provider-not-connected",
        )
    if not profile.accepting_new_patients:
        raise RequestProblem(
            Reason.conflict,
            "Not accepting new patients",
            "This provider is not accepting new patients at the moment.",
            "not-accepting",
        )
    token = new_status_token()
    digest = token_digest(token)
    assert digest is not None
    row = AppointmentRequest(
        token_hash=digest,
        npi=npi,
        status="pending",
        runner_name=data.name,
        runner_email=data.email,
        runner_phone=data.phone,
        preferred_times=data.preferred_times,
        message=data.message,
        consent_share_summary=data.share_summary,
        summary=summary if data.share_summary else None,
        reply="",
    )
    session.add(row)
    session.flush()
    owner = session.get(Account, profile.account_id)
    if owner is not None:
        enqueue(session, mailer.new_request_for_provider(settings, owner.email), row.id)
    if data.email:
        enqueue(session, mailer.request_confirmation(settings, data.email, token), row.id)
    return row, token


def by_token(session: Session, token: str) -> AppointmentRequest | None:
    """The runner's own request, or None for an unknown, withdrawn or malformed token."""
    digest = token_digest(token)
    if digest is None:
        return None
    return session.scalar(select(AppointmentRequest).where(AppointmentRequest.token_hash == digest))


def withdraw(session: Session, token: str) -> bool:
    """Delete the request and every mail queued for it. False when there was nothing to delete.
    After the commit SQLite's WAL is checkpointed, so the deleted text is gone from disk.

    The outbox rows are deleted explicitly as well as by the foreign key's cascade, so this
    holds even on a SQLite connection opened without ``foreign_keys=ON``."""
    row = by_token(session, token)
    if row is None:
        return False
    session.execute(delete(OutboxMail).where(OutboxMail.request_id == row.id))
    session.execute(delete(AppointmentRequest).where(AppointmentRequest.id == row.id))
    erase_after_commit(session)
    return True


def _owned_npis(account_id: int) -> Any:
    return select(ProviderProfile.npi).where(
        ProviderProfile.account_id == account_id, ProviderProfile.verified.is_(True)
    )


def inbox(session: Session, account_id: int) -> list[AppointmentRequest]:
    """Every request addressed to a listing this provider owns, newest first."""
    return list(
        session.scalars(
            select(AppointmentRequest)
            .where(AppointmentRequest.npi.in_(_owned_npis(account_id)))
            .order_by(AppointmentRequest.created_at.desc(), AppointmentRequest.id.desc())
        )
    )


def for_provider(session: Session, account_id: int, request_id: int) -> AppointmentRequest | None:
    """One request, only if it is addressed to a listing this provider owns."""
    return session.scalar(
        select(AppointmentRequest).where(
            AppointmentRequest.id == request_id,
            AppointmentRequest.npi.in_(_owned_npis(account_id)),
        )
    )


def respond(
    session: Session,
    settings: Settings,
    account_id: int,
    request_id: int,
    decision: Decision,
    message: str,
) -> AppointmentRequest:
    """Accept or decline a pending request with a message for the runner."""
    row = for_provider(session, account_id, request_id)
    if row is None:
        raise RequestProblem(
            Reason.not_found, "Not found", "There is no such request.", "not-found"
        )
    if row.status != "pending":
        raise RequestProblem(
            Reason.conflict,
            "Already answered",
            "You have already answered this request.",
            "answered",
        )
    row.status = "accepted" if decision == "accept" else "declined"
    row.reply = message
    row.responded_at = utcnow()
    if row.runner_email:
        enqueue(session, mailer.provider_replied(settings, row.runner_email), row.id)
    return row
