"""Which database a command uses, said once on standard error.

Every command that opens the database calls :func:`database_settings`, so the operator always
sees which file or server it touched (a command run from another folder finds the same per-user
data folder as the server; see settings). Passwords in URLs are masked."""

from __future__ import annotations

import typer
from sqlalchemy.engine import make_url

from stridewise.settings import Settings, get_settings


def describe_database(settings: Settings) -> str:
    """The database URL with any password hidden."""
    url = settings.effective_database_url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL fails later with its own message; never echo secrets
        return url.split("@")[-1]


def database_settings() -> Settings:
    """The settings, after printing one ``database: ...`` line to standard error."""
    settings = get_settings()
    typer.echo(f"stridewise: database {describe_database(settings)}", err=True)
    return settings
