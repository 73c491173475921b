"""Turning one NPPES row into the rows the directory stores.

Pure functions, no database: the importer calls :meth:`RecordBuilder.build` once per kept row,
so it is written for speed (plain tuples, no per-row objects beyond what it returns).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stridewise.directory import ranking
from stridewise.directory.geocode import zip_point
from stridewise.directory.index_keys import OTHER_KEY, Keys, cell_of, search_keys, type_key
from stridewise.directory.provider_types import ProviderTypes, provider_types
from stridewise.directory.taxonomy import TaxonomyEntry, catalog, load_runner_codes

PROVIDER_COLUMNS = (
    "generation",
    "npi",
    "entity_type",
    "name",
    "credentials",
    "address1",
    "address2",
    "city",
    "state",
    "postal_code",
    "phone",
    "lat",
    "lon",
    "primary_taxonomy",
    "taxonomies",
    "type_ids",
    "sports",
    "completeness",
    "search_text",
    "last_update",
)
LOCATION_COLUMNS = (
    "generation",
    "npi",
    "seq",
    "address1",
    "address2",
    "city",
    "state",
    "postal_code",
    "phone",
    "lat",
    "lon",
)
SEARCH_COLUMNS = (
    "generation",
    "key",
    "tier",
    "cell",
    "lat",
    "lon",
    "npi",
    "loc",
    "fit",
    "static",
)


def decode(raw: bytes | None) -> str:
    """NPPES text: UTF-8 when it decodes, else latin-1 (the files are not consistently either)."""
    if not raw:
        return ""
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        return raw.decode("latin-1").strip()


def npi_is_valid(npi: str) -> bool:
    """Ten digits with a correct Luhn check digit over the '80840' prefix (per CMS)."""
    if len(npi) != 10 or not npi.isdigit():
        return False
    # The 80840 prefix contributes 24; payload digits at even offsets from the right double.
    total = 24 + sum(_DOUBLED[int(c)] for c in npi[8::-2]) + sum(int(c) for c in npi[7::-2])
    return (10 - total % 10) % 10 == int(npi[9])


_DOUBLED = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]


def format_phone(digits: str) -> str:
    d = digits if digits.isdigit() else "".join(ch for ch in digits if ch.isdigit())
    return f"({d[:3]}) {d[3:6]}-{d[6:]}" if len(d) == 10 else digits


def format_postal(postal: str) -> str:
    return f"{postal[:5]}-{postal[5:9]}" if len(postal) == 9 and postal.isdigit() else postal


@dataclass
class RecordBuilder:
    """Knows the relevant codes, the type mapping and the labels; builds rows for one import."""

    relevant: dict[str, TaxonomyEntry]
    labels: dict[str, TaxonomyEntry]
    types: ProviderTypes

    @classmethod
    def create(cls, runner_codes: Path | None = None, nucc: Path | None = None) -> RecordBuilder:
        return cls(load_runner_codes(runner_codes), catalog(nucc, runner_codes), provider_types())

    def __post_init__(self) -> None:
        self._sports: dict[str, bool] = {}

    def is_sports(self, code: str) -> bool:
        """Whether ``code`` is a sports specialisation (memoised: called per kept row)."""
        hit = self._sports.get(code)
        if hit is None:
            entry = self.labels.get(code) or self.relevant.get(code)
            hit = self._sports[code] = bool(entry and entry.sports)
        return hit

    def all_keys(self) -> list[str]:
        """Every search key a provider can have."""
        return search_keys(self.types)

    def keys(self, codes: list[str], primary: str, static: float) -> Keys:
        """Search keys with their fit points: one per provider type the codes map to, or
        OTHER_KEY alone when none does.

        Untyped and taxonomy-code searches read the union of the keys they can match, so no
        provider is indexed twice just for them (which once doubled the index)."""
        fits: dict[str, float] = {}
        for code in codes:
            fit = ranking.FIT_PRIMARY if code == primary else ranking.FIT_SECONDARY
            for t in self.types.types_for(code):
                key = type_key(t)
                if fits.get(key, 0.0) < fit:
                    fits[key] = fit
        if not fits:
            fits[OTHER_KEY] = ranking.FIT_ANY
        return tuple(fits.items()), static

    def stored_keys(self, taxonomies: str, sports: bool, completeness: float) -> Keys:
        """Search keys of a stored provider row (its codes, primary first, and score parts)."""
        codes = taxonomies.split(",")
        static = ranking.sports_points(self.is_sports(codes[0]), sports)
        return self.keys(codes, codes[0], static + completeness * ranking.COMPLETENESS_MAX)

    def build(
        self, generation: int, f: dict[str, str], codes: list[str], primary: str
    ) -> tuple[tuple[object, ...], Keys] | str:
        """Provider row and search keys for one active, relevant row; or a skip reason."""
        npi = f["npi"]
        if not npi_is_valid(npi):
            return "malformed: invalid NPI"
        entity = f["entity"]
        if entity not in ("1", "2"):
            return "malformed: entity type not 1 or 2"
        postal = f["postal"]
        point = zip_point(postal) if len(postal) >= 5 else None
        if point is None:
            return "practice ZIP not found (or outside the US)"
        if entity == "1":
            parts = [f["prefix"], f["first"], f["middle"], f["last"], f["suffix"]]
            name_parts = sum(1 for p in (f["first"], f["last"]) if p)
            name = " ".join(p for p in parts if p).title()
            cred = f["credential"]
            extra = cred
        else:
            name = f["org"]
            name_parts = 2 if name else 0
            cred = ""
            extra = f["address2"] or f["phone"]
        if not name:
            return "malformed: no name"
        phone = format_phone(f["phone"])
        share = ranking.completeness(phone, f["address1"], extra, name_parts)
        primary_sports = self.is_sports(primary)
        any_sports = primary_sports or any(self.is_sports(c) for c in codes)
        static = ranking.sports_points(primary_sports, any_sports) + share * 10.0
        keys = self.keys(codes, primary, static)
        type_ids: list[str] = []
        for code in codes:
            for t in self.types.types_for(code):
                if t not in type_ids:
                    type_ids.append(t)
        city = f["city"].title()
        row = (
            generation,
            npi,
            int(entity),
            name,
            cred,
            f["address1"].title(),
            f["address2"].title(),
            city,
            f["state"],
            format_postal(postal),
            phone,
            point.lat,
            point.lon,
            primary,
            ",".join(codes),
            ",".join(type_ids),
            any_sports,
            share,
            f"{name} {f['org']} {cred} {city}".casefold(),
            f["updated"],
        )
        return row, keys


def search_rows(
    generation: int, npi: str, loc: int, lat: float, lon: float, keys: Keys
) -> list[tuple[object, ...]]:
    """The directory_search rows of one practice location (in SEARCH_COLUMNS order)."""
    pairs, static = keys
    cell = cell_of(lon)
    return [
        (generation, key, fit + static, cell, lat, lon, npi, loc, fit, static) for key, fit in pairs
    ]
