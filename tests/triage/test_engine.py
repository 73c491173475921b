"""``assess``: the contract, red flags that probabilities cannot out-vote, answers as evidence."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import stridewise
from stridewise import assess
from stridewise.engine import Engine
from stridewise.kb.models import TriageLevel
from stridewise.triage.schemas import AssessmentRequest, AssessmentResult
from stridewise.triage.urgency import HEADLINES

PF_STORY = (
    "I'm a 45 year old teacher, on my feet all day. For about six weeks the bottom of my left "
    "heel has been stabbing with my first steps out of bed in the morning, and after I've been "
    "sitting. Once I've walked around for a bit it eases off. No injury."
)


@pytest.fixture(scope="module")
def pf() -> AssessmentResult:
    return assess(PF_STORY)


def test_library_entry_point_is_exported() -> None:
    assert stridewise.assess is assess


def test_contract(engine: Engine, pf: AssessmentResult) -> None:
    kb = engine.kb
    conds = pf.conditions
    assert len(conds) >= 5
    probs = [c.probability for c in conds]
    assert probs == sorted(probs, reverse=True)
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert sum(probs) <= 1.0 + 1e-6
    assert len({c.id for c in conds}) == len(conds)
    for c in conds:
        assert c.id in kb.conditions
        assert c.name == kb.conditions[c.id].name
        assert isinstance(c.supporting, list)
        assert isinstance(c.opposing, list)
    assert conds[0].supporting, "the leading condition must say what supports it"
    assert pf.specialists
    for s in pf.specialists:
        assert s.id in kb.provider_types
        assert s.name and s.why
    assert pf.findings
    assert all(f.id in kb.findings and f.status in ("present", "absent") for f in pf.findings)
    assert "not a diagnosis" in pf.disclaimer.lower()
    assert pf.versions.engine == stridewise.__version__
    assert pf.versions.kb == kb.version
    assert pf.triage.reasons
    assert pf.triage.headline == HEADLINES[pf.triage.level]


def test_typical_story_ranks_plantar_fasciitis_first(pf: AssessmentResult) -> None:
    assert pf.conditions[0].id == "plantar_fasciitis"
    assert pf.triage.level in (TriageLevel.self_care, TriageLevel.consult)
    supporting = {e.id for e in pf.conditions[0].supporting}
    assert "pain_first_steps" in supporting
    assert pf.self_care


def test_result_round_trips_as_json(pf: AssessmentResult) -> None:
    assert AssessmentResult.model_validate_json(pf.model_dump_json()) == pf


@pytest.mark.parametrize(
    "extra",
    [
        "My calf is swollen and I'm short of breath.",
        "Since yesterday I've had chest pain.",
        "Last night my foot went cold and pale and I can't find a pulse.",
        "I've got a fever and the redness is spreading up my leg.",
        "My groin feels numb and I can't pee properly.",
    ],
)
def test_red_flags_are_never_out_voted(extra: str) -> None:
    result = assess(f"{PF_STORY} {extra}")
    assert result.triage.level == TriageLevel.emergency, result.triage.reasons
    assert result.triage.red_flags
    # The differential still leans on the heel story; the triage does not.
    assert any(c.id == "plantar_fasciitis" for c in result.conditions)


def test_emergency_self_care_only_says_to_seek_care() -> None:
    result = assess(f"{PF_STORY} My calf is swollen and I'm short of breath.")
    assert result.triage.level == TriageLevel.emergency
    assert result.see_care_when == [HEADLINES[TriageLevel.emergency]]
    assert result.return_to_running is None
    for module in result.self_care:
        text = " ".join([module.title, module.summary, *module.steps]).lower()
        for advice in ("stretch", "foam roll", "massage", "frozen", "run "):
            assert advice not in text, f"{module.id} offers {advice!r} in an emergency"


def test_urgent_injury_triage() -> None:
    result = assess(
        "Went over on my ankle on a trail yesterday, heard a crack. The bone on the outside of "
        "my ankle is really tender to press and I couldn't put weight on it."
    )
    assert result.triage.level >= TriageLevel.urgent
    assert "ottawa_ankle" in result.triage.red_flags


def test_an_infected_looking_puncture_wound_is_urgent() -> None:
    result = assess(
        "Stepped on glass barefoot on a beach run. Two days on the cut under my foot is "
        "throbbing, swollen, red and warm. No temperature."
    )
    assert result.triage.level == TriageLevel.urgent
    assert "infected_wound" in result.triage.red_flags


def test_an_answer_overrides_what_the_text_implied() -> None:
    # The text denies any injury; the runner then says they felt a pop: that is an injury.
    result = assess("no injury, my calf just hurts", answers={"trauma_pop": "present"})
    supporting = {e.id for c in result.conditions for e in c.supporting}
    opposing = {e.id for c in result.conditions for e in c.opposing}
    assert "trauma_any" not in opposing
    assert "trauma_pop" in supporting


def test_unknown_answer_id_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="no_such_finding"):
        assess("my heel hurts", answers={"no_such_finding": "present"})


@pytest.mark.parametrize(
    "kwargs",
    [
        {"text": ""},
        {"text": "   "},
        {"text": "x" * 5001},
        {"text": "my heel hurts", "sex": "other"},
        {"text": "my heel hurts", "age": -1},
    ],
)
def test_invalid_input_is_a_validation_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        assess(**kwargs)  # type: ignore[arg-type]


def test_answers_override_text() -> None:
    text = "my ankle is swollen after I rolled it"
    by_text = {f.id: f for f in assess(text).findings}
    assert by_text["swelling"].status == "present"
    assert by_text["swelling"].source == "text"
    answered = {f.id: f for f in assess(text, answers={"swelling": "absent"}).findings}
    assert answered["swelling"].status == "absent"
    assert answered["swelling"].source == "answer"


def test_unknown_answer_leaves_text_evidence() -> None:
    text = "my ankle is swollen after I rolled it"
    findings = {f.id: f for f in assess(text, answers={"swelling": "unknown"}).findings}
    assert findings["swelling"].status == "present"
    assert findings["swelling"].source == "text"


def test_answers_can_raise_the_triage_level() -> None:
    text = "my heel hurts in the morning"
    assert assess(text).triage.level < TriageLevel.emergency
    result = assess(text, answers={"chest_pain": "present"})
    assert result.triage.level == TriageLevel.emergency


def test_request_age_and_sex_override_text(engine: Engine) -> None:
    req = AssessmentRequest(text="I'm 30 and my heel hurts", age=70, sex="female")
    analysis = engine.analyse(req)
    assert analysis.extraction.age == 30
    assert analysis.age == 70
    assert analysis.sex == "female"


def test_wrong_self_diagnosis_does_not_override_the_evidence() -> None:
    result = assess(
        "I think it's shin splints. I'm 19, a month into a new training plan. There's one spot "
        "on my shin bone that hurts if I press it, it aches at night and I can't hop on it."
    )
    top3 = [c.id for c in result.conditions[:3]]
    assert "tibial_stress_fracture" in top3
    assert result.conditions[0].id != "medial_tibial_stress_syndrome"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # trauma the Ottawa and Lisfranc guidance weighs (RACGP 2017, CFP 2012)
        ("car wheel crushed my foot in the car park, can't weight it", TriageLevel.urgent),
        ("twisted my foot on a kerb yesterday, there's a bruise on the sole in the arch", "urgent"),
        (
            "my foot has ached on top for 3 weeks and today on my tempo I felt a crack, "
            "now it hurts to stand",
            "urgent",
        ),
        # the pattern that is really present, no more
        (
            "front of my shin goes rock hard and burns after 3k every time, stops after walking "
            "for 10 minutes, been months",
            "consult",
        ),
        (
            "burning and pins and needles in the bottom of my foot at night for six weeks, "
            "tapping behind the inner ankle bone zings into the sole",
            "consult",
        ),
    ],
)
def test_triage_weighs_what_is_really_there(engine: Engine, text: str, level: str) -> None:
    got = engine.assess(text, age=30, sex="male").triage.level
    if level == "consult":
        assert got in (TriageLevel.consult, TriageLevel.self_care), got
    else:
        assert got >= TriageLevel(level), got


def test_cannot_stand_on_tiptoe_is_not_shown_as_cannot_walk(engine: Engine) -> None:
    result = engine.assess("I can't stand on tiptoe on that leg since the pop, but I can walk")
    shown = {f.id: f.status for f in result.findings}
    assert shown.get("cannot_bear_weight") != "present"
