"""The search index's keys and longitude cells, shared by the importer (which writes them) and
the search (which reads them)."""

from __future__ import annotations

import math

from stridewise.directory.provider_types import ProviderTypes

#: The search key of providers none of whose taxonomy codes maps to a provider type (for
#: example physical medicine or radiology): untyped searches still find them under it.
OTHER_KEY = "other"


def type_key(type_id: str) -> str:
    """The directory_search key of a provider type."""
    return "type:" + type_id


def search_keys(types: ProviderTypes) -> list[str]:
    """Every directory_search key: one per provider type, then OTHER_KEY."""
    return [*(type_key(t) for t in types.by_id), OTHER_KEY]


#: Longitude bands per degree in directory_search.cell (SQL computes the same: floor(lon * 4)).
CELLS_PER_DEGREE = 4


def cell_of(lon: float) -> int:
    """The directory_search cell of a longitude."""
    return math.floor(lon * CELLS_PER_DEGREE)


#: (key, fit) pairs for one provider, and its static score part.
Keys = tuple[tuple[tuple[str, float], ...], float]
