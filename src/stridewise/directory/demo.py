"""The embedded demo directory: synthetic providers over real ZIPs plus the 499 real rows.

``stridewise demo ensure`` (run by ``make run``) calls :func:`ensure_demo`: it migrates the
database and, only when the directory is empty, builds the demo in a few seconds.
"""

from __future__ import annotations

import csv
import tempfile
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, text

from stridewise.db.migrate import upgrade
from stridewise.directory.cms.generator import clinicians, write_cms_files
from stridewise.directory.cms.models import CmsKind
from stridewise.directory.generator import write_file
from stridewise.directory.importing.cms.run import import_cms
from stridewise.directory.importing.importer import ImportReport, import_nppes

DEMO_ROWS = 6000
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
        write_file(synthetic, DEMO_ROWS, DEMO_SEED, relevant_share=0.85, exclude_npis=real_npis)
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
    url: str, engine: Engine, nucc: Path | None = None, runner_codes: Path | None = None
) -> str:
    """Migrate, then build the demo directory if it is empty. Returns a one-line status."""
    upgrade(url)
    existing = provider_count(engine)
    if existing:
        return f"Directory already has {existing:,} providers; left as is."
    build_demo(engine, nucc, runner_codes)
    return f"Built the demo directory: {provider_count(engine):,} providers."
