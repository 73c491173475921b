"""Writes on the caller's connection and transaction, plus the generation bookkeeping.

:class:`BulkWriter` serves what must share the caller's transaction (incremental imports,
secondary locations, labels): SQLite gets ``executemany`` on the raw connection (the fastest
path its driver has), PostgreSQL ``COPY ... FROM STDIN``. The bulk of a full import goes through
:class:`~stridewise.directory.importing.ingest.ArrowIngest` (PostgreSQL) or
:class:`~stridewise.directory.importing.sqlite_stage.SqliteStage` (SQLite) instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Engine, text

from stridewise.directory.cms import evidence
from stridewise.directory.importing.ingest import conform
from stridewise.directory.index_keys import Keys, cell_of
from stridewise.directory.state import active_generation
from stridewise.directory.taxonomy import TaxonomyEntry

TABLES = ("directory_search", "directory_locations", "directory_providers")


class BulkWriter:
    """Appends rows to directory tables on one open connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        if not self.postgres:
            # A bigger page cache keeps the B-trees' inner pages in memory while rows arrive
            # in key-random order; 64 MB holds a national file's provider index and leaves the
            # import's 1 GB budget to the parser.
            conn.exec_driver_sql("PRAGMA cache_size=-65536")

    def insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        constants: Mapping[str, int | str] | None = None,
    ) -> None:
        """Insert ``rows`` (values of ``columns``) plus ``constants``, the same on every row."""
        if not rows:
            return
        if not self.conn.in_transaction():
            # Raw driver calls below bypass SQLAlchemy's autobegin; without this its commit()
            # would be a no-op and the driver's implicit transaction would grow unbounded.
            self.conn.begin()
        raw = self.conn.connection.dbapi_connection
        assert raw is not None
        fixed = dict(constants or {})
        if fixed and self.postgres:  # COPY has no constants: put them back into each row
            names = [*fixed, *columns]
            lead = tuple(fixed.values())
            columns, rows, fixed = names, (lead + tuple(r) for r in rows), {}
        cols = ", ".join(f'"{c}"' for c in [*fixed, *columns])
        if self.postgres:
            cur: Any = raw.cursor()  # a psycopg 3 cursor; the DBAPI protocol has no copy()
            with cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            # Constants are written into the statement: fewer values to bind per row.
            marks = ", ".join([*(_literal(v) for v in fixed.values()), *("?" * len(columns))])
            # sqlite3 takes any iterable (so a generator is not materialised); the DBAPI
            # protocol's stub says Sequence.
            sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
            raw.cursor().executemany(sql, rows)  # type: ignore[arg-type]

    def append(self, table: str, columns: Mapping[str, pa.Array]) -> None:
        """Append aligned Arrow columns (by name) to ``table``: the same contract as
        :meth:`ArrowIngest.append`, on this connection and inside its transaction."""
        data = conform(table, columns)
        if not data.num_rows:
            return
        constants: dict[str, int | str] = {}
        for name, column in zip(data.column_names, data.columns, strict=True):
            if (
                column.type in (pa.int16(), pa.int32(), pa.string())
                and pc.count_distinct(column).as_py() == 1
            ):
                constants[name] = column[0].as_py()
        names = [c for c in data.column_names if c not in constants]
        rows = zip(*(data.column(c).to_pylist() for c in names), strict=True)
        self.insert(table, names, rows, constants)


def _literal(value: int | str) -> str:
    """An SQL literal: integers as they are, text quoted with embedded quotes doubled."""
    if isinstance(value, int):
        return str(int(value))
    return "'" + value.replace("'", "''") + "'"


