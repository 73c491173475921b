"""What to do: whom to see, the self-care plan, the tools and the lower-leg areas, chosen from
the likely conditions and the triage level."""

from __future__ import annotations

from collections import defaultdict

from stridewise.kb.loader import KnowledgeBase
from stridewise.kb.models import TriageLevel
from stridewise.triage.model import Scored
from stridewise.triage.schemas import LowerLegOut, SelfCareOut, SpecialistOut, ToolOut
from stridewise.triage.urgency import TriageDecision

MAX_SPECIALISTS = 3
MAX_SELF_CARE = 10
# Conditions below this share of probability do not shape the plan, but their "avoid" lists
# still apply from AVOID_FLOOR up, so advice never harms a plausible condition.
PLAN_FLOOR = 0.08
AVOID_FLOOR = 0.05

_LEVEL_FIRST = {
    TriageLevel.emergency: (
        "emergency_department",
        "Warning signs mean this needs emergency "
        "assessment now; the emergency department can do scans and treat "
        "it straight away.",
    ),
    TriageLevel.urgent: (
        "urgent_care",
        "This should be examined today, usually with an X-ray "
        "or scan; urgent care or a same-day appointment can do that.",
    ),
}
_SEEK = {
    TriageLevel.emergency: "seek_emergency_care",
    TriageLevel.urgent: "seek_urgent_care",
}


def specialists(
    kb: KnowledgeBase, ranked: list[Scored], decision: TriageDecision
) -> list[SpecialistOut]:
    """Provider types, most fitting first: the triage level's first stop, then the providers of
    the likely conditions weighted by probability and by their order in each condition."""
    out: list[SpecialistOut] = []
    first = _LEVEL_FIRST.get(decision.level)
    if first:
        pt = kb.provider_types[first[0]]
        out.append(SpecialistOut(id=pt.id, name=pt.name, why=first[1], video_ok=False))
    weight: dict[str, float] = defaultdict(float)
    why: dict[str, tuple[float, str, bool]] = {}
    for s in ranked[:6]:
        cond = kb.conditions[s.condition]
        for rank, rec in enumerate(cond.providers):
            w = s.probability / (1 + rank)
            weight[rec.id] += w
            if rec.id not in why or why[rec.id][0] < w:
                why[rec.id] = (w, f"For {cond.name.lower()}: {rec.why}", rec.video_ok)
    for pid in sorted(weight, key=lambda p: -weight[p]):
        if any(o.id == pid for o in out) or len(out) >= MAX_SPECIALISTS:
            continue
        if decision.level >= TriageLevel.urgent and pid in {"massage_therapist", "chiropractor"}:
            continue
        pt = kb.provider_types[pid]
        _, text, video = why[pid]
        video_ok = video and decision.level <= TriageLevel.consult
        out.append(SpecialistOut(id=pid, name=pt.name, why=text, video_ok=video_ok))
    return out


def self_care(
    kb: KnowledgeBase, ranked: list[Scored], decision: TriageDecision
) -> list[SelfCareOut]:
    """The self-care modules for the likely conditions, minus anything a plausible condition
    says to avoid. Emergencies get only the seek-care module: nothing should delay going."""
    avoid = {
        m for s in ranked if s.probability >= AVOID_FLOOR for m in kb.conditions[s.condition].avoid
    }
    chosen: list[str] = []
    seek = _SEEK.get(decision.level)
    if seek and seek in kb.self_care:
        chosen.append(seek)
    if decision.level != TriageLevel.emergency:
        score: dict[str, float] = defaultdict(float)
        for s in ranked:
            if s.probability < PLAN_FLOOR and s is not ranked[0]:
                continue
            mods = kb.conditions[s.condition].self_care
            for i, mod in enumerate(mods):
                score[mod] += s.probability * (1.0 - i / (2 * max(len(mods), 1)))
        if decision.level == TriageLevel.urgent:
            # Until examined, only protective measures.
            protective = {
                "relative_rest",
                "rice",
                "ice",
                "elevation",
                "medical_boot",
                "pain_relief",
                "stop_running_now",
                "compression_socks",
            }
            score = defaultdict(float, {m: v for m, v in score.items() if m in protective})
        for mod in sorted(score, key=lambda m: -score[m]):
            if mod not in avoid and mod not in chosen and mod in kb.self_care:
                chosen.append(mod)
    out = []
    for mid in chosen[:MAX_SELF_CARE]:
        m = kb.self_care[mid]
        out.append(
            SelfCareOut(
                id=m.id,
                title=m.title,
                category=m.category,
                summary=m.summary,
                steps=list(m.steps),
                cautions=list(m.cautions),
                tools=list(m.tools),
            )
        )
    return out


def tools(kb: KnowledgeBase, plan: list[SelfCareOut]) -> list[ToolOut]:
    seen: list[str] = []
    for m in plan:
        for t in m.tools:
            if t not in seen and t in kb.tools:
                seen.append(t)
    return [
        ToolOut(id=t.id, name=t.name, use=t.use, pros=list(t.pros), cons=list(t.cons))
        for t in (kb.tools[i] for i in seen)
    ]


def lower_leg(
    kb: KnowledgeBase, plan: list[SelfCareOut], decision: TriageDecision
) -> list[LowerLegOut]:
    """The lower-leg areas whose care overlaps the plan: where foot pain is often driven from."""
    if decision.level >= TriageLevel.urgent:
        return []
    mods = {m.id for m in plan}
    return [
        LowerLegOut(id=a.id, name=a.name, how_it_drives_foot_pain=a.how_it_drives_foot_pain)
        for a in kb.lower_leg.values()
        if mods & set(a.self_care)
    ]
