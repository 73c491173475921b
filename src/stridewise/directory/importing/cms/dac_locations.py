"""The Doctors and Clinicians file's practice addresses as search locations of the directory.

The DAC file lists every address a clinician bills Medicare from; NPPES often lists only one.
For every provider of a directory generation that the active DAC data lists, each DAC address
that is not already one of the provider's register addresses (same street line and ZIP) becomes
a practice location like an NPPES secondary one: a ``directory_locations`` row with
``seq = SEQ_BASE + the DAC seq`` (1001, 1002, ...; register locations count from 1), placed at
its ZIP's centroid by the ZCTA gazetteer (:func:`stridewise.directory.geocode.zip_point`), and
``directory_search`` rows at ``loc = seq`` with the same keys, fit and static score as the
provider's primary row (``loc = 0``), evidence points included. A search reaches such a row,
and its existing per-NPI deduplication keeps the provider's nearest location, as for NPPES
secondary locations. An address whose ZIP centroid is already one of the provider's indexed
points gets no search row (it would rank and measure exactly like that one) but is still
listed on the provider page. The rule, applied column-wise, is :mod:`.dac_location_rows`.

Two steps, so that the write transaction holds its lock only while rows are copied:

* :func:`stage` reads the DAC addresses and the providers' register addresses, computes the new
  rows and loads them into a temporary table of the caller's connection (private to it). It
  writes nothing a runner can see, so it runs before the transaction that flips a generation:
  the DAC swap stages before it flips the DAC generation, the full NPPES import before it
  activates its generation. At national size that is most of the work (about a million
  directory providers, two million DAC addresses).
* :func:`apply`, in the caller's transaction, replaces the generation's DAC-derived locations
  and search rows with the staged ones: two deletes and two ``INSERT ... SELECT``. If the
  directory state or the DAC generation changed since :func:`stage` (another import committed
  meanwhile), it stages again inside the transaction first, so the rows always match what the
  transaction sees.

:func:`refresh` does both in the caller's transaction (the incremental NPPES import, whose new
rows are not committed yet). Each caller then runs ``evidence.apply``, so a runner never sees
half of it.
"""

from __future__ import annotations

import contextlib
import gc
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Connection, text

from stridewise.directory.importing.cms.dac_location_rows import (
    COUNTS,
    DAC_COLUMNS,
    KNOWN_COLUMNS,
    LOCATION_OUT,
    SEQ_BASE,
    compute,
)

__all__ = ["COUNTS", "SEQ_BASE", "Staged", "apply", "clear", "discard", "refresh", "stage"]

#: Rows fetched (and turned into Arrow) at a time, so Python objects never hold a whole table.
FETCH_ROWS = 100_000
#: The staged rows: new locations, with the search cell and whether they get search rows.
_STAGE = "dac_stage_locations"
_STAGE_DDL = (
    "npi VARCHAR(10), seq SMALLINT, address1 VARCHAR(200), address2 VARCHAR(200),"
    " city VARCHAR(100), state VARCHAR(40), postal_code VARCHAR(20), phone VARCHAR(30),"
    " lat FLOAT, lon FLOAT, cell INTEGER, indexed BOOLEAN, PRIMARY KEY (npi, seq)"
)


@dataclass(frozen=True)
class Staged:
    """Rows staged on one connection for directory ``generation`` from DAC generation ``dac``,
    computed when the directory state was ``state``."""

    generation: int
    dac: int
    state: tuple[Any, ...]
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))


def _dac_generation(conn: Connection) -> int:
    row = conn.execute(text("SELECT active_generation FROM cms_state WHERE kind = 'dac'")).first()
    return int(row[0]) if row else 0


def _directory_state(conn: Connection) -> tuple[Any, ...]:
    """What changes whenever an import changes the directory (active generation, and the time
    and summary every incremental import rewrites)."""
    row = conn.execute(
        text("SELECT active_generation, imported_at, summary FROM directory_state WHERE id = 1")
    ).first()
    return tuple(row) if row else ()


def clear(conn: Connection, generation: int) -> None:
    """Delete ``generation``'s DAC-derived locations and their search rows."""
    params = {"g": generation, "b": SEQ_BASE}
    conn.execute(text("DELETE FROM directory_search WHERE generation = :g AND loc > :b"), params)
    conn.execute(text("DELETE FROM directory_locations WHERE generation = :g AND seq > :b"), params)


