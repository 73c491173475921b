"""Free text to findings: the conformance corpus (corpus*.yaml) plus the extractor's own rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from stridewise.engine import Engine
from stridewise.text.extract import HEDGED_WEIGHT
from stridewise.text.lexicon import merge_lexicons

# corpus.yaml, plus one file per later source of phrases (corpus_fresh3.yaml, ...).
CORPUS_PATHS = sorted(Path(__file__).parent.glob("corpus*.yaml"))
KEYS = ("present", "absent", "not", "hedged")


def _load_corpus() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in CORPUS_PATHS:
        cases.extend(yaml.safe_load(path.read_text("utf-8"))["cases"])
    return cases


CORPUS = _load_corpus()


def _case_id(case: dict[str, Any]) -> str:
    text: str = case["text"]
    return text[:50]


def test_corpus_is_big_enough_and_well_formed(engine: Engine) -> None:
    assert len(CORPUS) >= 150
    known = set(engine.kb.findings)
    for case in CORPUS:
        assert set(case) <= {"text", *KEYS}, case
        assert any(case.get(k) for k in KEYS), f"case asserts nothing: {case['text']!r}"
        for key in KEYS:
            unknown = set(case.get(key, [])) - known
            assert not unknown, f"{case['text']!r}: unknown finding ids {unknown}"


@pytest.mark.parametrize("case", CORPUS, ids=_case_id)
def test_corpus(engine: Engine, case: dict[str, Any]) -> None:
    found = engine.extract(case["text"]).findings
    got = {fid: (e.status, e.weight, e.quote) for fid, e in found.items()}
    for fid in case.get("present", []):
        assert fid in found and found[fid].status == "present", f"{fid} not present: {got}"
    for fid in case.get("hedged", []):
        assert fid in found and found[fid].status == "present", f"{fid} not present: {got}"
        assert found[fid].weight == HEDGED_WEIGHT, f"{fid} not hedged: {got}"
    for fid in case.get("absent", []):
        assert fid in found and found[fid].status == "absent", f"{fid} not absent: {got}"
    for fid in case.get("not", []):
        assert fid not in found, f"{fid} should not be extracted: {got}"


def test_lexicon_covers_only_known_findings(engine: Engine) -> None:
    assert set(engine.text.lexicon) <= set(engine.kb.findings)


def test_a_lexicon_part_cannot_redefine_a_finding() -> None:
    main = {"macros": {}, "findings": {"swelling": {"present": ["swollen"]}}}
    merged = merge_lexicons(main, [("lexicon_a.yaml", {"findings": {"warmth": {}}})])
    assert set(merged["findings"]) == {"swelling", "warmth"}
    with pytest.raises(ValueError, match="already defined"):
        merge_lexicons(main, [("lexicon_b.yaml", {"findings": {"swelling": {}}})])


def test_quote_comes_from_the_normalised_text(engine: Engine) -> None:
    ex = engine.extract("My ACHILLIES is SWOLEN")
    assert ex.text == "my achilles is swollen"
    assert ex.findings["swelling"].quote == "swollen"
    assert ex.findings["loc_achilles"].quote == "achilles"


def test_firm_statement_beats_a_denial_elsewhere(engine: Engine) -> None:
    ex = engine.extract("No swelling yesterday. Today the ankle is swollen.")
    assert ex.findings["swelling"].status == "present"


def test_denial_beats_a_hedge(engine: Engine) -> None:
    ex = engine.extract("It might be a bit swollen. Actually no, there is no swelling.")
    assert ex.findings["swelling"].status == "absent"


def test_self_diagnosis_is_masked_and_reported(engine: Engine) -> None:
    ex = engine.extract("I think it's shin splints")
    assert "splints" in ex.masked_self_diagnoses
    # The anatomy stays: where it hurts is still reported.
    assert ex.findings["loc_shin"].status == "present"


def test_described_symptoms_survive_a_wrong_self_diagnosis(engine: Engine) -> None:
    ex = engine.extract(
        "I'm sure it's just shin splints but there's one spot on my shin bone that hurts "
        "if I press it and it aches at night"
    )
    for fid in ("pain_one_spot", "bone_tender", "pain_at_night"):
        assert ex.findings[fid].status == "present", fid


@pytest.mark.parametrize(
    ("text", "fid", "target"),
    [
        ("I rolled my ankle", "trauma_twist", "trauma_any"),
        ("felt a pop in my calf", "trauma_pop", "onset_sudden"),
        ("the redness is spreading up my leg", "red_spreading", "redness"),
    ],
)
def test_specific_findings_imply_general_ones(
    engine: Engine, text: str, fid: str, target: str
) -> None:
    found = engine.extract(text).findings
    assert found[fid].status == "present"
    assert found[target].status == "present"


def test_bone_tenderness_at_the_ankle_is_the_ottawa_finding(engine: Engine) -> None:
    found = engine.extract(
        "After I twisted it the outside of my ankle bone is tender to press"
    ).findings
    assert found["ottawa_ankle_bone"].status == "present"


def test_denied_bone_tenderness_denies_the_ottawa_findings(engine: Engine) -> None:
    found = engine.extract("it doesn't hurt to press the bone").findings
    assert found["bone_tender"].status == "absent"
    assert found["ottawa_ankle_bone"].status == "absent"
    assert found["ottawa_foot_bone"].status == "absent"


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("I'm 34 and my heel hurts", 34, None),
        ("52 year old male runner, sore achilles", 52, "male"),
        ("as a woman in my 40s, my periods have stopped", None, "female"),
        ("ran 10 miles and my heel hurts", None, None),
    ],
)
def test_age_and_sex_from_text(engine: Engine, text: str, age: int | None, sex: str | None) -> None:
    ex = engine.extract(text)
    assert ex.age == age
    assert ex.sex == sex


def test_a_minor_aside_is_discounted_but_kept(engine: Engine) -> None:
    """A painless black toenail mentioned in passing stays present (red flags still see it) but
    weighs little, because the main complaint is elsewhere."""
    ex = engine.extract(
        "The top of my right forefoot has been swollen and sore for ten days. Oh and I've got a "
        "black big toenail from the downhills, which doesn't bother me."
    )
    nail = ex.findings["nail_dark"]
    assert nail.status == "present" and nail.weight < 0.5
    assert ex.findings["swelling"].weight == 1.0


def test_an_aside_alone_is_the_story(engine: Engine) -> None:
    ex = engine.extract("My big toenail went black after the race but it doesn't hurt.")
    assert ex.findings["nail_dark"].weight == 1.0
