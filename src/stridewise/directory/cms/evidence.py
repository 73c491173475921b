"""Evidence points: what the public CMS files and the register's freshness add to a provider's
score, each part in plain words.

    evidence = sports specialty + procedures + telehealth + assignment + hospital
               + freshness + MIPS                                        (0 to 20)

| part | points | from |
|---|---|---|
| sports specialty | 5 | a DAC primary or secondary specialty of sports medicine |
| procedures | 2.5 / 5 / 7.5 | Medicare services in our procedure groups: 11 / 100 / 1,000+ |
| telehealth | 2.5 | the DAC file says the clinician offers telehealth |
| Medicare assignment | 2.5 | accepts Medicare's approved amount as full payment |
| hospital | 2.5 | affiliated with at least one hospital (Facility Affiliation file) |
| freshness | 0 (shown only) | the NPPES record was updated in the last two calendar years |
| MIPS | 0 (tie-breaker) | the final score and its source, always shown; orders equal scores |

Every part is a multiple of 2.5, like the completeness steps, so tiers stay exact in floating
point and few (each distinct tier costs the count one index seek per band). MIPS adds no points:
from 75 up it orders equal scores (:func:`stridewise.directory.ranking.order`), looked up at
query time for the rows tied at the page's edge. No data gives 0 points for a part, never a
penalty: Medicare data cover mostly people over 65, and CMS suppresses counts under 11.

The points are static per NPI, so they live in the import-time tier of ``directory_search``
(``static`` and ``tier`` include them) and searches stay as fast as before. ``directory_evidence``
records what was added per (generation, NPI); :func:`apply` adds the difference whenever a CMS
import or an NPPES import changes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, TextClause
from sqlalchemy import text as _text

from stridewise.directory.cms.procedures import procedure_groups
from stridewise.directory.ranking import MIPS_TIE_MIN

SPORTS_SPECIALTY = 5.0
PROCEDURE_STEPS = ((1000, 7.5), (100, 5.0), (11, 2.5))
TELEHEALTH = 2.5
ASSIGNMENT = 2.5
HOSPITAL = 2.5
#: Shown, not scored yet: every synthetic and most real records are recent, so a point here
#: would rewrite nearly every tier at each import (see docs/directory.md).
FRESH = 0.0
FRESH_YEARS = 2
#: Shown, never hidden, and a tie-breaker worth no points: a fraction of a point would double the
#: number of distinct tiers, and each tier costs the count an index seek per longitude band.
MIPS = 0.0
MIPS_THRESHOLD = MIPS_TIE_MIN
MAX_POINTS = SPORTS_SPECIALTY + PROCEDURE_STEPS[0][1] + TELEHEALTH + ASSIGNMENT + HOSPITAL + FRESH
MAX_POINTS += MIPS


@lru_cache(maxsize=256)
def text(sql: str) -> TextClause:
    """``sqlalchemy.text``, memoised: parsing the bind names of a page's NPI list cost more than
    running the query (as in :mod:`stridewise.directory.search.candidates`)."""
    return _text(sql)


@dataclass
class Evidence:
    """What the CMS files (and the register's date) say about one NPI."""

    sports_specialty: str = ""
    telehealth: bool = False
    assignment: bool = False
    hospitals: int = 0
    #: Services per procedure group id (only groups with data).
    services: dict[str, float] = field(default_factory=dict)
    services_year: int = 0
    mips_score: float | None = None
    mips_source: str = ""
    last_update: str = ""
    dac_listed: bool = False

    @property
    def services_total(self) -> float:
        return sum(self.services.values())


def procedure_points(services: float) -> float:
    for threshold, points in PROCEDURE_STEPS:
        if services >= threshold:
            return points
    return 0.0


def fresh(last_update: str, today: dt.date | None = None) -> bool:
    """NPPES ``MM/DD/YYYY`` within the last FRESH_YEARS calendar years."""
    year = last_update[-4:]
    if not year.isdigit():
        return False
    return int(year) >= (today or dt.date.today()).year - FRESH_YEARS + 1


@lru_cache(maxsize=1)
def _group_labels() -> dict[str, str]:
    return {g.id: g.label for g in procedure_groups().groups}


def points(e: Evidence) -> float:
    """The evidence points of one NPI (see the table above)."""
    total = SPORTS_SPECIALTY if e.sports_specialty else 0.0
    total += procedure_points(e.services_total)
    total += TELEHEALTH if e.telehealth else 0.0
    total += ASSIGNMENT if e.assignment else 0.0
    total += HOSPITAL if e.hospitals else 0.0
    total += FRESH if FRESH and fresh(e.last_update) else 0.0
    if e.mips_score is not None and e.mips_score >= MIPS_THRESHOLD:
        total += MIPS
    return total


def explain(e: Evidence, today: dt.date | None = None) -> list[str]:
    """One plain line per part that has data, in table order (none for a part without data).
    ``today`` (default: the date now) dates the freshness line; pass it for a whole page."""
    why = []
    if e.sports_specialty:
        why.append(f"Medicare lists a sports medicine specialty (+{SPORTS_SPECIALTY:.0f})")
    if e.services:
        labels = _group_labels()
        top = sorted(e.services.items(), key=lambda kv: -kv[1])[:3]
        words = ", ".join(labels.get(g, g) for g, _ in top)
        year = f" in {e.services_year}" if e.services_year else ""
        why.append(
            f"Treated Medicare patients for {words}: {e.services_total:,.0f} services{year}"
            f" (+{procedure_points(e.services_total):.1f})"
        )
    if e.telehealth:
        why.append(f"Offers telehealth (+{TELEHEALTH:.1f})")
    if e.assignment:
        why.append(f"Accepts Medicare assignment (+{ASSIGNMENT:.1f})")
    if e.hospitals:
        n = e.hospitals
        why.append(f"Affiliated with {n} hospital{'' if n == 1 else 's'} (+{HOSPITAL:.1f})")
    if e.last_update:
        recent = "recently" if fresh(e.last_update, today) else "over two years ago"
        why.append(f"Register record last updated {recent}, {e.last_update[-4:]} (+{FRESH:.0f})")
    if e.mips_score is not None:
        effect = (
            "ahead of equal scores, the higher first"
            if e.mips_score >= MIPS_THRESHOLD
            else f"under {MIPS_THRESHOLD:.0f}, orders like no score"
        )
        why.append(
            f"Medicare quality score (MIPS, {e.mips_source}) {e.mips_score:.0f} of 100"
            f" (+0, tie-breaker: {effect})"
        )
    return why


def active_generations(conn: Connection) -> dict[str, int]:
    """The active generation of each CMS kind (0 when never imported)."""
    rows = conn.execute(text("SELECT kind, active_generation FROM cms_state")).all()
    return {str(k): int(g) for k, g in rows}


def _in(npis: list[str] | None, column: str) -> tuple[str, dict[str, Any]]:
    if npis is None:
        return "", {}
    marks = ", ".join(f":n{i}" for i in range(len(npis)))
    return f" AND {column} IN ({marks})", {f"n{i}": n for i, n in enumerate(npis)}


@dataclass(frozen=True)
class Generations:
    """The active generation of each CMS kind (0 when never imported), and the services year."""

    dac: int = 0
    affiliations: int = 0
    mips: int = 0
    services: int = 0
    services_year: int = 0

    @classmethod
    def from_values(cls, values: Iterable[Any]) -> Generations:
        """From the values of :data:`GENERATIONS_SQL`'s columns, in order (NULL as 0)."""
        return cls(*(int(v or 0) for v in values))


#: Select-list items giving one row of :class:`Generations`, to fold into another statement.
GENERATIONS_SQL = ", ".join(
    [
        f"(SELECT active_generation FROM cms_state WHERE kind = '{kind}')"
        for kind in ("dac", "affiliations", "mips", "services")
    ]
    + ["(SELECT year FROM cms_state WHERE kind = 'services')"]
)

#: A page's 1:1 evidence, as columns next to ``directory_providers p`` (with PAGE_JOINS and
#: :func:`page_params`); :func:`from_page_row` reads them back.
PAGE_COLUMNS = (
    "c.npi AS ev_dac, c.sports_specialty AS ev_sports, c.telehealth AS ev_telehealth,"
    " c.assignment AS ev_assignment, m.score AS ev_mips, m.source AS ev_mips_source,"
    " (SELECT COUNT(*) FROM cms_affiliations a WHERE a.generation = :ev_affiliations"
    " AND a.npi = p.npi) AS ev_hospitals"
)
#: ``{npis}`` is the page's NPI list again: with it PostgreSQL looks up those NPIs even when its
#: statistics of a new CMS generation are stale (it otherwise hash-joined a whole generation).
PAGE_JOINS = (
    "LEFT JOIN cms_clinicians c ON c.generation = :ev_dac AND c.npi = p.npi AND c.npi IN ({npis})"
    " LEFT JOIN cms_mips m ON m.generation = :ev_mips AND m.npi = p.npi AND m.npi IN ({npis})"
)


def page_params(gens: Generations) -> dict[str, int]:
    """The bind values of PAGE_COLUMNS and PAGE_JOINS (generation 0 matches no row)."""
    return {"ev_dac": gens.dac, "ev_affiliations": gens.affiliations, "ev_mips": gens.mips}


def from_page_row(
    row: Any, gens: Generations, services: dict[str, float] | None = None
) -> Evidence:
    """The Evidence of one row read with PAGE_COLUMNS (a mapping), and its procedure counts
    (from :func:`page_services`); the same as :func:`gather` gives for that NPI."""
    e = Evidence(last_update=row["last_update"] or "")
    if row["ev_dac"] is not None:
        e.dac_listed = True
        e.sports_specialty = "Sports medicine" if row["ev_sports"] else ""
        e.telehealth, e.assignment = bool(row["ev_telehealth"]), bool(row["ev_assignment"])
    e.hospitals = int(row["ev_hospitals"] or 0)
    if row["ev_mips"] is not None:
        e.mips_score, e.mips_source = float(row["ev_mips"]), str(row["ev_mips_source"])
    if services:
        e.services = services
        e.services_year = gens.services_year
    return e


def page_services(
    conn: Connection, gens: Generations, npis: list[str]
) -> dict[str, dict[str, float]]:
    """Medicare services per procedure group of each of ``npis`` (one statement, none when no
    services file was imported)."""
    if not gens.services or not npis:
        return {}
    only, params = _in(npis, "npi")
    out: dict[str, dict[str, float]] = {}
    for npi, group_id, services in conn.execute(
        text(f"SELECT npi, group_id, services FROM cms_procedures WHERE generation = :k{only}"),
        {**params, "k": gens.services},
    ):
        out.setdefault(str(npi), {})[str(group_id)] = float(services)
    return out


def gather(conn: Connection, generation: int, npis: list[str] | None = None) -> dict[str, Evidence]:
    """Evidence of the directory ``generation``'s providers (or of ``npis`` only), by NPI."""
    if npis is not None and not npis:
        return {}
    gens = active_generations(conn)
    out: dict[str, Evidence] = {}

    def get(npi: str) -> Evidence:
        e = out.get(npi)
        if e is None:
            e = out[npi] = Evidence()
        return e

    only, params = _in(npis, "p.npi")
    params["g"] = generation
    directory = f"directory_providers p WHERE p.generation = :g{only}"
    for npi, last in conn.execute(text(f"SELECT p.npi, p.last_update FROM {directory}"), params):
        get(npi).last_update = last or ""

    # A page's NPIs are listed directly; a whole generation is joined to the directory.
    scope = (
        only.replace("p.npi", "x.npi")
        if npis is not None
        else (f" AND x.npi IN (SELECT p.npi FROM {directory})")
    )

    def rows(sql: str, kind: str, tail: str = "") -> Iterable[Any]:
        if not gens.get(kind):
            return []
        return conn.execute(text(sql + scope + tail), {**params, "k": gens[kind]})

    for npi, _spec, sports, tele, assign in rows(
        "SELECT x.npi, x.specialties, x.sports_specialty, x.telehealth, x.assignment"
        " FROM cms_clinicians x WHERE x.generation = :k",
        "dac",
    ):
        e = get(npi)
        e.dac_listed = True
        e.sports_specialty = "Sports medicine" if sports else ""
        e.telehealth, e.assignment = bool(tele), bool(assign)
    for npi, n in rows(
        "SELECT x.npi, COUNT(*) FROM cms_affiliations x WHERE x.generation = :k",
        "affiliations",
        " GROUP BY x.npi",
    ):
        get(npi).hospitals = int(n)
    for npi, score, source in rows(
        "SELECT x.npi, x.score, x.source FROM cms_mips x WHERE x.generation = :k", "mips"
    ):
        e = get(npi)
        e.mips_score, e.mips_source = float(score), str(source)
    year = 0
    if gens.get("services"):
        year = int(
            conn.execute(text("SELECT year FROM cms_state WHERE kind = 'services'")).scalar() or 0
        )
    for npi, group_id, services in rows(
        "SELECT x.npi, x.group_id, x.services FROM cms_procedures x WHERE x.generation = :k",
        "services",
    ):
        e = get(npi)
        e.services[str(group_id)] = float(services)
        e.services_year = year
    return out


def apply(conn: Connection, generation: int) -> int:
    """Bring the evidence points in ``generation``'s search index up to date (in the caller's
    transaction). Returns the number of NPIs whose points changed."""
    new = {npi: points(e) for npi, e in gather(conn, generation).items()}
    old = {
        str(n): float(p)
        for n, p in conn.execute(
            text("SELECT npi, points FROM directory_evidence WHERE generation = :g"),
            {"g": generation},
        )
    }
    delta = {
        n: new.get(n, 0.0) - old.get(n, 0.0)
        for n in set(new) | set(old)
        if new.get(n, 0.0) != old.get(n, 0.0)
    }
    if not delta:
        return 0
    conn.execute(text("DROP TABLE IF EXISTS evidence_delta"))
    conn.execute(
        text("CREATE TEMPORARY TABLE evidence_delta (npi VARCHAR(10) PRIMARY KEY, d FLOAT)")
    )
    conn.execute(
        text("INSERT INTO evidence_delta (npi, d) VALUES (:n, :d)"),
        [{"n": n, "d": d} for n, d in delta.items()],
    )
    conn.execute(
        text(
            "UPDATE directory_search SET static = directory_search.static + t.d,"
            " tier = directory_search.tier + t.d FROM evidence_delta t"
            " WHERE directory_search.generation = :g AND directory_search.npi = t.npi"
        ),
        {"g": generation},
    )
    conn.execute(text("DROP TABLE evidence_delta"))
    conn.execute(text("DELETE FROM directory_evidence WHERE generation = :g"), {"g": generation})
    kept = [{"g": generation, "n": n, "p": p} for n, p in new.items() if p]
    if kept:
        conn.execute(
            text("INSERT INTO directory_evidence (generation, npi, points) VALUES (:g, :n, :p)"),
            kept,
        )
    return len(delta)


def applied(conn: Connection, generation: int, npis: list[str]) -> dict[str, float]:
    """The evidence points already in ``generation``'s search rows of ``npis``."""
    only, params = _in(npis, "npi")
    if not npis:
        return {}
    rows = conn.execute(
        text(f"SELECT npi, points FROM directory_evidence WHERE generation = :g{only}"),
        {**params, "g": generation},
    )
    return {str(n): float(p) for n, p in rows}


def forget(conn: Connection, generation: int, npis: list[str]) -> None:
    """Record that ``npis``' search rows were rewritten without evidence (incremental import)."""
    only, params = _in(npis, "npi")
    if npis:
        conn.execute(
            text(f"DELETE FROM directory_evidence WHERE generation = :g{only}"),
            {**params, "g": generation},
        )
