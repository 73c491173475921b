"""The load patterns the evidence links to overuse injury, found in a runner's history.

Thresholds and wording come from ``kb/data/training/patterns.yaml``; this module only does the
arithmetic. Every detector looks back from ``as_of`` and reports its most recent occurrence."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from stridewise.training.knowledge import Evidence, PatternInfo, TrainingKnowledge
from stridewise.training.load import week_start, weekly_series
from stridewise.training.models import Activity, Surface


@dataclass(frozen=True)
class PatternHit:
    """One pattern found: what, when, the numbers behind it, and the finding it suggests."""

    id: str
    name: str
    evidence: Evidence
    finding: str
    day: date
    detail: str
    explain: str
    advice: str
    sources: list[str]
    count: int = 1


def _fmt(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _hit(info: PatternInfo, day: date, detail: str, count: int = 1) -> PatternHit:
    return PatternHit(
        id=info.id,
        name=info.name,
        evidence=info.evidence,
        finding=info.finding,
        day=day,
        detail=detail,
        explain=" ".join(info.explain.split()),
        advice=info.advice,
        sources=list(info.sources),
        count=count,
    )


def session_spike(info: PatternInfo, runs: Sequence[Activity], as_of: date) -> PatternHit | None:
    p = info.params
    window = timedelta(days=p["window_days"])
    since = as_of - timedelta(days=p["lookback_days"])
    starts = [a.start for a in runs]
    hits: list[tuple[Activity, float]] = []
    for i, run in enumerate(runs):
        day = run.start.date()
        if not since < day <= as_of or run.distance_km < p["min_km"]:
            continue
        lo = bisect.bisect_left(starts, run.start - window)
        prior = max((a.distance_m for a in runs[lo:i]), default=0.0)
        if prior > 0 and run.distance_m > p["ratio"] * prior:
            hits.append((run, prior))
    if not hits:
        return None
    run, prior = hits[-1]
    pct = (run.distance_m / prior - 1) * 100
    band = "more than double" if pct > 100 else f"{pct:.0f}% longer"
    return _hit(
        info,
        run.start.date(),
        f"On {_fmt(run.start.date())} you ran {run.distance_km:.1f} km; your longest run in the "
        f"{p['window_days']:.0f} days before was {prior / 1000:.1f} km ({band}).",
        len(hits),
    )


def weekly_jump(info: PatternInfo, runs: Sequence[Activity], as_of: date) -> PatternHit | None:
    p = info.params
    n = int(p["lookback_weeks"])
    weeks = weekly_series(runs, week_start(as_of), n + 2)
    found = None
    count = 0
    # Against the larger of the two weeks before, so an alternating 3-run/4-run rhythm is not
    # read as a jump every other week.
    for a, b, cur in zip(weeks, weeks[1:], weeks[2:], strict=False):
        prev = a if a.distance_km > b.distance_km else b
        rise = cur.distance_km - prev.distance_km
        if (
            prev.distance_km > 0
            and cur.distance_km > p["ratio"] * prev.distance_km
            and rise >= p["min_increase_km"]
        ):
            found = (prev, cur)
            count += 1
    if not found:
        return None
    prev, cur = found
    return _hit(
        info,
        cur.week_start,
        f"The week of {_fmt(cur.week_start)}: {cur.distance_km:.1f} km, up from "
        f"{prev.distance_km:.1f} km in the weeks before "
        f"({(cur.distance_km / prev.distance_km - 1) * 100:.0f}% more).",
        count,
    )


def acwr_high(info: PatternInfo, runs: Sequence[Activity], as_of: date) -> PatternHit | None:
    p = info.params
    acute = sum(a.distance_km for a in runs if as_of - timedelta(days=7) < a.start.date() <= as_of)
    weeks = p["lookback_weeks"]
    chronic = (
        sum(a.distance_km for a in runs if as_of - timedelta(weeks=weeks) < a.start.date() <= as_of)
        / weeks
    )
    if chronic < p["min_chronic_km"] or acute <= p["ratio"] * chronic:
        return None
    return _hit(
        info,
        as_of,
        f"The 7 days to {_fmt(as_of)}: {acute:.1f} km against an average week of "
        f"{chronic:.1f} km over the last {weeks:.0f} weeks (ratio {acute / chronic:.2f}).",
    )


def shoe_switch(info: PatternInfo, runs: Sequence[Activity], as_of: date) -> PatternHit | None:
    p = info.params
    since = as_of - timedelta(days=p["recent_days"])
    recent = [a for a in runs if since < a.start.date() <= as_of and a.gear]
    total = sum(a.distance_km for a in recent)
    if not total:
        return None
    by: dict[str, float] = {}
    for a in recent:
        by[a.gear or ""] = by.get(a.gear or "", 0.0) + a.distance_km
    gear, km = max(by.items(), key=lambda kv: kv[1])
    first = min(a.start.date() for a in runs if a.gear == gear)
    prior_km = sum(
        a.distance_km for a in runs if a.start.date() < first and a.gear and a.gear != gear
    )
    if km / total < p["share"] or first <= since or prior_km < p["min_prior_km"]:
        return None
    return _hit(
        info,
        first,
        f"Since {_fmt(first)} most of your running ({km / total * 100:.0f}% of the last "
        f"{p['recent_days']:.0f} days) has been in new shoes: {gear}.",
    )


def _trail_share(runs: Sequence[Activity], start: date, end: date) -> tuple[float, float]:
    known = [a for a in runs if start < a.start.date() <= end and a.surface != Surface.unknown]
    km = sum(a.distance_km for a in known)
    trail = sum(a.distance_km for a in known if a.surface == Surface.trail)
    return (trail / km if km else 0.0), km


def _surface(
    to_trail: bool,
) -> Callable[[PatternInfo, Sequence[Activity], date], PatternHit | None]:
    def detect(info: PatternInfo, runs: Sequence[Activity], as_of: date) -> PatternHit | None:
        p = info.params
        split = as_of - timedelta(days=p["recent_days"])
        recent, recent_km = _trail_share(runs, split, as_of)
        before, before_km = _trail_share(runs, split - timedelta(days=p["prior_days"]), split)
        if recent_km < p["min_recent_km"] or before_km < p["min_recent_km"]:
            return None
        change = recent - before if to_trail else before - recent
        if change < p["min_change"]:
            return None
        where = "trails" if to_trail else "roads or a treadmill"
        share = recent if to_trail else 1 - recent
        return _hit(
            info,
            split,
            f"In the last {p['recent_days']:.0f} days {share * 100:.0f}% of your running was on "
            f"{where}, against {(before if to_trail else 1 - before) * 100:.0f}% in the "
            f"{p['prior_days'] / 7:.0f} weeks before.",
        )

    return detect


def return_after_break(
    info: PatternInfo, runs: Sequence[Activity], as_of: date
) -> PatternHit | None:
    p = info.params
    gap = timedelta(days=p["gap_days"])
    since = as_of - timedelta(days=p["lookback_days"])
    for i in range(len(runs) - 1, 0, -1):
        back, last = runs[i], runs[i - 1]
        day = back.start.date()
        if day <= since:
            break
        if day > as_of or back.start - last.start < gap:
            continue
        before_start = last.start - timedelta(weeks=4)
        before_km = sum(a.distance_km for a in runs[:i] if a.start > before_start) / 4
        end = min(day + timedelta(days=14), as_of + timedelta(days=1))
        days = max(7, (end - day).days)
        after_km = sum(a.distance_km for a in runs[i:] if a.start.date() < end) / (days / 7)
        if before_km > 0 and after_km >= p["return_share"] * before_km:
            off = (back.start - last.start).days
            return _hit(
                info,
                day,
                f"After {off} days without running you came back on {_fmt(day)} at "
                f"{after_km:.1f} km a week, against {before_km:.1f} km a week before the break.",
            )
        return None
    return None


DETECTORS: dict[str, Callable[[PatternInfo, Sequence[Activity], date], PatternHit | None]] = {
    "session_spike": session_spike,
    "weekly_jump": weekly_jump,
    "acwr_high": acwr_high,
    "shoe_switch": shoe_switch,
    "surface_to_trail": _surface(True),
    "surface_to_road": _surface(False),
    "return_after_break": return_after_break,
}


def find_patterns(
    activities: Sequence[Activity], as_of: date, knowledge: TrainingKnowledge
) -> list[PatternHit]:
    """Every pattern of ``knowledge`` found in the running activities up to ``as_of``, strongest
    evidence first. A pattern in the knowledge with no detector is a programming error."""
    runs = sorted((a for a in activities if a.sport.is_running), key=lambda a: a.start)
    hits: list[PatternHit] = []
    for pid, info in knowledge.patterns.items():
        hit = DETECTORS[pid](info, runs, as_of)
        if hit is not None:
            hits.append(hit)
    order = {Evidence.strong: 0, Evidence.moderate: 1, Evidence.weak: 2}
    return sorted(hits, key=lambda h: (order[h.evidence], -h.day.toordinal()))
