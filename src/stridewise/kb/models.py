"""Pydantic models for the knowledge base. The YAML under ``kb/data`` is validated against these
at load, so a malformed fact fails loudly instead of skewing a differential."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

Probability = Annotated[float, Field(ge=0.001, le=0.999)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TriageLevel(StrEnum):
    """Ordered from least to most urgent; ``rank`` gives the order."""

    self_care = "self_care"
    consult = "consult"
    urgent = "urgent"
    emergency = "emergency"

    @property
    def rank(self) -> int:
        return _TRIAGE_ORDER.index(self)

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, TriageLevel):
            return NotImplemented
        return self.rank >= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, TriageLevel):
            return NotImplemented
        return self.rank > other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, TriageLevel):
            return NotImplemented
        return self.rank <= other.rank

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, TriageLevel):
            return NotImplemented
        return self.rank < other.rank


_TRIAGE_ORDER = [
    TriageLevel.self_care,
    TriageLevel.consult,
    TriageLevel.urgent,
    TriageLevel.emergency,
]

ProviderTypeId = Literal[
    "podiatrist",
    "sports_medicine_physician",
    "orthopedic_foot_ankle_surgeon",
    "orthopedic_surgeon",
    "physical_therapist",
    "athletic_trainer",
    "pedorthist_orthotist",
    "chiropractor",
    "massage_therapist",
    "primary_care",
    "urgent_care",
    "emergency_department",
    "neurologist",
    "rheumatologist",
    "vascular_surgeon",
]


class Source(Strict):
    """A public reference. Every clinical statement in the KB points at one or more of these."""

    id: str
    title: str
    publisher: str
    url: HttpUrl
    year: int | None = None
    kind: Literal["patient_guide", "guideline", "review", "study", "clinical_rule", "textbook"]


class FindingGroup(StrEnum):
    location = "location"
    side = "side"
    onset = "onset"
    timing = "timing"
    duration = "duration"
    character = "character"
    appearance = "appearance"
    examination = "examination"
    function = "function"
    systemic = "systemic"
    risk_factor = "risk_factor"
    history = "history"


class Finding(Strict):
    """One observable fact about the runner. ``leak`` is P(finding | a condition that does not list
    it): the background rate that keeps an unlisted finding from zeroing a condition."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    group: FindingGroup
    label: str = Field(description="Short plain-language label shown in results.")
    question: str | None = Field(
        default=None, description="Runner-facing yes/no question; None means never asked directly."
    )
    help: str | None = None
    why: str | None = Field(default=None, description="Why we ask, in the runner's terms.")
    leak: Probability = 0.05
    parent: str | None = Field(
        default=None, description="A more general finding this one implies (e.g. heel -> sole)."
    )
    choice_group: str | None = Field(
        default=None, description="Interview single-choice group this finding belongs to."
    )
    red_flag: bool = False
    implies: list[str] = Field(
        default_factory=list,
        description="Findings that are present whenever this one is (a pop is an injury).",
    )
    absent_implies: list[str] = Field(
        default_factory=list,
        description="Findings that are absent whenever this one is (no injury: no twist).",
    )


class ChoiceGroup(Strict):
    """A single-choice interview question whose options are findings."""

    id: str
    question: str
    help: str | None = None
    why: str
    options: list[str] = Field(min_length=2)


class AgeEffect(Strict):
    min: int = Field(ge=0, le=120)
    max: int = Field(ge=0, le=120)
    factor: float = Field(gt=0, le=50)


class SexEffects(Strict):
    female: float = Field(default=1.0, gt=0, le=20)
    male: float = Field(default=1.0, gt=0, le=20)


class ProviderRec(Strict):
    id: ProviderTypeId
    why: str
    video_ok: bool = False


class UrgencyRule(Strict):
    """Escalates the triage when this condition is plausible and the listed findings are present."""

    all_of: list[str] = Field(default_factory=list)
    any_of: list[str] = Field(default_factory=list)
    level: TriageLevel
    reason: str


