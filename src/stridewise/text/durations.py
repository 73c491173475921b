"""How long it has been going on, from phrases such as "for 3 weeks", "since Sunday's race",
"a couple of months ago" or "yesterday". Returns an estimate in days."""

from __future__ import annotations

import re
from datetime import date

from stridewise.text.duration_context import Reading, is_into, is_not_a_duration, reading
from stridewise.text.literals import Expr
from stridewise.text.scanner import Scanner

_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "a few": 3,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "couple": 2,
    "several": 4,
    "few": 3,
    "a handful of": 4,
    "a good few": 4,
    "half a": 0.5,
    "a half": 0.5,
}
_UNITS = {"day": 1, "night": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365, "season": 90}
_WORD_NUM = (
    r"a couple of|a couple|couple of|a few|a good few|a handful of|half a|several|few|an|a|one"
    r"|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
)
# A digit may touch its unit ("6wks", "3yrs"); a word needs a space ("a week", not "aweek").
_NUM = rf"(?:(\d+(?:\.\d+)?)\s*|({_WORD_NUM})[\s-]+)"
_UNIT = r"(day|night|week|wk|fortnight|month|mth|mnth|year|yr|season)s?\b"
_UNIT_DAYS = {"wk": "week", "mth": "month", "mnth": "month", "yr": "year"}
# "my 16 year old son", "my 9 year old's foot": an age, not how long it has hurt.
_NOT_AGE = r"(?![\s-]*old)"
_QUALIFIER = (
    r"(?:about\s+|around\s+|roughly\s+|nearly\s+|almost\s+|over\s+|more than\s+|a good\s+"
    r"|like\s+|maybe\s+|probably\s+|approx\w*\s+|just over\s+|just under\s+|at least\s+)?"
)

# Read from every text, so tried only where an anchor begins (scanner.py).
# "for N units" and its kin: a stated span of this problem. "since 3 weeks", "been 4 months"
# are how non-native and phone-typed runners state the same span.
_FOR = Scanner(
    Expr(
        rf"\b(?:for|past|last|over|about|nearly|almost|around|the last|the past|in the last"
        rf"|going on|coming up to|now|since|been|been like|been about)\s+(?:the\s+)?{_QUALIFIER}"
        rf"{_NUM}{_UNIT}{_NOT_AGE}"
    )
)
# "the past month", "over the last fortnight": one unit, stated as a span.
_PAST_ONE = Scanner(Expr(r"\b(?:the\s+(?:past|last)|past)\s+(week|fortnight|month|year)\b"))
_AGO = Expr(rf"\b{_NUM}{_UNIT}\s+(?:ago|back|now)\b")
_PLAIN = Expr(rf"\b{_NUM}{_UNIT}{_NOT_AGE}")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# "since September": how long depends on today's date (see _since_month).
_SINCE_MONTH = Scanner(
    Expr(rf"\bsince (?:about |around |roughly |early |late |mid[- ]?)?({'|'.join(_MONTHS)})\b")
)
_RELATIVE = [
    (
        Scanner(
            Expr(
                r"\b(?:today|this (?:morning|afternoon|evening)|tonight|just now|an hour ago|hours? ago|earlier today|mid[- ]?run|during (?:today|this)|this run)\b"
            )
        ),
        0.5,
    ),
    (Scanner(Expr(r"\b(?:yesterday|last night|overnight|since (?:last night|yesterday))\b")), 1.0),
    (
        Scanner(
            Expr(
                r"\b(?:this weekend|at the weekend|on (?:sunday|saturday|monday|tuesday|wednesday|thursday|friday)|since (?:sunday|saturday|monday|tuesday|wednesday|thursday|friday)|(?:sunday|saturday|monday|tuesday|wednesday|thursday|friday)[s']* (?:race|run|parkrun|long run|match|game|session))\b"
            )
        ),
        3.0,
    ),
    (Scanner(Expr(r"\b(?:last week|since last week|a week ago)\b")), 7.0),
    (Scanner(Expr(r"\b(?:last month|since last month)\b")), 30.0),
    (
        Scanner(
            Expr(
                r"\b(?:for ages|for a long time|for years|for months|months now|months of (?:this|it)|over (?:the )?months|all (?:this|last) (?:year|season|winter|summer)|since (?:about |around |roughly )?(?:(?:the |last )?(?:spring|summer|autumn|fall|winter)|last year|christmas|new year))\b"
            )
        ),
        90.0,
    ),
    (Scanner(Expr(r"\b(?:for weeks|weeks now|a few weeks|over (?:the )?weeks)\b")), 21.0),
    (Scanner(Expr(r"\b(?:for days|a few days|couple of days)\b")), 3.0),
]


