"""Whose time is a time phrase? "for 3 weeks" can be how long the pain has lasted, or how long
the runner has been running ("been running 30 years"), taking a medicine ("on prednisolone for
the last 18 months"), growing ("shot up 6 cm since September"), training ("16 weeks into a
marathon plan"), resting ("took a week off") or how often they run ("five days a week").

Only the first kind is the pain's duration. A phrase is read in its own clause: a few words
either side, stopped at punctuation and at the conjunctions that start a new clause. A clause
that names the runner's history and says nothing of pain is history; a clause that names pain
is the pain's, whatever else it holds ("my shin has hurt since I started running 3 weeks ago").
"""

from __future__ import annotations

import re
from enum import Enum

# How far either side of a time phrase its clause is read, in words.
_BEFORE_WORDS = 10
_AFTER_WORDS = 3

# Where a clause ends. "since" and "now" do not: they belong to the time phrase itself.
_BOUNDARY = re.compile(
    r"[.;!?,()\n:]|(?<!\bon )\band\b(?! on\b)"
    r"|\b(?:but|so|then|because|though|although|while|whereas|which|when|plus)\b"
)
_WORD = re.compile(r"\S+")

# Words that say the clause is about the pain itself.
_PAIN = re.compile(
    r"\b(?:hurt\w*|sore\w*|pain\w*|ach\w*|tender\w*|swell\w*|swollen|puff\w*|throb\w*|limp\w*"
    r"|niggl\w*|stiff\w*|burn\w*|tingl\w*|numb\w*|bruis\w*|twing\w*|agony|killing|sting\w*"
    r"|cramp\w*|bother\w*|injur\w*|symptoms?|problems?|issues?|like this|it (?:has|had) been"
    r"|this (?:has|had) been|it started|this started|started hurting|on and off|comes and goes"
    r"|(?:it|this) came on)\b"
)
# Words that say the clause is about the runner's running: "been running 30 years", "my 5th
# marathon in 10 years". Only spans are read against these: a dated event ("a long run 10
# days ago", "the race on Saturday") is usually when this pain began.
_ACTIVITY = re.compile(
    r"\b(?:run|runs|running|runnin|ran|runner|jog\w*|parkruns?|marathons?|ultras?|races?|racing"
    r"|raced|train\w*|plan|block|programme|program|couch to 5k|c25k|club|miles?|mileage|km|k"
    r"|hik\w*|walk[- ]?(?:run|jog)\w*|cycl\w*|swim\w*|sport|football|netball|rugby|gym)\b"
)
# Words that say the clause is about the runner's background, not this pain: medicines and
# long-standing conditions, operations, periods, growth, work.
_BACKGROUND = re.compile(
    r"\b(?:diabet\w*|osteop\w*|arthritis|asthma|cancer|chemo\w*|steroids?|prednis\w*|alendronate"
    r"|metformin|statins?|warfarin|tablets?|pills?|medication|medicine|hrt|thyroid|smok\w*"
    r"|operation|surgery|replacement|injections?|x[- ]?rayed|x[- ]?ray|scan|periods?"
    r"|grew|grown|shot up|growth spurt|taller|cm|inches|job|shifts?|work\w*|retired)\b"
)


def _clause(text: str, start: int, end: int) -> str:
    """The words around ``text[start:end]`` in its clause, the phrase itself left out."""
    before = text[max(0, start - 80) : start]
    cuts = [m.end() for m in _BOUNDARY.finditer(before)]
    if cuts:
        before = before[cuts[-1] :]
    after = text[end : end + 60]
    stop = _BOUNDARY.search(after)
    if stop is not None:
        after = after[: stop.start()]
    words_before = _WORD.findall(before)[-_BEFORE_WORDS:]
    words_after = _WORD.findall(after)[:_AFTER_WORDS]
    return " ".join(words_before + words_after)


class Reading(Enum):
    """Whose time a time phrase gives."""

    PAIN = "pain"  # how long the pain has lasted
    BOUND = "bound"  # how long the runner has run or trained: the pain is no older
    HISTORY = "history"  # medicines, conditions, operations, growth, work: not the pain's


def reading(text: str, start: int, end: int, *, event: bool = False) -> Reading:
    """Whose time the phrase at ``text[start:end]`` gives, from its clause: a clause that names
    pain is the pain's; one that names the runner's background is history; one that names their
    running or training bounds the pain ("new to running, 3 weeks"). For a dated ``event``
    ("3 weeks ago", "on Saturday") running is no history: a run is usually when it began."""
    clause = _clause(text, start, end)
    if _PAIN.search(clause) is not None:
        return Reading.PAIN
    if _BACKGROUND.search(clause) is not None:
        return Reading.HISTORY
    if not event and _ACTIVITY.search(clause) is not None:
        return Reading.BOUND
    return Reading.PAIN


# The shapes of a time phrase that are not a duration whatever the clause says.
# "five days a week", "3x a wk": how often, not how long.
_RATE_AFTER = re.compile(r"s?\s*(?:a|an|per|each|every|/)\s*(?:day|week|wk|month|year|fortnight)\b")
_RATE_BEFORE = re.compile(
    r"(?:\d\s*(?:k|km|kms|mi|x)?|\bmiles?|\bmi|\bkms?|\bk|\bkilomet\w+|\bruns?|\btimes|\bsessions?"
    r"|\bx|\bdays?|\bnights?|\bhours?|\bhrs?|\bmins?|\bminutes?)\s*$"
)
# "took a week off", "a month off didn't fix it", "rested 3 weeks": a rest, not the pain.
_REST_AFTER = re.compile(r"s?\s*(?:off|of rest|rest|out)\b")
_REST_BEFORE = re.compile(r"\b(?:rest\w*|took|take|taking|break of)\s+(?:for\s+)?$")
# "3 weeks into my marathon block": a point in a plan (it bounds the pain: see ``is_into``).
_INTO_AFTER = re.compile(r"\s*into\b")
# "my father 64 years", "I'm 63 years and": an age.
_AGE_BEFORE = re.compile(
    r"\b(?:i am|im|aged?|father|mother|dad|mum|mom|son|daughter|husband|wife|patient|man"
    r"|woman|boy|girl|he is|she is|grandad|grandma)\s+(?:is\s+)?$"
)


def is_not_a_duration(text: str, start: int, end: int, number: str, unit: str) -> bool:
    """True when ``text[start:end]`` ("a week", "3 weeks", "64 years") is a rate, a rest, a
    or an age rather than how long something has lasted."""
    before = text[max(0, start - 40) : start]
    after = text[end : end + 30]
    if _RATE_AFTER.match(after) or (number in ("a", "an") and _RATE_BEFORE.search(before)):
        return True
    if _REST_AFTER.match(after) or _REST_BEFORE.search(before):
        return True
    return unit.startswith(("year", "yr")) and _AGE_BEFORE.search(before) is not None


def is_into(text: str, end: int) -> bool:
    """True when the time phrase ending at ``end`` is a point in a plan ("6 weeks into")."""
    return _INTO_AFTER.match(text, end) is not None
