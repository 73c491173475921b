"""What Medicare's public files say about one clinician, as shown on the provider page: the
response models only (no database), so the directory's schemas can name them without loading
the database layer. :mod:`.facts` fills them."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ProcedureCount(BaseModel):
    group: str
    label: str
    services: float
    beneficiaries: int


class MedicareLocation(BaseModel):
    group_name: str
    line1: str
    line2: str
    city: str
    state: str
    postal_code: str
    phone: str


class MedicareFacts(BaseModel):
    """From the Doctors and Clinicians, Facility Affiliation, MIPS and Medicare services files.
    Empty fields mean no data, which is not bad data (most are about patients over 65)."""

    specialties: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    telehealth: bool = False
    assignment: bool = False
    locations: list[MedicareLocation] = Field(default_factory=list)
    hospitals: int = 0
    procedures: list[ProcedureCount] = Field(default_factory=list)
    services_year: int = 0
    mips_score: float | None = None
    mips_source: str = ""
    listed: bool = False
