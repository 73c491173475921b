"""When nothing matches within the radius: the nearest matches further out, and the next best
provider types that do have someone within the radius. A search never ends on an empty page.

:func:`nearest` reads the same index as :mod:`.candidates`, in widening circles (twice the
radius, then 100, 250 and 500 miles), ordered by distance only; each circle is one indexed
range per (tier, longitude band), so a rural miss costs a few milliseconds.

:func:`next_best_types` chooses them by the runner's condition when it is known (the care page
reached from an assessment result, or ``condition=`` in the API): the knowledge base's
``kb/data/care_next_best.yaml`` (:mod:`stridewise.kb.next_best`), the searched type left out.
Otherwise it reads ``directory/data/next_best_types.yaml``: for each provider type, the types
that can also give (or start) the same care, best first, each with a plain reason.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from stridewise.directory import ranking
from stridewise.directory.search.area import DISTANCE2_SQL, Disc
from stridewise.directory.search.candidates import Candidate, Filters, _base, text
from stridewise.kb.next_best import condition_options

#: The provider type for emergencies (its next best types always say: call 911).
EMERGENCY = "emergency_department"

#: Circles tried after the search radius, in miles; beyond the last we say "none within".
WIDER_MILES = (100.0, 250.0, 500.0)


class NextBest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    why: str = Field(min_length=10, max_length=200)


class NextBestTable(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    next_best: dict[str, list[NextBest]]


@lru_cache(maxsize=1)
def next_best_table(path: Path | None = None) -> NextBestTable:
    """Load and validate next_best_types.yaml (cached)."""
    default = Path(str(resources.files("stridewise.directory") / "data" / "next_best_types.yaml"))
    raw = yaml.safe_load((path or default).read_text(encoding="utf-8"))
    return NextBestTable.model_validate(raw)


def next_best_types(type_id: str, condition: str | None = None) -> list[NextBest]:
    """The next best provider types for a runner who searched for ``type_id``, best first
    (may be empty). With a known ``condition``: the types for that condition other than
    ``type_id`` (an emergency condition has none: the answer there is 911). Otherwise, for an
    unknown condition, and for an emergency department searched for a condition that never
    needs one: the types that can also give ``type_id``'s care."""
    options = condition_options().get(condition) if condition else None
    # Someone looking for an emergency department for a condition that never needs one is
    # there for another reason (a warning sign): the emergency list, with its 911 advice.
    if options is not None and type_id == EMERGENCY and all(o.type_id != type_id for o in options):
        options = None
    if options is not None:
        return [NextBest(id=o.type_id, why=o.why) for o in options if o.type_id != type_id]
    return list(next_best_table().next_best.get(type_id, []))


def known_condition(condition: str) -> bool:
    """Whether ``condition`` is a condition id the next best types know."""
    return condition in condition_options()


def wider_radii(radius: float) -> list[float]:
    """The circles to try after ``radius``: twice it, then the fixed steps beyond it."""
    steps = [radius * 2, *WIDER_MILES]
    return sorted({c for c in (min(s, WIDER_MILES[-1]) for s in steps) if c > radius})


def by_distance(
    session: Connection,
    disc: Disc,
    f: Filters,
    generation: int,
    tier_list: list[float],
    need: int,
    max_boost: float,
) -> list[Candidate]:
    """The ``need`` nearest providers within ``disc`` (ties: NPI), each NPI once, with the
    score parts :func:`candidates.top` gives (distance points are those of ``disc.radius``)."""
    if need <= 0 or not tier_list:
        return []
    where, params = _base(generation, f)
    params.update(disc.params())
    bands = disc.bands()
    if not bands:
        return []
    cells = ", ".join(f":c{i}" for i in range(len(bands)))
    params.update({f"c{i}": b.cell for i, b in enumerate(bands)})
    tiers_in = ", ".join(f":t{i}" for i in range(len(tier_list)))
    params.update({f"t{i}": t for i, t in enumerate(tier_list)})
    params["need"] = need
    params["radius"] = disc.radius
    boost_join = "LEFT JOIN directory_profile_boosts b ON b.npi = s.npi" if max_boost else ""
    boost = "COALESCE(b.boost, 0)" if max_boost else "0.0"
    rows = (
        f"SELECT s.npi AS npi, {f.fit_sql} AS fit, s.static AS st, {boost} AS boost,"
        f" sqrt({DISTANCE2_SQL}) AS d FROM directory_search s {f.join} {boost_join}"
        f" WHERE {where} AND s.tier IN ({tiers_in}) AND s.cell IN ({cells})"
        f" AND s.lat BETWEEN :lat0 AND :lat1 AND s.lon BETWEEN :lon0 AND :lon1"
        f" AND {DISTANCE2_SQL} <= :r2{f.where}"
    )
    if f.distinct:
        rows = (
            "SELECT npi, fit, st, boost, d FROM (SELECT q.*, ROW_NUMBER() OVER"
            f" (PARTITION BY npi ORDER BY d ASC) AS k FROM ({rows}) q) w WHERE k = 1"
        )
    sql = text(f"SELECT * FROM ({rows}) z ORDER BY d ASC, npi ASC LIMIT :need")
    out = []
    for row in session.execute(sql, params):
        d = float(row.d)
        dist = ranking.distance_points(d, disc.radius)
        score = float(row.fit) + float(row.st) + float(row.boost) + dist
        out.append(Candidate(row.npi, d, float(row.fit), float(row.st), float(row.boost), score))
    return out


def nearest(
    session: Connection,
    lat: float,
    lon: float,
    radius: float,
    f: Filters,
    generation: int,
    tier_list: list[float],
    need: int,
    max_boost: float,
) -> list[Candidate]:
    """The nearest ``need`` matches beyond ``radius`` (none within it is assumed), widening the
    circle until some are found or :data:`WIDER_MILES` runs out. Score parts use the
    original radius, so their distance points are 0."""
    for wider in wider_radii(radius):
        disc = Disc(lat, lon, wider)
        found = by_distance(session, disc, f, generation, tier_list, need, max_boost)
        if found:
            return [
                Candidate(c.npi, c.d, c.fit, c.st, c.boost, c.fit + c.st + c.boost) for c in found
            ]
    return []
