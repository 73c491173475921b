"""``stridewise operator``: create the first operator account (and more later).

The password is never a command-line argument (it would sit in shell history and ``ps``): it is
read from an interactive prompt, asked twice, or from standard input with ``--password-stdin``
(one line) for scripts. Migrations run first, so this works on a fresh database."""

from __future__ import annotations

import sys

import typer

from stridewise.cli.database import database_settings
from stridewise.cli.errors import fail
from stridewise.connect.accounts import AccountError, normalise_email
from stridewise.connect.operators import create_operator
from stridewise.db.engine import get_engine, session_scope
from stridewise.db.migrate import upgrade

app = typer.Typer(help="Operator accounts.", no_args_is_help=True)


@app.callback()
def operator() -> None:
    """Operator accounts (a callback keeps ``create`` a sub-command even on its own)."""


@app.command("create")
def create(
    email: str = typer.Option(..., "--email", help="The operator's sign-in email."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Create an operator account. Exits 2 with one line saying why if the email is taken or
    invalid or the password too weak."""
    try:  # a bad address is said before the password is asked or the database touched
        normalise_email(email)
    except AccountError as exc:
        fail(str(exc))
    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    settings = database_settings()
    upgrade(settings.effective_database_url)
    try:
        with session_scope(get_engine(settings)) as session:
            account = create_operator(session, email, password)
            email_out = account.email
    except AccountError as exc:
        fail(str(exc))
    typer.echo(f"created operator {email_out}; sign in at {settings.base_url}/provider/login")
