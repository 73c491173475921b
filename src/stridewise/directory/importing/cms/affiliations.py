"""The Facility Affiliation file (``Facility_Affiliation.csv``): NPI to hospital CCN, one row
per pair (duplicates folded)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pyarrow as pa

from stridewise.directory.importing.cms.folder import StreamedFolder, as_columns, valid_npi
from stridewise.directory.importing.cms.stream import Stream

COLUMNS = {
    "npi": ("NPI",),
    "facility_type": ("facility_type", "Facility Type"),
    "ccn": (
        "Facility Affiliations Certification Number",
        "facility_afl_ccn",
        "Facility Affiliation Certification Number",
    ),
}


class AffiliationsFolder(StreamedFolder):
    columns = COLUMNS

    def __init__(self) -> None:
        self.pairs: dict[tuple[str, str], str] = {}

    def add(self, batch: Mapping[str, pa.Array], stats: Stream) -> None:
        npis, ccns = batch["npi"].to_pylist(), batch["ccn"].to_pylist()
        types = batch["facility_type"].to_pylist()
        for npi, ccn, kind in zip(npis, ccns, types, strict=True):
            npi, ccn = npi.strip(), ccn.strip().upper()
            if not valid_npi(npi):
                stats.skipped["invalid NPI"] += 1
            elif not (6 <= len(ccn) <= 10 and ccn.isalnum()):
                stats.skipped["invalid CCN"] += 1
            elif (npi, ccn) in self.pairs:
                stats.skipped["duplicate pair"] += 1
            else:
                self.pairs[(npi, ccn)] = kind.strip()[:60]

    def kept(self) -> int:
        return len(self.pairs)

    def tables(self, generation: int) -> Iterator[tuple[str, Mapping[str, Any]]]:
        rows = [(generation, n, c, t) for (n, c), t in self.pairs.items()]
        yield "cms_affiliations", as_columns(rows, ("generation", "npi", "ccn", "facility_type"))
