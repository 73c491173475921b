"""The crush red flags (kb/data/red_flags.yaml): a crushed foot, or a crush that reaches beyond
the lesser toes, goes to urgent care the same day (Lisfranc guidance); a crushed lesser toe that
is straight, with pain short of severe, is the NHS "Broken toe" case and is cared for at home or
by a clinician in the coming days."""

from __future__ import annotations

import pytest

from stridewise.engine import Engine
from stridewise.kb.models import TriageLevel
from stridewise.triage.schemas import AssessmentRequest

CRUSH_FLAGS = {"crush_injury_foot", "crush_injury_foot_beyond_toes", "crush_injury_toe_severe_pain"}

URGENT = [
    "a car ran over my foot yesterday, it's swollen and bruised",
    "dropped a kettlebell on my foot, the top of my foot and toes are swollen",
    "dropped a dumbbell on my big toe, it's swollen and hurts to walk on",
    "a weight fell on my foot at the gym and the arch is bruised, I am limping",
]
LESSER_TOE = [
    "dropped a dumbbell on my second toe, it's swollen and throbbing",
    "my little toe got stood on by a horse, purple and puffy but straight, I can walk fine",
    "a bike wheel ran over her toes, they are bruised and sore but look straight and she walks",
]


def _flags(engine: Engine, text: str) -> tuple[TriageLevel, set[str]]:
    result = engine.assess(AssessmentRequest(text=text))
    return result.triage.level, set(result.triage.red_flags)


@pytest.mark.parametrize("text", URGENT)
def test_a_crushed_foot_is_seen_today(engine: Engine, text: str) -> None:
    level, flags = _flags(engine, text)
    assert level >= TriageLevel.urgent
    assert flags & CRUSH_FLAGS


@pytest.mark.parametrize("text", LESSER_TOE)
def test_a_straight_crushed_lesser_toe_is_no_red_flag(engine: Engine, text: str) -> None:
    level, flags = _flags(engine, text)
    assert level <= TriageLevel.consult
    assert not flags & CRUSH_FLAGS
