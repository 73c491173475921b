"""The triage level. Red-flag rules set a floor that probabilities can never lower; the likely
conditions can only raise it.

Order of precedence, most urgent wins:
1. red-flag rules (KB ``red_flags.yaml``), evaluated on the evidence alone;
2. condition urgency rules, when that condition is plausible (P >= PLAUSIBLE);
3. each condition's own level, when its probability clears that level's threshold.
Emergency conditions need only a small probability to escalate: under-triage is the error we
refuse to make. But a probability raised by who the runner is (age, medicines, risk factors) and
where it hurts, with not one of the condition's own symptoms, is not a pattern that is present:
an emergency by probability needs at least one symptom or sign that points towards it (issue 14,
"a red flag fires only when its pattern is really present"). Red-flag rules are unaffected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stridewise.kb.loader import KnowledgeBase
from stridewise.kb.models import Condition, FindingGroup, RedFlagRule, TriageLevel
from stridewise.triage.model import Scored

PLAUSIBLE = 0.12
# Minimum probability for a condition's own level to apply.
LEVEL_THRESHOLD = {
    TriageLevel.emergency: 0.08,
    TriageLevel.urgent: 0.18,
    TriageLevel.consult: 0.25,
    TriageLevel.self_care: 0.0,
}
# Facts about the person or the place, not symptoms of a condition: they may raise a condition's
# probability but cannot alone make it an emergency.
NOT_SYMPTOMS = frozenset(
    {
        FindingGroup.location,
        FindingGroup.side,
        FindingGroup.duration,
        FindingGroup.risk_factor,
        FindingGroup.history,
    }
)
# A condition with at least this likelihood of months-long symptoms usually runs that long.
LONG_COURSE = 0.5
NERVE_SYMPTOMS = frozenset({"char_burning", "char_tingling", "char_numbness", "char_electric"})
# ... and only when such conditions together hold most of the probability.
LONG_COURSE_CONFIDENT = 0.8
# Below this the leading condition is a guess: advise a clinician rather than self-care.
UNCERTAIN_TOP = 0.30


@dataclass
class TriageDecision:
    level: TriageLevel = TriageLevel.self_care
    reasons: list[str] = field(default_factory=list)
    red_flags: list[str] = field(default_factory=list)
    red_flag_providers: list[str] = field(default_factory=list)
    flag_level: TriageLevel = TriageLevel.self_care  # the floor set by red-flag rules alone

    def raise_to(self, level: TriageLevel, reason: str) -> None:
        if level > self.level:
            self.level = level
        if reason not in self.reasons:
            self.reasons.append(reason)


def rule_fires(rule: RedFlagRule, present: set[str], age: int | None) -> bool:
    # Set operations, not a loop per finding: every assessment tests every rule.
    if not present.issuperset(rule.all_of):
        return False
    if rule.any_of and present.isdisjoint(rule.any_of):
        return False
    if rule.any_of_2 and present.isdisjoint(rule.any_of_2):
        return False
    if not present.isdisjoint(rule.none_of):
        return False
    if rule.min_age is not None and (age is None or age < rule.min_age):
        return False
    return not (rule.max_age is not None and (age is None or age > rule.max_age))


def decide(
    kb: KnowledgeBase, present: set[str], ranked: list[Scored], age: int | None
) -> TriageDecision:
    """Combine red flags and the differential into one level with its reasons."""
    d = TriageDecision()
    fired = [r for r in _candidates(kb.red_flags, present) if rule_fires(r, present, age)]
    for rule in sorted(fired, key=lambda r: -r.level.rank):
        d.raise_to(rule.level, rule.reason)
        d.red_flags.append(rule.id)
        d.red_flag_providers.extend(p for p in rule.providers if p not in d.red_flag_providers)
    d.flag_level = d.level

    floor = _considered_from()
    for s in ranked:
        if s.probability < floor:
            break  # most likely first: no condition from here on can raise the level
        cond = kb.conditions[s.condition]
        if s.probability >= PLAUSIBLE:
            for ur in cond.urgency_rules:
                if present.issuperset(ur.all_of) and (
                    not ur.any_of or not present.isdisjoint(ur.any_of)
                ):
                    d.raise_to(ur.level, ur.reason)
        # ``!= self_care`` is ``> self_care`` (the lowest level), without two rank lookups.
        if cond.triage != TriageLevel.self_care and s.probability >= LEVEL_THRESHOLD[cond.triage]:
            if cond.triage == TriageLevel.emergency and not _has_own_symptom(kb, cond, present):
                continue
            d.raise_to(cond.triage, _condition_reason(cond.name, cond.triage, s.probability))

    if d.level == TriageLevel.self_care and ranked and ranked[0].probability < UNCERTAIN_TOP:
        d.raise_to(
            TriageLevel.consult,
            "We can't tell clearly what this is from what you told us, so it's worth having a "
            "clinician examine it.",
        )
    if d.level == TriageLevel.self_care and "bone_tender" in present:
        # A bone that hurts to press is how a stress fracture shows itself (Mayer 2014); it is
        # worth an examination even when a benign cause leads the list.
        d.raise_to(
            TriageLevel.consult,
            "A spot on the bone is tender to press, so it's worth having a clinician examine it "
            "to rule out a stress fracture.",
        )
    if d.level == TriageLevel.self_care and (
        "self_treatment_failed" in present
        or ("duration_months" in present and not _long_course_expected(kb, ranked, present))
    ):
        d.raise_to(
            TriageLevel.consult,
            "It has lasted a long time or not improved with self-care, so it's worth having it "
            "checked.",
        )
    if not d.reasons:
        d.reasons.append(
            "Nothing you told us is a warning sign, and the likely causes usually get better "
            "with the self-care below."
        )
    return d


def _considered_from() -> float:
    """The lowest probability at which a condition can raise the level (its urgency rules or
    its own level); every condition below it is skipped."""
    return min(
        PLAUSIBLE, *(p for level, p in LEVEL_THRESHOLD.items() if level != TriageLevel.self_care)
    )


class _RuleIndex:
    """The red-flag rules by a finding each needs present: a rule with ``all_of`` under its
    first finding, otherwise under every finding of its first non-empty ``any_of`` clause;
    a rule that needs nothing present under none (``always``). A rule none of whose keys is
    present cannot fire, so only the others are tested - the same rules fire, in KB order."""

    def __init__(self, rules: list[RedFlagRule]) -> None:
        self.rules = rules
        self.size = len(rules)
        self.by_finding: dict[str, list[int]] = {}
        self.always: list[int] = []
        for i, rule in enumerate(rules):
            keys = rule.all_of[:1] or rule.any_of or rule.any_of_2
            if not keys:
                self.always.append(i)
            for fid in keys:
                self.by_finding.setdefault(fid, []).append(i)


# One index per rule list (held here, so its id stays its own); a knowledge base is loaded a few
# times per process at most.
_INDEXES: dict[int, _RuleIndex] = {}


def _candidates(rules: list[RedFlagRule], present: set[str]) -> list[RedFlagRule]:
    """The rules that might fire on ``present``, in their order in the KB."""
    index = _INDEXES.get(id(rules))
    if index is None or index.rules is not rules or index.size != len(rules):
        index = _INDEXES[id(rules)] = _RuleIndex(rules)
    by_finding = index.by_finding
    picked = set(index.always)
    for fid in present:
        hits = by_finding.get(fid)
        if hits:
            picked.update(hits)
    return [rules[i] for i in sorted(picked)]


def _long_course_expected(kb: KnowledgeBase, ranked: list[Scored], present: set[str]) -> bool:
    """Whether months of symptoms are the usual course of the likely (self-care) conditions, as
    with plantar fasciitis, a heel spur or a bunion: then the duration alone is no warning sign.
    NHS advice for these is to see a GP when home treatment has not helped after about two weeks
    (``self_treatment_failed``), not because the problem is old; most plantar fasciitis settles
    within a year of self-care (AAFP, Goff and Crawford 2011)."""
    if "rf_diabetes" in present or not present.isdisjoint(NERVE_SYMPTOMS):
        # With diabetes any lasting foot problem should be checked (NICE NG19), and months of
        # burning, tingling or numbness deserve a check for a neuropathy whatever leads the list.
        return False
    long_course = sum(
        s.probability
        for s in ranked
        if kb.conditions[s.condition].findings.get("duration_months", 0.0) >= LONG_COURSE
    )
    return long_course >= LONG_COURSE_CONFIDENT


def _has_own_symptom(kb: KnowledgeBase, cond: Condition, present: set[str]) -> bool:
    """Whether a present symptom or sign is more likely with ``cond`` than without it (its
    likelihood for the condition above the finding's background rate)."""
    for fid in present:
        p = cond.findings.get(fid)
        finding = kb.findings.get(fid)
        if p is None or finding is None or finding.group in NOT_SYMPTOMS:
            continue
        if p > finding.leak:
            return True
    return False


def _condition_reason(name: str, level: TriageLevel, p: float) -> str:
    pct = round(p * 100)
    if level == TriageLevel.emergency:
        return f"{name} is possible ({pct}%), and it needs emergency care to rule it out."
    if level == TriageLevel.urgent:
        return f"{name} is possible ({pct}%); it should be checked today or within 24 hours."
    return f"{name} is likely ({pct}%); a clinician should examine it in the coming days."


HEADLINES = {
    TriageLevel.emergency: "Call 911 or go to the nearest emergency department now.",
    TriageLevel.urgent: "Get seen today, at urgent care or by a doctor, within 24 hours. "
    "Stop running until then.",
    TriageLevel.consult: "Book an appointment with a clinician in the next few days. "
    "Ease off running in the meantime.",
    TriageLevel.self_care: "This can usually be looked after at home with the plan below. "
    "See someone if it is no better at all after two weeks.",
}
