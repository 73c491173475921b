"""The interactive evaluation: the simulator answers from annotations, and the issue-4 targets
hold on the full development and held-out sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from stridewise.engine import Engine
from stridewise.interview.simulate import answer_key, first_sentence, simulator
from stridewise.triage.evaluation import evaluate, load_vignettes

EVALS = Path(__file__).resolve().parents[2] / "evals"
SETS = {"ours": EVALS / "vignettes.jsonl", "holdout": EVALS / "vignettes_holdout.jsonl"}


def test_first_sentence() -> None:
    assert first_sentence("Heel hurts. Since Monday.") == "Heel hurts."
    assert first_sentence("no full stop") == "no full stop"


def test_answer_key_reads_annotations_as_a_runner_would(engine: Engine) -> None:
    annotations = {"trauma_pop": "present", "loc_heel_bottom": "present", "swelling": "absent"}
    key = answer_key(engine.kb, annotations)
    assert key["trauma_any"] == "present"  # a pop was an injury
    assert key["loc_heel"] == "present"  # under the heel is heel pain
    assert key["calf_swollen_one_side"] == "absent"  # no swelling at all
    assert answer_key(engine.kb, {"trauma_any": "absent"})["trauma_twist"] == "absent"


def test_a_case_without_annotations_answers_from_its_story(engine: Engine) -> None:
    # The spec sample has no findings: its simulated runner answers what the whole text says,
    # so a swollen calf after childbirth (s005) is found, not lost behind the first sentence.
    metrics = evaluate(load_vignettes(EVALS / "vignettes_spec_sample.jsonl"), simulator(engine))
    assert metrics.metrics()["under_triaged_emergency_or_urgent"] == []
    assert metrics.metrics()["top3"] == 1.0


@pytest.mark.parametrize("name", sorted(SETS))
def test_interview_targets(engine: Engine, name: str) -> None:
    metrics = evaluate(load_vignettes(SETS[name]), simulator(engine)).metrics()
    assert metrics["under_triaged_emergency_or_urgent"] == [], metrics
    # 0.95 until session 5: two development cases whose every follow-up is "don't know" in the
    # simulation (v017, v192) ended outside the top three by a different question order, while
    # the fixes of that session removed 13 emergency/urgent under-triages across the blind sets.
    # Session 6 (top-3 stop, flattened gain, where offers every place): 96.3% on ours; the
    # holdout is 95.1% (three "don't know"-only cases reordered out, one reordered in).
    assert metrics["top3"] >= (0.96 if name == "ours" else 0.95), metrics
    assert metrics["top1"] >= 0.85, metrics
    # The goal is a median of 8 and a p90 of 12 (issue 14). Median 9 until session 6, when the
    # interview stops once the top three hold 95% (their own warning rules checked first).
    assert metrics["questions_median"] <= 8, metrics
    # p90 13 until session 6: late in the interview an injury alone no longer reopens every
    # injury warning rule (12 on both sets, no triage or top-3 change on any set).
    assert metrics["questions_p90"] <= 12, metrics
