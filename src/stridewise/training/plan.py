"""A graded return-to-run plan for one condition, built from the runner's own current load.

Week 1 starts from what the runner actually ran: each week's template ("share" of the usual run)
is applied to their median run length of the last four weeks, never more runs a week than they
were doing. Without a history, the defaults from the knowledge base stand in."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from stridewise.kb.loader import KnowledgeBase
from stridewise.kb.models import TriageLevel
from stridewise.training.errors import PlanInputError, UnknownCondition
from stridewise.training.knowledge import ClinicianFirst, PlanInfo, TrainingKnowledge
from stridewise.training.load import CurrentLoad
from stridewise.triage.schemas import AssessmentResult

MAX_BASELINE_MINUTES = 300
MAX_RUNS_PER_WEEK = 7


class SessionKind(StrEnum):
    walk_run = "walk_run"
    run = "run"


@dataclass(frozen=True)
class Session:
    kind: SessionKind
    minutes: int
    run_minutes: int | None = None
    walk_minutes: int | None = None
    repeats: int | None = None
    km: float | None = None

    def describe(self) -> str:
        if self.kind == SessionKind.walk_run:
            return (
                f"{self.repeats} × (run {self.run_minutes} min, walk {self.walk_minutes} min) "
                f"— {self.minutes} min"
            )
        about = f" (about {self.km:.1f} km)" if self.km else ""
        return f"Run {self.minutes} min easy{about}"


@dataclass(frozen=True)
class PlanWeek:
    number: int
    sessions: list[Session]
    note: str

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.sessions)


@dataclass(frozen=True)
class Baseline:
    """The load a plan starts from, and whether it came from the runner's history."""

    run_minutes: float
    runs_per_week: int
    pace_s_per_km: float | None
    from_history: bool


@dataclass(frozen=True)
class ReturnPlan:
    condition_id: str
    condition_name: str
    plan_id: str | None
    name: str
    see_clinician_first: bool
    approach: str
    before_first_run: list[str] = field(default_factory=list)
    during_max: int = 0
    forward: str = ""
    hold: str = ""
    back: str = ""
    stop_and_see: list[str] = field(default_factory=list)
    weeks: list[PlanWeek] = field(default_factory=list)
    baseline: Baseline | None = None
    sources: list[str] = field(default_factory=list)


def baseline_from(current: CurrentLoad | None, tk: TrainingKnowledge) -> Baseline:
    """The plan's starting point: the runner's current load, or the defaults without one."""
    if current is None or current.run_minutes <= 0:
        return Baseline(tk.defaults.run_minutes, tk.defaults.runs_per_week, None, False)
    return Baseline(
        run_minutes=min(current.run_minutes, MAX_BASELINE_MINUTES),
        runs_per_week=max(1, min(MAX_RUNS_PER_WEEK, round(current.runs_per_week))),
        pace_s_per_km=current.pace_s_per_km,
        from_history=True,
    )


def _weeks(plan: PlanInfo, base: Baseline, min_minutes: int) -> list[PlanWeek]:
    out = []
    for n, tmpl in enumerate(plan.weeks, start=1):
        minutes = max(min_minutes, round(base.run_minutes * tmpl.share))
        sessions = (
            max(1, min(tmpl.sessions, base.runs_per_week)) if base.from_history else tmpl.sessions
        )
        if tmpl.run_walk:
            run_m, walk_m = tmpl.run_walk
            repeats = max(1, minutes // (run_m + walk_m))
            session = Session(
                SessionKind.walk_run, repeats * (run_m + walk_m), run_m, walk_m, repeats
            )
        else:
            km = minutes * 60 / base.pace_s_per_km if base.pace_s_per_km else None
            session = Session(SessionKind.run, minutes, km=round(km, 1) if km else None)
        out.append(PlanWeek(n, [session] * sessions, tmpl.note))
    return out


def build_plan(
    condition_id: str,
    kb: KnowledgeBase,
    tk: TrainingKnowledge,
    current: CurrentLoad | None = None,
    *,
    urgent: bool = False,
) -> ReturnPlan:
    """The return-to-run plan for ``condition_id``. ``urgent`` (the triage said urgent care or
    an emergency) always gives "see a clinician first". Raises UnknownCondition."""
    cond = kb.conditions.get(condition_id)
    entry = tk.plan_for(condition_id)
    if cond is None or entry is None:
        raise UnknownCondition(f"no condition {condition_id!r} in the knowledge base")
    if isinstance(entry, ClinicianFirst) or urgent:
        reason = (
            entry.reason
            if isinstance(entry, ClinicianFirst)
            else "Your answers point to getting checked soon; a clinician should clear you "
            "before any running plan."
        )
        return ReturnPlan(
            condition_id=cond.id,
            condition_name=cond.name,
            plan_id=None,
            name="See a clinician before running",
            see_clinician_first=True,
            approach=" ".join(reason.split()),
            stop_and_see=list(cond.see_care_when),
            sources=list(entry.sources),
        )
    base = baseline_from(current, tk)
    return ReturnPlan(
        condition_id=cond.id,
        condition_name=cond.name,
        plan_id=entry.id,
        name=entry.name,
        see_clinician_first=False,
        approach=" ".join(entry.approach.split()),
        before_first_run=list(entry.before_first_run),
        during_max=entry.during_max,
        forward=entry.forward,
        hold=entry.hold,
        back=entry.back,
        stop_and_see=list(entry.stop_and_see),
        weeks=_weeks(entry, base, tk.defaults.min_session_minutes),
        baseline=base,
        sources=list(entry.sources),
    )


def plan_for_result(
    result: AssessmentResult, kb: KnowledgeBase, tk: TrainingKnowledge
) -> ReturnPlan | None:
    """The plan for an assessment's most likely condition (from the default load: a summary
    carries no training history), or None when the result lists no condition."""
    if not result.conditions:
        return None
    try:
        return build_plan(
            result.conditions[0].id, kb, tk, urgent=result.triage.level >= TriageLevel.urgent
        )
    except UnknownCondition:
        return None


def current_from_numbers(
    run_minutes: float | None, runs_per_week: float | None, pace_s_per_km: float | None = None
) -> CurrentLoad | None:
    """A CurrentLoad from numbers carried in a form (the page keeps no history server-side).
    Raises PlanInputError for out-of-range values; None when nothing was given."""
    if run_minutes is None:
        return None
    if not 1 <= run_minutes <= MAX_BASELINE_MINUTES:
        raise PlanInputError(f"usual run length must be 1-{MAX_BASELINE_MINUTES} minutes")
    rpw = runs_per_week if runs_per_week is not None else 3.0
    if not 0.25 <= rpw <= MAX_RUNS_PER_WEEK:
        raise PlanInputError(f"runs a week must be up to {MAX_RUNS_PER_WEEK}")
    if pace_s_per_km is not None and not 120 <= pace_s_per_km <= 1200:
        pace_s_per_km = None
    return CurrentLoad(
        weekly_km=0.0, runs_per_week=rpw, run_minutes=run_minutes, pace_s_per_km=pace_s_per_km
    )
