"""A control or invisible character in an email address is refused everywhere an address is
typed (operator CLI, sign-up and sign-in pages and API, appointment requests), never dropped.

Before, ``operator create --email $'ctl\\x01x@example.org'`` created an account whose address
held the control character (shown as ``ctlx@example.org``), a zero-width space made a look-alike
account, and a tab or line break at either end was stripped without a word."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, inspect, select
from typer.testing import CliRunner

from connect.conftest import PASSWORD, runner_request, unique_email, verified_provider
from connect.test_security import csrf_from
from stridewise.connect.accounts import AccountError, normalise_email
from stridewise.connect.models import Account
from stridewise.db.engine import session_scope

SAYS = "cannot contain control or invisible characters"
# C0 and C1 controls, DEL, a tab and line breaks at the ends, zero-width and direction
# characters, a byte-order mark, a no-break space.
HIDDEN = ["\x01", "\x7f", "\x85", "\x9b", "\t", "\n", "\r", "\u200b", "\u200e", "\ufeff", "\xa0"]


def _addresses(char: str) -> list[str]:
    return [f"ctl{char}x@example.org", f"ctlx@example.org{char}", f"{char}ctlx@example.org"]


@pytest.mark.parametrize("char", HIDDEN, ids=[f"U+{ord(c):04X}" for c in HIDDEN])
def test_normalise_email_refuses_hidden_characters(char: str) -> None:
    for address in _addresses(char):
        with pytest.raises(AccountError, match=SAYS):
            normalise_email(address)


def test_normalise_email_still_tidies_case_and_spaces() -> None:
    assert normalise_email("  Rita@Example.ORG ") == "rita@example.org"


def _count(engine: Engine, email: str) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).where(Account.email == email)) or 0)


def test_operator_create_refuses_a_control_character(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stridewise.cli.operator import app
    from stridewise.db.engine import make_engine
    from stridewise.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    email = unique_email("ctl").replace("@", "\x01@")
    try:
        done = CliRunner().invoke(
            app, ["create", "--email", email, "--password-stdin"], input=PASSWORD + "\n"
        )
    finally:
        get_settings.cache_clear()
    assert done.exit_code == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and SAYS in lines[0]
    # Refused before the password is read or the database is touched: no account, no tables.
    engine = make_engine(sqlite_url)
    try:
        assert "connect_accounts" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()


@pytest.mark.parametrize("char", ["\x85", "\t", "\u200b"], ids=["NEL", "tab", "ZWSP"])
def test_signup_page_refuses_with_a_form_error(
    client: TestClient, engine: Engine, char: str
) -> None:
    email = unique_email("pg").replace("@", f"{char}@")
    page = client.get("/provider/signup")
    r = client.post(
        "/provider/signup",
        data={"csrf_token": csrf_from(page.text), "email": email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert r.status_code == 422
    assert SAYS in r.text
    assert _count(engine, email) == 0 and _count(engine, email.replace(char, "")) == 0


def test_login_page_says_why_not_wrong_password(client: TestClient, engine: Engine) -> None:
    prov = verified_provider(engine)
    page = client.get("/provider/login")
    form = {
        "csrf_token": csrf_from(page.text),
        "email": prov.email + "\u200b",
        "password": PASSWORD,
    }
    r = client.post("/provider/login", data=form, follow_redirects=False)
    assert r.status_code == 422
    assert SAYS in r.text and "Wrong email or password" not in r.text


@pytest.mark.parametrize("path", ["/api/v1/accounts", "/api/v1/session"])
@pytest.mark.parametrize("char", ["\n", "\x85", "\u200b"], ids=["LF", "NEL", "ZWSP"])
def test_account_api_refuses_with_422(
    client: TestClient, engine: Engine, path: str, char: str
) -> None:
    email = unique_email("api") + char
    r = client.post(path, json={"email": email, "password": PASSWORD})
    assert r.status_code == 422, r.text
    assert "control or invisible characters" in r.text
    assert _count(engine, email.strip()) == 0


def test_appointment_request_refuses_a_hidden_character_in_the_runner_email(
    client: TestClient, engine: Engine
) -> None:
    prov = verified_provider(engine)
    body = {**runner_request(share=False), "email": "rita@example.org\u200b"}
    r = client.post(f"/api/v1/providers/{prov.npi}/requests", json=body)
    assert r.status_code == 422
    assert "control or invisible characters" in r.text
