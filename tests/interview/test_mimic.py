"""Before a self-care stop, the serious look-alikes a benign first sentence can hide (a clot
behind shin pain, a pinched nerve behind heel pain) are asked once; a place's parent is never
asked after the place."""

from __future__ import annotations

from stridewise.engine import Engine
from stridewise.interview.engine import MAX_QUESTIONS
from stridewise.triage.schemas import AssessmentRequest


def run(engine: Engine, text: str, yes: set[str]) -> tuple[list[str], str]:
    """The interview answering yes to ``yes``, "don't know" to other yes/no questions (the
    simulated runner's answer to what its story does not say) and to choices without a yes."""
    asked: list[str] = []
    answers: dict[str, str] = {}
    for _ in range(MAX_QUESTIONS + 3):
        step = engine.next_step(
            AssessmentRequest(text=text, age=35, sex="female", answers={}).model_copy(
                update={"answers": answers}
            )
        )
        if step.question is None:
            break
        q = step.question
        asked.append(q.id)
        if q.type == "yes_no":
            answers = engine.apply_answer(answers, q.id, "present" if q.id in yes else "unknown")
        else:
            picked = next((o.value for o in q.options if o.value in yes), "unknown")
            answers = engine.apply_answer(answers, q.id, picked)
    return asked, step.assessment.triage.level.value


HEEL = "My plantar fasciitis is playing up: left heel, worst with the first steps in the morning."


def test_a_short_self_care_interview_asks_about_back_pain(engine: Engine) -> None:
    asked, level = run(engine, HEEL, set())
    assert "back_pain" in asked and level == "self_care"


def test_back_pain_behind_heel_pain_leads_to_the_nerve_warning_signs(engine: Engine) -> None:
    asked, level = run(engine, HEEL, {"back_pain", "saddle_numbness"})
    assert asked.index("back_pain") < asked.index("saddle_numbness")
    assert level == "emergency"


def test_shin_pain_is_checked_for_a_swollen_calf_before_self_care(engine: Engine) -> None:
    text = "My shins ache along the inside edge after runs since I upped my mileage."
    asked, _ = run(engine, text, {"loc_shin"})
    assert "calf_swollen_one_side" in asked
    _, level = run(engine, text, {"loc_shin", "calf_swollen_one_side"})
    assert level in ("urgent", "emergency")


def test_a_places_parent_is_not_asked_after_the_place(engine: Engine) -> None:
    asked, _ = run(engine, "It hurts when I run.", {"loc_heel_bottom"})
    assert "choice:where" in asked and "loc_heel" not in asked
