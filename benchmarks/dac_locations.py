"""DAC practice-address refresh benchmark: the row-at-a-time rule (``dac_locations.refresh`` as it
was at commit 6291949, read from git) against the staged, column-wise one, alternating in one
process on one database, with the rows each writes compared.

    .venv/bin/python benchmarks/dac_locations.py [--rows 100000] [--repeat 2] [--postgres]
    .venv/bin/python benchmarks/dac_locations.py --sqlite /path/to/built.sqlite3

Builds a directory of ``--rows`` runner-relevant providers with the real NPPES importer, writes
a DAC file for its clinicians (``stridewise.directory.cms.generator``: about 70% of them, 1-3
rows each) and imports it; the files and the SQLite database are kept under ``--cache``.
``--sqlite`` uses an already built database instead (for example the 1-million-provider one of
``benchmarks/search.py``); each refresh rewrites its DAC-derived rows with the same rows.

For each method: wall and CPU seconds (user + system of this process, DuckDB's threads
included; on PostgreSQL the server's work is in the wall time only), how much of it ran inside
the write transaction (the time the swap holds the lock), and DAC addresses per second. The
machine is shared, so compare the two methods of one run, not runs.
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import subprocess
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

from stridewise.db.engine import make_engine
from stridewise.db.migrate import upgrade
from stridewise.directory.cms.generator import FILES, clinicians, write_cms_files
from stridewise.directory.cms.models import CmsKind
from stridewise.directory.generator import write_file
from stridewise.directory.geocode import gazetteer
from stridewise.directory.importing.cms import dac_locations
from stridewise.directory.importing.cms.dac_location_rows import zip_table
from stridewise.directory.importing.cms.run import import_cms
from stridewise.directory.importing.importer import import_nppes
from stridewise.directory.state import active_generation

BEFORE = "6291949"
MODULE = "src/stridewise/directory/importing/cms/dac_locations.py"
PG = os.environ.get(
    "STRIDEWISE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _before(rev: str) -> types.ModuleType:
    """The module as it was at ``rev``."""
    root = Path(__file__).resolve().parent.parent
    source = subprocess.run(
        ["git", "-C", str(root), "show", f"{rev}:{MODULE}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("dac_locations_before")
    exec(compile(source, f"{rev}:{MODULE}", "exec"), module.__dict__)
    return module


def _rows(conn: Connection, g: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    p = {"g": g, "b": dac_locations.SEQ_BASE}
    loc = conn.execute(
        text("SELECT * FROM directory_locations WHERE generation = :g AND seq > :b"), p
    )
    search = conn.execute(
        text("SELECT * FROM directory_search WHERE generation = :g AND loc > :b"), p
    )
    rows = sorted(tuple(r) for r in loc), sorted(tuple(r) for r in search)
    conn.commit()
    return rows


def _timed(step: Callable[[], Any]) -> tuple[Any, float, float]:
    cpu, wall = _cpu(), time.perf_counter()
    out = step()
    return out, time.perf_counter() - wall, _cpu() - cpu


def bench(engine: Engine, label: str, repeat: int, before: types.ModuleType) -> None:
    gazetteer()
    zip_table()  # both read the gazetteer; neither is charged for building it
    with engine.connect() as conn:
        g = active_generation(conn)
        n = conn.execute(
            text(
                "SELECT COUNT(*) FROM cms_locations WHERE generation ="
                " (SELECT active_generation FROM cms_state WHERE kind = 'dac')"
            )
        ).scalar()
        conn.commit()
        results: dict[str, list[tuple[float, float, float, float]]] = {"before": [], "after": []}
        written: dict[str, Any] = {}
        for _ in range(repeat):
            for method in ("before", "after"):
                if method == "before":
                    with conn.begin():
                        counts, wall, cpu = _timed(lambda: before.refresh(conn, g))
                    in_wall, in_cpu = wall, cpu
                else:
                    staged, s_wall, s_cpu = _timed(lambda: dac_locations.stage(conn, g))
                    conn.commit()
                    with conn.begin():
                        apply = functools.partial(dac_locations.apply, conn, staged, g)
                        counts, in_wall, in_cpu = _timed(apply)
                    wall, cpu = s_wall + in_wall, s_cpu + in_cpu
                results[method].append((wall, cpu, in_wall, in_cpu))
                written[method] = (counts, _rows(conn, g))
    same = written["before"] == written["after"]
    print(f"{label}: {n:,} DAC addresses, {written['after'][0]}; same rows: {same}")
    print(f"{'method':<8}{'wall s':>9}{'CPU s':>8}{'in-txn wall':>13}{'in-txn CPU':>12}"
          f"{'addr/s':>11}")  # fmt: skip
    for method, runs in results.items():
        wall, cpu, in_wall, in_cpu = min(runs)
        print(f"{method:<8}{wall:>9.2f}{cpu:>8.2f}{in_wall:>13.2f}{in_cpu:>12.2f}"
              f"{(n or 0) / wall:>11,.0f}")  # fmt: skip
    if not same:
        raise SystemExit("the two methods wrote different rows")


def _build(url: str, cache: Path, rows: int) -> None:
    nppes = cache / f"npidata-{rows}.csv"
    if not nppes.exists():
        write_file(nppes, int(rows / 0.96) + 1, seed=7, relevant_share=1.0)
    upgrade(url)
    engine = make_engine(url)
    import_nppes(engine, nppes, force=True)
    cms = cache / f"cms-{rows}"
    if not (cms / "done").exists():
        write_cms_files(clinicians(engine), cms, seed=7)
        (cms / "done").touch()
    import_cms(engine, CmsKind.dac, cms / FILES["dac"], force=True)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "sw-dac-bench"))
    parser.add_argument("--sqlite", help="An already built SQLite directory with DAC data.")
    parser.add_argument("--postgres", action="store_true", help="Also on PostgreSQL.")
    parser.add_argument("--before", default=BEFORE, help="The git revision to compare with.")
    args = parser.parse_args()
    before = _before(args.before)
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.sqlite:
        bench(make_engine(f"sqlite:///{args.sqlite}"), "SQLite", args.repeat, before)
        return
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"dac-{args.rows}.sqlite3"
    url = f"sqlite:///{path}"
    if not path.exists():
        _build(url, cache, args.rows)
    bench(make_engine(url), "SQLite", args.repeat, before)
    if args.postgres:
        # A database of its own, named after the configured one (built afresh each run).
        base = make_url(PG)
        name = f"{base.database}_dac_{args.rows}"
        admin = create_engine(PG, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        pg_url = base.set(database=name).render_as_string(hide_password=False)
        _build(pg_url, cache, args.rows)
        pg = make_engine(pg_url)
        bench(pg, "PostgreSQL", args.repeat, before)
        pg.dispose()
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
