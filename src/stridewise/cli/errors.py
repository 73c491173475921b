"""How the CLI fails: one line on stderr and exit code 2 for bad input, never a traceback."""

from __future__ import annotations

from typing import NoReturn

import typer
from pydantic import ValidationError


def fail(message: str) -> NoReturn:
    """Print ``error: message`` on one line to stderr and exit with code 2."""
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    raise typer.Exit(code=2)


def describe_validation(exc: ValidationError) -> str:
    """The first validation problem, as '<field>: <message>'."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err.get("loc", ())) or "input"
    return f"{loc}: {err.get('msg', 'invalid')}"
