"""Run Alembic migrations programmatically, so the CLI, the app and the tests share one path."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation would choke on '%' in passwords.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` up to ``revision``."""
    command.upgrade(alembic_config(url), revision)


@lru_cache(maxsize=1)
def head_revisions() -> frozenset[str]:
    """The revisions at the head of the migration scripts."""
    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def current_revisions(conn: Connection) -> frozenset[str]:
    """The revisions the database at ``conn`` is at (empty before the first migration)."""
    try:
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
        return frozenset(str(r) for r in rows)
    except Exception:  # no alembic_version table yet
        conn.rollback()
        return frozenset()