# The longest running or training span read as a bound on the pain: the end of "weeks".
_LONGEST_BOUND = 42.0


def _value(m: re.Match[str]) -> float:
    """Days in a match whose number is group 1 (digits) or 2 (words) and unit group 3."""
    digits, words, unit = m.group(1), m.group(2), m.group(3)
    n = float(digits) if digits else float(_NUMBERS.get(words, 1))
    return n * _UNITS[_UNIT_DAYS.get(unit, unit)]


def _spans(
    rx: Scanner | Expr, text: str, bounds: list[float], *, event: bool = False
) -> list[float]:
    """Days in each match of ``rx`` that is the pain's time: not a rate, a rest, an age or the
    runner's background (duration_context.py). A span of running or training ("been running
    for 3 weeks", "6 weeks into a plan") goes to ``bounds``: the pain is no older."""
    out = []
    for m in rx.finditer(text):
        start = m.start(1) if m.group(1) else m.start(2)
        num = m.group(1) or m.group(2)
        if is_not_a_duration(text, start, m.end(3), num, m.group(3)):
            continue
        seen = reading(text, m.start(), m.end(), event=event)
        if seen is Reading.HISTORY:
            continue
        if seen is Reading.BOUND or is_into(text, m.end()):
            bounds.append(_value(m))
        else:
            out.append(_value(m))
    return out


def _since_month(month: str, today: date) -> float:
    """Days since the first of the last ``month`` not after today ("since September" said on
    3 December: 93 days). Said in that month itself it means this month, at least a day."""
    number = _MONTHS.index(month) + 1
    year = today.year if number <= today.month else today.year - 1
    return max(1.0, float((today - date(year, number, 1)).days))


def duration_days(text: str, today: date | None = None) -> float | None:
    """Best estimate of how many days the problem has lasted, or None if not stated.

    ``text`` is normalised (normalise.py); ``today`` dates "since September" (default: the
    machine's date). Time phrases that date the runner's history, a rate, a rest or an age are
    left out (duration_context.py). Of the rest, "for N units" wins (the runner is describing
    this problem); otherwise the most recent time reference is taken, because earlier ones
    usually describe history ("an attack two years ago ... last night my instep went red")."""
    bounds: list[float] = []
    spans = _spans(_FOR, text, bounds)
    for m in _PAST_ONE.finditer(text):
        if reading(text, m.start(), m.end()) is Reading.PAIN:
            spans.append(float(_UNITS[m.group(1)]))
    if spans:
        return max(spans)
    others = _spans(_AGO, text, bounds, event=True)
    # "ten weeks now" holds "weeks now": the number says how many.
    numbered = [m.span() for m in _PLAIN.finditer(text)]
    for rx, days in _RELATIVE:
        for m in rx.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in numbered):
                continue
            # A day-old event is the injury's own story; older ones may date history.
            if days <= 1.0 or reading(text, m.start(), m.end(), event=True) is Reading.PAIN:
                others.append(days)
                break
    for m in _SINCE_MONTH.finditer(text):
        if reading(text, m.start(), m.end(), event=True) is Reading.PAIN:
            others.append(_since_month(m.group(1), today or date.today()))
    if not others:
        others = _spans(_PLAIN, text, bounds)
    if others:
        return min(others)
    # Nothing dates the pain, but a recent start bounds it: "new to running, 3 weeks". A long
    # running history ("been running 30 years") says nothing of the pain.
    bound = min(bounds, default=None)
    return bound if bound is not None and bound <= _LONGEST_BOUND else None


def duration_finding(days: float | None) -> str | None:
    """Map a duration to the findings vocabulary."""
    if days is None:
        return None
    if days <= 7:
        return "duration_days"
    if days <= 42:
        return "duration_weeks"
    return "duration_months"
