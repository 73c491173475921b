"""NPPES import on SQLite and PostgreSQL: layouts, filtering, locations, incrementals,
malformed rows and an import killed with SIGKILL."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from stridewise.directory.generator import luhn_npi
from stridewise.directory.importing.importer import (
    BAD_COLUMNS,
    DEACTIVATED,
    NOT_RELEVANT,
    import_nppes,
)
from stridewise.directory.importing.safety import STAGE_PREFIX, remove_stale_stages
from stridewise.directory.taxonomy import load_runner_codes


def _count(engine: Engine, table: str = "directory_providers") -> int:
    with engine.connect() as conn:
        g = conn.execute(text("SELECT active_generation FROM directory_state")).scalar()
        return int(
            conn.execute(
                text(f"SELECT COUNT(*) FROM {table} WHERE generation = :g"), {"g": g}
            ).scalar()
            or 0
        )


def test_real_sample_329_columns(
    directory_engine: Engine, real_sample: Path, real_locations: Path, nucc: Path | None
) -> None:
    report = import_nppes(directory_engine, real_sample, locations=real_locations, nucc=nucc)
    assert report.rows_read == 499
    assert report.skipped[DEACTIVATED] == 13
    assert report.kept + sum(report.skipped.values()) == 499
    assert report.kept == _count(directory_engine) > 50
    with directory_engine.connect() as conn:
        wiebe = conn.execute(
            text(
                "SELECT name, credentials, city, type_ids FROM directory_providers"
                " WHERE npi = '1679576722'"
            )
        ).one()
    assert wiebe.name == "David A Wiebe" and wiebe.city == "Kearney"
    assert "orthopedic_surgeon" in wiebe.type_ids
    assert report.locations_read == 9


def test_synthetic_330_columns_filters_by_taxonomy(
    directory_engine: Engine, make_nppes: Callable[..., Path]
) -> None:
    path = make_nppes(2000, seed=5)
    report = import_nppes(directory_engine, path)
    assert report.rows_read == 2000
    assert report.skipped[NOT_RELEVANT] > report.kept > 200
    assert report.skipped[DEACTIVATED] > 0
    assert _count(directory_engine) == report.kept
    # One search row per provider type of each provider ('other' when it has none).
    assert _count(directory_engine, "directory_search") >= report.kept


def test_malformed_rows_are_skipped_and_counted(
    directory_engine: Engine, make_nppes: Callable[..., Path]
) -> None:
    def line(npi: str, postal: str) -> str:
        fields = [""] * 330
        fields[0], fields[1], fields[5], fields[6] = npi, "1", "X-SYNTHETIC", "Y"
        fields[32], fields[47], fields[50] = postal, "213E00000X", "Y"
        return ",".join(f'"{f}"' for f in fields)

    short = '"1093817744","1","","","BROKEN"'
    bad_npi = line("1234567890", "97201")  # fails the Luhn check
    no_zip = line(luhn_npi(199999990), "00000")  # no such ZIP
    path = make_nppes(300, seed=9, relevant_share=0.9, extra_lines=(short, bad_npi, no_zip))
    report = import_nppes(directory_engine, path)
    assert report.skipped[BAD_COLUMNS] == 1
    assert report.skipped["malformed: invalid NPI"] == 1
    assert report.skipped["practice ZIP not found (or outside the US)"] == 1
    assert report.rows_read == 302  # the short row is counted as skipped, not as read
    assert report.kept == _count(directory_engine)


def _snapshot(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for t, order in (("directory_providers", "npi"), ("directory_search", "key, npi, loc"))
            for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY {order}"))
        ]


def test_small_chunks_give_the_same_directory(
    sqlite_url: str,
    tmp_path: Path,
    make_nppes: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Many chunks in flight on several threads: same rows, same skips, first duplicate wins."""
    from stridewise.db.engine import make_engine
    from stridewise.db.migrate import upgrade
    from stridewise.directory.importing import importer

    path = make_nppes(1500, seed=13, relevant_share=0.9)
    lines = path.read_text(encoding="latin-1").splitlines()
    first_kept = next(line for line in lines[1:] if '"213E' in line or '"2251' in line)
    later = first_kept.replace("Synthetic", "Later")  # same NPI, other name: must lose
    with path.open("a", encoding="latin-1") as fh:
        fh.write(later + "\n" + '"1093817744","1","","","BROKEN"\n')
    results = []
    for chunk_bytes in (importer.CHUNK_BYTES, 20_000):
        url = f"sqlite:///{tmp_path / f'c{chunk_bytes}.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        monkeypatch.setattr(importer, "CHUNK_BYTES", chunk_bytes)
        report = import_nppes(engine, path)
        results.append((report.rows_read, report.kept, dict(report.skipped), _snapshot(engine)))
        engine.dispose()
    assert results[0] == results[1]
    rows_read, _, skipped, _ = results[1]
    assert skipped["duplicate NPI in file"] == 1 and skipped[BAD_COLUMNS] == 1
    assert rows_read == 1501


