"""No personal or health data in any log: every error path is triggered with marker strings in
the name, email, phone, message and the runner's own words, and the markers must appear in no
captured log output, neither in-process (caplog, stdout/stderr) nor on a real uvicorn server's
stderr. Database errors whose own message carries the value (PostgreSQL's "invalid input
syntax ... 'value'") are among them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from connect.conftest import PASSWORD, verified_provider
from fixtures.smtp import free_port
from stridewise.db.engine import get_engine
from stridewise.settings import Settings
from stridewise.web.app import create_app

NAME, EMAIL, PHONE = "Zelda Markerface", "zelda.marker7731@example.org", "555-7731-999"
MESSAGE, WORDS = "marker-message-7731", "marker-words-7731 heel pain since the race"
MARKERS = (NAME, EMAIL, PHONE, MESSAGE, "marker-words-7731", "7731")


def add_fault_routes(app: FastAPI) -> None:
    """Routes that fail the ways real code can: a crash whose message holds personal data, and
    database errors whose statements bind it (and whose server message repeats it)."""

    @app.post("/api/v1/faults/crash")
    def crash(body: dict[str, Any]) -> None:
        raise RuntimeError(f"crashed on {body}")

    @app.post("/api/v1/faults/database")
    def database(request: Request, body: dict[str, Any]) -> None:
        with Session(get_engine(request.app.state.settings)) as session:
            # PostgreSQL refuses the cast and repeats the value in its message; SQLite casts
            # it to 0, so a missing table makes it fail too.
            session.execute(text("SELECT CAST(:v AS INTEGER) + :w"), {"v": body["name"], "w": 1})
            session.execute(text("SELECT :v FROM no_such_table_7731"), {"v": body["email"]})

    @app.post("/faults/page")
    def page(body: dict[str, Any]) -> None:
        raise ValueError(f"page crashed on {body}")


def _request_body(**change: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "message": MESSAGE,
        "preferred_times": MESSAGE,
        "share_summary": True,
        "assessment": {"text": WORDS, "age": 41},
    }
    body.update(change)
    return body


def _attacks(npi: str) -> list[tuple[str, str, dict[str, Any] | None, dict[str, str]]]:
    """(method, path, json body, headers) of every error path."""
    html = {"accept": "text/html"}
    nul = _request_body(message=MESSAGE + "\x00")
    ask = f"/api/v1/providers/{npi}/requests"
    unknown = {"text": WORDS, "answers": {"marker7731": "present"}}
    return [
        ("POST", ask, nul, {}),
        ("POST", ask, _request_body(email="not-an-email " + EMAIL), {}),
        ("POST", ask, _request_body(assessment=unknown), {}),
        ("POST", ask, _request_body(name=NAME * 20), {}),
        ("POST", "/api/v1/providers/0000000000/requests", _request_body(), {}),  # unknown NPI
        ("POST", "/api/v1/accounts", {"email": EMAIL, "password": "short"}, {}),
        ("POST", "/api/v1/accounts", {"email": EMAIL, "password": PASSWORD + "\x00"}, {}),
        ("POST", "/api/v1/session", {"email": EMAIL, "password": PASSWORD}, {}),
        ("POST", "/api/v1/assessments", {"text": WORDS, "age": True}, {}),
        ("POST", "/api/v1/assessments", {"text": WORDS, "answers": {"marker7731": "present"}}, {}),
        ("POST", "/api/v1/faults/crash", _request_body(), {}),
        ("POST", "/api/v1/faults/database", _request_body(), {}),
        ("POST", "/faults/page", _request_body(), html),
        ("GET", f"/api/v1/providers?near={NAME}", None, {}),
    ]  # fmt: skip


# Values the server makes up itself, which may contain the bare digits by chance: request ids
# (32 hex digits), process ids, timestamps and timings.
_OWN_VALUES = re.compile(
    r"\b[0-9a-f]{32}\b|process \[\d+\]|\"ts\": \"[^\"]*\"|\"ms\": [\d.]+|\"pid\": \d+"
)


def _assert_clean(logged: str) -> None:
    logged = _OWN_VALUES.sub("", logged)
    for marker in MARKERS:
        assert marker not in logged, f"{marker!r} reached the logs"


def test_no_personal_data_in_logs_in_process(
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level("DEBUG")
    app = create_app(settings)
    add_fault_routes(app)
    engine = get_engine(settings)
    prov = verified_provider(engine)
    statuses = []
    with TestClient(app, raise_server_exceptions=False) as client:
        for method, path, body, headers in _attacks(prov.npi):
            statuses.append(client.request(method, path, json=body, headers=headers).status_code)
    assert all(400 <= s < 600 for s in statuses), statuses
    assert statuses.count(500) == 3  # the three faults, answered quietly
    out, err = capfd.readouterr()
    logged = caplog.text + out + err
    assert "request failed: RuntimeError" in logged  # the crash was logged, by type
    _assert_clean(logged)


SERVER = """
import sys, uvicorn
sys.path.insert(0, sys.argv[3])
from stridewise import logs
from stridewise.settings import Settings
from stridewise.web.app import create_app
from connect.test_privacy_logs import add_fault_routes
app = create_app(Settings(database_url=sys.argv[1], outbox_worker_enabled=False,
                          rate_limit_requests_per_hour=10000, rate_limit_login_per_minute=1000))
add_fault_routes(app)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_config=logs.config("DEBUG"))
"""


@dataclass
class Server:
    """A real uvicorn process; ``stop()`` ends it and returns everything it printed."""

    base: str
    proc: subprocess.Popen[str]

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.terminate()
        out, err = self.proc.communicate(timeout=30)
        return out + err


@pytest.fixture
def server(settings: Settings) -> Iterator[Server]:
    port = free_port()
    tests = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, settings.effective_database_url, str(port), tests],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    running = Server(f"http://127.0.0.1:{port}", proc)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"{running.base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    try:
        yield running
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=30)


def test_no_personal_data_on_a_real_servers_stderr(server: Server, settings: Settings) -> None:
    prov = verified_provider(get_engine(settings))
    statuses = []
    with httpx.Client(base_url=server.base, timeout=30) as client:
        for method, path, body, headers in _attacks(prov.npi):
            r = client.request(method, path, json=body, headers=headers)
            statuses.append(r.status_code)
            if r.status_code >= 500:
                assert r.headers["connection"] == "close"
                assert r.headers["x-content-type-options"] == "nosniff"
                assert "Traceback" not in r.text
    assert statuses.count(500) == 3, statuses
    stderr = server.stop()
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert any(line.get("event") == "crash" for line in lines), stderr[-2000:]
    assert all(line["request_id"] for line in lines)
    assert "Traceback" not in stderr
    _assert_clean(stderr)
