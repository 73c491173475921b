"""Tables of the four CMS files (migration 0006_cms).

Each kind (``dac``, ``affiliations``, ``mips``, ``services``) is imported on its own and swapped
atomically like the NPPES directory: rows carry a ``generation``, ``cms_state`` says which one
of each kind searches read, an import writes generation N+1 while N is read, then flips.

``directory_evidence`` holds, per directory generation and NPI, the points the CMS data and the
register's freshness add to the import-time score tier (see :mod:`.evidence`).
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Boolean, Float, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from stridewise.db.base import Base


class CmsKind(StrEnum):
    """The four CMS files we import."""

    dac = "dac"
    affiliations = "affiliations"
    mips = "mips"
    services = "services"


class CmsState(Base):
    """One row per kind: the active generation and the last import's summary."""

    __tablename__ = "cms_state"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    active_generation: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    #: The data year (services: the year of service; others: the release year), 0 if unknown.
    year: Mapped[int] = mapped_column(Integer, default=0)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text, default="{}")


class CmsClinician(Base):
    """One NPI of the Doctors and Clinicians file, its rows folded together."""

    __tablename__ = "cms_clinicians"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    npi: Mapped[str] = mapped_column(String(10), primary_key=True)
    #: Primary then secondary specialties, " | "-separated, as CMS spells them.
    specialties: Mapped[str] = mapped_column(String(400), default="")
    sports_specialty: Mapped[bool] = mapped_column(Boolean, default=False)
    telehealth: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Accepts Medicare assignment (the approved amount as full payment) on any row.
    assignment: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Group practice names, " | "-separated, at most a few.
    groups: Mapped[str] = mapped_column(Text, default="")
    med_school: Mapped[str] = mapped_column(String(200), default="")
    grad_year: Mapped[int] = mapped_column(SmallInteger, default=0)


class CmsLocation(Base):
    """Every practice address of a DAC NPI (seq from 1, in file order, deduplicated)."""

    __tablename__ = "cms_locations"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    npi: Mapped[str] = mapped_column(String(10), primary_key=True)
    seq: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    group_name: Mapped[str] = mapped_column(String(200), default="")
    address1: Mapped[str] = mapped_column(String(200), default="")
    address2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(40), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")


class CmsAffiliation(Base):
    """NPI to hospital (CMS Certification Number) from the Facility Affiliation file."""

    __tablename__ = "cms_affiliations"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    npi: Mapped[str] = mapped_column(String(10), primary_key=True)
    ccn: Mapped[str] = mapped_column(String(10), primary_key=True)
    facility_type: Mapped[str] = mapped_column(String(60), default="")


class MipsSource(StrEnum):
    """Which score a clinician's MIPS row is: their own, or a group's they report with."""

    individual = "individual"
    group = "group"
    virtual_group = "virtual group"
    apm_entity = "APM entity"


class CmsMips(Base):
    """One MIPS final score per NPI: the individual one when there is one, otherwise the most
    specific group's (group, then virtual group, then APM entity)."""

    __tablename__ = "cms_mips"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    npi: Mapped[str] = mapped_column(String(10), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(20))


class CmsProcedure(Base):
    """Medicare services of one NPI for one configured procedure group, summed over codes and
    places of service (a group with fewer than 11 services in every row is absent: CMS
    suppresses those rows)."""

    __tablename__ = "cms_procedures"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    npi: Mapped[str] = mapped_column(String(10), primary_key=True)
    group_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    services: Mapped[float] = mapped_column(Float, default=0.0)
    beneficiaries: Mapped[int] = mapped_column(Integer, default=0)


class DirectoryEvidence(Base):
    """Evidence points per (directory generation, NPI), already added to that generation's
    ``directory_search.static`` and ``tier``."""

    __tablename__ = "directory_evidence"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    npi: Mapped[str] = mapped_column(String(10), primary_key=True)
    points: Mapped[float] = mapped_column(Float, default=0.0)
