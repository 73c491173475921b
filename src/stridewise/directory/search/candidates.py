"""Counting and ranking search candidates in ``directory_search``, exactly and early-stopping.

The index is keyed (generation, key, tier, cell, lat, ...), where ``tier = fit + static`` is the
part of the ranking score known at import. A provider's final score is at most its tier plus
the distance points (at most ``DISTANCE_MAX``) plus a profile boost, so:

* :func:`count` counts the whole circle per tier, up to three index ranges per (tier,
  longitude band), with rows in each band's ``sure`` latitude range counted from the index
  alone and a distance computed only in the thin edge strips.
* :func:`top` uses those per-tier counts: one statement ranks the best tiers that hold a page
  (a sparse circle whole), and, once the page's last score is known, at most one more reads the
  lower tiers that could still reach it. In a dense city the first statement settles a page of
  20 out of tens of thousands of candidates. Rows tied on score at the page's edge are ordered
  by the MIPS tie-breaker (:func:`ranking.order`), looked up for those rows only.

All plain SQL that SQLite and PostgreSQL run alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, TextClause
from sqlalchemy import text as _text

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
    #: The MIPS tie-breaker key (see :func:`ranking.mips_key`), 0 without one.
    mips: float = 0.0


@lru_cache(maxsize=512)
def text(sql: str) -> TextClause:
    """``sqlalchemy.text``, memoised: parsing the bind names of these long statements costs
    more than running them on a sparse area, and a few hundred shapes cover every query."""
    return _text(sql)


def _base(generation: int, f: Filters) -> tuple[str, dict[str, Any]]:
    marks = ", ".join(f":key{i}" for i in range(len(f.keys)))
    params = {"g": generation, **{f"key{i}": k for i, k in enumerate(f.keys)}, **f.params}
    return f"s.generation = :g AND s.key IN ({marks})", params


def tiers_sql(keys: int, generation: str = ":g") -> str:
    """A subquery of the distinct tiers of keys ``:k0`` .. ``:k{keys-1}`` in ``generation`` (a
    bind name or a scalar subquery): one index seek per tier (a recursive skip scan)."""
    if not keys:
        return "(SELECT CAST(NULL AS FLOAT) AS tier WHERE 1 = 0)"
    ctes, selects = [], []
    for i in range(keys):
        ctes.append(
            f"t{i}(tier) AS (SELECT MAX(tier) FROM directory_search"
            f" WHERE generation = {generation} AND key = :k{i}"
            f" UNION ALL SELECT (SELECT MAX(x.tier) FROM directory_search x"
            f" WHERE x.generation = {generation} AND x.key = :k{i} AND x.tier < t{i}.tier)"
            f" FROM t{i} WHERE t{i}.tier IS NOT NULL)"
        )
        selects.append(f"SELECT tier FROM t{i} WHERE tier IS NOT NULL")
    return f"(WITH RECURSIVE {', '.join(ctes)} {' UNION '.join(selects)})"


def key_params(keys: list[str]) -> dict[str, str]:
    """The bind values of :func:`tiers_sql`."""
    return {f"k{i}": k for i, k in enumerate(keys)}


def tiers(session: Connection, generation: int, keys: list[str]) -> list[float]:
    """The distinct tiers of ``keys``, best first."""
    sql = text(f"SELECT tier FROM {tiers_sql(len(keys))} u")
    rows = session.execute(sql, {"g": generation, **key_params(keys)})
    return sorted((float(r[0]) for r in rows), reverse=True)


@dataclass(frozen=True)
class Tally:
    """Matching providers within a circle: the total, and per tier the providers with a row of
    that tier (each NPI once per tier; an NPI with rows in several tiers, through several keys,
    counts in each, so the tiers can add up to more than the total)."""

    total: int
    by_tier: dict[float, int]


#: The distinct NPIs of a union ``u``, compared as numbers: a dense circle's count sorts tens of
#: thousands of them, and integers sort in half the time text does on PostgreSQL (whose text
#: comparisons go through the collation). An NPI in the index is ten digits: the import checks
#: it (rows_reference) and the bulk path stores it as a 32-bit unsigned integer on the way.
_DISTINCT_NPIS = "COUNT(DISTINCT CAST(u.npi AS BIGINT))"


def count(
    session: Connection, disc: Disc, f: Filters, generation: int, tier_list: list[float]
) -> Tally:
    """Matching providers within the circle (each NPI once, except one with rows on both sides
    of the antimeridian, counted once per side), in total and per tier."""
    if not tier_list:
        return Tally(0, {})
    if len(pieces := disc.pieces()) > 1:
        total, sums = 0, dict.fromkeys(tier_list, 0)
        for piece in pieces:
            part = count(session, piece, f, generation, tier_list)
            total += part.total
            for t, n in part.by_tier.items():
                sums[t] += n
        return Tally(total, {t: n for t, n in sums.items() if n})
    params: dict[str, Any] = {}
    # Distinct NPIs need their rows; otherwise each band counts its rows per tier in the index.
    if f.distinct:
        union = _circle(disc, f, generation, tier_list, "s.tier AS tier, s.npi AS npi", params)
        sql = f"SELECT u.tier, {_DISTINCT_NPIS} FROM ({union}) u GROUP BY u.tier"
        # Under one key every row of an NPI has the same tier (a practice location copies its
        # primary's keys and score; CMS evidence moves all of them), so no NPI is in two tiers
        # and the total is the sum of the tiers. Only several keys need a second distinct count
        # over the whole circle (it was half of a dense 50-mile count on PostgreSQL).
        if len(f.keys) > 1:
            sql = (
                f"WITH u AS ({union}) SELECT u.tier, {_DISTINCT_NPIS} FROM u GROUP BY u.tier"
                f" UNION ALL SELECT NULL, {_DISTINCT_NPIS} FROM u"
            )
    else:
        what = "s.tier AS tier, COUNT(*) AS n"
        union = _circle(disc, f, generation, tier_list, what, params, " GROUP BY s.tier")
        sql = f"SELECT u.tier, SUM(u.n) FROM ({union}) u GROUP BY u.tier"
    if not union:
        return Tally(0, {})
    by_tier: dict[float, int] = {}
    total = 0
    for tier, n in session.execute(text(sql), params):
        if tier is None:
            total = int(n or 0)
        elif n:
            by_tier[float(tier)] = int(n)
    if not f.distinct or len(f.keys) == 1:
        total = sum(by_tier.values())
    return Tally(total, by_tier)


def count_by_key(
    session: Connection, disc: Disc, f: Filters, generation: int, tier_list: list[float]
) -> dict[str, int]:
    """Matching providers within the circle under each of ``f.keys`` (each NPI once per key;
    a circle across the antimeridian counts each side), in one statement per piece."""
    if not tier_list:
        return {}
    out = dict.fromkeys(f.keys, 0)
    for piece in disc.pieces():
        params: dict[str, Any] = {}
        what = "s.key AS key, s.npi AS npi" if f.distinct else "s.key AS key, COUNT(*) AS n"
        group = "" if f.distinct else " GROUP BY s.key"
        union = _circle(piece, f, generation, tier_list, what, params, group)
        if not union:
            continue
        outer = _DISTINCT_NPIS if f.distinct else "SUM(u.n)"
        for key, n in session.execute(
            text(f"SELECT u.key, {outer} FROM ({union}) u GROUP BY u.key"), params
        ):
            out[str(key)] += int(n or 0)
    return out


def _circle(
    disc: Disc,
    f: Filters,
    generation: int,
    tier_list: list[float],
    what: str,
    params: dict[str, Any],
    group: str = "",
) -> str:
    """A UNION ALL of ``SELECT {what} ... {group}`` over the rows of ``tier_list`` within one
    piece of the circle (empty when no band can hold a row); fills ``params``."""
    where, base = _base(generation, f)
    params.update(base)
    params.update(disc.params())
    params.update({f"t{i}": t for i, t in enumerate(tier_list)})
    tiers_in = ", ".join(f":t{i}" for i in range(len(tier_list)))
    parts = []
    for i, band in enumerate(disc.bands()):
        # (low, high, low test, high test, needs a distance): the sure range is closed and
        # counted from the index alone, with no expression per row (a dense circle's rows are
        # mostly there); the edge strips are open towards it (no double count).
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
                f" AND s.tier IN ({tiers_in}) AND {cell} AND {lat}{distance}{f.where}{group}"
            )
    return " UNION ALL ".join(parts)


#: Rows of the circle read in one statement rather than two: a statement costs more than reading
#: a few hundred more index rows, so a sparse circle is ranked in one go.
READ_AHEAD = 256


def top(
    session: Connection,
    disc: Disc,
    f: Filters,
    generation: int,
    tally: Tally,
    need: int,
    max_boost: float,
) -> list[Candidate]:
    """The best ``need`` providers within the circle, best first (ties: the MIPS tie-breaker,
    then nearer, then NPI; see :func:`ranking.order`).

    ``tally`` is the circle's :func:`count`. The first statement reads the best tiers that hold
    ``need`` providers (with the tiers after them while the rows stay under READ_AHEAD); then
    the ``need``-th score is known, and one more statement reads the lower tiers that could still
    reach it: a row scores at most its tier plus DISTANCE_MAX plus ``max_boost`` (the largest
    profile boost, 0 when none). Ties can reorder through the tie-breakers, so a tier that
    could only tie is read too."""
    if need <= 0 or not tally.total:
        return []
    if len(pieces := disc.pieces()) > 1:
        merged: dict[str, Candidate] = {}
        for piece in pieces:
            for c in top(session, piece, f, generation, tally, need, max_boost):
                if c.npi not in merged or _order(c) < _order(merged[c.npi]):
                    merged[c.npi] = c
        return sorted(merged.values(), key=_order)[:need]
    bands = disc.bands()
    if not bands:
        return []
    statement = _top_sql(disc, f, generation, need, max_boost, bands)
    remaining = sorted(tally.by_tier, reverse=True)
    best: dict[str, Candidate] = {}
    while remaining:
        chunk: list[float] = []
        if len(best) >= need:
            kth = sorted(best.values(), key=_order)[need - 1]
            reach = kth.score - ranking.DISTANCE_MAX - max_boost
            chunk = [t for t in remaining if t >= reach]
            remaining = []  # the tiers below ``reach`` cannot reach any later need-th score
        else:
            rows = 0
            while remaining and (
                rows < need - len(best) or rows + tally.by_tier[remaining[0]] <= READ_AHEAD
            ):
                tier = remaining.pop(0)
                chunk.append(tier)
                rows += tally.by_tier[tier]
        if not chunk:
            break
        sql, params = statement
        marks = ", ".join(f":tier{j}" for j in range(len(chunk)))
        tiers_params = {f"tier{j}": t for j, t in enumerate(chunk)}
        for row in session.execute(text(sql.replace("{tiers}", marks)), {**params, **tiers_params}):
            c = Candidate(
                row.npi, row.d, row.fit, row.st, row.boost, float(row.score), float(row.mips)
            )
            held = best.get(c.npi)
            if held is None or _order(c) < _order(held):
                best[c.npi] = c
    return sorted(best.values(), key=_order)[:need]


def _top_sql(
    disc: Disc, f: Filters, generation: int, need: int, max_boost: float, bands: list[Any]
) -> tuple[str, dict[str, Any]]:
    """The ranking statement (``{tiers}`` to fill in) and its parameters: the best ``need``
    rows of the given tiers, with every row tied with the ``need``-th on score ranked by the
    tie-breakers (the MIPS key is looked up for those rows only)."""
    where, params = _base(generation, f)
    params.update(disc.params())
    # At most 1,441 cells (the full circle): within SQLite's and PostgreSQL's parameter limits.
    numbers = [c for b in bands for c in b.cells]
    cells = ", ".join(f":c{i}" for i in range(len(numbers)))
    params.update({f"c{i}": c for i, c in enumerate(numbers)})
    params["radius"] = disc.radius
    params["need"] = need
    params["mips_min"] = ranking.MIPS_TIE_MIN
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
        f"WITH r AS ({rows_sql}), z AS ({scored})"
        " SELECT z.npi AS npi, z.d AS d, z.fit AS fit, z.st AS st, z.boost AS boost,"
        f" z.score AS score, {ranking.MIPS_TIE_SQL} AS mips FROM z"
        f" LEFT JOIN cms_mips m ON m.generation = {MIPS_GENERATION} AND m.npi = z.npi"
        " WHERE z.score >= (SELECT MIN(y.score) FROM"
        " (SELECT score FROM z ORDER BY score DESC LIMIT :need) y)"
        " ORDER BY score DESC, mips DESC, d ASC, npi ASC LIMIT :need"
    )
    return sql, params


#: The MIPS generation searches read (0 when no MIPS file was imported: no row matches).
MIPS_GENERATION = "(SELECT active_generation FROM cms_state WHERE kind = 'mips')"


def _cells_in(cells: Iterable[int]) -> str:
    """``s.cell IN (...)`` with the cell numbers inline: a band list near a pole can be longer
    than a statement's parameter limit, and the numbers are ours, never the caller's."""
    return f"s.cell IN ({', '.join(str(int(c)) for c in cells)})"


def _order(c: Candidate) -> tuple[float, float, float, str]:
    return ranking.order(c.score, c.mips, c.d, c.npi)
