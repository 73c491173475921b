"""Return-to-run plans: every condition is covered, the plan starts from the runner's own load,
the .ics is a valid calendar, and the knowledge cross-checks."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from stridewise.engine import default_engine
from stridewise.kb.loader import KBError
from stridewise.training.calendar import plan_ics
from stridewise.training.errors import PlanInputError, TrainingError, UnknownCondition
from stridewise.training.findings import confirmed_answers
from stridewise.training.knowledge import TrainingKnowledge, cross_check
from stridewise.training.load import CurrentLoad
from stridewise.training.plan import build_plan, current_from_numbers

KB = default_engine().kb
TK = default_engine().training


@pytest.mark.parametrize("condition", sorted(KB.conditions))
def test_every_condition_has_a_plan_or_clinician_first(condition: str) -> None:
    plan = build_plan(condition, KB, TK)
    assert plan.sources and all(s in KB.sources for s in plan.sources)
    if plan.see_clinician_first:
        assert not plan.weeks and plan.approach
    else:
        assert plan.weeks and plan.before_first_run and plan.forward and plan.back
        assert plan.stop_and_see


def test_week_one_starts_from_what_the_runner_ran() -> None:
    short = build_plan("achilles_tendinopathy", KB, TK, CurrentLoad(20, 2, 40, 330))
    long = build_plan("achilles_tendinopathy", KB, TK, CurrentLoad(60, 5, 80, 300))
    assert short.weeks[0].sessions[0].minutes == 20 and len(short.weeks[0].sessions) == 2
    assert long.weeks[0].sessions[0].minutes == 40 and len(long.weeks[0].sessions) == 3
    assert long.weeks[-1].sessions[0].minutes == 80
    assert long.weeks[0].sessions[0].km == pytest.approx(8.0)
    assert short.baseline is not None and short.baseline.from_history


def test_bone_stress_starts_with_walk_run_and_urgent_means_clinician_first() -> None:
    plan = build_plan("tibial_stress_fracture", KB, TK)
    assert plan.weeks[0].sessions[0].run_minutes == 1
    assert any("hop" in c.lower() for c in plan.before_first_run)
    assert build_plan("tibial_stress_fracture", KB, TK, urgent=True).see_clinician_first
    assert build_plan("navicular_stress_fracture", KB, TK).see_clinician_first


def test_unknown_condition_and_bad_numbers() -> None:
    with pytest.raises(UnknownCondition):
        build_plan("nope", KB, TK)
    with pytest.raises(PlanInputError):
        current_from_numbers(0, 3)
    with pytest.raises(PlanInputError):
        current_from_numbers(30, 50)
    assert current_from_numbers(None, None) is None


def test_ics_has_one_event_per_session() -> None:
    plan = build_plan("plantar_fasciitis", KB, TK)
    cal = Calendar.from_ical(plan_ics(plan, date(2026, 12, 7)))
    events = cal.walk("VEVENT")
    assert len(events) == sum(len(w.sessions) for w in plan.weeks)
    assert str(events[0]["SUMMARY"]).startswith("Week 1")
    assert events[0].decoded("DTSTART") == date(2026, 12, 7)
    first_aid = Calendar.from_ical(plan_ics(build_plan("dvt", KB, TK), date(2026, 12, 7)))
    assert len(first_aid.walk("VEVENT")) == 1


def test_cross_check_catches_a_missing_condition_and_source() -> None:
    broken = TrainingKnowledge(
        patterns=TK.patterns,
        plans={k: v for k, v in TK.plans.items() if k != "forefoot"},
        clinician_first=TK.clinician_first,
        defaults=TK.defaults,
    )
    problems = cross_check(broken, KB)
    assert any("metatarsalgia" in p for p in problems)
    assert KBError  # the loader raises KBError with these problems


def test_confirmed_answers_only_accept_training_findings() -> None:
    assert confirmed_answers(["rf_mileage_jump"]) == {"rf_mileage_jump": "present"}
    with pytest.raises(TrainingError):
        confirmed_answers(["fever"])


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(sorted(TK.plans)),
    st.floats(5, 300),
    st.floats(0.25, 7),
    st.one_of(st.none(), st.floats(150, 900)),
)
def test_plans_never_exceed_the_runners_own_load(
    plan_id: str, minutes: float, per_week: float, pace: float | None
) -> None:
    condition = TK.plans[plan_id].conditions[0]
    plan = build_plan(condition, KB, TK, CurrentLoad(0, per_week, minutes, pace))
    floor = TK.defaults.min_session_minutes
    for week in plan.weeks:
        assert 1 <= len(week.sessions) <= max(1, round(per_week))
        for s in week.sessions:
            assert s.minutes <= max(floor, round(minutes)) + 1
    last = plan.weeks[-1].sessions[0]
    assert last.minutes == max(floor, round(minutes * TK.plans[plan_id].weeks[-1].share))
