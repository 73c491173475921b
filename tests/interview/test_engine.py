"""The interview engine: order of questions, stop rules, red-flag screening, stable ids."""

from __future__ import annotations

import pytest

from stridewise.engine import Engine
from stridewise.interview import InterviewError
from stridewise.interview.engine import MAX_QUESTIONS
from stridewise.kb.models import TriageLevel
from stridewise.triage.schemas import AssessmentRequest


def req(
    text: str, age: int | None = 35, sex: str | None = "female", **answers: str
) -> AssessmentRequest:
    return AssessmentRequest(text=text, age=age, sex=sex, answers=answers)  # type: ignore[arg-type]


def test_age_then_sex_are_asked_first_when_unknown(engine: Engine) -> None:
    step = engine.next_step(req("my heel hurts", age=None, sex=None))
    assert step.question is not None and step.question.id == "age"
    step = engine.next_step(req("my heel hurts", age=40, sex=None))
    assert step.question is not None and step.question.id == "sex"


def test_declined_demographics_are_not_asked_again(engine: Engine) -> None:
    declined = AssessmentRequest(text="my heel hurts", answers={"age": "unknown", "sex": "unknown"})
    step = engine.next_step(declined)
    assert step.question is None or step.question.id not in ("age", "sex")


def test_emergency_ends_the_interview_at_once(engine: Engine) -> None:
    step = engine.next_step(
        req("my calf is swollen and hot and I am short of breath with chest pain")
    )
    assert step.should_stop and step.stop_reason == "emergency"
    assert step.question is None
    assert step.assessment.triage.level == TriageLevel.emergency


def test_an_injury_screens_the_ottawa_red_flags_first(engine: Engine) -> None:
    step = engine.next_step(req("I rolled my ankle on a trail this morning and it's swollen"))
    assert step.question is not None
    assert step.question.id in {
        "cannot_bear_weight",
        "ottawa_ankle_bone",
        "deformity",
        "ottawa_foot_bone",
    }
    kb = engine.bank.kb
    safety_whys = {sq.why for sq in kb.safety_questions}
    assert "warning sign" in step.question.why or step.question.why in safety_whys


def test_leg_pain_gets_the_safety_questions_first(engine: Engine) -> None:
    step = engine.next_step(req("my shin has been hurting on runs"))
    assert step.question is not None and step.question.id == "cannot_bear_weight"
    step = engine.next_step(req("my shin has been hurting on runs", cannot_bear_weight="absent"))
    # whether an injury started it decides which warning signs apply (the Ottawa rules)
    assert step.question is not None and step.question.id == "trauma_any"
    step = engine.next_step(
        req("my shin has been hurting on runs", cannot_bear_weight="absent", trauma_any="absent")
    )
    assert step.question is not None and step.question.id == "pain_severe"
    assert "leg pain" in step.question.why


def test_where_it_hurts_is_asked_before_screening_when_the_words_do_not_say(
    engine: Engine,
) -> None:
    step = engine.next_step(req("Bit of a long one, sorry.", cannot_bear_weight="absent"))
    assert step.question is not None and step.question.id == "choice:where"
    # once the place is known the interview goes on to the warning signs for it
    step = engine.next_step(
        req("Bit of a long one, sorry.", cannot_bear_weight="absent", loc_calf="present")
    )
    assert step.question is not None and step.question.id != "choice:where"


def test_injury_follow_ups_are_asked_only_after_an_injury(engine: Engine) -> None:
    follow_ups = {"trauma_crush", "trauma_pointed_foot", "sole_bruising", "ache_before_injury"}
    answers = {"cannot_bear_weight": "absent", "trauma_any": "absent"}
    for _ in range(MAX_QUESTIONS):
        step = engine.next_step(req("the top of my foot aches on long runs", **answers))
        if step.question is None:
            break
        assert step.question.id not in follow_ups
        answers[step.question.id] = "unknown"


