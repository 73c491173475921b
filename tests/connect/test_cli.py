"""``stridewise operator create``: the first operator, password from stdin, never argv."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from connect.conftest import PASSWORD, unique_email
from stridewise.connect.accounts import authenticate
from stridewise.db.engine import make_engine, session_scope


def test_operator_create_from_stdin(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from stridewise.cli.operator import app
    from stridewise.connect.models import Account
    from stridewise.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    email = unique_email("op")
    try:
        runner = CliRunner()
        ok = runner.invoke(
            app, ["create", "--email", email, "--password-stdin"], input=PASSWORD + "\n"
        )
        assert ok.exit_code == 0, ok.output
        again = runner.invoke(
            app, ["create", "--email", email, "--password-stdin"], input=PASSWORD + "\n"
        )
        assert again.exit_code == 2 and "already exists" in again.output
        weak = runner.invoke(
            app, ["create", "--email", unique_email(), "--password-stdin"], input="short\n"
        )
        assert weak.exit_code == 2
    finally:
        get_settings.cache_clear()
    engine = make_engine(sqlite_url)
    with session_scope(engine) as session:
        account = authenticate(session, email, PASSWORD)
        assert account is not None and account.role == "operator"
        assert session.scalar(select(Account.password_hash)).startswith("$argon2id$")
    engine.dispose()
