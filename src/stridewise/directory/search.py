"""Provider search: filter by type or taxonomy code within a radius of a place, rank, page.

Use :func:`search_providers` (and :func:`get_provider` for one NPI). Both take a SQLAlchemy
``Session`` on the configured database, SQLite or PostgreSQL.

How it is fast: ``directory_search`` is keyed (generation, key, cell, lat, lon, ...), so the
candidates are one short index range scan per quarter-degree longitude band (``cell``) of the
bounding box of the circle, for the requested type;
the exact haversine distance, the radius test, the score and the ordering then run inside the
database, and only the requested page is turned into Python objects.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from stridewise.directory import ranking
from stridewise.directory.geocode import EARTH_RADIUS_MILES, haversine_miles, resolve_place
from stridewise.directory.provider_types import provider_types
from stridewise.directory.records import cell_of
from stridewise.directory.schemas import (
    Address,
    PlaceInfo,
    ProviderDetail,
    ProviderPage,
    ProviderQuery,
    ProviderResult,
    TaxonomyInfo,
)


class UnknownProviderType(ValueError):
    """The ``type`` is not one of our provider type ids. ``suggestions`` lists near ids."""

    def __init__(self, type_id: str, suggestions: list[str]) -> None:
        self.type_id = type_id
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown provider type {type_id!r}.{hint}")


def check_type(type_id: str) -> str:
    """Return ``type_id`` if known (dashes and case forgiven), else raise UnknownProviderType."""
    known = provider_types().by_id
    norm = type_id.strip().lower().replace("-", "_").replace(" ", "_")
    if norm in known:
        return norm
    near = difflib.get_close_matches(norm, list(known), n=3, cutoff=0.5)
    raise UnknownProviderType(type_id, near or sorted(known))


def active_generation(session: Session) -> int:
    row = session.execute(text("SELECT active_generation FROM directory_state WHERE id = 1"))
    return int(row.scalar() or 0)


def _distance_sql(lat: str, lon: str) -> str:
    # Haversine; SQLite (3.35+ math functions) and PostgreSQL both have these functions.
    return (
        f"2 * {EARTH_RADIUS_MILES} * asin(sqrt("
        f"sin((radians({lat}) - :plat) / 2) * sin((radians({lat}) - :plat) / 2)"
        f" + :cosp * cos(radians({lat}))"
        f" * sin((radians({lon}) - :plon) / 2) * sin((radians({lon}) - :plon) / 2)))"
    )


def _candidates_sql(query: ProviderQuery, params: dict[str, Any], shape: _Shape) -> str:
    """SQL for the ranked, deduplicated candidates (one row per NPI) with a total count.

    The distance is computed once per candidate row (MATERIALIZED), the count comes from the
    same materialised set, and the GROUP BY that merges an NPI's practice locations and the
    join to the profile boosts are left out when the directory has no secondary locations or
    no boosts: the ranking rule and the order are the same either way."""
    join = ""
    fit = "s.fit"
    where = ""
    if query.taxonomy or query.q:
        join = "JOIN directory_providers p ON p.generation = s.generation AND p.npi = s.npi"
    if query.taxonomy:
        params["code"] = query.taxonomy.upper()
        params["code_like"] = f"%,{query.taxonomy.upper()},%"
        where += " AND (',' || p.taxonomies || ',') LIKE :code_like"
        fit = (
            f"CASE WHEN p.primary_taxonomy = :code THEN {ranking.FIT_PRIMARY}"
            f" ELSE {ranking.FIT_SECONDARY} END"
        )
    if query.q:
        params["q"] = "%" + query.q.strip().casefold().replace("%", "").replace("_", " ") + "%"
        where += " AND p.search_text LIKE :q"
    cells = ", ".join(f":cell{i}" for i in range(params["ncells"]))
    if shape.locations:
        merged = (
            "SELECT npi, MIN(d) AS d, MAX(fit) AS fit, MAX(st) AS st FROM s"
            " WHERE d <= :radius GROUP BY npi"
        )
    else:
        merged = "SELECT npi, d, fit, st FROM s WHERE d <= :radius"
    boost, boost_join = "0", ""
    if shape.boosts:
        boost = "COALESCE(b.boost, 0)"
        boost_join = "LEFT JOIN directory_profile_boosts b ON b.npi = c.npi"
    return f"""
        WITH s AS MATERIALIZED (
            SELECT s.npi, {fit} AS fit, s.static AS st, {_distance_sql("s.lat", "s.lon")} AS d
            FROM directory_search s {join}
            WHERE s.generation = :g AND s.key = :key AND s.cell IN ({cells})
              AND s.lat BETWEEN :lat0 AND :lat1 AND s.lon BETWEEN :lon0 AND :lon1 {where}
        ), c AS MATERIALIZED ({merged})
        SELECT c.npi, c.d, c.fit, c.st, {boost} AS boost,
               c.fit + c.st + {ranking.DISTANCE_MAX} * (1 - c.d / :radius) + {boost} AS score,
               (SELECT COUNT(*) FROM c) AS total
        FROM c {boost_join}
        ORDER BY score DESC, c.d ASC, c.npi ASC
        LIMIT :limit OFFSET :offset
    """


@dataclass(frozen=True)
class _Shape:
    """What the active directory holds that changes the query (not the results)."""

    locations: bool  # any secondary practice locations (an NPI can have several rows)
    boosts: bool  # any profile boosts


def _shape(session: Session) -> tuple[int, _Shape]:
    """The active generation and its shape, in one round trip."""
    row = session.execute(
        text(
            "SELECT active_generation,"
            " EXISTS (SELECT 1 FROM directory_locations l WHERE l.generation = active_generation),"
            " EXISTS (SELECT 1 FROM directory_profile_boosts)"
            " FROM directory_state WHERE id = 1"
        )
    ).first()
    if row is None:
        return 0, _Shape(False, False)
    return int(row[0]), _Shape(bool(row[1]), bool(row[2]))


def search_providers(session: Session, query: ProviderQuery) -> ProviderPage:
    """Search the active directory.

    Raises PlaceNotFound (unknown ``near``, with suggestions) and UnknownProviderType.
    An empty directory or no match gives a page with ``total == 0``, not an error."""
    place = resolve_place(query.near)
    type_id = check_type(query.type) if query.type else None
    generation, shape = _shape(session)
    r = query.radius_miles
    dlat = r / 69.0  # a degree of latitude is ~69 miles; pad the box, the radius test is exact
    dlon = r / max(0.01, 69.17 * math.cos(math.radians(place.lat)))
    params: dict[str, Any] = {
        "g": generation,
        "key": f"type:{type_id}" if type_id else "all",
        "lat0": place.lat - dlat * 1.01,
        "lat1": place.lat + dlat * 1.01,
        "lon0": place.lon - dlon * 1.01,
        "lon1": place.lon + dlon * 1.01,
        "plat": math.radians(place.lat),
        "plon": math.radians(place.lon),
        "cosp": math.cos(math.radians(place.lat)),
        "radius": float(r),
        "limit": query.per_page,
        "offset": (query.page - 1) * query.per_page,
    }
    lon0, lon1 = params["lon0"], params["lon1"]
    cells = range(cell_of(lon0), cell_of(lon1) + 1)
    params["ncells"] = len(cells)
    params.update({f"cell{i}": c for i, c in enumerate(cells)})
    rows = session.execute(text(_candidates_sql(query, params, shape)), params).all()
    total = int(rows[0].total) if rows else 0
    if not rows and query.page > 1:
        total = _count(session, query, params, shape)
    details = _details(session, generation, [row.npi for row in rows], shape.locations)
    labels = _labels(session, details)
    fit_label = (
        provider_types().name(type_id)
        if type_id
        else labels.get(query.taxonomy.upper(), (query.taxonomy, False))[0]
        if query.taxonomy
        else ""
    )
    boosts = ranking.profile_boosts(session, [row.npi for row in rows]) if shape.boosts else {}
    results = []
    for row in rows:
        p = details[row.npi]
        loc = min(p["locations"], key=lambda a: haversine_miles(place.lat, place.lon, a.lat, a.lon))
        miles = haversine_miles(place.lat, place.lon, loc.lat, loc.lon)
        taxes = _taxonomies(p, labels)
        sports = [t.label for t in taxes if t.sports]
        dist_pts = ranking.distance_points(row.d, r)
        why = ranking.explain(
            fit=row.fit,
            fit_label=fit_label,
            sports=row.st - p["completeness"] * 10.0,
            sports_label=sports[0] if sports else "",
            miles=miles,
            distance=dist_pts,
            completeness_share=p["completeness"],
            profile=row.boost,
            profile_reason=boosts.get(row.npi, (0.0, ""))[1],
        )
        results.append(
            ProviderResult(
                npi=row.npi,
                name=p["name"],
                credentials=p["credentials"],
                kind="individual" if p["entity_type"] == 1 else "organization",
                address=loc,
                phone=loc.phone or p["phone"],
                distance_miles=round(miles, 2),
                types=p["types"],
                taxonomies=taxes,
                sports_focus=bool(sports),
                score=round(float(row.score), 2),
                why=why,
            )
        )
    return ProviderPage(
        place=PlaceInfo(label=place.label, lat=place.lat, lon=place.lon, kind=place.kind),
        type=type_id,
        taxonomy=query.taxonomy.upper() if query.taxonomy else None,
        radius_miles=r,
        total=total,
        page=query.page,
        per_page=query.per_page,
        pages=math.ceil(total / query.per_page),
        results=results,
    )


def _count(session: Session, query: ProviderQuery, params: dict[str, Any], shape: _Shape) -> int:
    """Total matches when the requested page is past the end (no row carries the count)."""
    first = dict(params, limit=1, offset=0)
    row = session.execute(text(_candidates_sql(query, first, shape)), first).first()
    return int(row.total) if row else 0


def _details(
    session: Session, generation: int, npis: list[str], locations: bool = True
) -> dict[str, dict[str, Any]]:
    if not npis:
        return {}
    marks = ", ".join(f":n{i}" for i in range(len(npis)))
    params: dict[str, Any] = {"g": generation, **{f"n{i}": n for i, n in enumerate(npis)}}
    out: dict[str, dict[str, Any]] = {}
    for p in session.execute(
        text(f"SELECT * FROM directory_providers WHERE generation = :g AND npi IN ({marks})"),
        params,
    ).mappings():
        out[p["npi"]] = dict(p)
        out[p["npi"]]["types"] = [t for t in p["type_ids"].split(",") if t]
        out[p["npi"]]["locations"] = [_address(p)]
    if not locations:
        return out
    for loc in session.execute(
        text(
            f"SELECT * FROM directory_locations WHERE generation = :g AND npi IN ({marks})"
            " ORDER BY npi, seq"
        ),
        params,
    ).mappings():
        out[loc["npi"]]["locations"].append(_address(loc))
    return out


def _address(row: Any) -> Address:
    return Address(
        line1=row["address1"],
        line2=row["address2"],
        city=row["city"],
        state=row["state"],
        postal_code=row["postal_code"],
        phone=row["phone"],
        lat=row["lat"],
        lon=row["lon"],
    )


def _labels(session: Session, details: dict[str, dict[str, Any]]) -> dict[str, tuple[str, bool]]:
    codes = sorted({c for p in details.values() for c in p["taxonomies"].split(",") if c})
    if not codes:
        return {}
    marks = ", ".join(f":c{i}" for i in range(len(codes)))
    rows = session.execute(
        text(f"SELECT code, display_name, sports FROM directory_taxonomy WHERE code IN ({marks})"),
        {f"c{i}": c for i, c in enumerate(codes)},
    )
    return {code: (label, bool(sports)) for code, label, sports in rows}


def _taxonomies(p: dict[str, Any], labels: dict[str, tuple[str, bool]]) -> list[TaxonomyInfo]:
    codes = [c for c in p["taxonomies"].split(",") if c]
    return [
        TaxonomyInfo(
            code=c,
            label=labels.get(c, (c, False))[0],
            primary=i == 0,
            sports=labels.get(c, (c, False))[1],
        )
        for i, c in enumerate(codes)
    ]


def get_provider(session: Session, npi: str) -> ProviderDetail | None:
    """One provider of the active directory, or None."""
    details = _details(session, active_generation(session), [npi])
    p = details.get(npi)
    if p is None:
        return None
    labels = _labels(session, details)
    taxes = _taxonomies(p, labels)
    return ProviderDetail(
        npi=npi,
        name=p["name"],
        credentials=p["credentials"],
        kind="individual" if p["entity_type"] == 1 else "organization",
        address=p["locations"][0],
        other_locations=p["locations"][1:],
        types=p["types"],
        taxonomies=taxes,
        sports_focus=any(t.sports for t in taxes),
        completeness=p["completeness"],
        last_update=p["last_update"],
    )


def directory_stats(session: Session) -> dict[str, Any]:
    """Counts for ``stridewise directory stats`` and health checks."""
    g = active_generation(session)
    providers = session.execute(
        text("SELECT COUNT(*) FROM directory_providers WHERE generation = :g"), {"g": g}
    ).scalar()
    by_type = session.execute(
        text(
            "SELECT key, COUNT(*) FROM directory_search WHERE generation = :g AND loc = 0"
            " GROUP BY key ORDER BY key"
        ),
        {"g": g},
    ).all()
    state = session.execute(
        text("SELECT imported_at, source FROM directory_state WHERE id = 1")
    ).first()
    return {
        "generation": g,
        "providers": int(providers or 0),
        "by_key": {k: int(n) for k, n in by_type},
        "imported_at": state[0] if state else "",
        "source": state[1] if state else "",
    }
