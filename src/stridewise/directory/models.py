"""Directory tables (SQLAlchemy 2, typed).

Atomic imports use *generations*: a full import writes every row under a new ``generation``
number while searches keep reading the active one, then flips ``directory_state`` in one short
transaction and deletes the old generation. A killed import leaves only rows of an inactive
generation, which the next import deletes first. No table is renamed, so the schema stays
exactly what the Alembic migrations say.

``directory_search`` is the search index: one row per (key, practice location) where key is
``type:<provider type id>``, or ``other`` for a provider with no provider type. Its primary key
starts with (generation, key, tier, cell, lat, lon): ``tier`` is the row's import-time score
(fit + static), and ``cell`` the quarter-degree longitude band. A type-plus-radius query reads,
best tier first, one short index range per (tier, band) of the circle's bounding box, and stops
as soon as no lower tier can reach the page (see :mod:`stridewise.directory.search`). On SQLite
it is a WITHOUT ROWID table, i.e. the table *is* that index.

``directory_profile_boosts`` is the ranking input for claimed/verified running-focused profiles:
the connect domain writes it (see :func:`stridewise.directory.ranking.set_profile_boost`).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, Integer, SmallInteger, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from stridewise.db.base import Base


class DirectoryState(Base):
    """A single row (id=1): which generation searches read, and the last import's summary."""

    __tablename__ = "directory_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    active_generation: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="{}")


class Provider(Base):
    """One kept NPPES provider, at its primary practice location."""

    __tablename__ = "directory_providers"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    npi: Mapped[str] = mapped_column(String(10), primary_key=True)
    entity_type: Mapped[int] = mapped_column(SmallInteger)
    name: Mapped[str] = mapped_column(String(400))
    credentials: Mapped[str] = mapped_column(String(200), default="")
    address1: Mapped[str] = mapped_column(String(200), default="")
    address2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(40), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    primary_taxonomy: Mapped[str] = mapped_column(String(10))
    #: Every taxonomy code, primary first, comma-separated (NPPES allows up to 15).
    taxonomies: Mapped[str] = mapped_column(String(200))
    #: Our provider type ids these codes map to, comma-separated.
    type_ids: Mapped[str] = mapped_column(String(400), default="")
    sports: Mapped[bool] = mapped_column(Boolean, default=False)
    completeness: Mapped[float] = mapped_column(Float, default=0.0)
    #: Case-folded name, organisation, credentials and city, for the text filter.
    search_text: Mapped[str] = mapped_column(Text, default="")
    last_update: Mapped[str] = mapped_column(String(10), default="")


class PracticeLocation(Base):
    """A secondary practice location (from the pl_pfile); seq starts at 1 per provider."""

    __tablename__ = "directory_locations"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    npi: Mapped[str] = mapped_column(String(10), primary_key=True)
    seq: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    address1: Mapped[str] = mapped_column(String(200), default="")
    address2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(40), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class SearchEntry(Base):
    """Search index row. ``fit`` and ``static`` are precomputed score parts (see ranking)."""

    __tablename__ = "directory_search"
    __table_args__ = ({"sqlite_with_rowid": False},)

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(48), primary_key=True)
    #: ``fit + static``: the best score the row can reach before distance and profile points.
    tier: Mapped[float] = mapped_column(Float, primary_key=True)
    #: ``floor(lon * 4)``: the quarter-degree longitude band (see :func:`records.cell_of`).
    cell: Mapped[int] = mapped_column(Integer, primary_key=True)
    lat: Mapped[float] = mapped_column(Float, primary_key=True)
    lon: Mapped[float] = mapped_column(Float, primary_key=True)
    npi: Mapped[str] = mapped_column(String(10), primary_key=True)
    loc: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    fit: Mapped[float] = mapped_column(Float)
    static: Mapped[float] = mapped_column(Float)


class TaxonomyLabel(Base):
    """Labels for taxonomy codes (NUCC), refreshed by each full import."""

    __tablename__ = "directory_taxonomy"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(300))
    classification: Mapped[str] = mapped_column(String(200), default="")
    specialization: Mapped[str] = mapped_column(String(200), default="")
    sports: Mapped[bool] = mapped_column(Boolean, default=False)
    relevant: Mapped[bool] = mapped_column(Boolean, default=False)


class ProfileBoost(Base):
    """Ranking input owned by the connect domain: a claimed/verified running-focus boost."""

    __tablename__ = "directory_profile_boosts"

    npi: Mapped[str] = mapped_column(String(10), primary_key=True)
    boost: Mapped[float] = mapped_column(Float, default=0.0)
    reason: Mapped[str] = mapped_column(String(200), default="")
    #: Facts of the verified profile the search filters on (migration 0006_cms).
    running_focus: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    accepting: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    telehealth: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: Case-folded languages, each between commas (",english,spanish,"), for a LIKE filter.
    languages: Mapped[str] = mapped_column(String(400), default="", server_default="")
