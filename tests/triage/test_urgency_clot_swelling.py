"""Breathlessness or chest symptoms with a swollen leg is a possible pulmonary embolism and an
emergency (NICE NG158). Swelling counts for that where a deep-vein clot shows, the calf, shin,
ankle or whole leg; a swollen heel, toe or forefoot with breathlessness that has another cause
is not a clot pattern. Chest pain by itself stays an emergency whatever else is swollen."""

from __future__ import annotations

import pytest

from stridewise.engine import Engine
from stridewise.kb.models import TriageLevel
from stridewise.triage.schemas import AssessmentRequest

CLOT_PATTERN = [
    "My whole leg is swollen and I am short of breath.",
    "My calf is swollen and I'm breathless walking upstairs.",
    "Swollen outer ankle after rolling it last week, now I'm short of breath.",
    "Lower leg has puffed up and I keep coughing up blood.",
]
NOT_A_CLOT_PATTERN = [
    "The back of my heel is swollen where the Achilles attaches. "
    "I have asthma so I get breathless on hills.",
]
CHEST_PAIN = [
    "My big toe joint is swollen, red and hot, and I have chest pain.",
]


@pytest.mark.parametrize("text", CLOT_PATTERN)
def test_breathless_with_a_swollen_leg_or_ankle_is_an_emergency(engine: Engine, text: str) -> None:
    result = engine.assess(AssessmentRequest(text=text))
    assert result.triage.level == TriageLevel.emergency, result.triage.reasons


@pytest.mark.parametrize("text", NOT_A_CLOT_PATTERN)
def test_a_swollen_heel_with_breathlessness_explained_is_not_an_emergency(
    engine: Engine, text: str
) -> None:
    result = engine.assess(AssessmentRequest(text=text))
    assert result.triage.level < TriageLevel.emergency, result.triage.reasons


@pytest.mark.parametrize("text", CHEST_PAIN)
def test_chest_pain_stays_an_emergency(engine: Engine, text: str) -> None:
    result = engine.assess(AssessmentRequest(text=text))
    assert result.triage.level == TriageLevel.emergency, result.triage.reasons