def test_a_blisters_spreading_redness_is_checked_before_stopping(engine: Engine) -> None:
    text = "a blister on the back of my heel from my new trainers after the race"
    answers = {"cannot_bear_weight": "absent", "trauma_any": "absent"}
    asked = []
    for _ in range(MAX_QUESTIONS):
        step = engine.next_step(req(text, **answers))
        if step.question is None:
            break
        asked.append(step.question.id)
        answers[step.question.id] = "absent" if step.question.type == "yes_no" else "unknown"
    assert {"red_spreading", "fever"} & set(asked)


def run(engine: Engine, text: str, yes: set[str], age: int | None = 35) -> tuple[list[str], str]:
    """Run the interview answering yes to ``yes``, no to other yes/no questions and "not sure"
    to choices; the questions asked and the final level."""
    asked: list[str] = []
    answers: dict[str, str] = {}
    for _ in range(MAX_QUESTIONS + 3):
        step = engine.next_step(req(text, age=age, **answers))
        if step.question is None:
            break
        q = step.question
        asked.append(q.id)
        if q.type == "yes_no":
            answers[q.id] = "present" if q.id in yes else "absent"
        else:
            picked = next((o.value for o in q.options if o.value in yes), "unknown")
            answers = engine.apply_answer(answers, q.id, picked)
    return asked, step.assessment.triage.level.value


def test_safety_questions_stop_once_the_level_is_urgent(engine: Engine) -> None:
    text = "my calf is swollen and bigger than the other one"
    step = engine.next_step(req(text))
    assert step.assessment.triage.level >= TriageLevel.urgent
    assert step.question is None or step.question.id != "cannot_bear_weight"


def test_a_swollen_calf_is_still_asked_about_severe_pain(engine: Engine) -> None:
    # Urgent already (a possible clot), but severe pain with pain on moving the toes is
    # compartment syndrome, an emergency: the emergency safety questions go on.
    text = "my calf is swollen and bigger than the other one"
    asked, level = run(engine, text, set())
    assert "pain_severe" in asked and level == "urgent"
    asked, level = run(engine, text, {"pain_severe", "pain_toe_stretch"})
    assert "pain_toe_stretch" in asked and level == "emergency"


def test_a_smoker_is_asked_about_a_cold_pale_foot(engine: Engine) -> None:
    asked, level = run(
        engine, "I smoke and my calves ache on uphill walks", {"foot_cold_pale"}, age=59
    )
    assert "foot_cold_pale" in asked and level == "emergency"


def test_exertional_calf_pain_in_an_older_runner_is_checked_for_a_blocked_artery(
    engine: Engine,
) -> None:
    text = (
        "For months my calf has cramped after a few minutes of running and eased within a "
        "couple of minutes of stopping"
    )
    older, level = run(engine, text, {"foot_cold_pale"}, age=62)
    assert "foot_cold_pale" in older and level == "emergency"
    younger, _ = run(engine, text, set(), age=24)
    assert "foot_cold_pale" not in younger


def test_the_leaders_own_urgent_rule_is_finished_with_two_answers(engine: Engine) -> None:
    # A likely navicular stress fracture: whether the bone is tender and whether it hurts to
    # walk on together make it urgent, so both are asked before stopping.
    text = (
        "I'm an 800m runner with a vague deep ache on top of my foot, in the middle towards "
        "the inside"
    )
    yes = {"loc_inner_midfoot", "loc_midfoot", "bone_tender", "pain_weight_bearing", "pain_hop"}
    asked, level = run(engine, text, yes, age=20)
    assert {"bone_tender"} <= set(asked) and level == "urgent"


def test_two_dont_knows_leave_the_leaders_third_option_worth_asking(engine: Engine) -> None:
    # The runner cannot say whether walking or hopping hurts, but does limp: the navicular's
    # urgent rule still has that option, and a third try finds it (fresh5 n033).
    text = (
        "I'm an 800m runner with a vague deep ache on top of my foot, in the middle towards "
        "the inside"
    )
    yes = {"loc_inner_midfoot", "loc_midfoot", "bone_tender", "limping"}
    unsure = {"pain_weight_bearing", "pain_hop", "pain_at_rest", "pain_at_night"}
    answers: dict[str, str] = {}
    for _ in range(MAX_QUESTIONS + 3):
        step = engine.next_step(req(text, age=20, **answers))
        if step.question is None:
            break
        q = step.question
        if q.type == "yes_no":
            answers[q.id] = "present" if q.id in yes else "unknown" if q.id in unsure else "absent"
        else:
            picked = next((o.value for o in q.options if o.value in yes), "unknown")
            answers = engine.apply_answer(answers, q.id, picked)
    assert answers.get("limping") == "present"
    assert step.assessment.triage.level == TriageLevel.urgent


