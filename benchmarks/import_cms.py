"""CMS import benchmark: for each of the four files, our import (parse, fold, write to SQLite,
swap, evidence points) against a plain pandas chunked read and the fastest parse-only pass
(pyarrow's threaded reader, same columns), side by side in one run; for the Medicare services
file also DuckDB's ``read_csv`` + ``GROUP BY`` doing the same aggregation, to choose an engine.

    .venv/bin/python benchmarks/import_cms.py [--clinicians 20000] [--seed 1] [--repeat 1]

The files are generated (``stridewise.directory.cms.generator``) for ``--clinicians`` synthetic
clinicians (services rows are about 3-4 per clinician; 2.5 million clinicians is about the size
of the real 9.8-million-row file). Each method runs in its own subprocess so its peak RSS is its
own; the fastest of ``--repeat`` runs is reported with MB/s, rows/s, peak RSS and the ratio to
pandas.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

METHODS = ["stridewise", "pandas-chunked", "pyarrow-parse", "duckdb-aggregate"]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _columns(kind: str, path: Path) -> list[str]:
    from stridewise.directory.cms.models import CmsKind
    from stridewise.directory.importing.cms.run import folder_for
    from stridewise.directory.importing.cms.stream import read_header, resolve

    folder = folder_for(CmsKind(kind))
    return list(resolve(read_header(path), folder.columns, kind).values())


def run_one(kind: str, method: str, path: Path, workdir: Path) -> dict[str, float]:
    columns = _columns(kind, path)
    import duckdb
    import pandas  # noqa: F401
    import pyarrow.csv

    started = time.perf_counter()
    rows = 0
    if method == "stridewise":
        from stridewise.db.engine import make_engine
        from stridewise.db.migrate import upgrade
        from stridewise.directory.cms.models import CmsKind
        from stridewise.directory.importing.cms.run import import_cms

        url = f"sqlite:///{workdir / f'{kind}.sqlite3'}"
        upgrade(url)
        started = time.perf_counter()
        rows = import_cms(make_engine(url), CmsKind(kind), path, force=True).rows_read
    elif method == "pandas-chunked":
        import pandas as pd

        for chunk in pd.read_csv(path, usecols=columns, dtype=str, chunksize=200_000):
            rows += len(chunk)
            if kind == "services":  # the same aggregation, the pandas way
                chunk.groupby([columns[0], columns[1]])[columns[3]].apply(
                    lambda s: pd.to_numeric(s, errors="coerce").sum()
                )
    elif method == "pyarrow-parse":
        import pyarrow as pa
        import pyarrow.csv as pacsv

        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                include_columns=columns, column_types={c: pa.string() for c in columns}
            ),
        )
        rows = table.num_rows
    elif method == "duckdb-aggregate":
        import duckdb

        from stridewise.directory.cms.procedures import procedure_groups

        codes = sorted(procedure_groups().by_code)
        con = duckdb.connect()
        con.execute("SET threads TO 2")
        quoted = ", ".join(f"'{c}'" for c in codes)
        npi, code, benes, srv = columns
        result = con.execute(
            f'SELECT "{npi}", "{code}", SUM(TRY_CAST("{srv}" AS DOUBLE)),'
            f' SUM(TRY_CAST("{benes}" AS BIGINT)) FROM read_csv(?, all_varchar = true)'
            f' WHERE upper(trim("{code}")) IN ({quoted}) GROUP BY 1, 2',
            [str(path)],
        ).fetchall()
        rows = int(con.execute("SELECT COUNT(*) FROM read_csv(?, all_varchar = true)",
                               [str(path)]).fetchone()[0])  # fmt: skip
        del result
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": rows, "peak_mb": _peak_mb()}


def _fake_clinicians(n: int, seed: int) -> list[object]:
    from stridewise.directory.cms.generator import Clinician
    from stridewise.directory.generator import luhn_npi

    rng = random.Random(seed)
    taxes = ["213E00000X", "207X00000X", "225100000X", "207Q00000X", "207QS0010X", "111N00000X"]
    return [
        Clinician(
            npi=luhn_npi(100_000_000 + i * 3),
            name=f"ALEX SYNTHETIC{i}",
            credentials="MD",
            taxonomy=rng.choice(taxes),
            address1=f"{rng.randint(1, 9999)} SYNTHETIC MAIN ST",
            city="PORTLAND",
            state="OR",
            postal_code="972011234",
            phone="5035550100",
        )
        for i in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clinicians", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--one", nargs=3, metavar=("KIND", "METHOD", "FILE"), help=argparse.SUPPRESS
    )
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, method, file = args.one
        print(json.dumps(run_one(kind, method, Path(file), Path(args.workdir))))
        return
    from stridewise.directory.cms.generator import write_cms_files

    with tempfile.TemporaryDirectory(prefix="sw-cms-bench-") as tmp:
        t0 = time.perf_counter()
        paths = write_cms_files(_fake_clinicians(args.clinicians, args.seed), Path(tmp), args.seed)  # type: ignore[arg-type]
        print(f"generated four files for {args.clinicians:,} clinicians in "
              f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
        print(f"{'file':<13}{'method':<18}{'MB':>8}{'s':>8}{'MB/s':>9}{'rows/s':>12}"
              f"{'peak MB':>9}{'vs pandas':>10}")  # fmt: skip
        for kind, path in paths.items():
            mb = path.stat().st_size / 1e6
            best: dict[str, dict[str, float]] = {}
            for method in METHODS:
                if method == "duckdb-aggregate" and kind != "services":
                    continue
                for _ in range(args.repeat):
                    work = Path(tempfile.mkdtemp(dir=tmp))
                    out = subprocess.run(
                        [sys.executable, __file__, "--one", kind, method, str(path),
                         "--workdir", str(work)],
                        capture_output=True, text=True, check=True,
                    ).stdout  # fmt: skip
                    res = json.loads(out.strip().splitlines()[-1])
                    if method not in best or res["seconds"] < best[method]["seconds"]:
                        best[method] = res
            base = best["pandas-chunked"]["seconds"]
            for method, res in best.items():
                s = res["seconds"]
                rate, peak = res["rows"] / s, res["peak_mb"]
                print(f"{kind:<13}{method:<18}{mb:>8.1f}{s:>8.2f}{mb / s:>9.0f}"
                      f"{rate:>12,.0f}{peak:>9.0f}{base / s:>9.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
