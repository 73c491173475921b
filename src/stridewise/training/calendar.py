"""A return-to-run plan as an iCalendar (.ics) file the runner can import into any calendar.

Each session is an all-day event (runners pick the hour themselves) carrying the rule that moves
them forward or back. Nothing personal goes in: no name, no words, no history."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Event

from stridewise.training.plan import ReturnPlan

# Days of the week (from the plan's start day) for n sessions: rest days in between.
SPREAD = {
    1: [0],
    2: [0, 3],
    3: [0, 2, 4],
    4: [0, 2, 4, 6],
    5: [0, 1, 3, 4, 6],
    6: [0, 1, 2, 3, 4, 5],
    7: [0, 1, 2, 3, 4, 5, 6],
}


def _rules(plan: ReturnPlan) -> str:
    lines = [
        f"Pain limit during the run: {plan.during_max} out of 10.",
        f"Move on: {plan.forward}",
        f"Repeat the week: {plan.hold}",
        f"Go back a week: {plan.back}",
        "Stop and see someone: " + " ".join(plan.stop_and_see),
        "Stridewise is not a diagnosis and does not replace a clinician.",
    ]
    return "\n".join(lines)


def plan_ics(plan: ReturnPlan, start: date) -> bytes:
    """The plan's sessions from ``start`` as an .ics file. A clinician-first plan gives a single
    reminder event to book that appointment."""
    cal = Calendar()
    cal.add("prodid", "-//Stridewise//Return to running//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Return to running: {plan.condition_name}")
    if plan.see_clinician_first:
        ev = Event()
        ev.add("uid", f"clinician-first-{plan.condition_id}-{start.isoformat()}@stridewise")
        ev.add("dtstamp", _stamp(start))
        ev.add("dtstart", start)
        ev.add("dtend", start + timedelta(days=1))
        ev.add("summary", "See a clinician before running again")
        ev.add("description", plan.approach)
        cal.add_component(ev)
        return bytes(cal.to_ical())
    rules = _rules(plan)
    for week in plan.weeks:
        week_start = start + timedelta(weeks=week.number - 1)
        for i, (session, offset) in enumerate(
            zip(week.sessions, SPREAD[len(week.sessions)], strict=True), start=1
        ):
            day = week_start + timedelta(days=offset)
            ev = Event()
            ev.add("uid", f"{plan.plan_id}-{start.isoformat()}-w{week.number}-s{i}@stridewise")
            ev.add("dtstamp", _stamp(start))
            ev.add("dtstart", day)
            ev.add("dtend", day + timedelta(days=1))
            ev.add("summary", f"Week {week.number}: {session.describe()}")
            ev.add("description", f"{week.note}\n\n{rules}".strip())
            cal.add_component(ev)
    return bytes(cal.to_ical())


def _stamp(start: date) -> datetime:
    # DTSTAMP is required; the plan's start keeps the file reproducible for the same inputs.
    return datetime.combine(start, time(0, 0), tzinfo=UTC)