def vacuum(engine: Engine) -> None:
    """After a full import on PostgreSQL: VACUUM sets the visibility map, without which every
    index-only scan of the fresh rows also reads the heap (searches took ten times longer), and
    ANALYZE gives the planner the new generation's statistics. Needs autocommit."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(
            "VACUUM (ANALYZE) directory_search, directory_providers, directory_locations"
        )


def ensure_state(conn: Connection) -> int:
    """Create the state row if missing; return the active generation."""
    if conn.execute(text("SELECT 1 FROM directory_state WHERE id = 1")).first() is None:
        conn.execute(
            text(
                "INSERT INTO directory_state (id, active_generation, imported_at, source, summary)"
                " VALUES (1, 0, '', '', '{}')"
            )
        )
    return active_generation(conn)


def drop_inactive(conn: Connection, keep: int) -> None:
    """Delete rows of every generation but ``keep`` (leftovers of a killed or old import)."""
    for table in TABLES:
        conn.execute(text(f"DELETE FROM {table} WHERE generation <> :g"), {"g": keep})


def activate(
    conn: Connection,
    generation: int,
    source: str,
    summary: dict[str, Any],
    labels: Iterable[TaxonomyEntry],
    relevant: set[str],
) -> None:
    """Make ``generation`` the one searches read, and refresh taxonomy labels (same transaction)."""
    conn.execute(
        text(
            "UPDATE directory_state SET active_generation = :g, imported_at = :t, source = :s,"
            " summary = :j WHERE id = 1"
        ),
        {
            "g": generation,
            "t": datetime.now(UTC).isoformat(timespec="seconds"),
            "s": source,
            "j": json.dumps(summary),
        },
    )
    replace_labels(conn, labels, relevant)


def replace_labels(conn: Connection, labels: Iterable[TaxonomyEntry], relevant: set[str]) -> None:
    conn.execute(text("DELETE FROM directory_taxonomy"))
    rows = [
        (
            e.code,
            e.display_name[:300],
            e.classification[:200],
            e.specialization[:200],
            e.sports,
            e.code in relevant,
        )
        for e in labels
    ]
    BulkWriter(conn).insert(
        "directory_taxonomy",
        ("code", "display_name", "classification", "specialization", "sports", "relevant"),
        rows,
    )


def update_summary(conn: Connection, source: str, summary: dict[str, Any]) -> None:
    conn.execute(
        text("UPDATE directory_state SET imported_at = :t, source = :s, summary = :j WHERE id = 1"),
        {
            "t": datetime.now(UTC).isoformat(timespec="seconds"),
            "s": source,
            "j": json.dumps(summary),
        },
    )


def delete_providers(
    conn: Connection,
    generation: int,
    npis: Sequence[str],
    keys_of: Callable[[str, bool, float], Keys],
) -> int:
    """Remove providers (and their locations and search rows) from ``generation``; returns how
    many were there.

    directory_search is keyed for searching, not by NPI, so its rows are deleted by their exact
    primary key, rebuilt from the stored coordinates and ``keys_of(taxonomies, sports,
    completeness)`` (see :meth:`RecordBuilder.stored_keys`): one index probe per row."""
    removed = 0
    for start in range(0, len(npis), 500):
        chunk = list(npis[start : start + 500])
        params: dict[str, Any] = {"g": generation, **{f"n{i}": n for i, n in enumerate(chunk)}}
        marks = ", ".join(f":n{i}" for i in range(len(chunk)))
        points = conn.execute(
            text(
                "SELECT p.npi, 0, p.lat, p.lon, p.taxonomies, p.sports, p.completeness"
                f" FROM directory_providers p WHERE p.generation = :g AND p.npi IN ({marks})"
                " UNION ALL SELECT l.npi, l.seq, l.lat, l.lon, p.taxonomies, p.sports,"
                " p.completeness FROM directory_locations l JOIN directory_providers p"
                " ON p.generation = l.generation AND p.npi = l.npi"
                f" WHERE l.generation = :g AND l.npi IN ({marks})"
            ),
            params,
        ).all()
        if not points:
            continue
        removed += len({p[0] for p in points})
        delete_search_rows(
            conn,
            generation,
            [
                (n, s, la, lo, keys_of(tax, bool(sp), share))
                for n, s, la, lo, tax, sp, share in points
            ],
        )
        for table in ("directory_locations", "directory_providers"):
            conn.execute(
                text(f"DELETE FROM {table} WHERE generation = :g AND npi IN ({marks})"), params
            )
    return removed


def delete_search_rows(
    conn: Connection, generation: int, points: Iterable[tuple[str, int, float, float, Keys]]
) -> None:
    """Delete the search rows of practice locations given as (npi, loc, lat, lon, keys).

    Their tiers include the evidence points applied to them (directory_evidence), which are
    forgotten with them, so the next ``evidence.apply`` adds them again to the new rows."""
    points = list(points)
    npis = sorted({p[0] for p in points})
    added = evidence.applied(conn, generation, npis)
    evidence.forget(conn, generation, npis)
    rows = [
        {
            "g": generation,
            "k": key,
            "t": fit + static + added.get(npi, 0.0),
            "c": cell_of(lon),
            "la": lat,
            "lo": lon,
            "n": npi,
            "s": loc,
        }
        for npi, loc, lat, lon, (pairs, static) in points
        for key, fit in pairs
    ]
    if rows:
        conn.execute(
            text(
                "DELETE FROM directory_search WHERE generation = :g AND key = :k AND tier = :t"
                " AND cell = :c AND lat = :la AND lon = :lo AND npi = :n AND loc = :s"
            ),
            rows,
        )
