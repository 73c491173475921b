"""Server-side sign-in sessions, shared by every app server through the database.

A session is a random 256-bit id handed to the browser in an HttpOnly cookie; the table keeps
only its SHA-256 and the time it ends. The server decides whether a session is alive on every
request, so signing out (one session) or changing the password (every session of the account)
takes effect at once on every server, and a copied cookie stops working. Functions take the
caller's transaction and never commit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stridewise.connect.models import Account, AccountSession, utcnow
from stridewise.connect.tokens import TOKEN_RE

SESSION_TTL = timedelta(hours=12)


def _digest(token: str) -> str | None:
    if not TOKEN_RE.fullmatch(token):
        return None
    return hashlib.sha256(b"session:" + token.encode("ascii")).hexdigest()


def start(session: Session, account_id: int, now: datetime | None = None) -> str:
    """Open a session for ``account_id``; return the cookie value (shown once, never stored)."""
    token = secrets.token_urlsafe(32)
    digest = _digest(token)
    assert digest is not None
    now = now or utcnow()
    session.add(
        AccountSession(
            token_hash=digest, account_id=account_id, created_at=now, expires_at=now + SESSION_TTL
        )
    )
    return token


def resolve(session: Session, token: str, now: datetime | None = None) -> Account | None:
    """The account behind a live session, or None (unknown, malformed, ended or expired)."""
    digest = _digest(token)
    if digest is None:
        return None
    return session.scalar(
        select(Account)
        .join(AccountSession, AccountSession.account_id == Account.id)
        .where(AccountSession.token_hash == digest, AccountSession.expires_at > (now or utcnow()))
    )


def end(session: Session, token: str) -> None:
    """Sign this one session out (nothing happens for an unknown token)."""
    digest = _digest(token)
    if digest is not None:
        session.execute(delete(AccountSession).where(AccountSession.token_hash == digest))


def end_all(session: Session, account_id: int) -> int:
    """Sign the account out everywhere; the number of sessions ended."""
    result = session.execute(delete(AccountSession).where(AccountSession.account_id == account_id))
    return int(getattr(result, "rowcount", 0) or 0)


def sweep(session: Session, now: datetime | None = None) -> int:
    """Delete expired sessions (they are already refused; this only reclaims the rows)."""
    result = session.execute(
        delete(AccountSession).where(AccountSession.expires_at <= (now or utcnow()))
    )
    return int(getattr(result, "rowcount", 0) or 0)
