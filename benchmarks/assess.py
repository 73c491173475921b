"""Assessment and interview speed, in process, on one core.

Prints: knowledge-base + model load time, assessments per second, p50/p99 latency after
warm-up, and p50/p99 of one interview step (``next_step``), over the vignette texts.
Targets (issue 2 and 4): >= 1,000 assessments/s, p99 <= 10 ms, load <= 1 s, step < 20 ms.
Run: .venv/bin/python benchmarks/assess.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_time() -> float:
    """Cold load in a fresh interpreter: import, KB validation, lexicon and model tables."""
    code = (
        "import time; t=time.perf_counter(); import stridewise; "
        "stridewise.Engine.load(); print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})  # one core, as the target says

    loads = [_load_time() for _ in range(3)]
    from stridewise.engine import Engine
    from stridewise.triage.schemas import AssessmentRequest

    engine = Engine.load()

    texts = []
    for name in ("vignettes.jsonl", "vignettes_holdout.jsonl"):
        for line in (ROOT / "evals" / name).read_text().splitlines():
            v = json.loads(line)
            texts.append(AssessmentRequest(text=v["text"], age=v.get("age"), sex=v.get("sex")))
    for req in texts[:50]:
        engine.assess(req)  # warm-up

    lat: list[float] = []
    start = time.perf_counter()
    for _ in range(args.rounds):
        for req in texts:
            t = time.perf_counter()
            engine.assess(req)
            lat.append(time.perf_counter() - t)
    wall = time.perf_counter() - start

    steps: list[float] = []
    for req in texts[:120]:
        t = time.perf_counter()
        engine.next_step(req)
        steps.append(time.perf_counter() - t)

    n = len(lat)
    print(
        f"model load (cold, fresh process): median {statistics.median(loads) * 1000:.0f} ms"
        f"  (target <= 1000 ms; ratio {statistics.median(loads) / 1.0:.2f} of budget)"
    )
    print(
        f"assessments: {n} in {wall:.2f} s = {n / wall:,.0f}/s on one core"
        f"  (target >= 1,000/s; {n / wall / 1000:.2f}x target)"
    )
    print(
        f"assessment latency: p50 {_pct(lat, 0.5) * 1000:.2f} ms, "
        f"p99 {_pct(lat, 0.99) * 1000:.2f} ms  (target p99 <= 10 ms)"
    )
    print(
        f"interview step (/interview/next work): p50 {_pct(steps, 0.5) * 1000:.1f} ms, "
        f"p99 {_pct(steps, 0.99) * 1000:.1f} ms  (target < 20 ms)"
    )


if __name__ == "__main__":
    main()
