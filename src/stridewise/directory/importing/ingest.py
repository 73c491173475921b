"""Bulk appends of Arrow tables to directory tables: the column contract, and ADBC for PostgreSQL.

A full import writes hundreds of thousands of rows. Turning them into Python tuples and binding
them one value at a time costs more than parsing the file did. On PostgreSQL, ADBC (Arrow
Database Connectivity) streams Arrow buffers as binary ``COPY`` with no Python object per row.
Columns are first cast to the table's own types, read from the SQLAlchemy model
(:func:`conform`), so binary COPY gets exactly the widths it expects.

A SQLite database is never opened by ADBC: its driver bundles its own copy of the SQLite
library, and two SQLite libraries must never open one file in one process. ADBC writes a
private staging file there instead, which the application's connection copies in
(:mod:`stridewise.directory.importing.sqlite_stage`).

An :class:`ArrowIngest` opens its own connection. Use it only while no other connection writes
the same tables: the full import writes a new, not yet active generation through it, commits,
and flips to that generation afterwards on its own connection.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

import pyarrow as pa
from sqlalchemy import Boolean, Float, Integer, SmallInteger, String, Text
from sqlalchemy.engine import URL
from sqlalchemy.sql.schema import Table

from stridewise.db.base import Base
from stridewise.directory import models  # noqa: F401  (registers the directory tables)


def arrow_type(column_type: Any) -> pa.DataType:
    """The Arrow type that binds to a SQLAlchemy column type without loss or width mismatch."""
    if isinstance(column_type, Boolean):
        return pa.bool_()
    if isinstance(column_type, SmallInteger):
        return pa.int16()
    if isinstance(column_type, Integer):
        return pa.int32()
    if isinstance(column_type, Float):
        return pa.float64()
    if isinstance(column_type, String | Text):
        return pa.string()
    raise TypeError(f"no Arrow type for {column_type!r}")


def table_schema(name: str) -> pa.Schema:
    """The Arrow schema of a table of ours, in the table's column order."""
    table: Table = Base.metadata.tables[name]
    return pa.schema([pa.field(c.name, arrow_type(c.type), nullable=False) for c in table.columns])


def conform(name: str, columns: Mapping[str, pa.Array]) -> pa.Table:
    """``columns`` as a table of ``name``'s schema: every column present, cast to its type.

    Raises KeyError for a missing column, so a schema change cannot silently write NULLs."""
    schema = table_schema(name)
    arrays = [columns[f.name].cast(f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def supported(url: URL) -> bool:
    """Whether the full import writes ``url`` through ADBC (PostgreSQL only; see above)."""
    return url.get_backend_name() == "postgresql"


class ArrowIngest:
    """A connection that appends Arrow tables to our tables. Commit explicitly; closing without
    a commit rolls back. Use as a context manager."""

    def __init__(self, url: URL) -> None:
        if not supported(url):
            raise ValueError(f"not a PostgreSQL URL: {url.render_as_string()}")
        import adbc_driver_postgresql.dbapi as pg_dbapi

        libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._conn: Any = pg_dbapi.connect(libpq)

    def append(self, name: str, columns: Mapping[str, pa.Array]) -> int:
        """Append rows (aligned columns by name) to table ``name``; returns the row count."""
        data = conform(name, columns)
        if data.num_rows == 0:
            return 0
        with self._conn.cursor() as cur:
            cur.adbc_ingest(name, data, mode="append")
        return int(data.num_rows)

    def commit(self) -> None:
        self._conn.commit()

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ArrowIngest:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self._conn.rollback()
        self.close()
