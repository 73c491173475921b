"""Two real uvicorn servers on one PostgreSQL database, with ``stridewise worker`` processes and a
real SMTP server: sessions, rate limits, Idempotency-Key answers and the mail outbox all work
across servers. PostgreSQL only (skips, saying why, without it)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import httpx
import pytest
from sqlalchemy import Engine, func, select

from connect.conftest import (
    PASSWORD,
    relaxed_limits_env,
    runner_request,
    uvicorn_argv,
    verified_provider,
)
from fixtures.smtp import SmtpServer, free_port
from stridewise.connect.models import AppointmentRequest, OutboxMail
from stridewise.db.engine import make_engine
from stridewise.db.migrate import upgrade

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("connect-server")]
INBOX = "/api/v1/provider/requests"


@contextmanager
def process(argv: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(argv, env=env)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(30)


@contextmanager
def web_server(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    argv = uvicorn_argv(port)
    base = f"http://127.0.0.1:{port}"
    with process(argv, env) as proc:
        for _ in range(600):  # readiness poll, not a timing assertion
            if proc.poll() is not None:
                raise RuntimeError("server exited at start-up")
            try:
                httpx.get(f"{base}/api/v1/requests/x", timeout=1.0)
                break
            except httpx.HTTPError:
                threading.Event().wait(0.1)
        yield base


@pytest.fixture
def cluster_env(postgres_url: str, smtp_server: SmtpServer) -> dict[str, str]:
    upgrade(postgres_url)
    return {
        **os.environ,
        **relaxed_limits_env(),
        "DATABASE_URL": postgres_url,
        # A secret of its own: rate-limit keys are HMACs under it, so counters left by other
        # tests on this shared database do not count here.
        "STRIDEWISE_SECRET_KEY": f"cluster-{uuid.uuid4().hex}",
        "STRIDEWISE_SMTP_HOST": smtp_server.host,
        "STRIDEWISE_SMTP_PORT": str(smtp_server.port),
        "STRIDEWISE_OUTBOX_WORKER_ENABLED": "false",
        "STRIDEWISE_OUTBOX_POLL_SECONDS": "0.2",
        "STRIDEWISE_RATE_LIMIT_LOGIN_PER_EMAIL_PER_HOUR": "5",
    }


@pytest.fixture
def pg_engine(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


def _outbox_for(engine: Engine, recipients: set[str]) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(OutboxMail.recipient, OutboxMail.status).where(
                OutboxMail.recipient.in_(recipients)
            )
        ).all()
    return [(r, s) for r, s in rows]


def test_two_servers_one_database(
    cluster_env: dict[str, str], pg_engine: Engine, smtp_server: SmtpServer
) -> None:
    prov = verified_provider(pg_engine)
    with ExitStack() as stack:
        a = stack.enter_context(httpx.Client(base_url=stack.enter_context(web_server(cluster_env))))
        b_base = stack.enter_context(web_server(cluster_env))

        # A session made on A works on B, and signing out on A ends it on B.
        signed = a.post("/api/v1/session", json={"email": prov.email, "password": PASSWORD})
        assert signed.status_code == 200
        cookie = {"cookie": f"sw_session={a.cookies['sw_session']}"}
        assert httpx.get(f"{b_base}{INBOX}", headers=cookie).status_code == 200
        assert a.delete("/api/v1/session").status_code == 204
        assert httpx.get(f"{b_base}{INBOX}", headers=cookie).status_code == 401

        # Rate limits count across both: 5 sign-ins per email (the one above and four wrong
        # passwords, alternating between servers), then both refuse.
        wrong = {"email": prov.email, "password": "not the password"}
        codes = [
            httpx.post(f"{base}/api/v1/session", json=wrong).status_code
            for base in (str(a.base_url).rstrip("/"), b_base) * 2
        ]
        assert codes == [401, 401, 401, 401]
        assert a.post("/api/v1/session", json=wrong).status_code == 429
        refused = httpx.post(f"{b_base}/api/v1/session", json=wrong)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1

        # An Idempotency-Key retried on the other server replays and does not duplicate.
        runner_email = f"runner-{uuid.uuid4().hex[:8]}@example.org"
        body = {**runner_request(share=False), "email": runner_email}
        key = {"Idempotency-Key": str(uuid.uuid4())}
        url = f"/api/v1/providers/{prov.npi}/requests"
        first = a.post(url, json=body, headers=key)
        retry = httpx.post(f"{b_base}{url}", json=body, headers=key)
        assert first.status_code == retry.status_code == 201
        assert retry.json() == first.json() and retry.headers["idempotent-replayed"] == "true"
        with pg_engine.connect() as conn:
            stored = conn.scalar(
                select(func.count())
                .select_from(AppointmentRequest)
                .where(AppointmentRequest.npi == prov.npi)
            )
        assert stored == 1

        # The web servers run no mail worker: the request's two mails wait in the outbox ...
        recipients = {prov.email, runner_email}
        queued = _outbox_for(pg_engine, recipients)
        assert sorted(queued) == sorted((r, "pending") for r in recipients)

        # ... until the workers (two, racing for the same rows) send each exactly once.
        worker = [sys.executable, "-m", "stridewise.cli.main", "worker"]
        stack.enter_context(process(worker, cluster_env))
        stack.enter_context(process(worker, cluster_env))
        deadline = time.monotonic() + 60  # a bound on waiting, not a timing assertion
        while time.monotonic() < deadline:
            if all(s == "sent" for _, s in _outbox_for(pg_engine, recipients)):
                break
            threading.Event().wait(0.2)
        smtp_server.wait_for(2, timeout=30)
        threading.Event().wait(1.0)  # give a duplicate, if any, the chance to arrive
        delivered = Counter(
            str(m["To"]) for m in smtp_server.messages if str(m["To"]) in recipients
        )
    assert delivered == Counter({prov.email: 1, runner_email: 1})
    assert sorted(_outbox_for(pg_engine, recipients)) == sorted((r, "sent") for r in recipients)
