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
listed on the provider page.

:func:`refresh` rebuilds all of them for one directory generation inside the caller's
transaction: the DAC import calls it in the transaction that flips the DAC generation, the
NPPES import before it activates (or, incremental, commits) its generation, each before
``evidence.apply``. So a runner never sees half of it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, text

from stridewise.directory.geocode import zip_point
from stridewise.directory.importing.rows_reference import (
    LOCATION_COLUMNS,
    format_phone,
    format_postal,
)
from stridewise.directory.index_keys import CELLS_PER_DEGREE

#: DAC-derived locations have ``seq`` (and search rows ``loc``) above this.
SEQ_BASE = 1000


def _street_key(line: str, postal: str) -> tuple[str, str]:
    return (" ".join(line.upper().replace(".", "").replace(",", " ").split()), postal[:5])


def _dac_generation(conn: Connection) -> int:
    row = conn.execute(text("SELECT active_generation FROM cms_state WHERE kind = 'dac'")).first()
    return int(row[0]) if row else 0


def clear(conn: Connection, generation: int) -> None:
    """Delete ``generation``'s DAC-derived locations and their search rows."""
    params = {"g": generation, "b": SEQ_BASE}
    conn.execute(text("DELETE FROM directory_search WHERE generation = :g AND loc > :b"), params)
    conn.execute(text("DELETE FROM directory_locations WHERE generation = :g AND seq > :b"), params)


def refresh(conn: Connection, generation: int) -> dict[str, int]:
    """Replace directory ``generation``'s DAC-derived locations and search rows with those of
    the active DAC data, in the caller's transaction. Returns counts: ``locations`` written,
    ``indexed`` (with search rows), ``same_address`` (already a register address),
    ``zip_not_found``, ``not_in_directory``."""
    clear(conn, generation)
    counts = dict.fromkeys(
        ("locations", "indexed", "same_address", "zip_not_found", "not_in_directory"), 0
    )
    dac = _dac_generation(conn)
    if not generation or not dac:
        return counts
    params = {"g": generation, "k": dac, "b": SEQ_BASE}
    known: dict[str, tuple[set[tuple[str, str]], set[tuple[float, float]]]] = {}
    for npi, line, postal, lat, lon in conn.execute(
        text(
            "SELECT npi, address1, postal_code, lat, lon FROM directory_providers"
            " WHERE generation = :g AND npi IN (SELECT npi FROM cms_locations WHERE"
            " generation = :k) UNION ALL SELECT npi, address1, postal_code, lat, lon"
            " FROM directory_locations WHERE generation = :g AND seq <= :b"
        ),
        params,
    ):
        streets, points = known.setdefault(str(npi), (set(), set()))
        streets.add(_street_key(str(line), str(postal)))
        points.add((float(lat), float(lon)))
    locations: list[tuple[Any, ...]] = []
    points_rows: list[tuple[Any, ...]] = []
    for npi, seq, a1, a2, city, state, postal, phone in conn.execute(
        text(
            "SELECT npi, seq, address1, address2, city, state, postal_code, phone"
            " FROM cms_locations WHERE generation = :k ORDER BY npi, seq"
        ),
        params,
    ):
        held = known.get(npi)
        if held is None:
            counts["not_in_directory"] += 1
            continue
        streets, points = held
        street = _street_key(a1, postal)
        if street in streets:
            counts["same_address"] += 1
            continue
        point = zip_point(postal) if len(postal) >= 5 and postal[:5].isdigit() else None
        if point is None:
            counts["zip_not_found"] += 1
            continue
        streets.add(street)
        loc = SEQ_BASE + int(seq)
        locations.append(
            (generation, npi, loc, a1.title(), a2.title(), city.title(), state,
             format_postal(postal), format_phone(phone), point.lat, point.lon)
        )  # fmt: skip
        if (point.lat, point.lon) not in points:
            points.add((point.lat, point.lon))
            cell = math.floor(point.lon * CELLS_PER_DEGREE)
            points_rows.append((npi, loc, point.lat, point.lon, cell))
    _insert(conn, "directory_locations", LOCATION_COLUMNS, locations)
    counts["locations"] = len(locations)
    counts["indexed"] = len(points_rows)
    if points_rows:
        _index(conn, generation, points_rows)
    return counts


def _insert(
    conn: Connection, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert row tuples through the driver's own ``executemany`` (SQLAlchemy's per-row
    parameter processing costs more than the database's work for a million rows)."""
    if rows:
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        marks = ", ".join([mark] * len(columns))
        conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _index(conn: Connection, generation: int, points: list[tuple[Any, ...]]) -> None:
    """Search rows for the new points: each copies the keys, fit and static score (evidence
    points included) of its provider's primary search rows, written in index-key order."""
    conn.execute(text("DROP TABLE IF EXISTS dac_points"))
    conn.execute(
        text(
            "CREATE TEMPORARY TABLE dac_points (npi VARCHAR(10), loc SMALLINT, lat FLOAT,"
            " lon FLOAT, cell INTEGER, PRIMARY KEY (npi, loc))"
        )
    )
    _insert(conn, "dac_points", ("npi", "loc", "lat", "lon", "cell"), points)
    conn.execute(
        text(
            "INSERT INTO directory_search (generation, key, tier, cell, lat, lon, npi, loc, fit,"
            " static) SELECT s.generation, s.key, s.tier, d.cell, d.lat, d.lon, s.npi, d.loc,"
            " s.fit, s.static FROM directory_search s JOIN dac_points d ON d.npi = s.npi"
            " WHERE s.generation = :g AND s.loc = 0"
            " ORDER BY s.key, s.tier, d.cell, d.lat, d.lon, s.npi, d.loc"
        ),
        {"g": generation},
    )
    conn.execute(text("DROP TABLE dac_points"))
