"""Search benchmark: p50/p99 latency of type-plus-radius queries on a directory of up to
1 million providers with the four synthetic CMS files, at 10, 25 and 50 miles, in dense and rural
places, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/search.py [--rows 1000000] [--queries 60] [--no-postgres]
        [--no-sqlite] [--no-cms] [--cache DIR] [--rebuild]

Builds the directory with the real importers from generated files whose rows are all
runner-relevant (so that N rows give about N providers), then the four CMS files generated for
those providers. Building 1 million takes minutes, so the built databases are kept between runs:
the SQLite file and the generated files under ``--cache`` (default: a folder in the temp
directory), and on PostgreSQL a database named after the one in STRIDEWISE_BENCH_POSTGRES_URL
(default: the local test server) with ``_search_<rows>`` appended. ``--rebuild`` builds afresh.

Each timed call is the full library call, ``search_providers``: geocoding, the ranked SQL, and
building the first page of 20 results. Figures are printed with a same-run baseline (a primary
key lookup of one provider through the same session), so that runs on a busy machine compare.
Targets (issue 15): SQLite p50 <= 5 ms and p99 <= 20 ms; PostgreSQL p99 <= 25 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from stridewise.db.engine import make_engine
from stridewise.db.migrate import upgrade
from stridewise.directory.cms.generator import FILES, clinicians, write_cms_files
from stridewise.directory.cms.models import CmsKind
from stridewise.directory.generator import write_file
from stridewise.directory.importing.cms.run import import_cms
from stridewise.directory.importing.importer import import_nppes
from stridewise.directory.schemas import ProviderQuery
from stridewise.directory.search import search_providers
from stridewise.heap import settle

DENSE = ["10001", "60601", "90012", "77002", "19103"]
RURAL = ["59301", "69101", "82801", "58801", "97720"]
TYPES = [
    "podiatrist",
    "physical_therapist",
    "sports_medicine_physician",
    "primary_care",
    "chiropractor",
    "orthopedic_surgeon",
]
RADII = [10, 25, 50]
PG = os.environ.get(
    "STRIDEWISE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
#: Bump when the recipe below changes, so that cached databases are rebuilt.
RECIPE = 1
SEED = 2


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * q))]


def _statements(engine: Engine) -> Callable[[], int]:
    """A counter of the statements run on ``engine`` (SQLAlchemy's cursor events)."""
    seen = [0]

    def count(*_: Any) -> None:
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    return lambda: seen[0]


def bench(url: str, label: str, queries: int) -> None:
    engine = make_engine(url)
    statements = _statements(engine)
    with Session(engine) as session:
        g = session.execute(text("SELECT active_generation FROM directory_state")).scalar()
        npi = session.execute(
            text("SELECT MIN(npi) FROM directory_providers WHERE generation = :g"), {"g": g}
        ).scalar()
        lookup = text("SELECT * FROM directory_providers WHERE generation = :g AND npi = :n")
        base = []
        for _ in range(200):
            t = time.perf_counter()
            session.execute(lookup, {"g": g, "n": npi}).all()
            base.append((time.perf_counter() - t) * 1000)
        baseline = statistics.median(base)
        search_providers(session, ProviderQuery(near="10001", type="podiatrist"))  # warm up
        settle()  # as a server process does at start-up (stridewise.heap)
        print(
            f"\n{label}: p50 / p99 / max ms over {queries} queries per row (page of 20);"
            f" baseline (one provider by primary key) {baseline:.3f} ms"
        )
        head = ("place", "radius", "p50", "p99", "max", "p50/base", "stmts", "avg hits")
        print(f"{head[0]:<8}{head[1]:>7}" + "".join(f"{h:>10}" for h in head[2:]))
        everything: list[float] = []
        for density, places in (("dense", DENSE), ("rural", RURAL)):
            for radius in RADII:
                times, hits = [], []
                before = statements()
                for i in range(queries):
                    q = ProviderQuery(
                        near=places[i % len(places)],
                        type=TYPES[i % len(TYPES)],
                        radius_miles=radius,
                    )
                    t = time.perf_counter()
                    page = search_providers(session, q)
                    times.append((time.perf_counter() - t) * 1000)
                    hits.append(page.total)
                per = (statements() - before) / queries
                everything += times
                p50 = statistics.median(times)
                print(
                    f"{density:<8}{radius:>7}{p50:>10.2f}{_pct(times, 0.99):>10.2f}"
                    f"{max(times):>10.2f}{p50 / baseline:>10.0f}{per:>10.1f}"
                    f"{statistics.mean(hits):>10,.0f}"
                )
        p50, p99 = statistics.median(everything), _pct(everything, 0.99)
        print(f"{'all':<15}{p50:>10.2f}{p99:>10.2f}{max(everything):>10.2f}{p50 / baseline:>10.0f}")
        print(f"{'all p95':<15}{_pct(everything, 0.95):>10.2f}")
    engine.dispose()


def _files(cache: Path, rows: int) -> Path:
    """The generated NPPES file for ``rows`` providers (cached)."""
    path = cache / f"npidata-{rows}.csv"
    if not path.exists():
        t = time.perf_counter()
        part = path.with_suffix(".part")
        # 3% of generated rows are deactivated; generate enough for ``rows`` providers.
        write_file(part, int(rows / 0.96) + 1, seed=SEED, relevant_share=1.0)
        part.rename(path)
        print(f"generated {path.name} in {time.perf_counter() - t:.0f} s")
    return path


def _build(url: str, label: str, nppes: Path, cms_dir: Path | None) -> None:
    upgrade(url)
    t = time.perf_counter()
    report = import_nppes(make_engine(url), nppes, force=True)
    print(f"{label}: imported {report.kept:,} providers in {time.perf_counter() - t:.0f} s")
    if cms_dir is None:
        return
    t = time.perf_counter()
    done = cms_dir / "done"
    if not done.exists():  # the same files for every database built from this NPPES file
        write_cms_files(clinicians(make_engine(url)), cms_dir, seed=SEED)
        done.touch()
    for kind in CmsKind:
        import_cms(make_engine(url), kind, cms_dir / FILES[kind.value], force=True)
    print(f"{label}: CMS files imported in {time.perf_counter() - t:.0f} s")
    if url.startswith("postgresql"):
        # The CMS imports rewrite every search row's tier and leave the new tables without
        # statistics; a settled server's autovacuum would catch up, a fresh build has not yet.
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("VACUUM (ANALYZE)"))
        engine.dispose()


