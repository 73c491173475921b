"""The states of connect's records, as enums: who an account is, where a claim or an appointment
request stands, whether a mail went out. Each value is also the string stored in the database
column and sent in JSON, so the enums change no stored or wire value."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    provider = "provider"
    operator = "operator"


class ClaimStatus(StrEnum):
    """A claim walks email_pending -> awaiting_approval -> approved or rejected."""

    email_pending = "email_pending"
    awaiting_approval = "awaiting_approval"
    approved = "approved"
    rejected = "rejected"


class RequestStatus(StrEnum):
    """An appointment request is pending until the provider accepts or declines it."""

    pending = "pending"
    accepted = "accepted"
    declined = "declined"


class MailStatus(StrEnum):
    """An outbox mail is pending until sent, or failed after its last attempt."""

    pending = "pending"
    sent = "sent"
    failed = "failed"


__all__ = ["ClaimStatus", "MailStatus", "RequestStatus", "Role"]
