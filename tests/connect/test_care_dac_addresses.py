"""The provider page lists every practice address Medicare's Doctors and Clinicians file gives
(with its group), once: an address under "Practice addresses Medicare lists" is not repeated
under "Other locations"."""

from __future__ import annotations

from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from stridewise.directory.cms.generator import clinicians, write_cms_files
from stridewise.directory.cms.models import CmsKind
from stridewise.directory.generator import write_file
from stridewise.directory.importing.cms import dac_locations
from stridewise.directory.importing.cms.run import import_cms
from stridewise.directory.importing.importer import import_nppes
from stridewise.directory.state import active_generation

CMS_TABLES = ("cms_state", "cms_clinicians", "cms_locations", "cms_affiliations", "cms_mips",
              "cms_procedures", "directory_evidence")  # fmt: skip


def _clear_cms(engine: Engine) -> None:
    with engine.begin() as conn:
        for t in CMS_TABLES:
            conn.execute(text(f"DELETE FROM {t}"))
        dac_locations.clear(conn, active_generation(conn))


@pytest.fixture
def dac_npi(engine: Engine, tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A directory with the DAC file imported; an NPI the DAC file gives three addresses, and
    their street lines. CMS data are removed afterwards (PostgreSQL is shared)."""
    path = tmp_path / "npidata.csv"
    write_file(path, 1500, seed=45, relevant_share=0.9)
    import_nppes(engine, path, force=True)
    _clear_cms(engine)
    dac = write_cms_files(clinicians(engine), tmp_path / "cms", seed=9)["dac"]
    import_cms(engine, CmsKind.dac, dac)
    with engine.connect() as conn:
        g = conn.execute(text("SELECT active_generation FROM cms_state WHERE kind = 'dac'"))
        rows = conn.execute(
            text("SELECT npi, address1 FROM cms_locations WHERE generation = :g ORDER BY npi"),
            {"g": g.scalar()},
        ).all()
    by_npi: dict[str, list[str]] = {}
    for npi, line in rows:
        by_npi.setdefault(npi, []).append(line)
    npi, lines = next((n, ls) for n, ls in by_npi.items() if len(ls) == 3)
    yield npi, lines
    _clear_cms(engine)


def test_provider_page_lists_each_dac_address_once(
    client: TestClient, dac_npi: tuple[str, list[str]]
) -> None:
    npi, lines = dac_npi
    page = client.get(f"/care/providers/{npi}")
    assert page.status_code == 200
    html = unescape(page.text)
    medicare = html[html.index("Practice addresses Medicare lists") :]
    medicare = medicare[: medicare.index("</ul>")]
    other = html[html.index('id="other-loc"') :] if 'id="other-loc"' in html else ""
    other = other[: other.index("</ul>")] if other else ""
    for line in lines:
        assert line.title() in medicare
        assert line.title() not in other
    assert "SYNTHETIC" in medicare and "GROUP" in medicare  # the group names are shown