def test_late_in_the_interview_an_injury_alone_reopens_no_warning_rule(engine: Engine) -> None:
    # The Ottawa signs are denied and every other warning sign is "not sure". Past question 12,
    # only patterns already half-shown by a sign are finished; how it began (a twist) no longer
    # reopens every injury rule (this ran to question 14 before).
    text = "twisted my ankle at netball, puffy on the outside"
    no = {"deformity", "ottawa_ankle_bone", "ottawa_foot_bone", "cannot_bear_weight"}
    answers: dict[str, str] = {}
    for _ in range(MAX_QUESTIONS + 3):
        step = engine.next_step(req(text, **answers))
        if step.question is None:
            break
        q = step.question
        if q.type == "yes_no":
            answers[q.id] = "absent" if q.id in no else "unknown"
        else:
            answers = engine.apply_answer(answers, q.id, "unknown")
    assert step.asked <= 13, answers
    assert step.assessment.triage.level <= TriageLevel.consult


def test_a_wound_is_checked_for_infection(engine: Engine) -> None:
    text = "Three days ago a nail went straight through the sole of my shoe into my foot"
    asked, level = run(engine, text, {"warmth", "redness", "swelling", "pus"})
    assert {"warmth", "redness"} & set(asked) and level in ("urgent", "emergency")


def test_after_a_stubbed_toe_the_warning_signs_stop_at_the_budget(engine: Engine) -> None:
    # An injury half-meets every injury rule; past the screening budget only those that clear
    # the usual bar are still asked, so a stubbed toe does not run to the question cap.
    asked, _ = run(engine, "I stubbed my toe hard on a sunbed leg two days ago", {"loc_toes"})
    # 12, plus at most the one bone-tenderness check before a self-care stop (bone_check).
    assert len(asked) <= 13


def test_half_a_warning_pattern_is_finished_even_when_unlikely(engine: Engine) -> None:
    # After an ankle roll, tenderness at the base of the fifth metatarsal is remote for a sprain
    # but would make it urgent: it is asked before the interview stops.
    answers = {"cannot_bear_weight": "absent", "deformity": "absent", "ottawa_ankle_bone": "absent"}
    asked = []
    for _ in range(8):
        step = engine.next_step(
            req("Rolled my ankle on a trail, the ankle bones aren't sore", **answers)
        )
        if step.question is None:
            break
        asked.append(step.question.id)
        answers[step.question.id] = "absent" if step.question.type == "yes_no" else "unknown"
    assert "ottawa_foot_bone" in asked


def test_an_emergency_from_probabilities_alone_asks_the_confirming_warning_signs(
    engine: Engine,
) -> None:
    text = "Fell off my bike and my calf hit the kerb hard"
    step = engine.next_step(req(text, age=24, sex="male"))
    # Compartment syndrome is possible enough after the blow to make it an emergency already...
    assert step.assessment.triage.level == TriageLevel.emergency
    assert not step.assessment.triage.red_flags
    # ...and the interview asks the sign that would confirm it rather than stopping blind.
    assert step.question is not None and "warning sign" in step.question.why
    confirmed = engine.next_step(req(text, age=24, sex="male", **{step.question.id: "present"}))
    assert confirmed.should_stop and confirmed.stop_reason == "emergency"
    assert confirmed.assessment.triage.red_flags


