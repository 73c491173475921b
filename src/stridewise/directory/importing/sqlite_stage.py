"""Bulk appends to a SQLite directory through a private staging file.

Binding hundreds of thousands of rows through the standard library driver costs more than
parsing them, and holds the GIL the parsing threads need. ADBC binds Arrow buffers in C with
the GIL released, but its SQLite driver bundles its own copy of the SQLite library, and two
SQLite libraries must never open the same file in one process: their POSIX locks do not see
each other, and closing one deletes the write-ahead log under the other (seen here as "disk
I/O error"; https://www.sqlite.org/howtocorrupt.html, section 2.2.1).

So the two never share a file. :class:`SqliteStage` appends each table's rows with ADBC into a
fresh staging database that nothing else opens (no journal, no sync: it is scratch). On
:meth:`SqliteStage.commit` it closes that file, and the application's own connection attaches
it and copies the rows with one ``INSERT ... SELECT`` per table (C all the way, GIL released),
then commits and deletes it. A crash at any point leaves at most an orphaned scratch file in
the temporary directory and uncommitted rows of an inactive generation.

Checkpoints (copying the write-ahead log into the database file) would otherwise run inside
those commits, on the loading thread, and took most of their time; while a stage is open a
thread of its own checkpoints after each commit, on its own connection (the same SQLite
library), and the load carries on.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import threading
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection

from stridewise.directory.importing.ingest import conform
from stridewise.directory.importing.safety import make_stage_dir


class _Checkpointer:
    """Passive WAL checkpoints on a thread and connection of their own, on request."""

    def __init__(self, database: str) -> None:
        self._conn = sqlite3.connect(database, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA busy_timeout=30000")
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="stridewise-checkpoint")
        self._thread.start()

    def request(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            # Passive: never waits for readers or the writer; what it cannot copy now, it
            # copies next time (or SQLite's own checkpoints do, once the stage closes).
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            if self._stopping:
                return

    def close(self) -> None:
        """One last checkpoint, then stop."""
        self._stopping = True
        self._wake.set()
        self._thread.join()
        self._conn.close()


class SqliteStage:
    """Appends Arrow columns to tables of the SQLite database behind ``conn``, staged.

    Rows become visible on :meth:`commit`, which also commits ``conn``. Use as a context
    manager: leaving it deletes the scratch files (rolling back anything not committed)."""

    def __init__(self, conn: Connection) -> None:
        if conn.dialect.name != "sqlite":
            raise ValueError("SqliteStage needs a SQLite connection")
        self.conn = conn
        self._autocheckpoint = int(conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() or 0)
        database = conn.engine.url.database
        self._checkpointer = None
        if database and database != ":memory:":
            conn.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
            self._checkpointer = _Checkpointer(database)
        self._dir = make_stage_dir()
        self._count = 0
        self._adbc: Any = None
        self._path: Path | None = None
        self._tables: dict[str, list[str]] = {}

    def _open(self) -> Any:
        if self._adbc is None:
            import adbc_driver_sqlite.dbapi as sqlite_dbapi

            self._count += 1
            self._path = self._dir / f"stage-{self._count}.sqlite3"
            self._adbc = sqlite_dbapi.connect(str(self._path), autocommit=True)
            with self._adbc.cursor() as cur:
                cur.execute("PRAGMA journal_mode=OFF")
                cur.fetchall()
                cur.execute("PRAGMA synchronous=OFF")
        return self._adbc

    def append(self, name: str, columns: Mapping[str, pa.Array]) -> int:
        """Stage rows (aligned columns by name, every column of table ``name``)."""
        data = conform(name, columns)
        if data.num_rows == 0:
            return 0
        adbc = self._open()
        mode = "append" if name in self._tables else "create"
        with adbc.cursor() as cur:
            cur.adbc_ingest(name, data, mode=mode)
        self._tables[name] = list(data.column_names)
        return int(data.num_rows)

    def commit(self) -> None:
        """Copy everything staged into the database and commit it there. If the copy fails,
        the database transaction is rolled back and the staged rows are dropped."""
        if self._adbc is not None:
            self._adbc.close()
            self._adbc = None
        if self._tables:
            assert self._path is not None
            self.conn.exec_driver_sql("ATTACH DATABASE ? AS stage", (str(self._path),))
            try:
                for name, cols in self._tables.items():
                    names = ", ".join(f'"{c}"' for c in cols)
                    self.conn.exec_driver_sql(
                        f"INSERT INTO main.{name} ({names}) SELECT {names} FROM stage.{name}"
                    )
                self.conn.commit()
                if self._checkpointer is not None:
                    self._checkpointer.request()
            except BaseException:
                self.conn.rollback()
                raise
            finally:
                self.conn.exec_driver_sql("DETACH DATABASE stage")
                self._path.unlink()
                self._tables = {}
        else:
            self.conn.commit()

    def close(self) -> None:
        if self._adbc is not None:
            self._adbc.close()
            self._adbc = None
        shutil.rmtree(self._dir, ignore_errors=True)
        if self._checkpointer is not None:
            self._checkpointer.close()
            self._checkpointer = None
            self.conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={self._autocheckpoint}")

    def __enter__(self) -> SqliteStage:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
