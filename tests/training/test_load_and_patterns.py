"""Load metrics (property tests on synthetic histories) and the patterns found in them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from stridewise.engine import default_engine
from stridewise.training.knowledge import Evidence
from stridewise.training.load import summarise, week_start
from stridewise.training.models import Activity, Sport, Surface
from stridewise.training.patterns import find_patterns

AS_OF = date(2026, 11, 29)


def _run(day: date, km: float, *, gear: str | None = None, surface: Surface = Surface.road,
         sport: Sport = Sport.run, minutes: float | None = None) -> Activity:  # fmt: skip
    return Activity(
        start=datetime(day.year, day.month, day.day, 7, tzinfo=UTC),
        sport=sport,
        distance_m=km * 1000,
        duration_s=(minutes or km * 5.5) * 60,
        elevation_gain_m=10.0,
        avg_hr=145.0,
        gear=gear,
        surface=surface,
    )


runs_strategy = st.lists(
    st.tuples(st.integers(0, 200), st.floats(0.5, 45), st.sampled_from([Sport.run, Sport.ride])),
    max_size=80,
)


@settings(max_examples=60, deadline=None)
@given(runs_strategy)
def test_weekly_series_adds_up(items: list[tuple[int, float, Sport]]) -> None:
    acts = [_run(AS_OF - timedelta(days=d), km, sport=s) for d, km, s in items]
    s = summarise(acts, AS_OF)
    assert len(s.weeks) == 12
    assert [w.week_start for w in s.weeks] == sorted(w.week_start for w in s.weeks)
    assert s.weeks[-1].week_start == week_start(AS_OF)
    window = s.weeks[0].week_start
    runs = [a for a in acts if a.sport.is_running and window <= a.start.date() <= AS_OF]
    assert abs(sum(w.distance_km for w in s.weeks) - sum(a.distance_km for a in runs)) < 0.1
    assert sum(w.runs for w in s.weeks) == len(runs)
    for w in s.weeks:
        assert 0 <= w.long_run_km <= w.distance_km + 1e-6
    if runs:
        assert s.longest_run is not None
        assert s.longest_run.distance_km == max(round(a.distance_km, 2) for a in runs)
    assert s.runs == sum(1 for a in acts if a.sport.is_running)


@settings(max_examples=40, deadline=None)
@given(runs_strategy)
def test_shoe_mileage_sums_to_running_distance(items: list[tuple[int, float, Sport]]) -> None:
    acts = [_run(AS_OF - timedelta(days=d), km, sport=s, gear=f"shoe{d % 3}") for d, km, s in items]
    s = summarise(acts, AS_OF)
    total = sum(a.distance_km for a in acts if a.sport.is_running)
    assert abs(sum(x.distance_km for x in s.shoes) - total) < 0.1 * max(1, len(s.shoes))


@settings(max_examples=40, deadline=None)
@given(st.floats(5, 15), st.floats(1.0, 3.0))
def test_session_spike_fires_exactly_above_ten_percent(base: float, factor: float) -> None:
    acts = [_run(AS_OF - timedelta(days=d), base) for d in range(3, 40, 3)]
    acts.append(_run(AS_OF, base * factor))
    ids = {h.id for h in find_patterns(acts, AS_OF, default_engine().training)}
    assert ("session_spike" in ids) == (factor > 1.1 + 1e-9)


def test_steady_history_has_no_patterns() -> None:
    acts = [_run(AS_OF - timedelta(days=d), 8 + (d % 2)) for d in range(0, 120, 2)]
    assert find_patterns(acts, AS_OF, default_engine().training) == []


def test_weekly_jump_and_acwr_are_found_and_acwr_is_weak() -> None:
    acts = [_run(AS_OF - timedelta(days=d), 5) for d in range(8, 60, 2)]
    acts += [_run(AS_OF - timedelta(days=d), 5) for d in range(0, 7)]
    hits = {h.id: h for h in find_patterns(acts, AS_OF, default_engine().training)}
    assert "weekly_jump" in hits and "acwr_high" in hits
    assert hits["acwr_high"].evidence == Evidence.weak
    assert hits["weekly_jump"].finding == "rf_mileage_jump"


def test_shoe_switch_and_surface_switch() -> None:
    old = [_run(AS_OF - timedelta(days=d), 8, gear="Old") for d in range(30, 110, 2)]
    new = [_run(AS_OF - timedelta(days=d), 8, gear="Flat racer", surface=Surface.trail,
                sport=Sport.trail_run) for d in range(0, 20, 2)]  # fmt: skip
    hits = {h.id: h for h in find_patterns(old + new, AS_OF, default_engine().training)}
    assert hits["shoe_switch"].finding == "rf_new_shoes"
    assert "Flat racer" in hits["shoe_switch"].detail
    assert hits["surface_to_trail"].finding == "rf_hills_trails"


def test_return_after_break() -> None:
    before = [_run(AS_OF - timedelta(days=d), 8) for d in range(40, 90, 2)]
    after = [_run(AS_OF - timedelta(days=d), 8) for d in range(0, 12, 2)]
    hits = {h.id for h in find_patterns(before + after, AS_OF, default_engine().training)}
    assert "return_after_break" in hits
