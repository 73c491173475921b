"""The column-wise DAC location refresh writes exactly the rows of the row-at-a-time rule it
replaced (kept here as the oracle: the loop of ``dac_locations.refresh`` before session 6), on
SQLite and PostgreSQL, for a synthetic directory and DAC file plus crafted rows for every branch:
register addresses spelt with other dots, commas and spaces, text that is not ASCII on both
sides, ZIPs without a centroid or not digits, two addresses at one ZIP centroid, one at a
register point, repeated street lines, odd phone numbers and NPIs outside the directory. And
rows staged before a change to the directory are recomputed inside the transaction."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text

from stridewise.directory.cms.generator import DAC_HEADER, clinicians, write_cms_files
from stridewise.directory.cms.models import CmsKind
from stridewise.directory.generator import luhn_npi
from stridewise.directory.geocode import zip_point
from stridewise.directory.importing.cms import dac_locations
from stridewise.directory.importing.cms.run import import_cms
from stridewise.directory.importing.importer import import_nppes
from stridewise.directory.importing.rows_reference import format_phone, format_postal
from stridewise.directory.index_keys import CELLS_PER_DEGREE
from stridewise.directory.state import active_generation

B = dac_locations.SEQ_BASE
#: 5035550100 in full-width digits: Python's isdigit() takes them, so it is formatted.
WIDE_PHONE = "\uff15\uff10\uff13\uff15\uff15\uff15\uff10\uff11\uff10\uff10"
Rows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], dict[str, int]]


def _oracle(conn: Connection, generation: int) -> Rows:
    """(locations, search rows, counts) by the previous row-at-a-time rule."""
    dac = conn.execute(text("SELECT active_generation FROM cms_state WHERE kind = 'dac'")).scalar()
    p = {"g": generation, "k": dac, "b": B}

    def street(line: str, postal: str) -> tuple[str, str]:
        return (" ".join(line.upper().replace(".", "").replace(",", " ").split()), postal[:5])

    known: dict[str, tuple[set[tuple[str, str]], set[tuple[float, float]]]] = {}
    for npi, line, postal, lat, lon in conn.execute(
        text(
            "SELECT npi, address1, postal_code, lat, lon FROM directory_providers"
            " WHERE generation = :g AND npi IN (SELECT npi FROM cms_locations WHERE"
            " generation = :k) UNION ALL SELECT npi, address1, postal_code, lat, lon"
            " FROM directory_locations WHERE generation = :g AND seq <= :b"
        ),
        p,
    ):
        streets, points = known.setdefault(str(npi), (set(), set()))
        streets.add(street(str(line), str(postal)))
        points.add((float(lat), float(lon)))
    counts = dict.fromkeys(dac_locations.COUNTS, 0)
    locations: list[tuple[Any, ...]] = []
    indexed: list[tuple[str, int, float, float, int]] = []
    for npi, seq, a1, a2, city, state, postal, phone in conn.execute(
        text(
            "SELECT npi, seq, address1, address2, city, state, postal_code, phone"
            " FROM cms_locations WHERE generation = :k ORDER BY npi, seq"
        ),
        p,
    ):
        if npi not in known:
            counts["not_in_directory"] += 1
            continue
        streets, points = known[npi]
        key = street(a1, postal)
        point = zip_point(postal) if len(postal) >= 5 and postal[:5].isdigit() else None
        if key in streets:
            counts["same_address"] += 1
        elif point is None:
            counts["zip_not_found"] += 1
        else:
            streets.add(key)
            loc = B + int(seq)
            text_ = (a1.title(), a2.title(), city.title(), state, format_postal(postal))
            locations.append(
                (generation, npi, loc, *text_, format_phone(phone), point.lat, point.lon)
            )
            if (point.lat, point.lon) not in points:
                points.add((point.lat, point.lon))
                cell = math.floor(point.lon * CELLS_PER_DEGREE)
                indexed.append((npi, loc, point.lat, point.lon, cell))
    counts["locations"], counts["indexed"] = len(locations), len(indexed)
    primary: dict[str, list[tuple[Any, ...]]] = {}
    for key_, tier, npi, fit, static in conn.execute(
        text(
            "SELECT key, tier, npi, fit, static FROM directory_search"
            " WHERE generation = :g AND loc = 0"
        ),
        p,
    ):
        primary.setdefault(npi, []).append((key_, tier, fit, static))
    search = [
        (generation, key_, tier, cell, lat, lon, npi, loc, fit, static)
        for npi, loc, lat, lon, cell in indexed
        for key_, tier, fit, static in primary.get(npi, [])
    ]
    return sorted(locations), sorted(search), counts


def _stored(conn: Connection, generation: int) -> tuple[list[tuple[Any, ...]], ...]:
    p = {"g": generation, "b": B}
    cols = "generation, npi, seq, address1, address2, city, state, postal_code, phone, lat, lon"
    locations = conn.execute(
        text(f"SELECT {cols} FROM directory_locations WHERE generation = :g AND seq > :b"), p
    )
    search = conn.execute(
        text(
            "SELECT generation, key, tier, cell, lat, lon, npi, loc, fit, static"
            " FROM directory_search WHERE generation = :g AND loc > :b"
        ),
        p,
    )
    return sorted(tuple(r) for r in locations), sorted(tuple(r) for r in search)


def _crafted(engine: Engine) -> list[list[str]]:
    """DAC rows for every branch of the rule, for a few of the directory's clinicians; also
    rewrites two of their register addresses in text that is not ASCII."""
    people = clinicians(engine)[:6]
    other_zip = people[5].postal_code[:5]
    rows: list[dict[str, str]] = []
    a, b, c, d, e = people[:5]
    with engine.begin() as conn:
        g = active_generation(conn)
        for who, line in ((a, "12\u00a0Rue de l\u2019\u00c9glise"), (b, "ß-Strasse 4.")):
            conn.execute(
                text(
                    "UPDATE directory_providers SET address1 = :a WHERE generation = :g"
                    " AND npi = :n"
                ),
                {"a": line, "g": g, "n": who.npi},
            )
    rows += [  # (the first three are the rewritten register lines, spelt differently)
        {"npi": a.npi, "a1": "12 rue de l\u2019\u00c9glise,", "zip": a.postal_code[:5] + "9999"},
        {"npi": b.npi, "a1": "SS-STRASSE 4", "zip": b.postal_code},  # Python upper-cases ß to SS
        {"npi": b.npi, "a1": " \u00df-strasse  4 ", "zip": b.postal_code},
        {"npi": c.npi, "a1": c.address1.replace(" ", " .,  ") + ".", "zip": c.postal_code},
        {"npi": c.npi, "a1": "77 o'brien plaza 3rd fl", "zip": other_zip, "phone": "5035550100"},
        {"npi": c.npi, "a1": "78 OTHER WAY", "zip": other_zip, "phone": "(503) 555-0101 x9"},
        {"npi": c.npi, "a1": "79 SAME ZIP AS REGISTER", "zip": c.postal_code[:5]},
        {"npi": c.npi, "a1": "77 O'BRIEN PLAZA 3RD FL", "zip": other_zip + "1234", "a2": "STE 2"},
        {"npi": d.npi, "a1": "1 NOWHERE RD", "zip": "00000"},
        {"npi": d.npi, "a1": "2 NOWHERE RD", "zip": "ABCDE"},
        {"npi": d.npi, "a1": "3 NOWHERE RD", "zip": "123"},
        {"npi": d.npi, "a1": "4 NOWHERE RD", "zip": ""},
        {
            "npi": d.npi,
            "a1": "5 WIDE RD",
            "zip": other_zip,
            "phone": WIDE_PHONE,
            "city": "S\u00e3o Paulo",
        },
        {"npi": e.npi, "a1": "6 TAB\tRD", "zip": other_zip, "a2": "fl 2\u2003b"},
        {"npi": luhn_npi(199_999_001), "a1": "1 ELSEWHERE", "zip": other_zip},
    ]
    out: list[list[str]] = []
    for r in rows:
        row = [""] * len(DAC_HEADER)
        row[DAC_HEADER.index("NPI")] = r["npi"]
        row[DAC_HEADER.index("pri_spec")] = "PODIATRY"
        row[DAC_HEADER.index("adr_ln_1")] = r["a1"]
        row[DAC_HEADER.index("adr_ln_2")] = r.get("a2", "")
        row[DAC_HEADER.index("City/Town")] = r.get("city", "PORTLAND")
        row[DAC_HEADER.index("State")] = "OR"
        row[DAC_HEADER.index("ZIP Code")] = r["zip"]
        row[DAC_HEADER.index("Telephone Number")] = r.get("phone", "")
        out.append(row)
    return out


@pytest.fixture
def imported(directory_engine: Engine, make_nppes: Any, tmp_path: Path) -> Engine:
    import_nppes(directory_engine, make_nppes(1500, seed=29, relevant_share=0.9))
    dac = write_cms_files(clinicians(directory_engine), tmp_path / "cms", seed=11)["dac"]
    extra = _crafted(directory_engine)
    with dac.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(extra)
    import_cms(directory_engine, CmsKind.dac, dac)
    return directory_engine


def test_same_rows_as_the_row_at_a_time_rule(imported: Engine) -> None:
    with imported.connect() as conn:
        g = active_generation(conn)
        locations, search, counts = _oracle(conn, g)
        assert _stored(conn, g) == (locations, search)
        conn.commit()
        with conn.begin():
            assert dac_locations.refresh(conn, g) == counts
        assert _stored(conn, g) == (locations, search)
    # Every branch was taken by the fixture.
    assert all(counts[k] > 0 for k in dac_locations.COUNTS), counts
    assert counts["indexed"] < counts["locations"]
    stored = {r[3] for r in locations}
    assert {"77 O'Brien Plaza 3Rd Fl", "5 Wide Rd"} <= stored


def test_staged_rows_are_recomputed_when_the_directory_changed(imported: Engine) -> None:
    with imported.connect() as conn:
        g = active_generation(conn)
        before = _stored(conn, g)
        conn.commit()
        staged = dac_locations.stage(conn, g)
        conn.commit()
        # Staging wrote nothing a runner reads.
        with imported.connect() as other:
            assert _stored(other, g) == before
        # An incremental import commits meanwhile: one DAC address is now a register one.
        npi, line, postal, lat, lon = conn.execute(
            text(
                "SELECT l.npi, l.address1, l.postal_code, p.lat, p.lon FROM directory_locations l"
                " JOIN directory_providers p ON p.generation = l.generation AND p.npi = l.npi"
                " WHERE l.generation = :g AND l.seq > :b ORDER BY l.npi, l.seq LIMIT 1"
            ),
            {"g": g, "b": B},
        ).one()
        conn.commit()
        with imported.begin() as other:
            other.execute(
                text(
                    "INSERT INTO directory_locations (generation, npi, seq, address1, address2,"
                    " city, state, postal_code, phone, lat, lon) VALUES (:g, :n, 999, :a, '',"
                    " '', '', :p, '', :lat, :lon)"
                ),
                {"g": g, "n": npi, "a": line.upper(), "p": postal, "lat": lat, "lon": lon},
            )
            other.execute(text("UPDATE directory_state SET summary = '{\"rows\": 1}'"))
        with conn.begin():
            counts = dac_locations.apply(conn, staged, g)
            expected = _oracle(conn, g)
        assert counts == expected[2] != staged.counts
        assert _stored(conn, g) == expected[:2]
        assert counts["locations"] == staged.counts["locations"] - 1
