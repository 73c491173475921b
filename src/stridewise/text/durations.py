"""How long it has been going on, from phrases such as "for 3 weeks", "since Sunday's race",
"a couple of months ago" or "yesterday". Returns an estimate in days."""

from __future__ import annotations

import re

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
_NUM = r"(\d+(?:\.\d+)?|a couple of|a couple|couple of|a few|a good few|a handful of|half a|several|few|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
_UNIT = r"(day|night|week|fortnight|month|year|season)s?"

# Read from every text, so tried only where an anchor begins (scanner.py).
_FOR = Scanner(
    Expr(
        rf"\b(?:for|past|last|over|about|nearly|almost|around|the last|the past|in the last|going on"
        rf"|coming up to|now)\s+(?:the\s+)?(?:about\s+|around\s+|roughly\s+|nearly\s+|almost\s+"
        rf"|over\s+|more than\s+|a good\s+)?{_NUM}\s+{_UNIT}\b(?![\s-]+old\b)"
    )
)
_AGO = Expr(rf"\b{_NUM}\s+{_UNIT}\s+(?:ago|back|now)\b")
# "my 16 year old son" is an age, not how long it has hurt.
_PLAIN = Expr(rf"\b{_NUM}\s+{_UNIT}\b(?![\s-]+old\b)")
# "40 miles a week", "three runs a week": a rate, not how long it has hurt.
_RATE_BEFORE = re.compile(
    r"(?:\d\s*(?:k|km|kms|mi)?|\bmiles?|\bmi|\bkms?|\bk|\bkilomet\w+|\bruns?|\btimes|\bsessions?|\bx)\s*$"
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
                r"\b(?:for ages|for a long time|for years|for months|months now|all (?:this|last) (?:year|season|winter|summer)|since (?:about |around |roughly )?(?:january|february|march|april|may|june|july|august|september|october|november|december|(?:the |last )?(?:spring|summer|autumn|fall|winter)|last year|christmas|new year))\b"
            )
        ),
        90.0,
    ),
    (Scanner(Expr(r"\b(?:for weeks|weeks now|a few weeks)\b")), 21.0),
    (Scanner(Expr(r"\b(?:for days|a few days|couple of days)\b")), 3.0),
]


def _value(num: str, unit: str) -> float:
    n = float(num) if num[0].isdigit() else float(_NUMBERS.get(num, 1))
    return n * _UNITS[unit]


def duration_days(text: str) -> float | None:
    """Best estimate of how many days the problem has lasted, or None if not stated.

    "for N units" wins (the runner is describing this problem); otherwise the most recent
    time reference is taken, because earlier ones usually describe history ("an attack two
    years ago ... last night my instep went red")."""
    spans = [_value(m.group(1), m.group(2)) for m in _FOR.finditer(text)]
    if spans:
        return max(spans)
    others = [_value(m.group(1), m.group(2)) for m in _AGO.finditer(text)]
    others += [days for rx, days in _RELATIVE if rx.search(text)]
    if not others:
        others = [
            _value(m.group(1), m.group(2))
            for m in _PLAIN.finditer(text)
            if not (m.group(1) in ("a", "an") and _RATE_BEFORE.search(text[: m.start()]))
        ]
    return min(others) if others else None


def duration_finding(days: float | None) -> str | None:
    """Map a duration to the findings vocabulary."""
    if days is None:
        return None
    if days <= 7:
        return "duration_days"
    if days <= 42:
        return "duration_weeks"
    return "duration_months"
