"""CMS imports: each kind lands keyed by NPI, folds duplicates, reads reordered columns by
name, skips malformed rows, refuses empty, truncated or much smaller files (unless forced),
and its evidence points move the ranking exactly as a brute-force re-ranking says."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from stridewise.directory import ranking
from stridewise.directory.cms import evidence
from stridewise.directory.cms.generator import clinicians, write_cms_files
from stridewise.directory.cms.models import CmsKind
from stridewise.directory.geocode import resolve_place
from stridewise.directory.importing.cms.run import import_cms
from stridewise.directory.importing.cms.swap import ImportRefused
from stridewise.directory.importing.importer import import_nppes
from stridewise.directory.importing.nppes_columns import MissingColumnsError
from stridewise.directory.schemas import ProviderQuery
from stridewise.directory.search import search_providers
from stridewise.directory.search.area import Disc


@pytest.fixture
def cms_files(
    directory_engine: Engine, make_nppes: Callable[..., Path], tmp_path: Path
) -> dict[str, Path]:
    with directory_engine.begin() as conn:
        for t in ("cms_state", "cms_clinicians", "cms_locations", "cms_affiliations",
                  "cms_mips", "cms_procedures", "directory_evidence"):  # fmt: skip
            conn.execute(text(f"DELETE FROM {t}"))
    # (CMS data first: the NPPES import builds DAC locations from whatever DAC data is active.)
    import_nppes(directory_engine, make_nppes(3000, seed=51, relevant_share=0.9))
    return write_cms_files(clinicians(directory_engine), tmp_path / "cms", seed=5)


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() or 0)


def test_every_kind_imports_and_ranks_with_evidence(
    directory_engine: Engine, cms_files: dict[str, Path]
) -> None:
    for kind in CmsKind:
        report = import_cms(directory_engine, kind, cms_files[kind.value])
        assert report.kept > 0 and not report.skipped, (kind, report.skipped)
    assert _count(directory_engine, "cms_locations") >= _count(directory_engine, "cms_clinicians")
    assert _count(directory_engine, "directory_evidence") > 0
    query = ProviderQuery(near="Chicago, IL", type="podiatrist", radius_miles=60, per_page=100)
    with Session(directory_engine) as s:
        page = search_providers(s, query)
        conn = s.connection()
        facts = evidence.gather(conn, _active(conn), [r.npi for r in page.results])
        place = resolve_place("Chicago, IL")
        disc = Disc(place.lat, place.lon, 60)
        # Oracle: score every index row of the key in Python from its columns.
        rows = conn.execute(
            text("SELECT npi, fit, static, lat, lon FROM directory_search WHERE generation = :g"
                 " AND key = 'type:podiatrist'"), {"g": _active(conn)},
        ).all()  # fmt: skip
    best: dict[str, float] = {}
    for npi, fit, static, lat, lon in rows:
        d = disc.miles(lat, lon)
        if d <= 60:
            best[npi] = max(best.get(npi, -1), fit + static + ranking.distance_points(d, 60))
    assert page.total == len(best)
    expect = sorted(best.values(), reverse=True)[: len(page.results)]
    assert [round(r.score, 2) for r in page.results] == [round(x, 2) for x in expect]
    with_services = [r for r in page.results if facts.get(r.npi) and facts[r.npi].services]
    assert with_services
    assert any("Treated Medicare patients for" in w for w in with_services[0].why)


def _active(conn: object) -> int:
    from stridewise.directory.state import active_generation

    return active_generation(conn)  # type: ignore[arg-type]


def test_reimport_is_idempotent_and_nppes_reimport_keeps_evidence(
    directory_engine: Engine, cms_files: dict[str, Path], make_nppes: Callable[..., Path]
) -> None:
    import_cms(directory_engine, CmsKind.services, cms_files["services"])
    with directory_engine.connect() as conn:
        before = conn.execute(text("SELECT SUM(tier) FROM directory_search")).scalar()
    again = import_cms(directory_engine, CmsKind.services, cms_files["services"])
    assert again.scores_changed == 0
    with directory_engine.connect() as conn:
        assert conn.execute(text("SELECT SUM(tier) FROM directory_search")).scalar() == before
    import_nppes(directory_engine, make_nppes(3000, seed=51, relevant_share=0.9))
    with directory_engine.connect() as conn:
        assert conn.execute(text("SELECT SUM(tier) FROM directory_search")).scalar() == before


def _rewrite(src: Path, dst: Path, keep: Callable[[int, list[str]], list[str] | None]) -> Path:
    with src.open(newline="") as fh, dst.open("w", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        for i, row in enumerate(csv.reader(fh)):
            new = keep(i, row)
            if new is not None:
                w.writerow(new)
    return dst


def test_refusals(directory_engine: Engine, cms_files: dict[str, Path], tmp_path: Path) -> None:
    src = cms_files["mips"]
    import_cms(directory_engine, CmsKind.mips, src)
    good = _count(directory_engine, "cms_mips")
    header_only = _rewrite(src, tmp_path / "empty.csv", lambda i, r: r if i == 0 else None)
    with pytest.raises(ImportRefused, match="nothing to keep"):
        import_cms(directory_engine, CmsKind.mips, header_only)
    cut = tmp_path / "cut.csv"
    cut.write_bytes(src.read_bytes()[:-7])
    with pytest.raises(ImportRefused, match="incomplete"):
        import_cms(directory_engine, CmsKind.mips, cut)
    small = _rewrite(src, tmp_path / "small.csv", lambda i, r: r if i < 20 else None)
    with pytest.raises(ImportRefused, match="under half"):
        import_cms(directory_engine, CmsKind.mips, small)
    assert _count(directory_engine, "cms_mips") == good  # nothing changed
    import_cms(directory_engine, CmsKind.mips, small, force=True)
    assert _count(directory_engine, "cms_mips") < good
    with pytest.raises(MissingColumnsError):
        import_cms(directory_engine, CmsKind.mips, cms_files["dac"])


def test_column_drift_duplicates_and_bad_rows(
    directory_engine: Engine, cms_files: dict[str, Path], tmp_path: Path
) -> None:
    src = cms_files["affiliations"]
    plain = import_cms(directory_engine, CmsKind.affiliations, src)
    # Columns reversed, every row twice, plus malformed rows.
    drifted = _rewrite(src, tmp_path / "drift.csv", lambda i, r: r[::-1])
    lines = drifted.read_text().splitlines()
    body = lines[1:]
    drifted.write_text(
        "\n".join([lines[0], *body, *body, "1234567890,x", '"unclosed,1,2', ""]) + "\n"
    )
    report = import_cms(directory_engine, CmsKind.affiliations, drifted, force=True)
    assert report.kept == plain.kept
    assert report.skipped["duplicate pair"] == len(body)
    assert report.skipped["malformed row"] + report.skipped["invalid NPI"] >= 1


def test_mips_prefers_individual_then_group(tmp_path: Path, directory_engine: Engine,
                                            cms_files: dict[str, Path]) -> None:  # fmt: skip
    path = tmp_path / "mips.csv"
    header = cms_files["mips"].read_text().splitlines()[0]
    npi_a, npi_b = "1000000004", "1000000012"
    path.write_text(
        "\n".join(
            [
                header,
                f"{npi_a},,A,B,group,,,,,90",
                f"{npi_a},,A,B,individual,,,,,60",
                f"{npi_b},,A,B,APM Entity,,,,,99",
                f"{npi_b},,A,B,group,,,,,70",
                f"{npi_b},,A,B,group,,,,,80",
            ]
        )
        + "\n"
    )
    import_cms(directory_engine, CmsKind.mips, path, force=True)
    with directory_engine.connect() as conn:
        got = dict(
            (n, (s, src))
            for n, s, src in conn.execute(text("SELECT npi, score, source FROM cms_mips"))
        )
    assert got == {npi_a: (60.0, "individual"), npi_b: (80.0, "group")}
