"""Calmer triage of minor problems without loss of safety (issue 14). A single toe out of line
after a stub goes to urgent care the same day, as NHS "Broken toe" advises; a foot, ankle or leg
out of shape stays an emergency. A straight broken lesser toe is cared for at home. Months of a
problem whose usual course is months (plantar fasciitis, a bunion) is no warning sign by itself;
self-care that has not helped, or diabetes, still sends the runner to a clinician."""

from __future__ import annotations

import pytest

from stridewise.engine import Engine
from stridewise.kb.models import TriageLevel
from stridewise.triage.schemas import AssessmentRequest

TOE_OUT_OF_LINE = [
    "Stubbed my little toe last night and now it is bent sideways. Swollen, purple.",
    "Kicked a kerb on my run, my fourth toe is pointing at an odd angle and it's swollen.",
]
FOOT_OR_ANKLE_OUT_OF_SHAPE = [
    "Fell on the ice, my ankle is bent the wrong way and my toes are numb.",
    "Twisted it coming down the hill, the ankle looks out of shape and my big toe feels cold.",
    "Got my foot crushed under a gate, the middle of the foot is out of shape and a toe is bent.",
]
STRAIGHT_LESSER_TOE = [
    "Stubbed my little toe on the door frame, it's purple and swollen but straight and I can walk.",
]


@pytest.mark.parametrize("text", TOE_OUT_OF_LINE)
def test_a_toe_out_of_line_is_urgent_not_an_emergency(engine: Engine, text: str) -> None:
    result = engine.assess(AssessmentRequest(text=text))
    assert result.triage.level == TriageLevel.urgent, result.triage.reasons


@pytest.mark.parametrize("text", FOOT_OR_ANKLE_OUT_OF_SHAPE)
def test_a_foot_or_ankle_out_of_shape_stays_an_emergency(engine: Engine, text: str) -> None:
    result = engine.assess(AssessmentRequest(text=text))
    assert result.triage.level == TriageLevel.emergency, result.triage.reasons


@pytest.mark.parametrize("text", STRAIGHT_LESSER_TOE)
def test_a_straight_stubbed_lesser_toe_is_self_care(engine: Engine, text: str) -> None:
    result = engine.assess(AssessmentRequest(text=text))
    assert result.triage.level == TriageLevel.self_care, result.triage.reasons


def test_a_recently_injured_big_toe_is_seen_today(engine: Engine) -> None:
    text = "Stubbed my big toe hard on a rock this morning, it's swollen and sore to push off."
    result = engine.assess(AssessmentRequest(text=text))
    assert result.triage.level == TriageLevel.urgent, result.triage.reasons


HEEL = (
    "For four months the inside of my heel has hurt underneath, worst with the first steps out "
    "of bed in the morning and after sitting, then it eases once I'm walking. No injury, no "
    "tingling, and the heel pad itself feels fine."
)


def test_months_of_a_long_course_problem_alone_stay_self_care(engine: Engine) -> None:
    result = engine.assess(AssessmentRequest(text=HEEL, age=45))
    assert result.triage.level == TriageLevel.self_care, result.triage.reasons


@pytest.mark.parametrize(
    "extra",
    [" Stretching and new insoles haven't helped.", " I have type 2 diabetes."],
)
def test_failed_self_care_or_diabetes_still_see_a_clinician(engine: Engine, extra: str) -> None:
    result = engine.assess(AssessmentRequest(text=HEEL + extra, age=45))
    assert result.triage.level >= TriageLevel.consult, result.triage.reasons
