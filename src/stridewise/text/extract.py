"""Turn a runner's free text into findings: present or absent, with the words that said so.

Everything it knows is passed in: the text knowledge (lexicon, negation, spelling, derived
findings) and the knowledge base (for the findings' declared implications)."""

from __future__ import annotations

from dataclasses import dataclass, field

from stridewise.kb.implications import implied_by
from stridewise.kb.loader import KnowledgeBase
from stridewise.text.aside import ASIDE_WEIGHT, aside_spans, blank
from stridewise.text.classify import _INNER_DENIAL as _INNER_DENIAL
from stridewise.text.classify import _WITHOUT_PAIN as _WITHOUT_PAIN
from stridewise.text.classify import HEDGED_WEIGHT as HEDGED_WEIGHT
from stridewise.text.classify import Extracted, Reading, _extracted, classify
from stridewise.text.classify import _denies_itself as _denies_itself
from stridewise.text.derived import derive
from stridewise.text.durations import duration_days, duration_finding
from stridewise.text.knowledge import TextKnowledge
from stridewise.text.lexicon import FindingPatterns
from stridewise.text.literals import Expr, is_plain
from stridewise.text.negation import Scopes, negation_scopes
from stridewise.text.normalise import normalise
from stridewise.text.scanner import Scanner
from stridewise.text.selfdiagnosis import mask_self_diagnosis
from stridewise.text.triggers import Hits

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


@dataclass
class Extraction:
    text: str
    findings: dict[str, Extracted] = field(default_factory=dict)
    masked_self_diagnoses: list[str] = field(default_factory=list)
    age: int | None = None
    sex: str | None = None
    duration_days: float | None = None


def _classify(
    p: FindingPatterns, text: str, scopes: Scopes, hits: Hits, plain: bool
) -> Extracted | None:
    """What ``text`` says of one finding (``classify.classify``). ``hits``:
    ``knowledge.triggers.scan(text)``; ``plain``: ``literals.is_plain(text)``."""
    return classify(p, Reading.of(text, scopes, hits, plain))


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
    reading = Reading.of(masked, scopes, hits, plain)
    lexicon = knowledge.lexicon
    findings = result.findings
    # Only findings whose words occur run their expressions, in lexicon order (the order of
    # the findings in the result).
    for fid in sorted(candidates, key=index.rank.__getitem__):
        found = classify(lexicon[fid], reading)
        if found:
            findings[fid] = found
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
    reading = Reading.of(main, scopes, hits, plain)
    in_main = {
        fid: found
        for fid in result.findings
        if (found := classify(lexicon[fid], reading)) is not None
    }
    # Without a located complaint elsewhere the "aside" is the story itself.
    if not any(fid.startswith("loc_") and e.status == "present" for fid, e in in_main.items()):
        return
    for fid, ex in list(result.findings.items()):
        if ex.status == "present" and fid not in in_main:
            result.findings[fid] = Extracted(fid, ex.status, min(ex.weight, ASIDE_WEIGHT), ex.quote)


def _set(result: Extraction, fid: str, status: str, quote: str, weight: float = 1.0) -> None:
    if fid not in result.findings:
        result.findings[fid] = _extracted(fid, status, weight, quote)


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