class Condition(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    icd10cm: str
    region: str
    summary: str = Field(min_length=40, description="What it is, in plain language.")
    typical_symptoms: list[str] = Field(min_length=2)
    prior: Probability = Field(
        description="Share of runners presenting with foot/ankle/lower-leg pain who have it."
    )
    prior_sources: list[str] = Field(min_length=1)
    age_effects: list[AgeEffect] = Field(default_factory=list)
    sex_effects: SexEffects = Field(default_factory=SexEffects)
    findings: dict[str, Probability] = Field(
        min_length=6, description="P(finding present | condition) for the findings that matter."
    )
    triage: TriageLevel = Field(
        description="Level when this is the likely cause and no flag fires."
    )
    urgency_rules: list[UrgencyRule] = Field(default_factory=list)
    providers: list[ProviderRec] = Field(min_length=1)
    self_care: list[str] = Field(description="Ids of self-care modules that fit this condition.")
    avoid: list[str] = Field(default_factory=list, description="Self-care modules that would harm.")
    advice: list[str] = Field(default_factory=list, description="Condition-specific advice.")
    see_care_when: list[str] = Field(min_length=1)
    return_to_running: str
    sources: list[str] = Field(min_length=2)

    @field_validator("age_effects")
    @classmethod
    def _ranges_ordered(cls, v: list[AgeEffect]) -> list[AgeEffect]:
        for eff in v:
            if eff.min > eff.max:
                raise ValueError(f"age effect {eff.min}-{eff.max} is backwards")
        return v


class SelfCareModule(Strict):
    """A self-care measure: what to do, how, and what to watch for."""

    id: str
    title: str
    category: Literal[
        "rest_protect",
        "cold_heat",
        "stretch",
        "strengthen",
        "massage",
        "footwear",
        "support",
        "training",
        "seek_care",
    ]
    summary: str
    steps: list[str] = Field(min_length=1)
    cautions: list[str] = Field(default_factory=list)
    tools: list[str] = Field(default_factory=list)
    sources: list[str] = Field(min_length=1)


class Tool(Strict):
    id: str
    name: str
    use: str
    pros: list[str] = Field(min_length=1)
    cons: list[str] = Field(min_length=1)
    sources: list[str] = Field(min_length=1)


class LowerLegArea(Strict):
    id: Literal["calves", "soleus", "posterior_tibialis", "lower_hamstring"]
    name: str
    how_it_drives_foot_pain: str
    self_care: list[str] = Field(min_length=1)
    sources: list[str] = Field(min_length=1)


class RedFlagRule(Strict):
    """A rule that sets a floor on the triage level. Probabilities never lower it."""

    id: str
    name: str
    level: TriageLevel
    all_of: list[str] = Field(default_factory=list)
    any_of: list[str] = Field(default_factory=list)
    any_of_2: list[str] = Field(
        default_factory=list, description="A second any-of clause, ANDed with the first."
    )
    none_of: list[str] = Field(default_factory=list)
    min_age: int | None = None
    max_age: int | None = None
    reason: str = Field(description="Shown to the runner, names the red flag and what to do.")
    providers: list[ProviderTypeId] = Field(min_length=1)
    sources: list[str] = Field(min_length=1)


class SafetyQuestion(Strict):
    """A warning-sign question asked of every runner it fits, whatever the differential says,
    while the triage level is below ``asked_below`` (urgent unless the sign it checks is an
    emergency one that an urgent level does not cover). Kept few: each one costs every runner a
    question."""

    finding: str
    when_any: list[str] = Field(
        default_factory=list,
        description="Findings (locations count with their parents) that make it fit; empty "
        "means everyone.",
    )
    asked_below: TriageLevel = Field(
        default=TriageLevel.urgent,
        description="Asked while the triage level is below this one.",
    )
    min_age: int | None = Field(
        default=None,
        ge=0,
        le=120,
        description="Asked only of runners known to be at least this old.",
    )
    why: str = Field(min_length=5, description="Why we ask, in the runner's terms.")
    sources: list[str] = Field(min_length=1)


class ProviderType(Strict):
    id: ProviderTypeId
    name: str
    description: str
    taxonomy_codes: list[str] = Field(default_factory=list)
    video_ok: bool = False
