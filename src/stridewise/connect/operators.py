"""What an operator sees and does: counts with no personal or health details, and the
creation of operator accounts (the CLI makes the first one)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stridewise.connect.accounts import create_account
from stridewise.connect.models import (
    CLAIM_STATUSES,
    OUTBOX_STATUSES,
    REQUEST_STATUSES,
    ROLES,
    Account,
    AppointmentRequest,
    Claim,
    OutboxMail,
)
from stridewise.connect.schemas import OperatorCounts


def _count_by(session: Session, column: object, keys: tuple[str, ...]) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).group_by(column)).all()  # type: ignore[call-overload]
    counts = dict.fromkeys(keys, 0)
    counts.update({str(k): int(n) for k, n in rows})
    return counts


def counts(session: Session) -> OperatorCounts:
    """Counts of requests, claims, mails and accounts by status or role."""
    return OperatorCounts(
        requests=_count_by(session, AppointmentRequest.status, REQUEST_STATUSES),
        claims=_count_by(session, Claim.status, CLAIM_STATUSES),
        outbox=_count_by(session, OutboxMail.status, OUTBOX_STATUSES),
        accounts=_count_by(session, Account.role, ROLES),
    )


def create_operator(session: Session, email: str, password: str) -> Account:
    """Create an operator account (raises AccountError on bad input or a taken email)."""
    return create_account(session, email, password, "operator", "Operator")
