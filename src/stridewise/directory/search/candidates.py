"""Counting and ranking search candidates in ``directory_search``, exactly and early-stopping.

The index is keyed (generation, key, tier, cell, lat, ...), where ``tier = fit + static`` is the
part of the ranking score known at import. A provider's final score is at most its tier plus
the distance points (at most ``DISTANCE_MAX``) plus a profile boost, so:

* :func:`top` reads tiers from the best down, each as one range per longitude band of the
  circle, keeps the best ``need`` providers, and stops when the ``need``-th best score beats
  anything the next tier could reach. In a dense city the first tier or two settle a page of
  20 out of tens of thousands of candidates.
* :func:`count` counts the whole circle, with rows in each band's ``sure`` latitude range
  counted from the index alone and a distance computed only in the thin edge strips.

Both are plain SQL that SQLite and PostgreSQL run alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause
from sqlalchemy import text as _text
from sqlalchemy.orm import Session

from stridewise.directory import ranking
from stridewise.directory.search.area import DISTANCE2_SQL, Disc


@dataclass
class Filters:
    """What a search matches besides the place."""

    keys: list[str]
    #: SQL for the fit points a row scores (a column, or a CASE for a taxonomy search).
    fit_sql: str = "s.fit"
    #: A join to directory_providers (alias p) when filtering on its columns.
    join: str = ""
    #: Extra AND conditions on s and p.
    where: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    #: An NPI can have several matching rows (several keys, or secondary locations).
    distinct: bool = False


@dataclass(frozen=True)
class Candidate:
    npi: str
    d: float
    fit: float
    st: float
    boost: float
    score: float


@lru_cache(maxsize=512)
def text(sql: str) -> TextClause:
    """``sqlalchemy.text``, memoised: parsing the bind names of these long statements costs
    more than running them on a sparse area, and a few hundred shapes cover every query."""
    return _text(sql)


def _base(generation: int, f: Filters) -> tuple[str, dict[str, Any]]:
    marks = ", ".join(f":key{i}" for i in range(len(f.keys)))
    params = {"g": generation, **{f"key{i}": k for i, k in enumerate(f.keys)}, **f.params}
    return f"s.generation = :g AND s.key IN ({marks})", params


def tiers(session: Session, generation: int, keys: list[str]) -> list[float]:
    """The distinct tiers of ``keys``, best first: one index seek per tier (a skip scan)."""
    found: set[float] = set()
    for key in keys:
        rows = session.execute(
            text(
                "WITH RECURSIVE t(tier) AS ("
                " SELECT MAX(tier) FROM directory_search WHERE generation = :g AND key = :k"
                " UNION ALL SELECT (SELECT MAX(x.tier) FROM directory_search x"
                " WHERE x.generation = :g AND x.key = :k AND x.tier < t.tier)"
                " FROM t WHERE t.tier IS NOT NULL)"
                " SELECT tier FROM t WHERE tier IS NOT NULL"
            ),
            {"g": generation, "k": key},
        )
        found.update(float(r[0]) for r in rows)
    return sorted(found, reverse=True)


def count(session: Session, disc: Disc, f: Filters, generation: int, tier_list: list[float]) -> int:
    """Matching providers within the circle (each NPI once, except one with rows on both sides
    of the antimeridian, counted once per side)."""
    if not tier_list:
        return 0
    if len(pieces := disc.pieces()) > 1:
        return sum(count(session, piece, f, generation, tier_list) for piece in pieces)
    where, params = _base(generation, f)
    params.update(disc.params())
    params.update({f"t{i}": t for i, t in enumerate(tier_list)})
    tiers_in = ", ".join(f":t{i}" for i in range(len(tier_list)))
    what = "s.npi" if f.distinct else "COUNT(*) AS n"
    parts = []
    for i, band in enumerate(disc.bands()):
        # (low, high, low test, high test, needs a distance): the sure range is closed and
        # counted from the index alone; the edge strips are open towards it (no double count).
        strips: list[tuple[float, float, str, str, bool]]
        if band.sure is None:
            strips = [(*band.maybe, ">=", "<=", True)]
        else:
            strips = [
                (*band.sure, ">=", "<=", False),
                (band.maybe[0], band.sure[0], ">=", "<", True),
                (band.sure[1], band.maybe[1], ">", "<=", True),
            ]
        params[f"c{i}"] = band.cell
        # A merged group of bands: its cells inline (our own integers), one seek each.
        cell = f"s.cell = :c{i}" if band.last == band.cell else _cells_in(band.cells)
        for j, (lo, hi, lo_test, hi_test, edge) in enumerate(strips):
            params[f"lo{i}_{j}"], params[f"hi{i}_{j}"] = lo, hi
            lat = f"s.lat {lo_test} :lo{i}_{j} AND s.lat {hi_test} :hi{i}_{j}"
            distance = f" AND {DISTANCE2_SQL} <= :r2" if edge else ""
            parts.append(
                f"SELECT {what} FROM directory_search s {f.join} WHERE {where}"
                f" AND s.tier IN ({tiers_in}) AND {cell} AND {lat}{distance}{f.where}"
            )
    if not parts:
        return 0
    union = " UNION ALL ".join(parts)
    outer = "COUNT(DISTINCT u.npi)" if f.distinct else "SUM(u.n)"
    value = session.execute(text(f"SELECT {outer} FROM ({union}) u"), params).scalar()
    return int(value or 0)


def top(
    session: Session,
    disc: Disc,
    f: Filters,
    generation: int,
    tier_list: list[float],
    need: int,
    max_boost: float,
) -> list[Candidate]:
    """The best ``need`` providers within the circle, best first (ties: nearer, then NPI).

    ``max_boost`` is the largest profile boost any provider has (0 when none has one); it keeps
    the stopping rule exact when boosts exist, at the price of reading more tiers."""
    if need <= 0 or not tier_list:
        return []
    if len(pieces := disc.pieces()) > 1:
        merged: dict[str, Candidate] = {}
        for piece in pieces:
            for c in top(session, piece, f, generation, tier_list, need, max_boost):
                if c.npi not in merged or _order(c) < _order(merged[c.npi]):
                    merged[c.npi] = c
        return sorted(merged.values(), key=_order)[:need]
    bands = disc.bands()
    if not bands:
        return []
    where, params = _base(generation, f)
    params.update(disc.params())
    # At most 1,441 cells (the full circle): within SQLite's and PostgreSQL's parameter limits.
    numbers = [c for b in bands for c in b.cells]
    cells = ", ".join(f":c{i}" for i in range(len(numbers)))
    params.update({f"c{i}": c for i, c in enumerate(numbers)})
    params["radius"] = disc.radius
    params["need"] = need
    boost_join = "LEFT JOIN directory_profile_boosts b ON b.npi = s.npi" if max_boost else ""
    boost = "COALESCE(b.boost, 0)" if max_boost else "0.0"
    rows_sql = (
        f"SELECT s.npi AS npi, {f.fit_sql} AS fit, s.static AS st, {boost} AS boost,"
        f" sqrt({DISTANCE2_SQL}) AS d FROM directory_search s {f.join} {boost_join}"
        f" WHERE {where} AND s.tier IN ({{tiers}}) AND s.cell IN ({cells})"
        f" AND s.lat BETWEEN :lat0 AND :lat1 AND s.lon BETWEEN :lon0 AND :lon1"
        f" AND {DISTANCE2_SQL} <= :r2{f.where}"
    )
    scored = (
        "SELECT npi, d, fit, st, boost,"
        f" fit + st + {ranking.DISTANCE_MAX} * (1 - d / :radius) + boost AS score FROM r"
    )
    if f.distinct:  # each NPI's best row only
        scored = (
            "SELECT npi, d, fit, st, boost, score FROM (SELECT q.*, ROW_NUMBER() OVER"
            " (PARTITION BY npi ORDER BY score DESC, d ASC) AS k FROM"
            f" ({scored}) q) w WHERE k = 1"
        )
    sql = (
        f"WITH r AS ({rows_sql}) SELECT * FROM ({scored}) z"
        " ORDER BY score DESC, d ASC, npi ASC LIMIT :need"
    )
    groups = tier_groups(tier_list)
    best: dict[str, Candidate] = {}
    for i, group in enumerate(groups):
        marks = ", ".join(f":tier{j}" for j in range(len(group)))
        tiers_params = {f"tier{j}": t for j, t in enumerate(group)}
        statement = text(sql.replace("{tiers}", marks))
        for row in session.execute(statement, {**params, **tiers_params}):
            c = Candidate(row.npi, row.d, row.fit, row.st, row.boost, float(row.score))
            held = best.get(c.npi)
            if held is None or _order(c) < _order(held):
                best[c.npi] = c
        if len(best) >= need and i + 1 < len(groups):
            kth = sorted(best.values(), key=_order)[need - 1]
            # The next group's best possible row: its top tier at distance 0, with the largest
            # boost. Ties would go to the nearer row, which may be it, so only a strict win stops.
            if kth.score > groups[i + 1][0] + ranking.DISTANCE_MAX + max_boost:
                break
    return sorted(best.values(), key=_order)[:need]


def _cells_in(cells: Iterable[int]) -> str:
    """``s.cell IN (...)`` with the cell numbers inline: a band list near a pole can be longer
    than a statement's parameter limit, and the numbers are ours, never the caller's."""
    return f"s.cell IN ({', '.join(str(int(c)) for c in cells)})"


#: Tiers within this many points of a group's top are read by one statement: the CMS evidence
#: parts (multiples of 0.5) make many close tiers, and one statement per tier cost more than
#: reading a few more rows.
TIER_GROUP_SPAN = 5.0


def tier_groups(tier_list: list[float]) -> list[list[float]]:
    """``tier_list`` (best first) cut into runs spanning less than TIER_GROUP_SPAN points."""
    groups: list[list[float]] = []
    for tier in tier_list:
        if groups and groups[-1][0] - tier < TIER_GROUP_SPAN:
            groups[-1].append(tier)
        else:
            groups.append([tier])
    return groups


def _order(c: Candidate) -> tuple[float, float, str]:
    return (-c.score, c.d, c.npi)
