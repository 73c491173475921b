"""Patterns the fresh9 blind set exposed, each beside a look-alike that must be triaged differently.

A red flag fires only when its pattern is really there: weakness that comes at the same point of
every run and goes with rest is exertional (chronic compartment syndrome), a denied list of
Ottawa landmarks is not a tender bone, and a soft swelling in front of the Achilles is the bursa,
not the tendon.
"""

from __future__ import annotations

import pytest

from stridewise.engine import Engine
from stridewise.kb.models import TriageLevel

EXERTIONAL_WEAKNESS = (
    "for a year it comes on about 20 minutes into a run, a tight bursting feeling on the outside "
    "front of my shin, and my foot feels weak and tingly. Stop for a few minutes and it's gone."
)
CONSTANT_WEAKNESS = (
    "for two days my foot feels weak and slaps the ground when I walk, and I keep catching my toes"
)


def test_weakness_at_the_same_point_of_every_run_is_not_foot_drop(engine: Engine) -> None:
    result = engine.assess(EXERTIONAL_WEAKNESS, age=31, sex="male")
    assert result.conditions[0].id == "chronic_exertional_compartment_syndrome"
    assert result.triage.level == TriageLevel.consult


def test_weakness_that_stays_is_urgent(engine: Engine) -> None:
    result = engine.assess(CONSTANT_WEAKNESS, age=45, sex="male")
    assert result.triage.level >= TriageLevel.urgent


def test_ottawa_landmarks_denied_in_a_list_do_not_raise_the_level(engine: Engine) -> None:
    text = (
        "went over on my left ankle on a gravel path this morning, swelling below the outer ankle "
        "bone and I walked home with a slight limp. No tenderness at the back edge or tip of "
        "either ankle bone, the base of the fifth metatarsal or the navicular."
    )
    result = engine.assess(text, age=40, sex="female")
    assert result.conditions[0].id == "ankle_sprain"
    assert result.triage.level <= TriageLevel.consult


def test_a_tender_fifth_metatarsal_after_a_roll_is_urgent(engine: Engine) -> None:
    text = (
        "went over on my left ankle this morning; no tenderness at the ankle bones, but the base "
        "of the fifth metatarsal is very sore to press"
    )
    assert engine.assess(text, age=40, sex="female").triage.level >= TriageLevel.urgent


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (
            "five weeks of pain at the back of my heel: a soft swelling just in front of where the "
            "Achilles attaches, worse when the heel counter presses and on hills",
            "retrocalcaneal_bursitis",
        ),
        (
            "two months of a thick, tender lump in my Achilles a few centimetres above the heel, "
            "stiff first thing in the morning",
            "achilles_tendinopathy",
        ),
    ],
)
def test_swelling_beside_the_achilles_is_the_bursa(engine: Engine, text: str, first: str) -> None:
    assert engine.assess(text, age=45, sex="female").conditions[0].id == first


def test_an_inflamed_puncture_of_the_sole_is_an_infection(engine: Engine) -> None:
    text = (
        "stood on a thorn five days ago and the sole of my foot around the puncture is now red, "
        "warm and swollen"
    )
    result = engine.assess(text, age=35, sex="male")
    assert result.conditions[0].id == "foot_infection"
    assert result.triage.level >= TriageLevel.urgent


def test_landing_on_a_sharp_stone_is_not_an_infection(engine: Engine) -> None:
    text = (
        "came down hard on a sharp stone with my heel last week; the heel pad feels bruised deep "
        "inside and hard floors are the worst, skin not broken"
    )
    result = engine.assess(text, age=34, sex="female")
    assert result.conditions[0].id == "heel_fat_pad_syndrome"
    assert result.triage.level == TriageLevel.self_care
