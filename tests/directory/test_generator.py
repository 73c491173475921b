"""The synthetic NPPES generator: deterministic, full width, real codes, obviously fictional."""

from __future__ import annotations

import csv
from pathlib import Path

from stridewise.directory.generator import write_file
from stridewise.directory.importing.rows_reference import npi_is_valid


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    write_file(a, 300, seed=7)
    write_file(b, 300, seed=7)
    write_file(c, 300, seed=8)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()


def test_rows_are_330_quoted_columns_with_synthetic_names(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    write_file(path, 500, seed=3)
    raw = path.read_text(encoding="latin-1").splitlines()
    assert raw[0].startswith('"NPI","Entity Type Code"')
    assert all(line.startswith('"') and line.endswith('"') for line in raw)
    rows = list(csv.DictReader(path.open(encoding="latin-1", newline="")))
    assert len(rows) == 500
    assert all(len(r) == 330 for r in rows)
    assert all(npi_is_valid(r["NPI"]) and r["NPI"][0] in "12" for r in rows)
    active = [r for r in rows if not r["NPI Deactivation Date"]]
    for r in active:
        name = (
            r["Provider Last Name (Legal Name)"]
            + r["Provider Organization Name (Legal Business Name)"]
        )
        assert "SYNTHETIC" in name
        assert len(r["Provider Business Practice Location Address Postal Code"]) == 9
        assert r["Healthcare Provider Taxonomy Code_1"].endswith("X")
