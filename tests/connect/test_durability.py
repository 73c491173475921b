"""Durability against a real server process: 200 concurrent requests all stored, and every
acknowledged (201) request survives a SIGKILL of the server in the middle of a load."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import Engine, func, select

from connect.conftest import relaxed_limits_env, runner_request, uvicorn_argv, verified_provider
from fixtures.smtp import free_port
from stridewise.connect.models import AppointmentRequest
from stridewise.settings import Settings


@contextmanager
def server(settings: Settings) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """uvicorn running create_app on the test database, in its own process."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": settings.effective_database_url,
        "STRIDEWISE_SECRET_KEY": settings.secret_key,
        "STRIDEWISE_SMTP_PORT": str(settings.smtp_port),
        **relaxed_limits_env(),
        "STRIDEWISE_OUTBOX_POLL_SECONDS": "0.2",
    }
    proc = subprocess.Popen(
        uvicorn_argv(port),
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # readiness poll, not a timing assertion
            if proc.poll() is not None:
                raise RuntimeError("server exited at start-up")
            try:
                httpx.get(f"{base}/api/v1/requests/x", timeout=1.0)
                break
            except httpx.HTTPError:
                threading.Event().wait(0.1)
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(30)


def _count(engine: Engine, npi: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.scalar(
                select(func.count())
                .select_from(AppointmentRequest)
                .where(AppointmentRequest.npi == npi)
            )
            or 0
        )


def test_200_concurrent_requests_all_stored(settings: Settings, engine: Engine) -> None:
    prov = verified_provider(engine)

    async def load(base: str) -> list[int]:
        limits = httpx.Limits(max_connections=200)
        async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
            url = f"/api/v1/providers/{prov.npi}/requests"
            results = await asyncio.gather(
                *(
                    client.post(url, json=runner_request(share=False, message=f"m{i}"))
                    for i in range(200)
                )
            )
            return [r.status_code for r in results]

    # The load runs on a thread of its own: the session's Playwright keeps an event loop running
    # on this thread once a browser test has run in this worker, and asyncio.run() cannot nest.
    with server(settings) as (_, base), ThreadPoolExecutor(1) as pool:
        codes = pool.submit(asyncio.run, load(base)).result()
    assert codes.count(201) == 200, codes
    assert _count(engine, prov.npi) == 200


def test_sigkill_mid_load_keeps_every_acknowledged_request(
    settings: Settings, engine: Engine
) -> None:
    prov = verified_provider(engine)
    acknowledged: list[str] = []
    lock = threading.Lock()
    enough = threading.Event()

    def send(i: int) -> None:
        try:
            r = httpx.post(
                f"{base}/api/v1/providers/{prov.npi}/requests",
                json=runner_request(share=False, message=f"k{i}"),
                timeout=60,
            )
        except httpx.HTTPError:
            return  # the server died under this one: not acknowledged, so no promise made
        if r.status_code == 201:
            with lock:
                acknowledged.append(r.json()["token"])
                if len(acknowledged) >= 40:
                    enough.set()

    with server(settings) as (proc, base):
        with ThreadPoolExecutor(max_workers=16) as pool:
            for i in range(400):
                pool.submit(send, i)
            enough.wait(120)
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert len(acknowledged) >= 40
    assert _count(engine, prov.npi) >= len(acknowledged)

    with server(settings) as (_, base), httpx.Client(base_url=base) as client:
        missing = [
            t for t in acknowledged if client.get(f"/api/v1/requests/{t}").status_code != 200
        ]
    assert missing == []


pytestmark = pytest.mark.xdist_group("connect-server")