def test_an_answer_settles_what_it_implies(engine: Engine) -> None:
    step = engine.next_step(req("my calf hurts", trauma_pop="present", cannot_bear_weight="absent"))
    assert step.question is None or step.question.id not in {"trauma_any", "choice:onset"}
    merged = engine.analyse(req("my calf hurts", trauma_pop="present")).merged.status
    assert merged["trauma_any"][0] == "present" and merged["onset_sudden"][0] == "present"


def test_answering_the_red_flag_yes_escalates(engine: Engine) -> None:
    text = "I rolled my ankle on a trail this morning and it's swollen"
    step = engine.next_step(req(text, cannot_bear_weight="present"))
    assert step.assessment.triage.level >= TriageLevel.urgent


def test_every_question_has_a_why_and_options(engine: Engine) -> None:
    step = engine.next_step(req("sore foot after running"))
    q = step.question
    assert q is not None and q.why and q.text
    assert q.options, "a runner needs something to choose"


def test_unknown_question_id_is_an_error(engine: Engine) -> None:
    with pytest.raises(InterviewError):
        engine.next_step(req("sore heel", not_a_finding="present"))
    with pytest.raises(InterviewError):
        engine.apply_answer({}, "not_a_question", "present")


def test_single_choice_answer_sets_the_chosen_finding(engine: Engine) -> None:
    answers = engine.apply_answer({}, "choice:where", "loc_heel_bottom")
    assert answers == {"loc_heel_bottom": "present"}
    answers = engine.apply_answer({}, "choice:onset", "unknown")
    assert set(answers) == set(engine.bank.questions["choice:onset"].findings)
    with pytest.raises(InterviewError):
        engine.apply_answer({}, "choice:where", "loc_calf_bogus")


def test_the_interview_always_stops_within_the_cap(engine: Engine) -> None:
    answers: dict[str, str] = {}
    r = req("it hurts")
    for _ in range(MAX_QUESTIONS + 3):
        step = engine.next_step(r.model_copy(update={"answers": answers}))
        if step.should_stop:
            break
        assert step.question is not None
        answers = engine.apply_answer(answers, step.question.id, "unknown")
    assert step.should_stop
    assert step.asked <= MAX_QUESTIONS


def test_a_clear_story_stops_early_and_confident(engine: Engine) -> None:
    text = (
        "Stabbing pain under my left heel with the first steps every morning for 6 weeks, "
        "eases once I walk around. No injury, no swelling, squeezing the heel doesn't hurt."
    )
    answers: dict[str, str] = {}
    for _ in range(MAX_QUESTIONS):
        step = engine.next_step(req(text, age=48).model_copy(update={"answers": answers}))
        if step.should_stop:
            break
        assert step.question is not None
        answers = engine.apply_answer(
            answers, step.question.id, "absent" if step.question.type == "yes_no" else "unknown"
        )
    assert step.should_stop
    assert step.asked <= 8
    assert step.assessment.conditions[0].id == "plantar_fasciitis"


def test_back_related_leg_pain_is_screened_for_cauda_equina(engine: Engine) -> None:
    # One-sided: sciatica down both legs is itself a cauda equina warning (NHS), so it would be an
    # emergency before any question.
    text = "Bad back since Friday, and now sciatica down my left leg"
    asked = []
    answers: dict[str, str] = {"cannot_bear_weight": "absent"}
    for _ in range(4):
        step = engine.next_step(req(text, **answers))
        if step.question is None:
            break
        asked.append(step.question.id)
        value = "absent" if step.question.type == "yes_no" else "unknown"
        answers = engine.apply_answer(answers, step.question.id, value)
    assert "saddle_numbness" in asked and "bladder_bowel" in asked


def test_a_diabetic_foot_with_a_fever_is_an_emergency(engine: Engine) -> None:
    step = engine.next_step(
        req("I'm diabetic and my foot is swollen", fever="present", cannot_bear_weight="absent")
    )
    assert step.should_stop and step.stop_reason == "emergency"
    assert "diabetic_foot_with_fever" in step.assessment.triage.red_flags


