"""Generations, the atomic switch and the refusal rule shared by the CMS importers.

An import writes its rows under generation N+1 of its kind while searches read N, then one
transaction flips ``cms_state`` and brings the directory's evidence points up to date, then N is
deleted. The same refusal as the NPPES import protects a good table: nothing kept, a last row
that is incomplete (the file was cut short), or fewer than half the rows of the active table
are refused unless ``force``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, Engine, text

from stridewise.directory.cms import evidence
from stridewise.directory.cms.models import CmsKind
from stridewise.directory.importing.cms import dac_locations
from stridewise.directory.importing.ingest import ArrowIngest, supported
from stridewise.directory.importing.sqlite_stage import SqliteStage
from stridewise.directory.state import active_generation

#: Tables of each kind; the first is the one whose row count the refusal rule compares.
TABLES: dict[CmsKind, tuple[str, ...]] = {
    CmsKind.dac: ("cms_clinicians", "cms_locations"),
    CmsKind.affiliations: ("cms_affiliations",),
    CmsKind.mips: ("cms_mips",),
    CmsKind.services: ("cms_procedures",),
}
#: Keep at least this share of the active table's rows, or be forced.
MIN_SHARE = 0.5


class ImportRefused(ValueError):
    """The import would replace a good table with an empty or truncated one."""


def refuse_reason(kept: int, complete: bool, active_rows: int) -> str | None:
    """Why an import must not be swapped in (None when it may), per the shared rule."""
    if kept == 0:
        return "nothing to keep"
    if not complete:
        return "the file's last row is incomplete (truncated download?)"
    if active_rows and kept < MIN_SHARE * active_rows:
        return f"kept {kept:,} rows, under half of the {active_rows:,} in use"
    return None


def begin(conn: Connection, kind: CmsKind) -> tuple[int, int]:
    """(active generation, new generation) of ``kind``, after deleting leftovers of killed
    imports (rows of neither)."""
    row = conn.execute(
        text("SELECT active_generation FROM cms_state WHERE kind = :k"), {"k": kind.value}
    ).first()
    if row is None:
        conn.execute(
            text(
                "INSERT INTO cms_state (kind, active_generation, imported_at, source, year, rows,"
                " summary) VALUES (:k, 0, '', '', 0, 0, '{}')"
            ),
            {"k": kind.value},
        )
    active = int(row[0]) if row else 0
    for table in TABLES[kind]:
        conn.execute(text(f"DELETE FROM {table} WHERE generation <> :g"), {"g": active})
    return active, active + 1


def active_rows(conn: Connection, kind: CmsKind, active: int) -> int:
    table = TABLES[kind][0]
    n = conn.execute(text(f"SELECT COUNT(*) FROM {table} WHERE generation = :g"), {"g": active})
    return int(n.scalar() or 0)


def write(
    engine: Engine,
    kind: CmsKind,
    tables: Callable[[int], Iterable[tuple[str, Mapping[str, pa.Array]]]],
) -> int:
    """Write ``tables(new generation)`` as the kind's new, not yet active generation and
    commit it; returns that generation. Rows go in as Arrow columns: binary COPY through ADBC on
    PostgreSQL, a staged ``INSERT ... SELECT`` on SQLite (as the NPPES import writes), so a
    national file's million rows never become Python tuples."""
    with engine.connect() as conn:
        with conn.begin():
            _, new = begin(conn, kind)
        bulk: ArrowIngest | SqliteStage
        with ArrowIngest(engine.url) if supported(engine.url) else SqliteStage(conn) as bulk:
            for table, columns in tables(new):
                bulk.append(table, columns)
            bulk.commit()
    return new


def switch(
    engine: Engine,
    kind: CmsKind,
    new: int,
    *,
    kept: int,
    complete: bool,
    force: bool,
    source: str,
    year: int,
    summary: dict[str, Any],
) -> tuple[int, dict[str, int]]:
    """Refuse (deleting the new rows) or flip ``kind`` to generation ``new``, and in the same
    transaction bring the directory up to date: for the DAC kind its practice addresses as
    search locations (staged beforehand by :func:`.dac_locations.stage`, copied in by
    :func:`.dac_locations.apply`), then the evidence points. Then delete
    the old rows. Returns the number of NPIs whose score changed and, for the DAC kind, the
    location counts. Raises ImportRefused."""
    with engine.begin() as conn:
        reason = refuse_reason(kept, complete, active_rows(conn, kind, new - 1))
        if reason and not force:
            for table in TABLES[kind]:
                conn.execute(text(f"DELETE FROM {table} WHERE generation = :g"), {"g": new})
    if reason and not force:
        raise ImportRefused(
            f"refused to replace the {kind.value} data: {reason}; use --force to import anyway"
        )
    with engine.connect() as conn:
        try:
            # The DAC practice addresses are computed and staged before the write transaction,
            # which then only copies them in (see dac_locations).
            staged = None
            if kind is CmsKind.dac:
                staged = dac_locations.stage(conn, active_generation(conn), new)
                conn.commit()
            with conn.begin():
                _activate(conn, kind, new, kept, source, year, summary)
                directory = active_generation(conn)
                located = dac_locations.apply(conn, staged, directory) if staged else {}
                changed = evidence.apply(conn, directory)
        finally:
            dac_locations.discard(conn)
            conn.commit()
    with engine.begin() as conn:
        for table in TABLES[kind]:
            conn.execute(text(f"DELETE FROM {table} WHERE generation <> :g"), {"g": new})
    return changed, located


def _activate(
    conn: Connection,
    kind: CmsKind,
    new: int,
    kept: int,
    source: str,
    year: int,
    summary: dict[str, Any],
) -> None:
    conn.execute(
        text(
            "UPDATE cms_state SET active_generation = :g, imported_at = :t, source = :s,"
            " year = :y, rows = :r, summary = :j WHERE kind = :k"
        ),
        {
            "g": new,
            "t": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "s": source,
            "y": year,
            "r": kept,
            "j": json.dumps(summary),
            "k": kind.value,
        },
    )
