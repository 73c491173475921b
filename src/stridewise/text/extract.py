"""Turn a runner's free text into findings: present or absent, with the words that said so.

Everything it knows is passed in: the text knowledge (lexicon, negation, spelling, derived
findings) and the knowledge base (for the findings' declared implications)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from stridewise.kb.implications import implied_by
from stridewise.kb.loader import KnowledgeBase
from stridewise.text.anchors import Anchored
from stridewise.text.aside import ASIDE_WEIGHT, aside_spans, blank
from stridewise.text.derived import derive
from stridewise.text.durations import duration_days, duration_finding
from stridewise.text.knowledge import TextKnowledge
from stridewise.text.lexicon import FindingPatterns
from stridewise.text.literals import Expr, is_plain
from stridewise.text.negation import Scopes, is_hedged, is_negated, is_uncertain, negation_scopes
from stridewise.text.normalise import normalise
from stridewise.text.scanner import Scanner
from stridewise.text.selfdiagnosis import mask_self_diagnosis
from stridewise.text.triggers import Hits, may_match

HEDGED_WEIGHT = 0.6
# A phrase can carry its own denial at the end: "the tip of the ankle bone is not sore",
# "pressing the bone does not hurt". The cue sits inside the match, so the scope test (which
# only looks before a match) misses it; this reads it as the runner's answer "no".
_INNER_DENIAL = Expr(
    r"\b(?:not|never|no longer)\b(?: \w+){0,2}? (?:sore|tender|painful|hurt|hurts|hurting|agony)\b"
)
# "I can hop on it without pain" ends in its own denial too, unless the phrase already denies
# the ability ("I can't hop without pain" states the finding).
_WITHOUT_PAIN = Expr(r"\b(?:without|with no) (?:any )?(?:pain|hurting|discomfort|bother)\b")
_DENIED_ABILITY = Expr(r"\b(?:not|never|unable|barely|hardly|impossible)\b")


def _denies_itself(quote: str) -> bool:
    if _INNER_DENIAL.search(quote):
        return True
    m = _WITHOUT_PAIN.search(quote)
    return m is not None and not _DENIED_ABILITY.search(quote[: m.start()])


# Read from every text: tried only where an anchor begins (scanner.py).
_AGE = Scanner(
    Expr(
        r"\b(?:i am|i'm|im|aged?|age:?)\s*(\d{1,2})\b(?!\s*(?:miles|km|k|minutes|mins|weeks|days|months|%|/))"
        r"|\b(\d{1,2})\s*(?:yo|y/o|yrs? old|years? old|year-old|-year-old|m|f)\b"
    )
)
_FEMALE = Scanner(
    Expr(
        r"\b(?:i am a (?:woman|girl|female|lady|mum|mom|mother)|as a (?:woman|female|girl)|my periods?"
        r"|pregnan\w+|had my baby|gave birth|postpartum|(?:\d+)\s*f\b|female runner|my husband)\b"
    )
)
_MALE = Scanner(
    Expr(
        r"\b(?:i am a (?:man|guy|bloke|male|boy|lad|dad|father)|as a (?:man|male|guy|bloke)"
        r"|(?:\d+)\s*m\b|male runner|my wife)\b"
    )
)


@dataclass(frozen=True)
class Extracted:
    finding: str
    status: str  # "present" or "absent"
    weight: float  # 1.0 for a plain statement, less for a hedged one
    quote: str


@dataclass
class Extraction:
    text: str
    findings: dict[str, Extracted] = field(default_factory=dict)
    masked_self_diagnoses: list[str] = field(default_factory=list)
    age: int | None = None
    sex: str | None = None
    duration_days: float | None = None


def _matches(
    rx: Expr | None,
    text: str,
    plain: bool,
    need: tuple[str, ...] | None,
    anchors: Anchored | None,
    hits: Hits,
) -> Iterator[re.Match[str]]:
    """The matches of ``rx`` in ``text``, found lazily (a caller that has its answer stops the
    scan); none without a scan when the pattern's triggers are not present. On a plain text a
    pattern with anchors is tried only where they occur (the same matches: see anchors.py)."""
    if rx is None or not may_match(need, hits.present):
        return iter(())
    if plain and anchors is not None:
        starts = hits.starts(anchors)
        return anchors.finditer(text, starts) if starts else iter(())
    return rx.on(plain).finditer(text)


def _overlaps(m: re.Match[str], spans: list[tuple[int, int]]) -> bool:
    return any(a < m.end() and m.start() < b for a, b in spans)


def _excluded(p: FindingPatterns, text: str, plain: bool, hits: Hits) -> list[tuple[int, int]]:
    if p.exclude is None:
        return []
    if plain and p.exclude_anchors is not None:
        found = p.exclude_anchors.finditer(text, hits.starts(p.exclude_anchors))
        return [m.span() for m in found]
    if not p.exclude.could_match(text):
        return []
    return [m.span() for m in p.exclude.on(plain).finditer(text)]


def _classify(
    p: FindingPatterns, text: str, scopes: Scopes, hits: Hits, plain: bool
) -> Extracted | None:
    """What ``text`` says of one finding. ``hits``: ``knowledge.triggers.scan(text)``;
    ``plain``: ``literals.is_plain(text)``.

    An explicit, unhedged statement beats a denial elsewhere; a denial beats a hedge; among
    equals the earliest wins (a denial the present phrases carry before one the absent phrases
    state). So the first firm statement settles it, and the rest of the text is not read."""
    denied: Extracted | None = None
    hedged: Extracted | None = None
    excluded: list[tuple[int, int]] | None = None
    for m in _matches(p.present, text, plain, p.present_triggers, p.present_anchors, hits):
        if excluded is None:
            excluded = _excluded(p, text, plain, hits)
        start, end = m.span()
        if (excluded and _overlaps(m, excluded)) or is_uncertain(text, start, end):
            continue
        quote = m.group(0)
        if is_negated(scopes, start) or _denies_itself(quote):
            if denied is None:
                denied = Extracted(p.finding, "absent", 1.0, quote)
        elif not is_hedged(text, start, end):
            return Extracted(p.finding, "present", 1.0, quote)
        elif hedged is None:
            hedged = Extracted(p.finding, "present", HEDGED_WEIGHT, quote)
    if denied is not None:
        return denied
    for m in _matches(p.absent, text, plain, p.absent_triggers, p.absent_anchors, hits):
        if not is_negated(scopes, m.start()):
            return Extracted(p.finding, "absent", 1.0, m.group(0))
    return hedged


def extract(text: str, knowledge: TextKnowledge, kb: KnowledgeBase) -> Extraction:
    """Extract findings, age, sex and duration from a runner's description."""
    norm = normalise(text, knowledge.spelling, knowledge.speller)
    masked, self_dx = mask_self_diagnosis(norm)
    scopes = negation_scopes(masked, knowledge.negation)
    hits = knowledge.triggers.scan(masked)
    plain = is_plain(masked)
    index = knowledge.triggers
    candidates = index.anchored_candidates(hits) if plain else index.candidates(hits.present)
    result = Extraction(text=norm, masked_self_diagnoses=self_dx)
    for fid, patterns in knowledge.lexicon.items():
        # Only findings whose words occur run their expressions (in lexicon order, as before).
        if fid not in candidates:
            continue
        found = _classify(patterns, masked, scopes, hits, plain)
        if found:
            result.findings[fid] = found
    _discount_asides(result, masked, knowledge)
    _derive(result, masked, knowledge, kb)
    return result


