"""Provider search: filter by type or taxonomy code within a radius of a place, rank, page.

Use :func:`search_providers` (and :func:`get_provider` for one NPI). Both take a SQLAlchemy
``Session`` on the configured database, SQLite or PostgreSQL.

How it is fast: ``directory_search`` is keyed (generation, key, tier, cell, lat, lon, ...). The
total is counted per quarter-degree longitude band (``cell``), mostly from the index alone; the
page is ranked best tier first, stopping as soon as no lower tier can reach it
(:mod:`stridewise.directory.search.candidates`). Distances, the radius test, the score and the order
run inside the database, and only the requested page is turned into Python objects.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from stridewise.directory import ranking
from stridewise.directory.cms import evidence as cms_evidence
from stridewise.directory.cms.facts import medicare_facts
from stridewise.directory.geocode import haversine_miles, resolve_place
from stridewise.directory.index_keys import search_keys, type_key
from stridewise.directory.provider_types import provider_types
from stridewise.directory.schemas import (
    Address,
    NextBestType,
    PlaceInfo,
    ProviderDetail,
    ProviderPage,
    ProviderQuery,
    ProviderResult,
    SortOrder,
    TaxonomyInfo,
)
from stridewise.directory.search import candidates, fallback
from stridewise.directory.search.area import Disc
from stridewise.directory.search.candidates import Filters
from stridewise.directory.taxonomy import label_for
from stridewise.errors import InvalidInput


class UnknownProviderType(InvalidInput):
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


def _filters(query: ProviderQuery, type_id: str | None, locations: bool) -> Filters:
    """Keys, fit and filters of a query (see :mod:`stridewise.directory.search.candidates`)."""
    f = Filters(keys=_keys(type_id, query.taxonomy))
    if query.taxonomy or query.q:
        f.join = "JOIN directory_providers p ON p.generation = s.generation AND p.npi = s.npi"
    if query.taxonomy:
        code = query.taxonomy.upper()
        f.params["code"] = code
        f.params["code_like"] = f"%,{code},%"
        f.where += " AND (',' || p.taxonomies || ',') LIKE :code_like"
        f.fit_sql = (
            f"CASE WHEN p.primary_taxonomy = :code THEN {ranking.FIT_PRIMARY}"
            f" ELSE {ranking.FIT_SECONDARY} END"
        )
    elif not type_id:
        f.fit_sql = str(ranking.FIT_ANY)
    if query.q:
        f.params["q"] = "%" + query.q.strip().casefold().replace("%", "").replace("_", " ") + "%"
        f.where += " AND p.search_text LIKE :q"
    _facet_filters(query, f)
    f.distinct = locations or len(f.keys) > 1
    return f


#: The DAC generation searches read (0 when no DAC file was imported: nothing matches).
_DAC_GENERATION = "(SELECT active_generation FROM cms_state WHERE kind = 'dac')"


def _facet_filters(query: ProviderQuery, f: Filters) -> None:
    """The runner's filters, as EXISTS tests on tables keyed by NPI (an NPI matches at most
    one row of each, so no row of the index is repeated)."""
    profile = "EXISTS (SELECT 1 FROM directory_profile_boosts pb WHERE pb.npi = s.npi AND {})"
    dac = (
        "EXISTS (SELECT 1 FROM cms_clinicians cc WHERE cc.generation = "
        + _DAC_GENERATION
        + " AND cc.npi = s.npi AND {})"
    )
    if query.telehealth:  # CMS says so, or the verified profile lists it as a service
        f.where += f" AND ({dac.format('cc.telehealth')} OR {profile.format('pb.telehealth')})"
    if query.accepting:
        f.where += " AND " + profile.format("pb.accepting")
    if query.language:
        f.params["lang_like"] = "%," + query.language.strip().casefold() + ",%"
        f.where += " AND " + profile.format("pb.languages LIKE :lang_like")
    if query.sports:
        f.where += (
            " AND (EXISTS (SELECT 1 FROM directory_providers ps WHERE ps.generation ="
            " s.generation AND ps.npi = s.npi AND ps.sports)"
            f" OR {profile.format('pb.running_focus')} OR {dac.format('cc.sports_specialty')})"
        )


def _keys(type_id: str | None, taxonomy: str | None) -> list[str]:
    """The directory_search keys whose rows can match: the type's own, or for a taxonomy code
    the keys of the types it maps to, or for no filter every key."""
    types = provider_types()
    if type_id:
        return [type_key(type_id)]
    if taxonomy:
        typed = [type_key(t) for t in types.types_for(taxonomy.upper())]
        if typed:
            return typed
    # No filter, or a code of no provider type: such a provider may also hold typed codes, so
    # its rows can be under any key.
    return search_keys(types)


@dataclass(frozen=True)
class _Shape:
    """What the active directory holds that changes the query (not the results)."""

    generation: int
    locations: bool  # any secondary practice locations (an NPI can have several rows)
    max_boost: float  # the largest profile boost (0 when no provider has one)
    tiers: list[float]  # the distinct tiers of the searched keys, best first
    cms: cms_evidence.Generations


_STATE_GENERATION = "(SELECT active_generation FROM directory_state WHERE id = 1)"


def _shape(conn: Connection, keys: list[str]) -> _Shape:
    """The active generation, its shape, the tiers of ``keys`` and the CMS generations, in one
    statement (one row per tier)."""
    rows = conn.execute(
        candidates.text(
            "SELECT st.active_generation,"
            " EXISTS (SELECT 1 FROM directory_locations l"
            " WHERE l.generation = st.active_generation),"
            f" (SELECT MAX(boost) FROM directory_profile_boosts), {cms_evidence.GENERATIONS_SQL},"
            f" u.tier FROM directory_state st LEFT JOIN"
            f" {candidates.tiers_sql(len(keys), _STATE_GENERATION)} u ON 1 = 1 WHERE st.id = 1"
        ),
        candidates.key_params(keys),
    ).all()
    if not rows:
        return _Shape(0, False, 0.0, [], cms_evidence.Generations())
    first = rows[0]
    return _Shape(
        generation=int(first[0]),
        locations=bool(first[1]),
        max_boost=float(first[2] or 0.0),
        tiers=sorted((float(r[-1]) for r in rows if r[-1] is not None), reverse=True),
        cms=cms_evidence.Generations.from_values(first[3:-1]),
    )


def search_providers(session: Session, query: ProviderQuery) -> ProviderPage:
    """Search the active directory.

    Raises PlaceNotFound (unknown ``near``, with suggestions) and UnknownProviderType.
    An empty directory gives a page with ``total == 0``, not an error. When nothing matches
    within the radius, ``nearest`` holds the nearest matches further out (with their distance)
    and ``next_best`` the next best provider types that have someone within the radius."""
    place = resolve_place(query.near)
    type_id = check_type(query.type) if query.type else None
    conn = session.connection()
    shape = _shape(conn, _keys(type_id, query.taxonomy))
    generation = shape.generation
    r = query.radius_miles
    disc = Disc(place.lat, place.lon, float(r))
    f = _filters(query, type_id, shape.locations)
    tally = candidates.count(conn, disc, f, generation, shape.tiers)
    total = tally.total
    offset = (query.page - 1) * query.per_page
    rows: list[candidates.Candidate] = []
    if offset < total:
        need = min(total, offset + query.per_page)
        if query.sort is SortOrder.distance:
            found = sorted(tally.by_tier, reverse=True)
            best = fallback.by_distance(conn, disc, f, generation, found, need, shape.max_boost)
        else:
            best = candidates.top(conn, disc, f, generation, tally, need, shape.max_boost)
        rows = best[offset:need]
    nearest: list[candidates.Candidate] = []
    next_best: list[NextBestType] = []
    searched: float | None = None
    if total == 0:
        nearest = fallback.nearest(
            conn, place.lat, place.lon, r, f, generation, shape.tiers, 5, shape.max_boost
        )
        searched = None if nearest else fallback.WIDER_MILES[-1]
        if type_id:
            next_best = _next_best(conn, query, type_id, disc, shape)
    ctx = _Context(conn, place.lat, place.lon, r, shape)
    fit_code = query.taxonomy.upper() if query.taxonomy and not type_id else None
    return ProviderPage(
        place=PlaceInfo(label=place.label, lat=place.lat, lon=place.lon, kind=place.kind),
        type=type_id,
        taxonomy=query.taxonomy.upper() if query.taxonomy else None,
        radius_miles=r,
        total=total,
        page=query.page,
        per_page=query.per_page,
        pages=math.ceil(total / query.per_page),
        results=_results(ctx, rows, type_id, fit_code),
        sort=query.sort,
        nearest=_results(ctx, nearest, type_id, fit_code),
        next_best=next_best,
        condition=query.condition,
        searched_miles=searched,
    )


@dataclass(frozen=True)
class _Context:
    conn: Connection
    lat: float
    lon: float
    radius: float
    shape: _Shape


def _next_best(
    conn: Connection, query: ProviderQuery, type_id: str, disc: Disc, shape: _Shape
) -> list[NextBestType]:
    """The next best types for ``type_id`` (for ``query.condition`` when given) with at
    least one match within the radius (the same filters apply), best first: their tiers in one
    statement, their counts in another."""
    alts = fallback.next_best_types(type_id, query.condition)
    if not alts:
        return []
    g = shape.generation
    # Every alternative's filters are the same but for its key, and its rows are under it alone.
    f = _filters(query.model_copy(update={"type": alts[0].id, "taxonomy": None}), alts[0].id, False)
    f.keys = [type_key(alt.id) for alt in alts]
    f.distinct = shape.locations
    counts = candidates.count_by_key(conn, disc, f, g, candidates.tiers(conn, g, f.keys))
    return [
        NextBestType(
            type=alt.id, name=provider_types().name(alt.id), why=alt.why, total=counts[key]
        )
        for alt, key in zip(alts, f.keys, strict=True)
        if counts[key]
    ]


def _results(
    ctx: _Context, rows: list[candidates.Candidate], type_id: str | None, fit_code: str | None
) -> list[ProviderResult]:
    """Ranked candidates as results: details, nearest location, distance and reasons, from
    three or four statements for the whole page (details with the 1:1 evidence, secondary
    locations, procedure counts, taxonomy labels)."""
    if not rows:  # (the usual "nearest" list): no lookups at all
        return []
    conn, shape = ctx.conn, ctx.shape
    npis = [row.npi for row in rows]
    details = _details(conn, shape, npis)
    services = cms_evidence.page_services(conn, shape.cms, npis)
    labels = _labels(conn, details, fit_code)
    if type_id:
        fit_label = provider_types().name(type_id)
    elif fit_code:
        fit_label = labels[fit_code][2] if fit_code in labels else fit_code
    else:
        fit_label = ""
    results = []
    today = dt.date.today()
    for row in rows:
        p = details[row.npi]
        ev = cms_evidence.from_page_row(p, shape.cms, services.get(row.npi))
        miles, loc = _nearest(ctx.lat, ctx.lon, p["locations"])
        taxes = _taxonomies(p, labels)
        sports = [t.label for t in taxes if t.sports]
        why = ranking.explain(
            fit=row.fit,
            fit_label=fit_label,
            sports=row.st - p["completeness"] * 10.0 - cms_evidence.points(ev),
            sports_label=sports[0] if sports else "",
            miles=miles,
            distance=ranking.distance_points(row.d, ctx.radius),
            completeness_share=p["completeness"],
            profile=row.boost,
            profile_reason=p["boost_reason"] or "",
        ) + cms_evidence.explain(ev, today)
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
    return results


def _nearest(lat: float, lon: float, locations: list[Address]) -> tuple[float, Address]:
    """The great-circle miles to the nearest of ``locations`` (the first at equal miles)."""
    best = (haversine_miles(lat, lon, locations[0].lat, locations[0].lon), locations[0])
    for loc in locations[1:]:
        miles = haversine_miles(lat, lon, loc.lat, loc.lon)
        if miles < best[0]:
            best = (miles, loc)
    return best


_DETAIL_COLUMNS = (
    "p.npi, p.entity_type, p.name, p.credentials, p.address1, p.address2, p.city, p.state,"
    " p.postal_code, p.phone, p.lat, p.lon, p.primary_taxonomy, p.taxonomies, p.type_ids,"
    " p.completeness, p.last_update"
)


def _details(conn: Connection, shape: _Shape, npis: list[str]) -> dict[str, dict[str, Any]]:
    """Each NPI's row with its 1:1 evidence columns (:data:`cms_evidence.PAGE_COLUMNS`), its
    profile reason (``boost_reason``), ``types`` and ``locations`` (primary first)."""
    if not npis:
        return {}
    marks = ", ".join(f":n{i}" for i in range(len(npis)))
    params: dict[str, Any] = {
        "g": shape.generation,
        **{f"n{i}": n for i, n in enumerate(npis)},
        **cms_evidence.page_params(shape.cms),
    }
    boost, boost_join = "NULL", ""
    if shape.max_boost:
        boost, boost_join = "b.reason", "LEFT JOIN directory_profile_boosts b ON b.npi = p.npi"
    out: dict[str, dict[str, Any]] = {}
    for p in conn.execute(
        candidates.text(
            f"SELECT {_DETAIL_COLUMNS}, {cms_evidence.PAGE_COLUMNS}, {boost} AS boost_reason"
            f" FROM directory_providers p {cms_evidence.PAGE_JOINS.format(npis=marks)} {boost_join}"
            f" WHERE p.generation = :g AND p.npi IN ({marks})"
        ),
        params,
    ).mappings():
        row = out[p["npi"]] = dict(p)
        row["types"] = [t for t in p["type_ids"].split(",") if t]
        row["locations"] = [_address(p)]
    if not shape.locations:
        return out
    for loc in conn.execute(
        candidates.text(
            "SELECT npi, address1, address2, city, state, postal_code, phone, lat, lon"
            f" FROM directory_locations WHERE generation = :g AND npi IN ({marks})"
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


def _labels(
    conn: Connection, details: dict[str, dict[str, Any]], extra: str | None = None
) -> dict[str, tuple[str, bool, str]]:
    """(label, sports, display name) of the page's taxonomy codes and of ``extra``."""
    codes = sorted({c for p in details.values() for c in p["taxonomies"].split(",") if c})
    if extra and extra not in codes:
        codes.append(extra)
    if not codes:
        return {}
    marks = ", ".join(f":c{i}" for i in range(len(codes)))
    rows = conn.execute(
        candidates.text(
            f"SELECT code, display_name, sports FROM directory_taxonomy WHERE code IN ({marks})"
        ),
        {f"c{i}": c for i, c in enumerate(codes)},
    )
    return {code: (label_for(code, name), bool(sports), name) for code, name, sports in rows}


