"""What to do: whom to see, the self-care plan, the tools and the lower-leg areas, chosen from
the likely conditions and the triage level.

The choice runs on every assessment and every interview step, so what it reads of the
knowledge is laid out once per knowledge base (:class:`PlanTables`); each function returns the
response's items as plain dicts in the schema's field order (see triage/output.py)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from stridewise.kb.loader import KnowledgeBase
from stridewise.kb.models import TriageLevel
from stridewise.triage.model import Scored

MAX_SPECIALISTS = 3
MAX_SELF_CARE = 10
# Conditions below this share of probability do not shape the plan, but their "avoid" lists
# still apply from AVOID_FLOOR up, so advice never harms a plausible condition.
PLAN_FLOOR = 0.08
AVOID_FLOOR = 0.05
#: How many of the likeliest conditions propose their providers.
SPECIALIST_CONDITIONS = 6

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
# Until examined, only protective measures.
_PROTECTIVE = frozenset(
    {
        "relative_rest",
        "rice",
        "ice",
        "elevation",
        "medical_boot",
        "pain_relief",
        "stop_running_now",
        "compression_socks",
    }
)
_NOT_WHEN_URGENT = frozenset({"massage_therapist", "chiropractor"})

Item = dict[str, Any]


class PlanTables:
    """What the plan reads of one knowledge base, laid out for the per-request choice: each
    condition's providers (with the sentence saying why) and self-care weights, and every
    self-care module, tool and lower-leg area as the response's item."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        # condition -> ((provider id, 1 + its rank, why, video ok), ...)
        self.providers = {
            cid: tuple(
                (rec.id, 1 + rank, f"For {cond.name.lower()}: {rec.why}", rec.video_ok)
                for rank, rec in enumerate(cond.providers)
            )
            for cid, cond in kb.conditions.items()
        }
        # condition -> ((module, weight by its place in the condition's list), ...)
        self.care_weights = {
            cid: tuple(
                (mod, 1.0 - i / (2 * max(len(cond.self_care), 1)))
                for i, mod in enumerate(cond.self_care)
            )
            for cid, cond in kb.conditions.items()
        }
        self.avoid = {cid: tuple(cond.avoid) for cid, cond in kb.conditions.items()}
        self.provider_names = {pid: pt.name for pid, pt in kb.provider_types.items()}
        self.modules: dict[str, Item] = {
            mid: {
                "id": m.id,
                "title": m.title,
                "category": m.category,
                "summary": m.summary,
                "steps": list(m.steps),
                "cautions": list(m.cautions),
                "tools": list(m.tools),
            }
            for mid, m in kb.self_care.items()
        }
        # module -> the tools it names that the knowledge base describes, in its order
        self.module_tools = {
            mid: tuple(t for t in m.tools if t in kb.tools) for mid, m in kb.self_care.items()
        }
        self.tools: dict[str, Item] = {
            tid: {
                "id": t.id,
                "name": t.name,
                "use": t.use,
                "pros": list(t.pros),
                "cons": list(t.cons),
            }
            for tid, t in kb.tools.items()
        }
        self.lower_leg = tuple(
            (
                frozenset(a.self_care),
                {"id": a.id, "name": a.name, "how_it_drives_foot_pain": a.how_it_drives_foot_pain},
            )
            for a in kb.lower_leg.values()
        )


def specialists(t: PlanTables, ranked: list[Scored], level: TriageLevel) -> list[Item]:
    """Provider types, most fitting first: the triage level's first stop, then the providers of
    the likely conditions weighted by probability and by their order in each condition."""
    out: list[Item] = []
    first = _LEVEL_FIRST.get(level)
    if first:
        out.append(
            {"id": first[0], "name": t.provider_names[first[0]], "why": first[1], "video_ok": False}
        )
    weight: dict[str, float] = defaultdict(float)
    why: dict[str, tuple[float, str, bool]] = {}
    for s in ranked[:SPECIALIST_CONDITIONS]:
        p = s.probability
        for rid, divisor, text, video in t.providers[s.condition]:
            w = p / divisor
            weight[rid] += w
            if rid not in why or why[rid][0] < w:
                why[rid] = (w, text, video)
    urgent = level >= TriageLevel.urgent
    video_allowed = level <= TriageLevel.consult
    for pid in sorted(weight, key=lambda p: -weight[p]):
        if len(out) >= MAX_SPECIALISTS:
            break
        if any(o["id"] == pid for o in out):
            continue
        if urgent and pid in _NOT_WHEN_URGENT:
            continue
        _, text, video = why[pid]
        out.append(
            {
                "id": pid,
                "name": t.provider_names[pid],
                "why": text,
                "video_ok": video and video_allowed,
            }
        )
    return out


def self_care(t: PlanTables, ranked: list[Scored], level: TriageLevel) -> list[str]:
    """The self-care modules (ids) for the likely conditions, minus anything a plausible
    condition says to avoid. Emergencies get only the seek-care module: nothing should delay
    going. ``ranked`` is most likely first, so each floor ends its loop."""
    avoid: set[str] = set()
    for s in ranked:
        if s.probability < AVOID_FLOOR:
            break
        avoid.update(t.avoid[s.condition])
    chosen: list[str] = []
    seek = _SEEK.get(level)
    if seek and seek in t.modules:
        chosen.append(seek)
    if level != TriageLevel.emergency:
        score: dict[str, float] = defaultdict(float)
        for n, s in enumerate(ranked):
            p = s.probability
            if p < PLAN_FLOOR and n:
                break  # the leader always counts, however unsure
            for mod, factor in t.care_weights[s.condition]:
                score[mod] += p * factor
        if level == TriageLevel.urgent:
            score = defaultdict(float, {m: v for m, v in score.items() if m in _PROTECTIVE})
        for mod in sorted(score, key=lambda m: -score[m]):
            if mod not in avoid and mod not in chosen and mod in t.modules:
                chosen.append(mod)
    return chosen[:MAX_SELF_CARE]


def tools(t: PlanTables, modules: list[str]) -> list[Item]:
    """The tools the chosen modules use, first mention first."""
    seen: dict[str, None] = {}
    for mid in modules:
        for tid in t.module_tools[mid]:
            seen.setdefault(tid)
    return [t.tools[tid] for tid in seen]


def lower_leg(t: PlanTables, modules: list[str], level: TriageLevel) -> list[Item]:
    """The lower-leg areas whose care overlaps the plan: where foot pain is often driven from."""
    if level >= TriageLevel.urgent:
        return []
    mods = set(modules)
    return [item for care, item in t.lower_leg if not mods.isdisjoint(care)]
