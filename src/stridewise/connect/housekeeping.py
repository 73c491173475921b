"""Deleting server state that has expired: sessions, stored idempotent answers and rate-limit
counters. Expired rows are already ignored when read; sweeping only keeps the tables small.
The outbox workers call this every few minutes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from stridewise.connect import idempotency, sessions
from stridewise.connect.models import utcnow
from stridewise.connect.rate_limit import sweep_counters
from stridewise.db.engine import session_scope


@dataclass(frozen=True)
class Swept:
    sessions: int
    idempotency_keys: int
    rate_counters: int


def sweep_expired(engine: Engine, now: datetime | None = None) -> Swept:
    """Delete every expired session, stored answer and counter."""
    now = now or utcnow()
    with session_scope(engine) as session:
        ended = sessions.sweep(session, now)
        answers = idempotency.sweep(session, now)
    return Swept(ended, answers, sweep_counters(engine, now))
