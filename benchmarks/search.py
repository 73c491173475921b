"""Search benchmark: p50/p99 latency of type-plus-radius queries on a directory of at least
1 million providers, at 10, 25 and 50 miles, in dense and rural places, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/search.py [--rows 1000000] [--queries 40] [--no-postgres]

Builds the directory with the real importer from a generated file whose rows are all
runner-relevant (so that N rows give about N providers). PostgreSQL uses a throwaway database
on the server named by STRIDEWISE_BENCH_POSTGRES_URL (default: the local test server).
Each timed call is the full library call, ``search_providers``: geocoding, the ranked SQL query,
and building the first page of 20 results. Target on SQLite: p50 <= 5 ms, p99 <= 20 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from stridewise.db.engine import make_engine
from stridewise.db.migrate import upgrade
from stridewise.directory.cms.generator import clinicians, write_cms_files
from stridewise.directory.cms.models import CmsKind
from stridewise.directory.generator import write_file
from stridewise.directory.importing.cms.run import import_cms
from stridewise.directory.importing.importer import import_nppes
from stridewise.directory.schemas import ProviderQuery
from stridewise.directory.search import search_providers

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


def bench(url: str, label: str, queries: int) -> None:
    engine = make_engine(url)
    print(f"\n{label}: p50 / p99 / max ms over {queries} queries per cell (page of 20)")
    print(f"{'place':<8}{'radius':>7}{'p50':>8}{'p99':>8}{'max':>8}{'avg hits':>10}")
    with Session(engine) as session:
        search_providers(session, ProviderQuery(near="10001", type="podiatrist"))  # warm up
        for density, places in (("dense", DENSE), ("rural", RURAL)):
            for radius in RADII:
                times, hits = [], []
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
                times.sort()
                p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
                print(
                    f"{density:<8}{radius:>7}{statistics.median(times):>8.2f}{p99:>8.2f}"
                    f"{times[-1]:>8.2f}{statistics.mean(hits):>10,.0f}"
                )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-cms", action="store_true", help="Skip the CMS evidence points.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stridewise-search-") as tmp:
        path = Path(tmp) / "npidata.csv"
        t = time.perf_counter()
        # 3% of generated rows are deactivated; generate enough for args.rows providers.
        write_file(path, int(args.rows / 0.96) + 1, seed=2, relevant_share=1.0)
        print(f"generated in {time.perf_counter() - t:.0f} s")
        targets = [("SQLite", f"sqlite:///{Path(tmp) / 'search.sqlite3'}")]
        admin = None
        if not args.no_postgres:
            name = f"sw_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG, isolation_level="AUTOCOMMIT")
            try:
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                pg_url = make_url(PG).set(database=name).render_as_string(hide_password=False)
                targets.append(("PostgreSQL", pg_url))
            except Exception as exc:  # the benchmark still runs on SQLite without a server
                print(f"PostgreSQL NOT BENCHMARKED: {exc.__class__.__name__}: {exc}")
                admin = None
        try:
            for label, url in targets:
                upgrade(url)
                t = time.perf_counter()
                report = import_nppes(make_engine(url), path)
                print(
                    f"{label}: imported {report.kept:,} providers in "
                    f"{time.perf_counter() - t:.0f} s"
                )
                if not args.no_cms:  # the CMS evidence points, in the tiers as in production
                    t = time.perf_counter()
                    cms_dir = Path(tmp) / f"cms-{label}"
                    files = write_cms_files(clinicians(make_engine(url)), cms_dir, seed=2)
                    for kind in CmsKind:
                        import_cms(make_engine(url), kind, files[kind.value], force=True)
                    print(f"{label}: CMS files imported in {time.perf_counter() - t:.0f} s")
                bench(url, label, args.queries)
        finally:
            if admin is not None:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
