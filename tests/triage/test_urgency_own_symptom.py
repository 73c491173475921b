"""An emergency by probability needs one of the condition's own symptoms (issue 14: a red flag
fires only when its pattern is really present). Risk factors, age and place alone never make a
minor problem an emergency; the symptom itself still does, at once."""

from __future__ import annotations

import pytest

from stridewise.engine import Engine
from stridewise.kb.models import TriageLevel
from stridewise.triage.schemas import AssessmentRequest

# First sentences that say who the runner is, not what is wrong.
WHO_NOT_WHAT = [
    ("I'm 62, run with a masters group, on a statin and blood pressure tablets.", 62),
    ("I'm 69 and on apixaban for atrial fibrillation.", 69),
    ("71, ex-smoker, had a stent in 2019, still jog three times a week.", 71),
]
# The same people with the pattern present: an emergency, whatever else.
PATTERN_PRESENT = [
    ("I'm 69 and on apixaban for atrial fibrillation. An hour ago my left foot went suddenly "
     "cold, white and numb and it hurts like nothing before.", 69),
    ("I'm 62, on a statin. My right foot suddenly went pale and cold this morning and I can't "
     "feel my toes properly.", 62),
]  # fmt: skip


@pytest.mark.parametrize(("text", "age"), WHO_NOT_WHAT)
def test_risk_factors_alone_are_not_an_emergency(engine: Engine, text: str, age: int) -> None:
    result = engine.assess(AssessmentRequest(text=text, age=age))
    assert result.triage.level < TriageLevel.emergency, result.triage.reasons


@pytest.mark.parametrize(("text", "age"), PATTERN_PRESENT)
def test_the_pattern_itself_is_an_emergency(engine: Engine, text: str, age: int) -> None:
    result = engine.assess(AssessmentRequest(text=text, age=age))
    assert result.triage.level == TriageLevel.emergency, result.triage.reasons


def test_an_unanswered_warning_question_does_not_end_the_interview_at_emergency(
    engine: Engine,
) -> None:
    # "Don't know" to a cold, pale foot is not a cold, pale foot: the interview goes on asking.
    request = AssessmentRequest(text=WHO_NOT_WHAT[0][0], age=62)
    answers: dict[str, str] = {}
    for question in ("foot_cold_pale", "pulse_weak"):
        answers = engine.apply_answer(answers, question, "unknown")
    step = engine.next_step(request.model_copy(update={"answers": answers}))
    assert step.assessment.triage.level < TriageLevel.emergency
    assert not step.should_stop
