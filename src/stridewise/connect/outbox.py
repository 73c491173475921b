"""The transactional mail outbox and the worker that drains it.

A change that should send mail adds an ``OutboxMail`` row in the *same* transaction, so the mail
exists if and only if the change committed. Nothing is sent inside that transaction: the worker
sends after commit, retries with exponential backoff (``mail_retry_base_seconds`` doubling, up to
``mail_max_attempts``) and marks a mail ``failed`` after that. A mail failure never touches the
request itself. Delivery is at-least-once: a crash between sending and recording can resend.

The worker runs in each web process (``outbox_worker_enabled``) or on its own as
``stridewise worker``; any number of them may run against one database, because each mail is
leased to one worker at a time (:func:`claim_batch`)."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.orm import Session

from stridewise.connect import housekeeping
from stridewise.connect.mailer import Mail, send_mail
from stridewise.connect.models import OutboxMail, utcnow
from stridewise.db.engine import session_scope
from stridewise.settings import Settings

log = logging.getLogger("stridewise.connect.outbox")
LEASE = timedelta(minutes=2)
SWEEP_EVERY = 600.0  # seconds between sweeps of expired sessions, counters and stored answers
MAX_BACKOFF = timedelta(hours=6)
Sender = Callable[[Settings, str, str, str], None]
# Set in ``Session.info`` by :func:`enqueue`, so the web layer wakes the worker after commit.
WAKE_OUTBOX = "stridewise.wake_outbox"


def enqueue(session: Session, mail: Mail, request_id: int | None = None) -> OutboxMail:
    """Add ``mail`` to the outbox inside the caller's transaction."""
    row = OutboxMail(
        request_id=request_id,
        kind=mail.kind,
        recipient=mail.recipient,
        subject=mail.subject,
        body=mail.body,
    )
    session.add(row)
    session.info[WAKE_OUTBOX] = True
    return row


@dataclass
class DrainReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _backoff(settings: Settings, attempts: int) -> timedelta:
    seconds = settings.mail_retry_base_seconds * (2 ** max(0, attempts - 1))
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def _due(now: datetime) -> Any:
    return (
        select(OutboxMail.id)
        .where(
            OutboxMail.status == "pending",
            OutboxMail.next_attempt_at <= now,
            or_(OutboxMail.locked_until.is_(None), OutboxMail.locked_until < now),
        )
        .order_by(OutboxMail.id)
    )


def claim_batch(engine: Engine, now: datetime, batch: int) -> tuple[str, list[OutboxMail]]:
    """Lease up to ``batch`` due mails for this worker; return the lease id and the mails.

    PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED``, so concurrent workers take disjoint
    batches without waiting on each other. SQLite: one ``UPDATE ... WHERE id IN (due)``, atomic
    because SQLite has a single writer. Either way a mail is leased to one worker at a time."""
    owner = uuid.uuid4().hex
    lease = {"locked_until": now + LEASE, "lease_owner": owner}
    with session_scope(engine) as session:
        if engine.dialect.name == "postgresql":
            ids = list(session.scalars(_due(now).limit(batch).with_for_update(skip_locked=True)))
            if ids:
                session.execute(update(OutboxMail).where(OutboxMail.id.in_(ids)).values(**lease))
        else:
            session.execute(
                update(OutboxMail)
                .where(OutboxMail.id.in_(_due(now).limit(batch).scalar_subquery()))
                .values(**lease)
            )
        rows = list(
            session.scalars(
                select(OutboxMail).where(OutboxMail.lease_owner == owner).order_by(OutboxMail.id)
            )
        )
        for row in rows:
            session.expunge(row)
    return owner, rows


def drain(
    engine: Engine,
    settings: Settings,
    sender: Sender = send_mail,
    now: datetime | None = None,
    batch: int = 50,
) -> DrainReport:
    """Send every mail that is due now. Safe to run from several processes at once."""
    report = DrainReport()
    now = now or utcnow()
    owner, rows = claim_batch(engine, now, batch)
    for row in rows:
        values: dict[str, Any]
        try:
            sender(settings, row.recipient, row.subject, row.body)
        except Exception as exc:  # any failure is retried; the outcome is recorded below
            attempts = row.attempts + 1
            gave_up = attempts >= settings.mail_max_attempts
            values = {
                "attempts": attempts,
                "locked_until": None,
                "lease_owner": None,
                # The class name only: an SMTP error can echo addresses or content back.
                "last_error": type(exc).__name__[:200],
                "status": "failed" if gave_up else "pending",
                "next_attempt_at": now + _backoff(settings, attempts),
            }
            report.failed += gave_up
            report.retried += not gave_up
            log.warning(
                "mail %s (%s) attempt %s failed: %s", row.id, row.kind, attempts, type(exc).__name__
            )
        else:
            # Blank the body once sent: it may hold a runner's status link.
            values = {
                "status": "sent",
                "sent_at": utcnow(),
                "body": "",
                "locked_until": None,
                "lease_owner": None,
                "attempts": row.attempts + 1,
            }
            report.sent += 1
        with session_scope(engine) as session:
            # If the runner withdrew meanwhile the row is gone and this updates nothing.
            session.execute(
                update(OutboxMail)
                .where(OutboxMail.id == row.id, OutboxMail.lease_owner == owner)
                .values(**values)
            )
    return report


def run(
    engine: Engine,
    settings: Settings,
    stop: threading.Event,
    wake: threading.Event | None = None,
    sender: Sender = send_mail,
) -> None:
    """The worker loop: drain, tidy expired server state now and then, wait for ``wake`` or
    ``outbox_poll_seconds``; until ``stop`` is set. A mail being sent when ``stop`` is set is
    finished and recorded first."""
    wake = wake or threading.Event()
    last_sweep = 0.0
    while not stop.is_set():
        wake.clear()
        try:
            while drain(engine, settings, sender).sent and not stop.is_set():
                pass  # a full batch may mean more is due
            if time.monotonic() - last_sweep > SWEEP_EVERY:
                housekeeping.sweep_expired(engine)
                last_sweep = time.monotonic()
        except Exception as exc:  # e.g. the database is briefly unavailable; try again
            log.warning("outbox drain failed: %s", type(exc).__name__)
        wake.wait(settings.outbox_poll_seconds)


class OutboxWorker:
    """A daemon thread that drains the outbox every ``outbox_poll_seconds`` and at once when
    :meth:`wake` is called (after a commit that queued mail)."""

    def __init__(self, engine: Engine, settings: Settings, sender: Sender = send_mail) -> None:
        self.engine = engine
        self.settings = settings
        self.sender = sender
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="stridewise-outbox", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        run(self.engine, self.settings, self._stop, self._wake, self.sender)
