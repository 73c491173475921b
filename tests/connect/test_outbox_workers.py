"""Several outbox workers on one database send each mail exactly once; ``stridewise worker``
runs the loop as its own process and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, delete, select

from fixtures.smtp import SmtpServer
from stridewise.connect.mailer import Mail
from stridewise.connect.models import OutboxMail
from stridewise.connect.outbox import drain, enqueue
from stridewise.db.engine import session_scope
from stridewise.settings import Settings


def _queue(engine: Engine, n: int, tag: str) -> list[str]:
    recipients = [f"{tag}-{i}@example.org" for i in range(n)]
    with session_scope(engine) as session:
        session.execute(delete(OutboxMail))
        for r in recipients:
            enqueue(session, Mail("test", r, "Hello", "Something happened on Stridewise."))
    return recipients


def test_concurrent_workers_send_each_mail_once(
    engine: Engine, settings: Settings, smtp_server: SmtpServer
) -> None:
    recipients = _queue(engine, 30, "many")
    start = threading.Barrier(3)

    def worker(_: int) -> int:
        start.wait()
        sent = 0
        while report := drain(engine, settings, batch=4):
            if not report.sent:
                break
            sent += report.sent
        return sent

    with ThreadPoolExecutor(3) as pool:
        sent = sum(pool.map(worker, range(3)))
    assert sent == 30
    messages = smtp_server.wait_for(30, timeout=30)
    counts = Counter(str(m["To"]) for m in messages)
    assert sorted(counts) == sorted(recipients) and set(counts.values()) == {1}
    with engine.connect() as conn:
        statuses = conn.scalars(select(OutboxMail.status)).all()
        owners = conn.scalars(select(OutboxMail.lease_owner)).all()
    assert set(statuses) == {"sent"} and set(owners) == {None}


def test_worker_command_sends_and_stops_on_sigterm(
    engine: Engine, settings: Settings, smtp_server: SmtpServer
) -> None:
    recipients = _queue(engine, 3, "cli")
    env = {
        **os.environ,
        "DATABASE_URL": settings.effective_database_url,
        "STRIDEWISE_SMTP_HOST": smtp_server.host,
        "STRIDEWISE_SMTP_PORT": str(smtp_server.port),
        "STRIDEWISE_OUTBOX_POLL_SECONDS": "0.2",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "stridewise.cli.main", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        messages = smtp_server.wait_for(3, timeout=60)
        assert sorted(str(m["To"]) for m in messages) == sorted(recipients)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode()
    assert b"stopped" in out
