"""The NPPES columns the directory reads, by name.

CMS has renamed columns between layouts (the 2025 V2 file says ``Provider Sex Code`` where the
older 329-column files say ``Provider Gender Code``, and adds a trailing ``Certification Date``).
Everything here is looked up by header name, never by position, so both layouts import. A column
that has several historical names lists them all in ``ALIASES``; :func:`resolve_columns` maps
each logical name to the spelling the file actually uses.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from stridewise.errors import InvalidInput

TAXONOMY_SLOTS = 15

NPI = "NPI"
ENTITY_TYPE = "Entity Type Code"
ORG_NAME = "Provider Organization Name (Legal Business Name)"
LAST_NAME = "Provider Last Name (Legal Name)"
FIRST_NAME = "Provider First Name"
MIDDLE_NAME = "Provider Middle Name"
PREFIX = "Provider Name Prefix Text"
SUFFIX = "Provider Name Suffix Text"
CREDENTIAL = "Provider Credential Text"
ADDRESS1 = "Provider First Line Business Practice Location Address"
ADDRESS2 = "Provider Second Line Business Practice Location Address"
CITY = "Provider Business Practice Location Address City Name"
STATE = "Provider Business Practice Location Address State Name"
POSTAL = "Provider Business Practice Location Address Postal Code"
COUNTRY = "Provider Business Practice Location Address Country Code (If outside U.S.)"
PHONE = "Provider Business Practice Location Address Telephone Number"
LAST_UPDATE = "Last Update Date"
DEACTIVATION_DATE = "NPI Deactivation Date"
REACTIVATION_DATE = "NPI Reactivation Date"
SEX = "Provider Sex Code"


def taxonomy_code(i: int) -> str:
    """Name of the i-th (1-based) taxonomy code column."""
    return f"Healthcare Provider Taxonomy Code_{i}"


def primary_switch(i: int) -> str:
    """Name of the i-th (1-based) primary-taxonomy switch column (Y/N/X)."""
    return f"Healthcare Provider Primary Taxonomy Switch_{i}"


TAXONOMY_CODES = [taxonomy_code(i) for i in range(1, TAXONOMY_SLOTS + 1)]
PRIMARY_SWITCHES = [primary_switch(i) for i in range(1, TAXONOMY_SLOTS + 1)]

#: Columns the importer reads; every other column is skipped by the parser.
WANTED: list[str] = [
    NPI,
    ENTITY_TYPE,
    ORG_NAME,
    LAST_NAME,
    FIRST_NAME,
    MIDDLE_NAME,
    PREFIX,
    SUFFIX,
    CREDENTIAL,
    ADDRESS1,
    ADDRESS2,
    CITY,
    STATE,
    POSTAL,
    COUNTRY,
    PHONE,
    LAST_UPDATE,
    DEACTIVATION_DATE,
    REACTIVATION_DATE,
    SEX,
    *TAXONOMY_CODES,
    *PRIMARY_SWITCHES,
]

#: Columns without which a file cannot be imported at all.
REQUIRED: frozenset[str] = frozenset({NPI, ENTITY_TYPE, POSTAL, taxonomy_code(1)})

#: Other spellings CMS has used for a logical column.
ALIASES: dict[str, tuple[str, ...]] = {SEX: ("Provider Gender Code",)}

# Secondary practice-location file (pl_pfile). Its header has an odd double space in line 2.
PL_NPI = "NPI"
PL_ADDRESS1 = "Provider Secondary Practice Location Address- Address Line 1"
PL_ADDRESS2 = "Provider Secondary Practice Location Address-  Address Line 2"
PL_CITY = "Provider Secondary Practice Location Address - City Name"
PL_STATE = "Provider Secondary Practice Location Address - State Name"
PL_POSTAL = "Provider Secondary Practice Location Address - Postal Code"
PL_PHONE = "Provider Secondary Practice Location Address - Telephone Number"
PL_WANTED = [PL_NPI, PL_ADDRESS1, PL_ADDRESS2, PL_CITY, PL_STATE, PL_POSTAL, PL_PHONE]
PL_ALIASES: dict[str, tuple[str, ...]] = {
    PL_ADDRESS2: ("Provider Secondary Practice Location Address- Address Line 2",),
}


class MissingColumnsError(InvalidInput):
    """The file's header lacks columns the importer cannot do without."""


@dataclass(frozen=True)
class ColumnMap:
    """Maps each logical column name to the name used in one file's header (or None)."""

    actual: dict[str, str | None]

    def present(self) -> list[str]:
        """Actual header names to ask the parser for, in WANTED order, without duplicates."""
        return [name for name in self.actual.values() if name is not None]

    def get(self, logical: str) -> str | None:
        return self.actual.get(logical)


def read_header(path: Path) -> list[str]:
    """The header row of a CSV file (latin-1, since NPPES is not guaranteed to be UTF-8)."""
    with path.open("r", encoding="latin-1", newline="") as fh:
        try:
            return next(csv.reader(fh))
        except StopIteration:
            raise MissingColumnsError(f"{path} is empty") from None


def resolve_columns(
    header: list[str],
    wanted: list[str] = WANTED,
    required: frozenset[str] = REQUIRED,
    aliases: dict[str, tuple[str, ...]] = ALIASES,
) -> ColumnMap:
    """Match logical columns to ``header``; raise MissingColumnsError if a required one is absent.

    Matching ignores case and surrounding whitespace, because hand-edited extracts drift."""
    index = {h.strip().casefold(): h for h in header}
    actual: dict[str, str | None] = {}
    for logical in wanted:
        found = None
        for candidate in (logical, *aliases.get(logical, ())):
            found = index.get(candidate.casefold())
            if found is not None:
                break
        actual[logical] = found
    missing = sorted(c for c in required if actual.get(c) is None)
    if missing:
        raise MissingColumnsError(
            "not an NPPES file: missing column(s) " + ", ".join(repr(m) for m in missing)
        )
    return ColumnMap(actual)
