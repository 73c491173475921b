"""The condition library as data: the list of conditions and one condition with every id
resolved to the knowledge base's words. The JSON API returns these models; the library pages
render the same facts (``web/pages/library.py``)."""

from __future__ import annotations

from pydantic import BaseModel

from stridewise.kb.loader import KnowledgeBase
from stridewise.kb.models import Condition, TriageLevel

REGION_NAMES = {
    "heel_arch": "Heel and arch",
    "forefoot": "Forefoot and toes",
    "toes": "Toes and nails",
    "midfoot": "Midfoot and top of the foot",
    "ankle": "Ankle",
    "achilles": "Achilles and back of the heel",
    "lower_leg": "Shin and calf",
    "skin": "Skin and nails",
    "whole_foot": "Whole foot, nerves and circulation",
}


def region_name(region: str) -> str:
    return REGION_NAMES.get(region, region.replace("_", " ").capitalize())


class ConditionSummary(BaseModel):
    id: str
    name: str
    region: str
    triage: TriageLevel
    url: str


class SelfCareRef(BaseModel):
    id: str
    title: str
    summary: str


class ProviderRef(BaseModel):
    id: str
    name: str
    why: str
    video_ok: bool


class SourceRef(BaseModel):
    id: str
    title: str
    publisher: str
    url: str
    year: int | None


class ConditionDetail(BaseModel):
    id: str
    name: str
    region: str
    icd10cm: str
    summary: str
    typical_symptoms: list[str]
    advice: list[str]
    self_care: list[SelfCareRef]
    avoid: list[str]
    see_care_when: list[str]
    providers: list[ProviderRef]
    return_to_running: str | None
    sources: list[SourceRef]


def list_conditions(kb: KnowledgeBase) -> list[ConditionSummary]:
    """Every condition, by name."""
    return [
        ConditionSummary(
            id=c.id,
            name=c.name,
            region=region_name(c.region),
            triage=c.triage,
            url=f"/conditions/{c.id}",
        )
        for c in sorted(kb.conditions.values(), key=lambda c: c.name)
    ]


def providers_of(kb: KnowledgeBase, c: Condition) -> list[ProviderRef]:
    return [
        ProviderRef(
            id=p.id,
            name=kb.provider_types[p.id].name if p.id in kb.provider_types else p.id,
            why=p.why,
            video_ok=p.video_ok,
        )
        for p in c.providers
    ]


def condition_detail(kb: KnowledgeBase, condition_id: str) -> ConditionDetail | None:
    """One condition with its ids resolved, or None when the KB has no such condition."""
    c = kb.conditions.get(condition_id)
    if c is None:
        return None
    return ConditionDetail(
        id=c.id,
        name=c.name,
        region=region_name(c.region),
        icd10cm=c.icd10cm,
        summary=c.summary,
        typical_symptoms=list(c.typical_symptoms),
        advice=list(c.advice),
        self_care=[
            SelfCareRef(id=m.id, title=m.title, summary=m.summary)
            for i in c.self_care
            if (m := kb.self_care.get(i))
        ],
        avoid=[i for i in c.avoid if i in kb.self_care],
        see_care_when=list(c.see_care_when),
        providers=providers_of(kb, c),
        return_to_running=c.return_to_running,
        sources=[
            SourceRef(id=s.id, title=s.title, publisher=s.publisher, url=str(s.url), year=s.year)
            for sid in dict.fromkeys(c.sources)
            if (s := kb.sources.get(sid))
        ],
    )


__all__ = ["ConditionDetail", "ConditionSummary", "condition_detail", "list_conditions"]
