"""The Doctors and Clinicians national downloadable file (``DAC_NationalDownloadableFile.csv``,
31 columns, several rows per NPI: one per enrollment, group and address). Rows fold per NPI:
specialties, telehealth, Medicare assignment, group names, and every distinct practice address
as a location."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from stridewise.directory.importing.cms.folder import chunks, valid_npi
from stridewise.directory.importing.cms.stream import Stream

COLUMNS = {
    "npi": ("NPI",),
    "pri_spec": ("pri_spec", "Primary specialty"),
    "sec_spec_all": ("sec_spec_all", "All secondary specialties"),
    "telehealth": ("Telehlth", "Telehealth"),
    "facility": ("Facility Name", "org_nm"),
    "adr1": ("adr_ln_1", "Line 1 Street Address"),
    "adr2": ("adr_ln_2", "Line 2 Street Address"),
    "city": ("City/Town", "cty", "City"),
    "state": ("State", "st"),
    "zip": ("ZIP Code", "zip"),
    "phone": ("Telephone Number", "phn_numbr"),
    "assignment": ("ind_assgn", "Clinician accepts Medicare Assignment"),
    "med_sch": ("Med_sch", "Medical school name"),
    "grd_yr": ("Grd_yr", "Graduation year"),
}
MAX_GROUPS = 5
MAX_LOCATIONS = 20


@dataclass
class _Npi:
    specialties: list[str] = field(default_factory=list)
    telehealth: bool = False
    assignment: bool = False
    groups: list[str] = field(default_factory=list)
    med_school: str = ""
    grad_year: int = 0
    locations: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)


class DacFolder:
    columns = COLUMNS

    def __init__(self) -> None:
        self.by_npi: dict[str, _Npi] = {}
        self.rows_kept = 0

    def add(self, batch: Mapping[str, pa.Array], stats: Stream) -> None:
        cols = {k: v.to_pylist() for k, v in batch.items()}
        for i, npi in enumerate(cols["npi"]):
            npi = npi.strip()
            if not valid_npi(npi):
                stats.skipped["invalid NPI"] += 1
                continue
            self.rows_kept += 1
            e = self.by_npi.get(npi)
            if e is None:
                e = self.by_npi[npi] = _Npi()
            for spec in [cols["pri_spec"][i], *cols["sec_spec_all"][i].split(",")]:
                spec = spec.strip().upper()
                if spec and spec not in e.specialties and len(e.specialties) < 8:
                    e.specialties.append(spec)
            e.telehealth |= cols["telehealth"][i].strip().upper() == "Y"
            e.assignment |= cols["assignment"][i].strip().upper() == "Y"
            group = cols["facility"][i].strip()
            if group and group not in e.groups and len(e.groups) < MAX_GROUPS:
                e.groups.append(group)
            e.med_school = e.med_school or cols["med_sch"][i].strip()
            year = cols["grd_yr"][i].strip()
            if not e.grad_year and year.isdigit() and 1900 < int(year) < 2100:
                e.grad_year = int(year)
            where = tuple(
                cols[k][i].strip().upper() for k in ("adr1", "adr2", "city", "state", "zip")
            )
            if where[0] and where not in e.locations and len(e.locations) < MAX_LOCATIONS:
                e.locations[where] = (group, cols["phone"][i].strip())

    def kept(self) -> int:
        return len(self.by_npi)

    def tables(self, generation: int) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        clinicians = [
            {
                "generation": generation,
                "npi": npi,
                "specialties": " | ".join(e.specialties)[:400],
                "sports_specialty": any("SPORTS" in s for s in e.specialties),
                "telehealth": e.telehealth,
                "assignment": e.assignment,
                "groups": " | ".join(e.groups),
                "med_school": e.med_school[:200],
                "grad_year": e.grad_year,
            }
            for npi, e in self.by_npi.items()
        ]
        for part in chunks(clinicians):
            yield "cms_clinicians", part
        locations = [
            {
                "generation": generation,
                "npi": npi,
                "seq": seq,
                "group_name": group[:200],
                "address1": a1[:200],
                "address2": a2[:200],
                "city": city[:100],
                "state": state[:40],
                "postal_code": z[:20],
                "phone": phone[:30],
            }
            for npi, e in self.by_npi.items()
            for seq, ((a1, a2, city, state, z), (group, phone)) in enumerate(
                e.locations.items(), start=1
            )
        ]
        for part in chunks(locations):
            yield "cms_locations", part
