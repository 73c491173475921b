"""Engine and session factory for the one configured database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from stridewise.settings import Settings, get_settings


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets readers run during writes; synchronous=NORMAL is durable across process crashes
    # in WAL mode (only an OS crash can lose the last transactions).
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    # Deleted content is overwritten with zeros instead of left in free pages: a withdrawn
    # request must not stay readable in the file. Set here, not left to the build's default.
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


# Set in ``Session.info`` by code that deletes personal data (see :func:`erase_after_commit`).
CHECKPOINT_AFTER_COMMIT = "stridewise.checkpoint_after_commit"


def erase_after_commit(session: Session) -> None:
    """Ask :func:`session_scope` to checkpoint SQLite's WAL once this transaction commits, so
    deleted rows do not stay readable in the ``-wal`` file (a no-op on PostgreSQL)."""
    session.info[CHECKPOINT_AFTER_COMMIT] = True


def checkpoint(engine: Engine) -> bool:
    """Copy the WAL into the database file and truncate it (SQLite only). Best effort: False
    when a reader kept it from completing (the next checkpoint will)."""
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as conn:
        busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
    return busy is not None and int(busy[0]) == 0


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; SQLite gets WAL and a created parent directory."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        eng = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            hide_parameters=True,
        )
        event.listen(eng, "connect", _sqlite_pragmas)
        return eng
    # psycopg prepares a statement on the server after five runs, and PostgreSQL may then plan
    # it once for any parameters; a radius search's best plan depends on where and how far, so
    # every statement is planned with its own values.
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        connect_args={"prepare_threshold": None},
        # Statements and errors never carry bound values: they are runners' names and words.
        hide_parameters=True,
    )


@lru_cache(maxsize=4)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def get_engine(settings: Settings | None = None) -> Engine:
    return _engine_for((settings or get_settings()).effective_database_url)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A transaction: committed on success, rolled back on any exception. Checkpoints SQLite's
    WAL after the commit when the transaction asked for it (:func:`erase_after_commit`)."""
    with session_factory(engine)() as session:
        with session.begin():
            yield session
        if session.info.pop(CHECKPOINT_AFTER_COMMIT, False):
            checkpoint(engine)
