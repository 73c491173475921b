"""The interview engine: order of questions, stop rules, red-flag screening, stable ids."""

from __future__ import annotations

import pytest

from stridewise.interview import InterviewError, apply_answer, next_step
from stridewise.interview.bank import get_bank
from stridewise.interview.engine import MAX_QUESTIONS
from stridewise.kb.models import TriageLevel
from stridewise.triage.schemas import AssessmentRequest


def req(
    text: str, age: int | None = 35, sex: str | None = "female", **answers: str
) -> AssessmentRequest:
    return AssessmentRequest(text=text, age=age, sex=sex, answers=answers)  # type: ignore[arg-type]


def test_age_then_sex_are_asked_first_when_unknown() -> None:
    step = next_step(req("my heel hurts", age=None, sex=None))
    assert step.question is not None and step.question.id == "age"
    step = next_step(req("my heel hurts", age=40, sex=None))
    assert step.question is not None and step.question.id == "sex"


def test_declined_demographics_are_not_asked_again() -> None:
    declined = AssessmentRequest(text="my heel hurts", answers={"age": "unknown", "sex": "unknown"})
    step = next_step(declined)
    assert step.question is None or step.question.id not in ("age", "sex")


def test_emergency_ends_the_interview_at_once() -> None:
    step = next_step(req("my calf is swollen and hot and I am short of breath with chest pain"))
    assert step.should_stop and step.stop_reason == "emergency"
    assert step.question is None
    assert step.assessment.triage.level == TriageLevel.emergency


def test_an_injury_screens_the_ottawa_red_flags_first() -> None:
    step = next_step(req("I rolled my ankle on a trail this morning and it's swollen"))
    assert step.question is not None
    assert step.question.id in {
        "cannot_bear_weight",
        "ottawa_ankle_bone",
        "deformity",
        "ottawa_foot_bone",
    }
    assert "warning sign" in step.question.why


def test_answering_the_red_flag_yes_escalates() -> None:
    text = "I rolled my ankle on a trail this morning and it's swollen"
    step = next_step(req(text, cannot_bear_weight="present"))
    assert step.assessment.triage.level >= TriageLevel.urgent


def test_every_question_has_a_why_and_options() -> None:
    step = next_step(req("sore foot after running"))
    q = step.question
    assert q is not None and q.why and q.text
    assert q.options, "a runner needs something to choose"


def test_unknown_question_id_is_an_error() -> None:
    with pytest.raises(InterviewError):
        next_step(req("sore heel", not_a_finding="present"))
    with pytest.raises(InterviewError):
        apply_answer({}, "not_a_question", "present")


def test_single_choice_answer_sets_the_chosen_finding() -> None:
    answers = apply_answer({}, "choice:where", "loc_heel_bottom")
    assert answers == {"loc_heel_bottom": "present"}
    answers = apply_answer({}, "choice:onset", "unknown")
    assert set(answers) == set(get_bank().questions["choice:onset"].findings)
    with pytest.raises(InterviewError):
        apply_answer({}, "choice:where", "loc_calf_bogus")


def test_the_interview_always_stops_within_the_cap() -> None:
    answers: dict[str, str] = {}
    r = req("it hurts")
    for _ in range(MAX_QUESTIONS + 3):
        step = next_step(r.model_copy(update={"answers": answers}))
        if step.should_stop:
            break
        assert step.question is not None
        answers = apply_answer(answers, step.question.id, "unknown")
    assert step.should_stop
    assert step.asked <= MAX_QUESTIONS


def test_a_clear_story_stops_early_and_confident() -> None:
    text = (
        "Stabbing pain under my left heel with the first steps every morning for 6 weeks, "
        "eases once I walk around. No injury, no swelling, squeezing the heel doesn't hurt."
    )
    answers: dict[str, str] = {}
    for _ in range(MAX_QUESTIONS):
        step = next_step(req(text, age=48).model_copy(update={"answers": answers}))
        if step.should_stop:
            break
        assert step.question is not None
        answers = apply_answer(
            answers, step.question.id, "absent" if step.question.type == "yes_no" else "unknown"
        )
    assert step.should_stop
    assert step.asked <= 8
    assert step.assessment.conditions[0].id == "plantar_fasciitis"
