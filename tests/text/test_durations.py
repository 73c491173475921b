"""How long it has been going on: phrases to days, and days to the duration findings."""

from __future__ import annotations

from datetime import date

import pytest

from stridewise.engine import Engine
from stridewise.text.durations import duration_days, duration_finding
from stridewise.text.normalise import normalise


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("It's been sore for 3 weeks", 21.0),
        ("for three weeks now", 21.0),
        ("started after Sunday's race", 3.0),
        ("since Sunday's parkrun", 3.0),
        ("I first noticed it two months ago", 60.0),
        ("it happened yesterday", 1.0),
        ("went over on it last night", 1.0),
        ("a couple of days ago", 2.0),
        ("for a fortnight", 14.0),
        ("on and off for about 6 months", 180.0),
        ("been like this 3 wks", 21.0),
        ("since Christmas", 90.0),
    ],
)
def test_phrase_to_days(engine: Engine, text: str, days: float) -> None:
    assert duration_days(normalise(text, engine.text.spelling)) == pytest.approx(days)


@pytest.mark.parametrize(
    "text", ["up from 30 to 55 miles a week", "I run 40k a week", "three runs a week"]
)
def test_a_training_rate_is_not_a_duration(engine: Engine, text: str) -> None:
    assert duration_days(normalise(text, engine.text.spelling)) is None


@pytest.mark.parametrize(
    "text", ["my 16 year old son slipped off a kerb", "my son is 16 years old and he limps"]
)
def test_an_age_is_not_a_duration(engine: Engine, text: str) -> None:
    assert engine.extract(text).duration_days is None
    assert engine.extract(text + " since 3 weeks ago").duration_days == 21.0


def test_no_time_reference_gives_none(engine: Engine) -> None:
    assert duration_days(normalise("my heel hurts when I run", engine.text.spelling)) is None


def test_a_stated_span_beats_history(engine: Engine) -> None:
    # "for N weeks" describes this problem; the older reference is history.
    text = normalise(
        "I sprained it two years ago but this pain has been there for 3 weeks", engine.text.spelling
    )
    assert duration_days(text) == pytest.approx(21.0)


def test_most_recent_reference_wins_without_a_span(engine: Engine) -> None:
    text = normalise("had gout two years ago, and last night my toe went red", engine.text.spelling)
    assert duration_days(text) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("days", "finding"),
    [
        (None, None),
        (0.5, "duration_days"),
        (7, "duration_days"),
        (8, "duration_weeks"),
        (42, "duration_weeks"),
        (43, "duration_months"),
        (365, "duration_months"),
    ],
)
def test_days_to_finding(days: float | None, finding: str | None) -> None:
    assert duration_finding(days) == finding


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("sore heel for 3 weeks", "duration_weeks"),
        ("my shin has hurt since Sunday's race", "duration_days"),
        ("it started two months ago", "duration_months"),
        ("rolled it yesterday", "duration_days"),
    ],
)
def test_extract_sets_duration_finding(engine: Engine, text: str, finding: str) -> None:
    ex = engine.extract(text)
    assert ex.findings[finding].status == "present"
    others = {"duration_days", "duration_weeks", "duration_months"} - {finding}
    assert not others & ex.findings.keys()


_DEC_3 = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("my heel has hurt since September", 93.0),
        ("my heel has hurt since november", 32.0),
        ("my heel has hurt since December", 2.0),
        ("my heel has hurt since January", 336.0),
    ],
)
def test_a_month_is_dated_from_today(engine: Engine, text: str, days: float) -> None:
    assert duration_days(normalise(text, engine.text.spelling), _DEC_3) == pytest.approx(days)


@pytest.mark.parametrize(
    "text",
    [
        "shot up 6 cm since September and his heels hurt",
        "have not had a period since September, my shin is sore",
        "been running 30 yrs",
        "I have been running for 20 years, heel hurts",
        "my 5th marathon in 10 years, the arch aches",
        "on alendronate for three years, the top of my foot aches",
        "my 9 year old's toes got run over",
        "my father 64 years, his calf is swollen",
        "I took a week off and it came back",
        "a month off did not fix it",
        "I run five days a week",
    ],
)
def test_history_rates_rests_and_ages_are_not_the_pain(engine: Engine, text: str) -> None:
    assert duration_days(normalise(text, engine.text.spelling), _DEC_3) is None


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("since 3 weeks my foot is paining", 21.0),
        ("been 4 months now with this heel", 120.0),
        ("a four-month history of heel pain", 120.0),
        ("heel sore 6wks now", 42.0),
        ("past month my heel has been sore", 30.0),
        # a recent start of running bounds the pain; a long one says nothing
        ("new to running, 3 weeks in, shins ache", 21.0),
        ("six weeks into a couch to 5k plan my heel started aching", 42.0),
        ("my heel has been sore for 3 months, I have been running for 30 years", 90.0),
        ("it twisted on a trail run 5 days ago", 5.0),
    ],
)
def test_the_pains_own_span(engine: Engine, text: str, days: float) -> None:
    assert duration_days(normalise(text, engine.text.spelling), _DEC_3) == pytest.approx(days)
