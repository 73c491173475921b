"""The embedded demo directory: synthetic providers over real ZIPs plus the 499 real rows.

``stridewise demo ensure`` (run by ``make run``) calls :func:`ensure_demo`: it migrates the
database and, only when the directory is empty, builds the demo in a few seconds.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, text

from stridewise.db.migrate import upgrade
from stridewise.directory.cms.generator import clinicians, write_cms_files
from stridewise.directory.cms.models import CmsKind
from stridewise.directory.generator import write_file
from stridewise.directory.importing.cms.run import import_cms
from stridewise.directory.importing.importer import ImportReport, import_nppes
from stridewise.directory.provider_types import provider_types

DEMO_ROWS = 34000
#: Downtown ZIPs of the 50 largest US metro areas: every provider type is placed in each, a few
#: times over, so a demo search in any of them finds every type nearby.
METRO_ZIPS = (
    "10001", "90012", "60601", "75201", "77002", "20001", "33130", "19103", "30303", "85004",
    "02108", "94102", "92501", "48226", "98101", "55401", "92101", "33602", "80202", "21202",
    "63101", "32801", "28202", "78205", "97201", "95814", "15222", "89101", "78701", "45202",
    "64105", "43215", "46204", "44113", "95113", "37203", "23219", "32202", "53202", "27601",
    "73102", "40202", "38103", "84101", "70112", "06103", "14202", "35203", "14604", "49503",
)  # fmt: skip
METRO_COPIES = 2


def metro_placements() -> list[tuple[str, str]]:
    """(taxonomy code, ZIP) pairs: each provider type's first code, METRO_COPIES times in each
    metro ZIP (the sports-medicine type alternates its family-medicine and orthopaedic codes)."""
    out = []
    for type_id, pt in provider_types().by_id.items():
        codes = (
            pt.taxonomy_codes[:2]
            if type_id == "sports_medicine_physician"
            else pt.taxonomy_codes[:1]
        )
        for zip_code in METRO_ZIPS:
            for k in range(METRO_COPIES):
                out.append((codes[k % len(codes)], zip_code))
    return out


DEMO_SEED = 20250701


def bundled(name: str) -> Path:
    """Path of a file in ``stridewise/directory/data``."""
    return Path(str(resources.files("stridewise.directory") / "data" / name))


def provider_count(engine: Engine) -> int:
    with engine.connect() as conn:
        g = conn.execute(text("SELECT active_generation FROM directory_state WHERE id = 1"))
        generation = g.scalar() or 0
        n = conn.execute(
            text("SELECT COUNT(*) FROM directory_providers WHERE generation = :g"),
            {"g": generation},
        ).scalar()
    return int(n or 0)


def build_demo(
    engine: Engine, nucc: Path | None = None, runner_codes: Path | None = None
) -> list[ImportReport]:
    """Replace the directory with the demo: synthetic full import, the real rows on top, then
    the four synthetic CMS files for its clinicians."""
    real = bundled("nppes_sample_real.csv")
    with real.open(encoding="latin-1", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        real_npis = frozenset(row[0] for row in reader if row)
    with tempfile.TemporaryDirectory(prefix="stridewise-demo-") as tmp:
        synthetic = Path(tmp) / "synthetic_npidata.csv"
        # Mostly runner-relevant rows so that a small file still fills most cities.
        write_file(
            synthetic,
            DEMO_ROWS,
            DEMO_SEED,
            relevant_share=0.9,
            exclude_npis=real_npis,
            placements=metro_placements(),
        )
        first = import_nppes(engine, synthetic, nucc=nucc, runner_codes=runner_codes)
    second = import_nppes(
        engine,
        real,
        locations=bundled("nppes_pl_sample_real.csv"),
        incremental=True,
        nucc=nucc,
        runner_codes=runner_codes,
    )
    with tempfile.TemporaryDirectory(prefix="stridewise-demo-cms-") as tmp:
        paths = write_cms_files(clinicians(engine), Path(tmp), DEMO_SEED)
        for kind in CmsKind:
            import_cms(engine, kind, paths[kind.value], force=True)
    return [first, second]


def ensure_demo(
    url: str,
    engine: Engine,
    nucc: Path | None = None,
    runner_codes: Path | None = None,
    on_built: Callable[[Engine], str] | None = None,
) -> str:
    """Migrate, then build the demo directory if it is empty. Returns a one-line status.

    ``on_built`` runs only right after a build (never on a directory someone imported), for
    what other domains add to the demo; its one-line status is appended."""
    upgrade(url)
    existing = provider_count(engine)
    if existing:
        return f"Directory already has {existing:,} providers; left as is."
    build_demo(engine, nucc, runner_codes)
    message = f"Built the demo directory: {provider_count(engine):,} providers."
    extra = on_built(engine) if on_built is not None else ""
    return f"{message} {extra}" if extra else message
