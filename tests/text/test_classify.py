"""The finding classifier stops reading once the answer is settled; it must answer exactly as the
straightforward version (every match of every pattern, then the precedence rules) did."""

from __future__ import annotations

import json
import re
from pathlib import Path

from stridewise.engine import Engine
from stridewise.text.extract import (
    HEDGED_WEIGHT,
    Extracted,
    _classify,
    _denies_itself,
)
from stridewise.text.lexicon import FindingPatterns
from stridewise.text.literals import is_plain
from stridewise.text.negation import Scopes, is_hedged, is_negated, is_uncertain, negation_scopes
from stridewise.text.normalise import normalise
from stridewise.text.selfdiagnosis import mask_self_diagnosis

EVALS = Path(__file__).resolve().parents[2] / "evals"


def reference(p: FindingPatterns, text: str, scopes: Scopes) -> Extracted | None:
    """The classifier before the speed work: Unicode-mode patterns, every match, no prefilter."""

    def matches(rx: object) -> list[re.Match[str]]:
        return [] if rx is None else list(re.compile(rx.source).finditer(text))  # type: ignore[attr-defined]

    hits = matches(p.present)
    denials = matches(p.absent)
    if not hits and not denials:
        return None
    excluded = [m.span() for m in matches(p.exclude)] if hits else []
    present: list[Extracted] = []
    absent: list[Extracted] = []
    for m in hits:
        if any(a < m.end() and m.start() < b for a, b in excluded) or is_uncertain(
            text, m.start(), m.end()
        ):
            continue
        quote = m.group(0)
        if is_negated(scopes, m.start()) or _denies_itself(quote):
            absent.append(Extracted(p.finding, "absent", 1.0, quote))
        else:
            weight = HEDGED_WEIGHT if is_hedged(text, m.start(), m.end()) else 1.0
            present.append(Extracted(p.finding, "present", weight, quote))
    for m in denials:
        if not is_negated(scopes, m.start()):
            absent.append(Extracted(p.finding, "absent", 1.0, m.group(0)))
    firm = [e for e in present if e.weight == 1.0]
    if firm:
        return firm[0]
    if absent:
        return absent[0]
    return present[0] if present else None


def test_classify_answers_as_the_reference_on_every_vignette(engine: Engine) -> None:
    knowledge = engine.text
    texts = [
        json.loads(line)["text"]
        for path in sorted(EVALS.glob("vignettes*.jsonl"))
        for line in path.read_text().splitlines()
    ][::4]
    texts += ["caf\u00e9 runner: no swelling,\u00a0but my heel hurts a bit when i run"]
    compared = 0
    for raw in texts:
        text, _ = mask_self_diagnosis(normalise(raw, knowledge.spelling, knowledge.speller))
        scopes = negation_scopes(text, knowledge.negation)
        hits = knowledge.triggers.scan(text)
        candidates = knowledge.triggers.candidates(hits.present)
        plain = is_plain(text)
        for fid, p in knowledge.lexicon.items():
            want = reference(p, text, scopes)
            got = _classify(p, text, scopes, hits, plain) if fid in candidates else None
            assert got == want, (fid, text)
            compared += want is not None
    assert compared > 1000