def test_a_not_sure_to_a_choice_counts_as_one_answer(engine: Engine) -> None:
    # What it feels like: its options are yes/no questions too, but "not sure" is one answer.
    answers = engine.apply_answer({}, "choice:feel", "unknown")
    assert engine.next_step(req("my foot hurts", **answers)).asked == 1
    answers = engine.apply_answer(answers, "choice:where", "unknown")
    assert engine.next_step(req("my foot hurts", **answers)).asked == 2


def test_a_whole_foot_answer_says_where_it_hurts(engine: Engine) -> None:
    # "The whole foot" is vague as a place but answers the question: it is not asked again and
    # the interview can settle without a single spot.
    answers = engine.apply_answer(
        {"cannot_bear_weight": "absent"}, "choice:where", "loc_whole_foot"
    )
    step = engine.next_step(req("numb burning feet", **answers))
    assert step.question is None or step.question.id != "choice:where"


def test_two_dont_knows_do_not_settle_the_leaders_warning_rule(engine: Engine) -> None:
    # A tender navicular: "don't know" to the hop and to walking leaves limping, rest and night
    # pain worth asking, since any of them makes it urgent.
    text = "Deep ache on top of my foot in the middle, towards the inside, for weeks"
    answers = {
        "cannot_bear_weight": "absent",
        "trauma_any": "absent",
        "bone_tender": "present",
        "loc_midfoot": "present",
        "pain_hop": "unknown",
        "pain_weight_bearing": "unknown",
    }
    asked = []
    for _ in range(MAX_QUESTIONS):
        step = engine.next_step(req(text, age=17, **answers))
        if step.question is None:
            break
        asked.append(step.question.id)
        answers = engine.apply_answer(answers, step.question.id, "unknown")
    assert {"limping", "pain_at_rest", "pain_at_night"} & set(asked)


def test_the_top_threes_own_warning_rules_are_checked_before_a_top_three_stop(
    engine: Engine,
) -> None:
    # A top-3 stop shows three conditions, so each one's own urgent rule is finished first: a
    # navicular stress fracture at 43% is below the leader bar, yet its rule (a tender bone that
    # hurts to walk on or hop on, or makes you limp) is asked before a top-3 stop.
    from stridewise.interview.engine import TOP3_SCREEN_MIN, Selector

    text = "My left midfoot has ached on the inside of the top of the foot for two months"
    answers = {"cannot_bear_weight": "unknown", "trauma_any": "absent"}
    analysis = engine.analyse(req(text, age=30, **answers))
    assert 0.15 < analysis.ranked[0].probability < 0.5
    sel = Selector(analysis, engine.bank, answers)
    assert sel.leader_screen() is None
    pick = sel.leader_screen(TOP3_SCREEN_MIN)
    rule_options = {"bone_tender", "pain_weight_bearing", "limping", "pain_at_rest"}
    assert pick is not None and pick.question.id in rule_options | {"pain_at_night", "pain_hop"}


def test_a_self_care_stop_first_asks_about_bone_tenderness_when_a_bone_injury_is_in_view(
    engine: Engine,
) -> None:
    from stridewise.interview.engine import BONE_QUESTION, Selector

    # An ache on runs could be a stress fracture: one spot tender on the bone is asked.
    shin = engine.analyse(req("my shin aches after runs", age=30, sex="male"))
    assert shin.level == TriageLevel.self_care
    check = Selector(shin, engine.bank, {}).bone_check()
    assert check is not None and check.question.id == BONE_QUESTION
    # Once answered, it is not asked again.
    answered = engine.analyse(
        req("my shin aches after runs", age=30, sex="male", bone_tender="absent")
    )
    assert Selector(answered, engine.bank, {"bone_tender": "absent"}).bone_check() is None
    # A skin problem puts no bone injury in view: nothing to ask.
    blister = engine.analyse(req("blister on my heel from new shoes", age=30, sex="male"))
    assert Selector(blister, engine.bank, {}).bone_check() is None
    # A "yes" alone makes it a clinician's examination.
    tender = engine.analyse(
        req("my shin aches after runs", age=30, sex="male", bone_tender="present")
    )
    assert tender.level >= TriageLevel.consult
