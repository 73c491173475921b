"""Schemathesis against the app's own OpenAPI document, in process (ASGI, no network): every
operation is fuzzed with a bounded number of examples, and every answer must be a non-5xx that
matches the status codes, media types and schemas the document declares."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stridewise.db.migrate import upgrade
from stridewise.settings import Settings
from stridewise.web.app import create_app

#: Examples per operation: enough to reach every validation branch, few enough for < 1 min.
EXAMPLES = 20

#: No 5xx, and every answer as declared. (Not "positive data acceptance": the document does not
#: spell out the edge's rule against control characters, so a generated "\x19" is refused.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def test_every_operation_conforms(sqlite_url: str) -> None:
    upgrade(sqlite_url)
    app = create_app(
        Settings(
            database_url=sqlite_url,
            outbox_worker_enabled=False,
            rate_limit_login_per_minute=100_000,
            rate_limit_requests_per_hour=100_000,
        )
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    sent = 0
    for found in schema.get_all_operations():
        operation = found.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None, derandomize=True)  # fmt: skip
        def run(case: schemathesis.Case) -> None:
            nonlocal sent
            sent += 1
            case.call_and_validate(checks=CHECKS)

        try:
            run()
        except (
            Exception,
            ExceptionGroup,
        ) as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    print(f"schemathesis: {sent} requests, {len(failures)} failing operations")
    assert sent > 200
    assert not failures, "\n\n".join(failures)