def _row(header: list[str], **values: str) -> str:
    fields = dict.fromkeys(header, "")
    fields.update(values)
    return ",".join(f'"{fields[h]}"' for h in header)


def test_incremental_upserts_and_deactivation_removes(
    directory_engine: Engine, make_nppes: Callable[..., Path], tmp_path: Path
) -> None:
    base = make_nppes(400, seed=11, relevant_share=0.9)
    import_nppes(directory_engine, base)
    before = _count(directory_engine)
    rows = list(csv.reader(base.open(encoding="latin-1", newline="")))
    header = rows[0]
    relevant = load_runner_codes()
    tax1 = header.index("Healthcare Provider Taxonomy Code_1")
    kept = [
        r for r in rows[1:] if r[header.index("Entity Type Code")] == "1" and r[tax1] in relevant
    ]
    victim, changed = kept[0], kept[1]
    weekly = tmp_path / "weekly.csv"
    moved = dict(zip(header, changed, strict=True))
    moved["Provider Business Practice Location Address City Name"] = "PORTLAND"
    moved["Provider Business Practice Location Address State Name"] = "OR"
    moved["Provider Business Practice Location Address Postal Code"] = "972011234"
    moved["Provider First Name"] = "RENAMED"
    new_npi = luhn_npi(199999999)
    with weekly.open("w", encoding="latin-1") as fh:
        fh.write(",".join(f'"{h}"' for h in header) + "\n")
        fh.write(_row(header, **{"NPI": victim[0], "NPI Deactivation Date": "01/02/2025"}) + "\n")
        fh.write(",".join(f'"{moved[h]}"' for h in header) + "\n")
        added = {
            "NPI": new_npi,
            "Entity Type Code": "1",
            "Provider Last Name (Legal Name)": "NEW-SYNTHETIC",
            "Provider First Name": "ADDED",
            "Provider Business Practice Location Address Postal Code": "97201",
            "Healthcare Provider Taxonomy Code_1": "213ES0000X",
            "Healthcare Provider Primary Taxonomy Switch_1": "Y",
        }
        fh.write(_row(header, **added) + "\n")
    report = import_nppes(directory_engine, weekly, incremental=True)
    assert report.removed == 1 and report.kept == 2
    assert _count(directory_engine) == before  # -1 deactivated, +1 new, 1 updated
    with directory_engine.connect() as conn:
        names: dict[str, str] = {
            n: m for n, m in conn.execute(text("SELECT npi, name FROM directory_providers"))
        }
        search = conn.execute(
            text("SELECT COUNT(*) FROM directory_search WHERE npi = :n"), {"n": victim[0]}
        ).scalar()
    assert victim[0] not in names and search == 0
    assert names[changed[0]].startswith("Renamed") and "Added" in names[new_npi]


SCRIPT = """
import sys, time
from pathlib import Path
from stridewise.db.engine import make_engine
from stridewise.directory.generator import luhn_npi
from stridewise.directory.taxonomy import load_runner_codes
from stridewise.directory.importing.importer import import_nppes
marker = Path(sys.argv[3])
def progress(done, rows):
    marker.write_text(str(rows))
    time.sleep(120)  # hold the import mid-way until the test kills us
import_nppes(make_engine(sys.argv[1]), Path(sys.argv[2]), progress=progress)
"""


def test_killed_import_leaves_previous_directory_usable(
    directory_engine: Engine,
    database_url: str,
    make_nppes: Callable[..., Path],
    real_sample: Path,
    tmp_path: Path,
) -> None:
    import_nppes(directory_engine, real_sample)
    before = _count(directory_engine)
    big = make_nppes(20000, seed=13, relevant_share=0.9)
    marker = tmp_path / "started"
    temp = tmp_path / "temp"
    temp.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, database_url, str(big), str(marker)],
        env={**os.environ, "TMPDIR": str(temp)},
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the import never started"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    with directory_engine.connect() as conn:
        leftovers = conn.execute(
            text(
                "SELECT COUNT(*) FROM directory_providers WHERE generation <> "
                "(SELECT active_generation FROM directory_state)"
            )
        ).scalar()
    assert leftovers and leftovers > 0  # the half-written generation is there but inactive
    assert _count(directory_engine) == before
    if database_url.startswith("sqlite"):  # SQLite imports stage in a temp folder
        assert list(temp.glob(f"{STAGE_PREFIX}{proc.pid}-*"))
    left = len(list(temp.iterdir()))
    assert remove_stale_stages(temp) == left
    assert not list(temp.iterdir())
    report = import_nppes(directory_engine, real_sample)  # the next import cleans up
    assert _count(directory_engine) == report.kept == before
    with directory_engine.connect() as conn:  # no dead generation rows are left
        dead = conn.execute(
            text(
                "SELECT COUNT(*) FROM directory_search WHERE generation <> "
                "(SELECT active_generation FROM directory_state)"
            )
        ).scalar()
    assert dead == 0
