"""Accuracy on the vignette sets, against the targets of issue 2. Accuracy, not timing: each set
is evaluated once per session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stridewise.engine import Engine
from stridewise.triage.evaluation import evaluate, load_vignettes, one_shot

REPO = Path(__file__).resolve().parents[2]
OURS = REPO / "evals" / "vignettes.jsonl"
HOLDOUT = REPO / "evals" / "vignettes_holdout.jsonl"
# Written later by independent authors who never saw the lexicon (see evals/README.md).
FRESH = {
    "fresh": REPO / "evals" / "vignettes_fresh.jsonl",
    "fresh2": REPO / "evals" / "vignettes_fresh2.jsonl",
    "fresh3": REPO / "evals" / "vignettes_fresh3.jsonl",
    "fresh4": REPO / "evals" / "vignettes_fresh4.jsonl",
    "fresh5": REPO / "evals" / "vignettes_fresh5.jsonl",
}
# The project spec's sample, copied into the repository (see evals/README.md).
SAMPLE = REPO / "evals" / "vignettes_spec_sample.jsonl"

# Issue 2 targets, for our set and the shared sample.
TOP1 = 0.80
TOP3 = 0.95
TRIAGE_ACCEPTABLE = 0.90
# The holdout is never tuned on; assert what it achieves (92% / 97% / 99%) less a small margin.
HOLDOUT_FLOOR = {"top1": 0.88, "top3": 0.93, "triage_acceptable": 0.95}
# fresh3 after its misses were fixed (99% / 100% / 100%; first contact 94% / 98% / 89%), less a
# margin: these phrases are now in the corpus, so a drop means a regression, not a new voice.
# fresh4 likewise (first contact 92% / 99% / 97% with 3 under-triaged; after its fixes 100% / 100% /
# 100% with none). fresh5 likewise (first contact 85% / 97% / 90% with 5 under-triaged; after its
# fixes 95% / 98% / 97% with none).
FLOORS = {
    "fresh3": {"top1": 0.96, "top3": 0.98, "triage_acceptable": 0.98},
    "fresh4": {"top1": 0.97, "top3": 0.98, "triage_acceptable": 0.98},
    "fresh5": {"top1": 0.93, "top3": 0.97, "triage_acceptable": 0.95},
}


@pytest.fixture(scope="module")
def metrics(engine: Engine) -> dict[str, dict[str, Any]]:
    return {
        name: evaluate(load_vignettes(path), one_shot(engine)).metrics()
        for name, path in (("ours", OURS), ("holdout", HOLDOUT), ("sample", SAMPLE), *FRESH.items())
    }


def test_our_set_is_big_and_covers_every_condition(engine: Engine) -> None:
    vignettes = load_vignettes(OURS)
    assert len(vignettes) >= 150
    kb = engine.kb
    counts = {cid: sum(v.gold == cid for v in vignettes) for cid in kb.conditions}
    thin = {cid: n for cid, n in counts.items() if n < 3}
    assert not thin, f"conditions with fewer than 3 vignettes: {thin}"
    serious = [v for v in vignettes if v.triage.value in ("emergency", "urgent")]
    assert len(serious) >= 30
    for v in vignettes:
        assert v.gold in v.accept
        assert set(v.accept) <= set(kb.conditions), v.id
        assert v.triage in v.triage_accept, v.id


@pytest.mark.parametrize("name", ["ours", "sample"])
def test_targets(metrics: dict[str, dict[str, Any]], name: str) -> None:
    m = metrics[name]
    assert m["top1"] >= TOP1, m
    assert m["top3"] >= TOP3, m
    assert m["triage_acceptable"] >= TRIAGE_ACCEPTABLE, m


@pytest.mark.parametrize("name", ["holdout", *FRESH])
def test_held_out_sets_hold_their_level(metrics: dict[str, dict[str, Any]], name: str) -> None:
    m = metrics[name]
    for key, floor in FLOORS.get(name, HOLDOUT_FLOOR).items():
        assert m[key] >= floor, (key, m)


@pytest.mark.parametrize("name", ["ours", "holdout", "sample", *FRESH])
def test_no_emergency_or_urgent_case_is_under_triaged(
    metrics: dict[str, dict[str, Any]], name: str
) -> None:
    assert metrics[name]["under_triaged_emergency_or_urgent"] == []


@pytest.mark.parametrize("name", ["ours", "holdout", "sample", *FRESH])
def test_brier_score_is_reported_and_sane(metrics: dict[str, dict[str, Any]], name: str) -> None:
    assert 0.0 <= metrics[name]["brier"] < 0.5


# Issue 14's voices sets (phone, teenagers and parents, one-liners; non-native, older runners,
# rambles with a wrong self-diagnosis; fresh9 adds clinicians and ultra/trail runners; fresh10 mixes
# them all), one-shot, against the issue's goal column.
VOICES = {
    "fresh6": REPO / "evals" / "vignettes_fresh6.jsonl",
    "fresh7": REPO / "evals" / "vignettes_fresh7.jsonl",
    "fresh9": REPO / "evals" / "vignettes_fresh9.jsonl",
    # session 6: first contact 93% / 99% / 97%, none under-triaged; after its fixes 95% / 100% / 98%
    "fresh10": REPO / "evals" / "vignettes_fresh10.jsonl",
    # session 6, held out all session and never tuned on: 92.7% / 98.7% / 97.3%, self-care 78 -> 80
    "fresh11": REPO / "evals" / "vignettes_fresh11.jsonl",
    # session 7, first sentences that say little: first contact 92.0% / 98.7% / 94.0%, two
    # under-triaged (y027, y128); after its fixes 94.0% / 100% / 98.7%, none under-triaged
    "fresh13": REPO / "evals" / "vignettes_fresh13.jsonl",
}
VOICES_GOALS = {"top1": 0.85, "top3": 0.97, "triage_acceptable": 0.97, "self_care_kept": 0.70}


@pytest.mark.parametrize("name", sorted(VOICES))
def test_voices_sets_meet_the_issue_14_goals(engine: Engine, name: str) -> None:
    m = evaluate(load_vignettes(VOICES[name]), one_shot(engine)).metrics()
    assert m["under_triaged_emergency_or_urgent"] == [], m
    for key, goal in VOICES_GOALS.items():
        assert m[key] >= goal, (key, m)


def test_self_care_kept_counts_only_self_care_cases(engine: Engine) -> None:
    cases = load_vignettes(SAMPLE)
    assess = one_shot(engine)
    minor = [v for v in cases if v.triage.value == "self_care"]
    assert minor, "the spec sample has self-care cases"
    kept = sum(assess(v).result.triage.level.value == "self_care" for v in minor)
    # A serious case the engine called self-care (an under-triage) must not count as kept.
    m = evaluate(cases, assess).metrics()
    assert m["self_care_kept"] == kept / len(minor)
