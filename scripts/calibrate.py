"""Fit the model's tempering (alpha) and temperature (T) on our development vignettes.

Chooses the pair with the lowest Brier score among those that keep zero under-triaged
emergency/urgent cases, then writes src/stridewise/triage/data/calibration.json and the measured
figures to src/stridewise/triage/data/metrics.json (shown on the About page).
Run: .venv/bin/python scripts/calibrate.py
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from stridewise.kb.loader import get_kb
from stridewise.triage.engine import Analysis
from stridewise.triage.evaluation import CaseResult, Report, evaluate, load_vignettes
from stridewise.triage.model import Calibration, DifferentialModel
from stridewise.triage.schemas import AssessmentRequest

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
    "spec_sample": ROOT.parent / "shared" / "spec" / "vignettes_sample.jsonl",
}


def run(path: Path, model: DifferentialModel) -> Report:
    kb = get_kb()

    def one(v):  # type: ignore[no-untyped-def]
        req = AssessmentRequest(text=v.text, age=v.age, sex=v.sex)
        return CaseResult(v, Analysis(kb, model, req).result())

    return evaluate(load_vignettes(path), one)


def main() -> None:
    kb = get_kb()
    best: tuple[float, float, float, dict] | None = None  # type: ignore[type-arg]
    for alpha in (0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        for temp in (1.0, 1.25, 1.5, 2.0, 2.5, 3.0):
            m = run(DEV, DifferentialModel(kb, Calibration(alpha, temp))).metrics()
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
    alpha, temp = best[0], best[1]
    (DATA / "calibration.json").write_text(
        json.dumps(
            {
                "alpha": alpha,
                "temperature": temp,
                "fitted_on": DEV.name,
                "criterion": "lowest Brier score with zero under-triaged emergency/urgent cases",
            },
            indent=2,
        )
        + "\n"
    )
    model = DifferentialModel(kb, Calibration(alpha, temp))
    metrics = {"measured": date.today().isoformat(), "kb_version": kb.version, "sets": {}}
    for name, path in SETS.items():
        if path.exists():
            m = run(path, model).metrics()
            metrics["sets"][name] = {
                k: m[k]
                for k in ("cases", "top1", "top3", "triage_exact", "triage_acceptable", "brier")
            } | {"under_triaged_emergency_or_urgent": len(m["under_triaged_emergency_or_urgent"])}
    (DATA / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