def _discount_asides(result: Extraction, text: str, knowledge: TextKnowledge) -> None:
    """Down-weight what only a passing mention of a minor problem said (see text/aside.py)."""
    spans = aside_spans(text)
    if not spans:
        return
    main = blank(text, spans)
    scopes = negation_scopes(main, knowledge.negation)
    hits = knowledge.triggers.scan(main)
    plain = is_plain(main)
    lexicon = knowledge.lexicon
    in_main = {
        fid: found
        for fid in result.findings
        if (found := _classify(lexicon[fid], main, scopes, hits, plain)) is not None
    }
    # Without a located complaint elsewhere the "aside" is the story itself.
    if not any(fid.startswith("loc_") and e.status == "present" for fid, e in in_main.items()):
        return
    for fid, ex in list(result.findings.items()):
        if ex.status == "present" and fid not in in_main:
            result.findings[fid] = Extracted(fid, ex.status, min(ex.weight, ASIDE_WEIGHT), ex.quote)


def _set(result: Extraction, fid: str, status: str, quote: str, weight: float = 1.0) -> None:
    if fid not in result.findings:
        result.findings[fid] = Extracted(fid, status, weight, quote)


def _imply(result: Extraction, kb: KnowledgeBase) -> None:
    f = result.findings
    implied = implied_by(kb, {k: v.status for k, v in f.items()})
    for fid, (status, source) in implied.items():
        weight = f[source].weight if status == "present" else 1.0
        _set(result, fid, status, f[source].quote, weight)


def _derive(result: Extraction, text: str, knowledge: TextKnowledge, kb: KnowledgeBase) -> None:
    f = result.findings
    _imply(result, kb)
    # Combinations that are findings themselves (the Ottawa rules: text/data/derived.yaml).
    derive(
        knowledge.derived,
        f,
        lambda fid, status, quote, weight: _set(result, fid, status, quote, weight),
    )
    _imply(result, kb)  # again, for what the derivation added
    left = f.get("side_left")
    right = f.get("side_right")
    if left and right and left.status == right.status == "present":
        _set(result, "side_both", "present", f"{left.quote} … {right.quote}")
    days = duration_days(text)
    result.duration_days = days
    dur = duration_finding(days)
    if dur and not any(k.startswith("duration_") for k in f):
        _set(result, dur, "present", f"about {days:g} days" if days else "")
    if f.get("onset_sudden", None) and f.get("onset_gradual", None):
        # Both matched: trust an explicit trauma for "sudden", otherwise the gradual story.
        keep = "onset_sudden" if "trauma_any" in f else "onset_gradual"
        drop = "onset_gradual" if keep == "onset_sudden" else "onset_sudden"
        if f[drop].status == "present" and f[keep].status == "present":
            del f[drop]
    m = _AGE.search(text)
    if m:
        age = int(m.group(1) or m.group(2))
        if 5 <= age <= 99:
            result.age = age
    if _FEMALE.search(text):
        result.sex = "female"
    elif _MALE.search(text):
        result.sex = "male"