def _sqlite(cache: Path, name: str, nppes: Path, cms_dir: Path | None, rebuild: bool) -> str:
    path = cache / f"{name}.sqlite3"
    url = f"sqlite:///{path}"
    if not rebuild and path.exists() and _complete(url):
        print(f"SQLite: cached {path}")
        return url
    for stale in cache.glob(f"{name}.sqlite3*"):
        stale.unlink()
    _build(url, "SQLite", nppes, cms_dir)
    _mark_complete(url)
    return url


def _postgres(name: str, nppes: Path, cms_dir: Path | None, rebuild: bool) -> str | None:
    base = make_url(PG)
    db = f"{base.database}_{name}".replace("-", "_")
    url = base.set(database=db).render_as_string(hide_password=False)
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": db})
            built = exists.first() is not None and not rebuild and _complete(url)
            if built:
                print(f"PostgreSQL: cached database {db}")
                return url
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{db}"'))
    except OperationalError as exc:  # the benchmark still runs on SQLite without a server
        print(f"PostgreSQL NOT BENCHMARKED: {exc.__class__.__name__}")
        return None
    finally:
        admin.dispose()
    _build(url, "PostgreSQL", nppes, cms_dir)
    _mark_complete(url)
    return url


def _mark_complete(url: str) -> None:
    """Mark a build complete: a killed build has no marker and is built again."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_complete (recipe INTEGER)"))
        conn.execute(text("INSERT INTO bench_complete VALUES (:r)"), {"r": RECIPE})
    engine.dispose()


def _complete(url: str) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT recipe FROM bench_complete")).scalar() == RECIPE
    except Exception:  # no marker table: an unfinished or foreign database
        return False
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-cms", action="store_true", help="Skip the CMS evidence points.")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "stridewise-search-bench",
        help="Where the generated files and the SQLite database are kept between runs.",
    )
    parser.add_argument("--rebuild", action="store_true", help="Build the databases afresh.")
    args = parser.parse_args()
    cache: Path = args.cache
    cache.mkdir(parents=True, exist_ok=True)
    name = f"search_{args.rows}{'_nocms' if args.no_cms else ''}_r{RECIPE}"
    nppes = _files(cache, args.rows)
    cms_dir = None if args.no_cms else cache / f"cms-{args.rows}"
    targets = []
    if not args.no_sqlite:
        targets.append(("SQLite", _sqlite(cache, name, nppes, cms_dir, args.rebuild)))
    if not args.no_postgres and (pg := _postgres(name, nppes, cms_dir, args.rebuild)):
        targets.append(("PostgreSQL", pg))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for label, url in targets:
        bench(url, label, args.queries)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("\ntargets: SQLite p50 <= 5 ms, p99 <= 20 ms; PostgreSQL p99 <= 25 ms")


if __name__ == "__main__":
    main()
