"""The trigger index finds exactly the literals a substring scan would, and so the same findings."""

from __future__ import annotations

import json
from pathlib import Path

from stridewise.engine import Engine
from stridewise.text.triggers import TriggerIndex, may_match

EVALS = Path(__file__).resolve().parents[2] / "evals"


def test_present_equals_a_substring_scan(engine: Engine) -> None:
    index = engine.text.triggers
    literals = set(index.findings_of)
    texts = [
        json.loads(line)["text"].lower()
        for path in sorted(EVALS.glob("vignettes*.jsonl"))
        for line in path.read_text().splitlines()
    ]
    for text in texts[:400]:
        assert index.present(text) == {lit for lit in literals if lit in text}


def test_candidates_include_every_finding_that_can_match(engine: Engine) -> None:
    index = engine.text.triggers
    text = "stabbing pain under my heel first thing in the morning, no swelling"
    present = index.present(text)
    candidates = index.candidates(present)
    for fid, p in engine.text.lexicon.items():
        if may_match(p.present_triggers, present) and p.present is not None:
            assert fid in candidates
        if may_match(p.absent_triggers, present) and p.absent is not None:
            assert fid in candidates


def test_an_empty_lexicon_has_an_empty_index() -> None:
    index = TriggerIndex.of({})
    assert index.present("anything") == frozenset()
    assert index.candidates(frozenset()) == set()
