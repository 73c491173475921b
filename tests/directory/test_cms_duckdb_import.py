"""The two large CMS files, folded in DuckDB: the Medicare services file and the Doctors and
Clinicians file land exactly as a plain-Python reading of the same CSV says (the oracle), with
columns reordered, renamed or added, duplicated rows, malformed rows and invalid values, and a
truncated or empty file is refused without touching what searches read. On SQLite and
PostgreSQL."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from stridewise.directory.cms.generator import clinicians, write_cms_files
from stridewise.directory.cms.models import CmsKind
from stridewise.directory.cms.procedures import procedure_groups
from stridewise.directory.importing.cms.folder import valid_npi
from stridewise.directory.importing.cms.run import import_cms
from stridewise.directory.importing.cms.swap import ImportRefused
from stridewise.directory.importing.importer import import_nppes

CMS_TABLES = ("cms_state", "cms_clinicians", "cms_locations", "cms_affiliations", "cms_mips",
              "cms_procedures", "directory_evidence")  # fmt: skip


@pytest.fixture
def cms_files(
    directory_engine: Engine, make_nppes: Callable[..., Path], tmp_path: Path
) -> dict[str, Path]:
    with directory_engine.begin() as conn:
        for t in CMS_TABLES:
            conn.execute(text(f"DELETE FROM {t}"))
    # (CMS data first: the NPPES import builds DAC locations from whatever DAC data is active.)
    import_nppes(directory_engine, make_nppes(2000, seed=61, relevant_share=0.9))
    return write_cms_files(clinicians(directory_engine), tmp_path / "cms", seed=7)


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, [r for r in reader if len(r) == len(header)]


def _write(path: Path, header: list[str], rows: list[list[str]], tail: str = "") -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
        fh.write(tail)
    return path


def _drift(header: list[str], rows: list[list[str]], renames: dict[str, str]) -> tuple[
    list[str], list[list[str]]
]:  # fmt: skip
    """Columns reversed, some renamed to another accepted spelling, one extra column."""
    new_header = [renames.get(h, h) for h in reversed(header)] + ["Extra Column"]
    return new_header, [[*reversed(r), "x"] for r in rows]


def _services_oracle(path: Path) -> dict[tuple[str, str], tuple[float, int]]:
    by_code = procedure_groups().by_code
    header, rows = _rows(path)
    col = {h.lower().replace(" ", "_"): i for i, h in enumerate(header)}
    npi_i = col["rndrng_npi"] if "rndrng_npi" in col else col["national_provider_identifier"]
    code_i, benes_i, srv_i = col["hcpcs_cd"], col["tot_benes"], col["tot_srvcs"]
    sums: dict[tuple[str, str], list[float]] = {}
    for r in rows:
        code, npi = r[code_i].strip().upper(), r[npi_i].strip()
        if code not in by_code or not valid_npi(npi):
            continue
        try:
            s = float(r[srv_i])
            b = float(r[benes_i]) if r[benes_i].strip() else 0.0
        except ValueError:
            continue
        if s < 0 or b < 0:
            continue
        acc = sums.setdefault((npi, by_code[code]), [0.0, 0.0])
        acc[0] += s
        acc[1] += b
    return {k: (round(s, 1), int(b)) for k, (s, b) in sums.items()}


def _procedures(engine: Engine) -> dict[tuple[str, str], tuple[float, int]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.npi, p.group_id, p.services, p.beneficiaries FROM cms_procedures p"
                " JOIN cms_state s ON s.kind = 'services' AND s.active_generation = p.generation"
            )
        ).all()
    return {(n, g): (round(float(s), 1), int(b)) for n, g, s, b in rows}


def test_services_drift_duplicates_and_bad_rows(
    directory_engine: Engine, cms_files: dict[str, Path], tmp_path: Path
) -> None:
    src = cms_files["services"]
    plain = import_cms(directory_engine, CmsKind.services, src)
    assert plain.kept > 0 and not plain.skipped
    assert _procedures(directory_engine) == _services_oracle(src)

    header, rows = _rows(src)
    code_i = header.index("HCPCS_Cd")
    ours = next(r for r in rows if r[code_i] in procedure_groups().by_code)
    bad_count = [*ours]
    bad_count[header.index("Tot_Srvcs")] = "n/a"
    negative = [*ours]
    negative[header.index("Tot_Benes")] = "-3"
    wrong_npi = [*ours]
    wrong_npi[0] = "1234567890"
    blank_benes = [*ours]
    blank_benes[header.index("Tot_Benes")] = ""
    lower_code = [*ours]
    lower_code[code_i] = f" {ours[code_i].lower()} "
    # Every row twice (another place of service), bad values, then malformed lines at the end.
    body = rows + rows + [bad_count, negative, wrong_npi, blank_benes, lower_code]
    new_header, new_rows = _drift(header, body, {"Rndrng_NPI": "National Provider Identifier"})
    drifted = _write(tmp_path / "drift.csv", new_header, new_rows, "1,2,3\n" + '"unclosed,1,2\n')
    report = import_cms(directory_engine, CmsKind.services, drifted)
    assert report.rows_read == len(body)
    assert report.skipped == Counter(
        {"count not a number": 2, "invalid NPI": 1, "malformed row": 2}
    )
    oracle = _services_oracle(drifted)
    assert _procedures(directory_engine) == oracle
    twice = _services_oracle(src)
    npi_group = (ours[0], procedure_groups().by_code[ours[code_i]])
    assert oracle[npi_group][0] > 2 * twice[npi_group][0]  # the blank and lower-case rows count
    assert all(oracle[k][0] >= 2 * v[0] for k, v in twice.items())


def _state(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return [
            conn.execute(text("SELECT kind, active_generation, rows FROM cms_state ORDER BY kind"))
            .all(),
            conn.execute(text("SELECT COUNT(*), SUM(tier) FROM directory_search")).all(),
            conn.execute(text("SELECT COUNT(*) FROM directory_locations")).all(),
        ]  # fmt: skip


@pytest.mark.parametrize("kind", [CmsKind.services, CmsKind.dac])
def test_large_kinds_refuse_truncated_empty_and_smaller(
    directory_engine: Engine, cms_files: dict[str, Path], tmp_path: Path, kind: CmsKind
) -> None:
    src = cms_files[kind.value]
    import_cms(directory_engine, kind, src)
    before = _state(directory_engine)
    header, rows = _rows(src)
    cut = tmp_path / "cut.csv"
    cut.write_bytes(src.read_bytes()[:-40])
    with pytest.raises(ImportRefused, match="incomplete"):
        import_cms(directory_engine, kind, cut)
    with pytest.raises(ImportRefused, match="nothing to keep"):
        import_cms(directory_engine, kind, _write(tmp_path / "empty.csv", header, []))
    with pytest.raises(ImportRefused, match="under half"):
        import_cms(directory_engine, kind, _write(tmp_path / "few.csv", header, rows[:30]))
    assert _state(directory_engine) == before  # nothing a runner sees changed
    forced = import_cms(directory_engine, kind, cut, force=True)
    assert forced.skipped["malformed row"] == 1  # the cut last row


def _dac_oracle(path: Path) -> tuple[dict[str, dict[str, Any]], set[tuple[str, ...]]]:
    header, rows = _rows(path)
    i = {h: n for n, h in enumerate(header)}
    out: dict[str, dict[str, Any]] = {}
    places: set[tuple[str, ...]] = set()
    for r in rows:
        npi = r[i["NPI"]].strip()
        if not valid_npi(npi):
            continue
        e = out.setdefault(npi, {"specs": {}, "groups": set(), "tele": False, "assign": False})
        pri = r[i["pri_spec"]].strip().upper()
        if pri:
            e["specs"][pri] = 0
        for spec in r[i["sec_spec_all"]].upper().split(","):
            if spec.strip():
                e["specs"].setdefault(spec.strip(), 1)
        if r[i["Facility Name"]].strip():
            e["groups"].add(r[i["Facility Name"]].strip())
        e["tele"] |= r[i["Telehlth"]].strip().upper() == "Y"
        e["assign"] |= r[i["ind_assgn"]].strip().upper() == "Y"
        where = tuple(
            r[i[c]].strip().upper() for c in ("adr_ln_1", "adr_ln_2", "City/Town", "State",
                                              "ZIP Code")
        )  # fmt: skip
        if where[0]:
            places.add((npi, *where))
    folded = {
        npi: {
            "specialties": " | ".join(sorted(e["specs"], key=lambda s: (e["specs"][s], s))[:8]),
            "groups": " | ".join(sorted(e["groups"])[:5]),
            "telehealth": e["tele"],
            "assignment": e["assign"],
        }
        for npi, e in out.items()
    }
    return folded, places


def _dac_tables(engine: Engine) -> tuple[dict[str, dict[str, Any]], set[tuple[str, ...]]]:
    with engine.connect() as conn:
        g = conn.execute(text("SELECT active_generation FROM cms_state WHERE kind = 'dac'"))
        gen = g.scalar()
        clin = conn.execute(
            text("SELECT npi, specialties, groups, telehealth, assignment FROM cms_clinicians"
                 " WHERE generation = :g"), {"g": gen},
        ).all()  # fmt: skip
        locs = conn.execute(
            text("SELECT npi, address1, address2, city, state, postal_code, seq FROM"
                 " cms_locations WHERE generation = :g ORDER BY npi, seq"), {"g": gen},
        ).all()  # fmt: skip
    seqs: dict[str, list[int]] = {}
    for row in locs:
        seqs.setdefault(row[0], []).append(row[6])
    assert all(s == list(range(1, len(s) + 1)) for s in seqs.values())
    return (
        {n: {"specialties": s, "groups": gr, "telehealth": bool(t), "assignment": bool(a)}
         for n, s, gr, t, a in clin},
        {tuple(r[:6]) for r in locs},
    )  # fmt: skip


def test_dac_fold_matches_oracle_with_drift_duplicates_and_bad_rows(
    directory_engine: Engine, cms_files: dict[str, Path], tmp_path: Path
) -> None:
    src = cms_files["dac"]
    plain = import_cms(directory_engine, CmsKind.dac, src)
    assert plain.kept > 0 and not plain.skipped
    assert _dac_tables(directory_engine) == _dac_oracle(src)

    header, rows = _rows(src)
    wrong_npi = [*rows[0]]
    wrong_npi[0] = "1234567890"
    shuffled = rows[::-1] + rows  # every row twice, in another order
    new_header, new_rows = _drift(header, [*shuffled, wrong_npi], {"City/Town": "City"})
    drifted = _write(tmp_path / "drift.csv", new_header, new_rows, "only,three,fields\n")
    report = import_cms(directory_engine, CmsKind.dac, drifted)
    assert report.kept == plain.kept
    assert report.skipped == Counter({"invalid NPI": 1, "malformed row": 1})
    assert _dac_tables(directory_engine) == _dac_oracle(src)
