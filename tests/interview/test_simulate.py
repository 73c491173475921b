"""The interactive evaluation: the simulator answers from annotations and the metrics hold."""

from __future__ import annotations

from pathlib import Path

from stridewise.interview.simulate import first_sentence, simulate_case
from stridewise.triage.evaluation import evaluate, load_vignettes

SAMPLE = Path(__file__).resolve().parents[2] / "evals" / "vignettes.jsonl"


def test_first_sentence() -> None:
    assert first_sentence("Heel hurts. Since Monday.") == "Heel hurts."
    assert first_sentence("no full stop") == "no full stop"


def test_simulated_interviews_recover_the_diagnosis() -> None:
    # Every fifth development vignette keeps this quick while covering all kinds of case.
    cases = load_vignettes(SAMPLE)[::5]
    metrics = evaluate(cases, simulate_case).metrics()
    assert metrics["top3"] >= 0.85
    assert metrics["top1"] >= 0.70
    assert metrics["questions_median"] <= 12
