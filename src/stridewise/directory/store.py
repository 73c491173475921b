"""Bulk writes for the importer, per database dialect, plus the generation bookkeeping.

SQLite gets ``executemany`` on the raw connection (the fastest path its driver has);
PostgreSQL gets ``COPY ... FROM STDIN``. Both run inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text

from stridewise.directory.ranking import COMPLETENESS_MAX
from stridewise.directory.records import CELLS_PER_DEGREE, cell_of
from stridewise.directory.taxonomy import TaxonomyEntry

TABLES = ("directory_search", "directory_locations", "directory_providers")


class BulkWriter:
    """Appends rows to directory tables on one open connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        if not self.postgres:
            # A bigger page cache keeps the search B-tree's inner pages in memory while we
            # insert in key-random order; 256 MB stays well inside the 1 GB budget.
            conn.exec_driver_sql("PRAGMA cache_size=-262144")

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        if not rows:
            return
        if not self.conn.in_transaction():
            # Raw driver calls below bypass SQLAlchemy's autobegin; without this its commit()
            # would be a no-op and the driver's implicit transaction would grow unbounded.
            self.conn.begin()
        raw = self.conn.connection.dbapi_connection
        assert raw is not None
        cols = ", ".join(f'"{c}"' for c in columns)
        if self.postgres:
            cur: Any = raw.cursor()  # a psycopg 3 cursor; the DBAPI protocol has no copy()
            with cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            # sqlite3 takes any iterable (so a generator is not materialised); the DBAPI
            # protocol's stub says Sequence.
            sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
            raw.cursor().executemany(sql, rows)  # type: ignore[arg-type]


def build_search(conn: Connection, generation: int, fits: Sequence[Sequence[Any]]) -> None:
    """Fill directory_search for the providers of ``generation`` with one INSERT ... SELECT.

    ``fits`` lists (taxonomies, key, fit, sports points) per distinct taxonomy combination; a
    provider's search rows are its combination's keys at its own point, with
    ``static = sports points + 10 * completeness``. Rows go in in index order, so the B-tree
    is written by appending (each page once) rather than by random inserts."""
    conn.exec_driver_sql("DROP TABLE IF EXISTS directory_fit_stage")
    conn.exec_driver_sql(
        "CREATE TEMP TABLE directory_fit_stage (taxonomies VARCHAR(200), key VARCHAR(48),"
        " fit FLOAT, sports FLOAT, PRIMARY KEY (taxonomies, key))"
    )
    BulkWriter(conn).insert(
        "directory_fit_stage", ("taxonomies", "key", "fit", "sports"), list(fits)
    )
    conn.execute(
        text(
            "INSERT INTO directory_search"
            " (generation, key, cell, lat, lon, npi, loc, fit, static)"
            f" SELECT p.generation, f.key, CAST(floor(p.lon * {CELLS_PER_DEGREE}) AS INTEGER),"
            " p.lat, p.lon, p.npi, 0, f.fit,"
            f" f.sports + p.completeness * {COMPLETENESS_MAX}"
            " FROM directory_providers p JOIN directory_fit_stage f"
            " ON f.taxonomies = p.taxonomies WHERE p.generation = :g"
            " ORDER BY 2, 3, 4, 5, 6"
        ),
        {"g": generation},
    )
    conn.commit()
    conn.exec_driver_sql("DROP TABLE directory_fit_stage")
    conn.commit()


def active_generation(conn: Connection) -> int:
    """The generation searches read (0 when nothing was ever imported)."""
    value = conn.execute(text("SELECT active_generation FROM directory_state WHERE id = 1"))
    return int(value.scalar() or 0)


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
    conn: Connection, generation: int, npis: Sequence[str], all_keys: Sequence[str]
) -> int:
    """Remove providers (and their locations and search rows) from ``generation``.

    Search rows are deleted by their exact primary key, rebuilt from the stored coordinates,
    because directory_search is keyed for searching, not by NPI: ``all_keys`` lists every key
    a row can have, so each location costs one index probe per key."""
    key_params = {f"k{i}": k for i, k in enumerate(all_keys)}
    key_marks = ", ".join(f":k{i}" for i in range(len(all_keys)))
    removed = 0
    for start in range(0, len(npis), 500):
        chunk = list(npis[start : start + 500])
        params: dict[str, Any] = {"g": generation, **{f"n{i}": n for i, n in enumerate(chunk)}}
        marks = ", ".join(f":n{i}" for i in range(len(chunk)))
        points = conn.execute(
            text(
                f"SELECT npi, 0, lat, lon FROM directory_providers WHERE generation = :g"
                f" AND npi IN ({marks}) UNION ALL SELECT npi, seq, lat, lon FROM"
                f" directory_locations WHERE generation = :g AND npi IN ({marks})"
            ),
            params,
        ).all()
        if not points:
            continue
        found = {p[0] for p in points}
        removed += len(found)
        conn.execute(
            text(
                f"DELETE FROM directory_search WHERE generation = :g AND key IN ({key_marks})"
                " AND cell = :cell AND lat = :lat AND lon = :lon AND npi = :npi AND loc = :loc"
            ),
            [
                {
                    "g": generation,
                    "npi": n,
                    "loc": s,
                    "cell": cell_of(lo),
                    "lat": la,
                    "lon": lo,
                    **key_params,
                }
                for n, s, la, lo in points
            ],
        )
        for table in ("directory_locations", "directory_providers"):
            conn.execute(
                text(f"DELETE FROM {table} WHERE generation = :g AND npi IN ({marks})"), params
            )
    return removed
