"""DAC practice addresses are search locations: a provider is found near any address Medicare
lists for them, measured to that address, ranked by the same score as at their register
address; the rows are rebuilt by a DAC import and by an NPPES import, and a refused DAC import
changes nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from stridewise.directory.cms.generator import clinicians, write_cms_files
from stridewise.directory.cms.models import CmsKind
from stridewise.directory.geocode import haversine_miles, zip_point
from stridewise.directory.importing.cms.dac_locations import SEQ_BASE
from stridewise.directory.importing.cms.run import import_cms
from stridewise.directory.importing.cms.swap import ImportRefused
from stridewise.directory.importing.importer import import_nppes
from stridewise.directory.schemas import ProviderQuery
from stridewise.directory.search import search_providers
from stridewise.directory.search.query import get_provider

CMS_TABLES = ("cms_state", "cms_clinicians", "cms_locations", "cms_affiliations", "cms_mips",
              "cms_procedures", "directory_evidence")  # fmt: skip


@pytest.fixture
def nppes(make_nppes: Callable[..., Path]) -> Path:
    return make_nppes(2000, seed=71, relevant_share=0.9)


@pytest.fixture
def dac_file(directory_engine: Engine, nppes: Path, tmp_path: Path) -> Path:
    with directory_engine.begin() as conn:
        for t in CMS_TABLES:
            conn.execute(text(f"DELETE FROM {t}"))
    # (CMS data first: the NPPES import builds DAC locations from whatever DAC data is active.)
    import_nppes(directory_engine, nppes)
    return write_cms_files(clinicians(directory_engine), tmp_path / "cms", seed=3)["dac"]


def _search_rows(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT s.key, s.tier, s.cell, s.lat, s.lon, s.npi, s.loc, s.fit, s.static"
                    " FROM directory_search s JOIN directory_state d ON d.id = 1"
                    " AND s.generation = d.active_generation ORDER BY 1, 2, 3, 4, 5, 6, 7"
                )
            )
        ]


def _far_dac_location(engine: Engine) -> tuple[str, str, str, float]:
    """(NPI, DAC street line, ZIP, miles from the primary) of the DAC-derived location
    furthest from its provider's register address."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT l.npi, l.address1, l.postal_code, l.lat, l.lon, p.lat, p.lon"
                " FROM directory_locations l JOIN directory_providers p"
                " ON p.generation = l.generation AND p.npi = l.npi WHERE l.seq > :b"
            ),
            {"b": SEQ_BASE},
        ).all()
    best = max(rows, key=lambda r: haversine_miles(r[3], r[4], r[5], r[6]))
    return best[0], best[1], best[2][:5], haversine_miles(best[3], best[4], best[5], best[6])


def test_found_near_a_dac_address_with_the_same_score(
    directory_engine: Engine, dac_file: Path
) -> None:
    before = _search_rows(directory_engine)
    report = import_cms(directory_engine, CmsKind.dac, dac_file)
    assert report.locations["locations"] > 0 and report.locations["indexed"] > 0
    assert report.locations["same_address"] > 0  # the register address is not added twice
    rows = _search_rows(directory_engine)
    dac_rows = [r for r in rows if r[6] > SEQ_BASE]
    assert len(dac_rows) > 0
    # Every DAC row copies one of its provider's primary rows: key, fit, static, tier.
    primary = {(r[0], r[5]): (r[1], r[7], r[8]) for r in rows if r[6] == 0}
    assert all(primary[(r[0], r[5])] == (r[1], r[7], r[8]) for r in dac_rows)
    assert len(rows) == len(before) + len(dac_rows)

    npi, street, zip5, miles = _far_dac_location(directory_engine)
    assert miles > 30
    point = zip_point(zip5)
    assert point is not None
    query = ProviderQuery(near=zip5, radius_miles=5, per_page=100)
    with Session(directory_engine) as s:
        page = search_providers(s, query)
        detail = get_provider(s, npi)
    hit = next(r for r in page.results if r.npi == npi)
    assert hit.address.line1 == street and hit.distance_miles < 5
    assert [r.npi for r in page.results].count(npi) == 1  # one result per provider
    assert detail is not None and street in [a.line1 for a in detail.other_locations]
    assert detail.medicare.locations and street.upper() in [
        a.line1 for a in detail.medicare.locations
    ]


def test_rebuilt_by_each_import_and_untouched_by_a_refused_one(
    directory_engine: Engine, dac_file: Path, nppes: Path, tmp_path: Path
) -> None:
    import_cms(directory_engine, CmsKind.dac, dac_file)
    with_dac = _search_rows(directory_engine)
    import_cms(directory_engine, CmsKind.dac, dac_file)
    assert _search_rows(directory_engine) == with_dac  # a re-import changes nothing
    import_nppes(directory_engine, nppes)
    assert _search_rows(directory_engine) == with_dac  # the new directory has them too
    cut = tmp_path / "cut.csv"
    cut.write_bytes(dac_file.read_bytes()[:-40])
    with pytest.raises(ImportRefused):
        import_cms(directory_engine, CmsKind.dac, cut)
    assert _search_rows(directory_engine) == with_dac
    # A DAC file listing fewer addresses takes its rows away again, in the same swap.
    lines = dac_file.read_text().splitlines(keepends=True)
    first_rows = tmp_path / "first_rows.csv"
    first_rows.write_text("".join(lines[: len(lines) // 2]))
    import_cms(directory_engine, CmsKind.dac, first_rows, force=True)
    fewer = [r for r in _search_rows(directory_engine) if r[6] > SEQ_BASE]
    assert 0 < len(fewer) < len([r for r in with_dac if r[6] > SEQ_BASE])
