"""Fit the model's tempering (alpha) and temperature (T) on our development vignettes.

Chooses the pair with the lowest Brier score among those that keep zero under-triaged
emergency/urgent cases, then writes the calibration (with the condition ids it was fitted on)
and the measured figures to triage/data/metrics.json (shown on the About page).

Run: .venv/bin/python scripts/calibrate.py            (the packaged knowledge)
     .venv/bin/python scripts/calibrate.py --kb DIR   (a copy: writes DIR/calibration.json only)
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from stridewise.engine import CALIBRATION_FILE, Engine
from stridewise.triage.evaluation import Report, evaluate, load_vignettes, one_shot
from stridewise.triage.model import Calibration

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "stridewise" / "triage" / "data"
DEV = ROOT / "evals" / "vignettes.jsonl"
SETS = {
    "development": DEV,
    "holdout": ROOT / "evals" / "vignettes_holdout.jsonl",
    "fresh": ROOT / "evals" / "vignettes_fresh.jsonl",
    "fresh2": ROOT / "evals" / "vignettes_fresh2.jsonl",
    "fresh3": ROOT / "evals" / "vignettes_fresh3.jsonl",
    "fresh4": ROOT / "evals" / "vignettes_fresh4.jsonl",
    "fresh5": ROOT / "evals" / "vignettes_fresh5.jsonl",
    "spec_sample": ROOT / "evals" / "vignettes_spec_sample.jsonl",
}
CRITERION = "lowest Brier score with zero under-triaged emergency/urgent cases"


def run(path: Path, engine: Engine) -> Report:
    return evaluate(load_vignettes(path), one_shot(engine))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kb", type=Path, default=None, help="a knowledge directory to calibrate")
    args = ap.parse_args()
    conditions: tuple[str, ...] = ()
    best: tuple[float, float, float, dict[str, Any]] | None = None
    for alpha in (0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        for temp in (1.0, 1.25, 1.5, 2.0, 2.5, 3.0):
            # An explicit calibration: the one on disk may predate a condition just added.
            engine = Engine.load(args.kb, calibration=Calibration(alpha=alpha, temperature=temp))
            conditions = tuple(sorted(engine.kb.conditions))
            m = run(DEV, engine).metrics()
            print(
                f"alpha={alpha} T={temp} brier={m['brier']:.3f} top1={m['top1']:.3f} "
                f"triage={m['triage_acceptable']:.3f} "
                f"under={len(m['under_triaged_emergency_or_urgent'])}"
            )
            if m["under_triaged_emergency_or_urgent"]:
                continue
            if best is None or m["brier"] < best[2]:
                best = (alpha, temp, m["brier"], m)
    assert best, "no calibration keeps zero under-triage"
    calibration = Calibration(
        alpha=best[0],
        temperature=best[1],
        conditions=conditions,
        fitted_on=DEV.name,
        criterion=CRITERION,
    )
    out = (args.kb / CALIBRATION_FILE) if args.kb else (DATA / "calibration.json")
    out.write_text(json.dumps(calibration.to_json(), indent=2) + "\n")
    print(f"wrote {out}")
    if args.kb:
        return  # the About page's figures describe the packaged knowledge only
    engine = Engine.load(calibration=calibration)
    metrics: dict[str, Any] = {
        "measured": date.today().isoformat(),
        "kb_version": engine.kb.version,
        "sets": {},
    }
    for name, path in SETS.items():
        if path.exists():
            m = run(path, engine).metrics()
            metrics["sets"][name] = {
                k: m[k]
                for k in ("cases", "top1", "top3", "triage_exact", "triage_acceptable", "brier")
            } | {"under_triaged_emergency_or_urgent": len(m["under_triaged_emergency_or_urgent"])}
    (DATA / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
