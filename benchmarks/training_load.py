"""Benchmark: a generated five-year Strava-style export (~1,500 activities, GPX/FIT mix, zipped,
activity files .gz as Strava ships them) read, summarised and searched for patterns.

Prints seconds, activities/s and peak RSS, against a baseline in the same run: only opening
the zip and decompressing every entry (no parsing). Run:

    .venv/bin/python benchmarks/training_load.py [--weeks 260] [--workers 2]
"""

from __future__ import annotations

import argparse
import gzip
import io
import resource
import time
import zipfile
from datetime import UTC, datetime

from stridewise.engine import default_engine
from stridewise.training.intake import Upload
from stridewise.training.report import build_report
from stridewise.training.synthetic import history, strava_export


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def baseline(data: bytes) -> int:
    """Open the zip and inflate every entry (and the .gz inside): the floor under parsing."""
    total = 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            raw = zf.read(info)
            total += len(gzip.decompress(raw) if info.filename.endswith(".gz") else raw)
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--weeks", type=int, default=260)
    ap.add_argument("--runs-per-week", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--step", type=float, default=10.0, help="seconds between track points")
    args = ap.parse_args()
    runs = history(
        weeks=args.weeks, end=datetime(2026, 11, 30, tzinfo=UTC), runs_per_week=args.runs_per_week
    )
    data = strava_export(runs, step_s=args.step)
    print(
        f"export: {len(runs):,} activities, a point every {args.step:g} s, "
        f"{len(data) / 1e6:.1f} MB zipped"
    )
    t0 = time.perf_counter()
    inflated = baseline(data)
    base_s = time.perf_counter() - t0
    print(f"baseline (zip + gzip inflate only): {base_s:.2f} s, {inflated / 1e6:.0f} MB inflated")
    t0 = time.perf_counter()
    engine = default_engine()
    report, _ = build_report(
        [Upload("export.zip", data)], engine.kb, engine.training, workers=args.workers
    )
    read_s = time.perf_counter() - t0
    n = report.summary.activities
    print(
        f"read + summarise + patterns ({args.workers} workers): {read_s:.2f} s, "
        f"{n / read_s:,.0f} activities/s, {read_s / base_s:.1f}x the baseline"
    )
    print(f"activities read: {n:,}; patterns: {[p.id for p in report.patterns]}")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