def discard(conn: Connection) -> None:
    """Drop the staging table, if any (they are the connection's own; call after a failure)."""
    conn.execute(text(f"DROP TABLE IF EXISTS {_STAGE}"))


def _mark(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector. Fetching a million rows allocates millions of tuples
    and strings, none of them in a cycle; each allocation burst set off collections that
    rescanned every live object (the gazetteer's among them), about half the CPU of a fetch."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_TYPES = {"seq": pa.int64(), "lat": pa.float64(), "lon": pa.float64()}


def _fetch(conn: Connection, sql: str, params: Sequence[Any], names: Sequence[str]) -> pa.Table:
    """A query's rows as an Arrow table (``seq`` integers, ``lat`` and ``lon`` doubles, the
    rest text), ``FETCH_ROWS`` Python tuples at a time."""
    schema = pa.schema([(n, _TYPES.get(n, pa.string())) for n in names])
    batches: list[pa.RecordBatch] = []
    raw = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with contextlib.closing(raw) as cursor:  # (sqlite3's cursor is no context manager)
        cursor.execute(sql.replace("?", _mark(conn)), tuple(params))
        while rows := cursor.fetchmany(FETCH_ROWS):
            columns = [
                pa.array(c, f.type) for c, f in zip(zip(*rows, strict=True), schema, strict=True)
            ]
            batches.append(pa.RecordBatch.from_arrays(columns, schema=schema))
    return pa.Table.from_batches(batches, schema=schema).combine_chunks()


def _load(conn: Connection, table: str, data: pa.Table) -> None:
    """Bulk-load ``data`` into the staging ``table`` of this connection: ``COPY`` from CSV
    written by Arrow on PostgreSQL (every value quoted, so an empty string stays one; doubles
    written shortest-exact), ``executemany`` of tuples on SQLite."""
    columns = ", ".join(data.column_names)
    if conn.dialect.name == "postgresql":
        buffer = io.BytesIO()
        options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
        pacsv.write_csv(data, buffer, options)
        sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)"
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with contextlib.closing(cursor), cursor.copy(sql) as copy:
            copy.write(buffer.getvalue())
        return
    marks = ", ".join(["?"] * data.num_columns)
    for batch in data.to_batches(FETCH_ROWS):
        rows: Iterator[tuple[Any, ...]] = zip(*(c.to_pylist() for c in batch.columns), strict=True)
        conn.exec_driver_sql(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(rows))


def stage(conn: Connection, generation: int, dac: int | None = None) -> Staged:
    """Compute directory ``generation``'s DAC-derived rows from DAC generation ``dac`` (by
    default the active one) and load them into this connection's staging table. Reads the
    directory and writes only a temporary table; the caller commits (or is in a transaction)."""
    state = _directory_state(conn)  # first: rows read after it are at least as new
    dac = _dac_generation(conn) if dac is None else dac
    staged = Staged(generation, dac, state)
    discard(conn)
    if not generation or not dac:
        return staged
    with _collector_paused():
        rows, known, listed = _read(conn, generation, dac)
    locations, counts = compute(rows, known)
    counts["same_address"] += listed - rows.num_rows  # left out by _read as surely the same
    total = conn.execute(
        text("SELECT COUNT(*) FROM cms_locations WHERE generation = :k"), {"k": dac}
    ).scalar()
    counts["not_in_directory"] = int(total or 0) - listed
    with _collector_paused():
        conn.execute(text(f"CREATE TEMPORARY TABLE {_STAGE} ({_STAGE_DDL})"))
        _load(conn, _STAGE, locations)
    return Staged(generation, dac, state, counts)


def _same_line(conn: Connection, register: str) -> str:
    """SQL: DAC row ``c``'s street line is the upper-cased line of register row ``register``,
    both ASCII (one byte a character), and their ZIPs start alike (see :func:`_read`)."""
    lines = (f"{register}.address1", "c.address1")
    if conn.dialect.name == "sqlite":
        ascii_ = [f"length(CAST({x} AS BLOB)) = length({x})" for x in lines]
    else:
        ascii_ = [f"octet_length({x}) = char_length({x})" for x in lines]
    return (
        f"upper({lines[0]}) = {lines[1]} AND {ascii_[0]} AND {ascii_[1]}"
        f" AND substr({register}.postal_code, 1, 5) = substr(c.postal_code, 1, 5)"
    )


def _read(conn: Connection, generation: int, dac: int) -> tuple[pa.Table, pa.Table, int]:
    """The DAC addresses of directory ``generation``'s providers but those surely the same as
    a register address, those providers' register addresses (primary and NPPES secondary),
    and how many DAC addresses the providers have in all.

    A DAC address whose street line is the upper-cased register line of its provider (NPPES
    lines are stored title-cased, DAC lines upper-case), both in ASCII, with the same first
    five ZIP characters, has that address's street key (Python's ``upper`` of either is the
    same string), so it is ``same_address``, and such a row changes nothing for the provider's
    other rows. The database leaves these out (most DAC addresses are a clinician's register
    address) and they are only counted. Only ASCII, because SQL's ``upper`` follows the
    database's locale (SQLite's only knows ASCII) and Python's all of Unicode."""
    in_directory = (
        " FROM cms_locations c WHERE c.generation = ? AND EXISTS (SELECT 1 FROM"
        " directory_providers p WHERE p.generation = ? AND p.npi = c.npi"
        f" AND NOT ({_same_line(conn, 'p')}))"
        " AND NOT EXISTS (SELECT 1 FROM directory_locations l WHERE l.generation = ?"
        f" AND l.npi = c.npi AND l.seq <= ? AND {_same_line(conn, 'l')})"
    )
    rows = _fetch(
        conn,
        f"SELECT {', '.join('c.' + c for c in DAC_COLUMNS)}{in_directory} ORDER BY c.npi, c.seq",
        (dac, generation, generation, SEQ_BASE),
        DAC_COLUMNS,
    )
    listed = conn.exec_driver_sql(
        "SELECT COUNT(*) FROM cms_locations c WHERE c.generation = ? AND EXISTS (SELECT 1"
        " FROM directory_providers p WHERE p.generation = ? AND p.npi = c.npi)".replace(
            "?", _mark(conn)
        ),
        (dac, generation),
    ).scalar()
    known = _fetch(
        conn,
        "SELECT npi, address1, postal_code, lat, lon FROM directory_providers r"
        " WHERE generation = ? AND EXISTS (SELECT 1 FROM cms_locations c"
        " WHERE c.generation = ? AND c.npi = r.npi)"
        " UNION ALL SELECT npi, address1, postal_code, lat, lon FROM directory_locations r"
        " WHERE generation = ? AND seq <= ? AND EXISTS (SELECT 1 FROM cms_locations c"
        " WHERE c.generation = ? AND c.npi = r.npi)",
        (generation, dac, generation, SEQ_BASE, dac),
        KNOWN_COLUMNS,
    )
    return rows, known, int(listed or 0)


def apply(conn: Connection, staged: Staged, generation: int) -> dict[str, int]:
    """Replace directory ``generation``'s DAC-derived locations and search rows with the
    staged ones, in the caller's transaction (staging again first if what they were computed
    from has changed). Returns counts: ``locations`` written, ``indexed`` (with search rows),
    ``same_address`` (already a register address), ``zip_not_found``, ``not_in_directory``."""
    current = (generation, _dac_generation(conn), _directory_state(conn))
    if (staged.generation, staged.dac, staged.state) != current:
        staged = stage(conn, generation)
    clear(conn, generation)
    if staged.counts["locations"]:
        params = {"g": generation}
        columns = ", ".join(LOCATION_OUT)
        conn.execute(
            text(
                f"INSERT INTO directory_locations (generation, {columns})"
                f" SELECT :g, {columns} FROM {_STAGE} ORDER BY npi, seq"
            ),
            params,
        )
        # Each new point copies the keys, fit and static score (evidence points included) of
        # its provider's primary search rows, written in index-key order.
        conn.execute(
            text(
                "INSERT INTO directory_search (generation, key, tier, cell, lat, lon, npi, loc,"
                " fit, static) SELECT s.generation, s.key, s.tier, d.cell, d.lat, d.lon, s.npi,"
                f" d.seq, s.fit, s.static FROM directory_search s JOIN {_STAGE} d"
                " ON d.npi = s.npi AND d.indexed WHERE s.generation = :g AND s.loc = 0"
                " ORDER BY s.key, s.tier, d.cell, d.lat, d.lon, s.npi, d.seq"
            ),
            params,
        )
    discard(conn)
    return dict(staged.counts)


def refresh(conn: Connection, generation: int) -> dict[str, int]:
    """Replace directory ``generation``'s DAC-derived locations and search rows with those of
    the active DAC data, all in the caller's transaction (see :func:`apply`)."""
    return apply(conn, stage(conn, generation), generation)