def _taxonomies(p: dict[str, Any], labels: dict[str, tuple[str, bool, str]]) -> list[TaxonomyInfo]:
    codes = [c for c in p["taxonomies"].split(",") if c]
    return [
        TaxonomyInfo(
            code=c,
            label=labels[c][0] if c in labels else label_for(c, c),
            primary=i == 0,
            sports=labels[c][1] if c in labels else False,
        )
        for i, c in enumerate(codes)
    ]


def get_provider(
    session: Session,
    npi: str,
    *,
    type_id: str | None = None,
    near: str | None = None,
    radius_miles: float = 25.0,
) -> ProviderDetail | None:
    """One provider of the active directory, or None.

    With ``near`` (a place, as in a search) and optionally ``type_id``, it also gives the
    distance and the same ranking reasons a search for that type would give. Raises
    PlaceNotFound and UnknownProviderType as :func:`search_providers` does."""
    conn = session.connection()
    shape = _shape(conn, [])
    # Read every part whatever the directory holds: one provider costs little.
    shape = _Shape(shape.generation, True, 1.0, [], shape.cms)
    details = _details(conn, shape, [npi])
    p = details.get(npi)
    if p is None:
        return None
    labels = _labels(conn, details)
    taxes = _taxonomies(p, labels)
    detail = ProviderDetail(
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
        medicare=medicare_facts(conn, npi),
    )
    if near is None:
        return detail
    place = resolve_place(near)
    type_id = check_type(type_id) if type_id else None
    loc = min(p["locations"], key=lambda a: haversine_miles(place.lat, place.lon, a.lat, a.lon))
    miles = haversine_miles(place.lat, place.lon, loc.lat, loc.lon)
    static = conn.execute(
        text("SELECT MAX(static) FROM directory_search WHERE generation = :g AND npi = :n"),
        {"g": shape.generation, "n": npi},
    ).scalar()
    if type_id is None:
        fit = ranking.FIT_ANY
    elif type_id in provider_types().types_for(taxes[0].code):
        fit = ranking.FIT_PRIMARY
    else:
        fit = ranking.FIT_SECONDARY if type_id in p["types"] else 0.0
    boost = ranking.profile_boosts(session, [npi]).get(npi, (0.0, ""))
    row = candidates.Candidate(npi, miles, fit, float(static or 0.0), boost[0], 0.0)
    ctx = _Context(conn, place.lat, place.lon, radius_miles, shape)
    result = _results(ctx, [row], type_id, None)[0]
    return detail.model_copy(update={"distance_miles": result.distance_miles, "why": result.why})


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
