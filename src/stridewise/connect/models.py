"""The connect tables: accounts, NPI claims, athlete profiles, appointment requests and the mail
outbox.

Every timestamp is a naive UTC ``datetime`` (see :func:`utcnow`), so comparisons behave the same
on SQLite (which has no time zones) and PostgreSQL. Revision 0002 creates these tables; keep the
two in step."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from stridewise.connect.statuses import ClaimStatus, MailStatus, RequestStatus, Role
from stridewise.db.base import Base

# The enums (connect/statuses.py) name every value a status column may hold.
ROLES = tuple(Role)
CLAIM_STATUSES = tuple(ClaimStatus)
REQUEST_STATUSES = tuple(RequestStatus)
OUTBOX_STATUSES = tuple(MailStatus)


def utcnow() -> datetime:
    """Naive UTC now: the one clock every connect table uses."""
    return datetime.now(UTC).replace(tzinfo=None)


class Account(Base):
    """A provider or operator login. Runners never have accounts: their capability is a token."""

    __tablename__ = "connect_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Claim(Base):
    """One account's claim on one NPI listing, walked through email code then operator approval.

    ``approved_npi`` is set only once approved; its unique index guarantees that at most one
    account owns a listing (NULLs never collide, on both databases)."""

    __tablename__ = "connect_claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("connect_accounts.id", ondelete="CASCADE"), index=True
    )
    npi: Mapped[str] = mapped_column(String(10), index=True)
    status: Mapped[str] = mapped_column(String(20), default="email_pending")
    code_hash: Mapped[str] = mapped_column(String(64), default="")
    code_expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    decided_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approved_npi: Mapped[str | None] = mapped_column(String(10), unique=True, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ProviderProfile(Base):
    """The athlete-facing profile a verified provider edits. Keyed by NPI so the directory's
    ranking can join it; ``verified`` is true only while an approved claim exists."""

    __tablename__ = "provider_profiles"

    npi: Mapped[str] = mapped_column(String(10), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("connect_accounts.id", ondelete="CASCADE"), index=True
    )
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    running_focus: Mapped[bool] = mapped_column(Boolean, default=False)
    sports_focus: Mapped[str] = mapped_column(String(500), default="")
    sports_treated: Mapped[list[str]] = mapped_column(JSON, default=list)
    services: Mapped[list[str]] = mapped_column(JSON, default=list)
    accepting_new_patients: Mapped[bool] = mapped_column(Boolean, default=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    insurance: Mapped[list[str]] = mapped_column(JSON, default=list)
    booking_url: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AppointmentRequest(Base):
    """What a runner chose to send to one provider. Only the SHA-256 of the status token is
    stored, so a database leak does not hand out the runners' links. Deleting the row (the
    runner's withdraw) cascades to its outbox mail."""

    __tablename__ = "appointment_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    npi: Mapped[str] = mapped_column(String(10), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    runner_name: Mapped[str] = mapped_column(String(120))
    runner_email: Mapped[str] = mapped_column(String(254), default="")
    runner_phone: Mapped[str] = mapped_column(String(40), default="")
    preferred_times: Mapped[str] = mapped_column(String(500), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    consent_share_summary: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    reply: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class OutboxMail(Base):
    """One email waiting to be sent, written in the same transaction as the change that caused
    it (the transactional outbox). ``locked_until`` is a lease, so several workers never send
    the same mail at once; ``body`` is blanked once sent because it may carry a status link."""

    __tablename__ = "connect_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment_requests.id", ondelete="CASCADE"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
