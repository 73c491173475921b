"""The NUCC Health Care Provider Taxonomy, and which codes matter to runners.

Two sources:

* the full NUCC code set (v25.1 CSV: ``Code,Grouping,Classification,Specialization,Definition,
  Notes,Display Name,Section``), loaded from the file named by ``STRIDEWISE_NUCC_TAXONOMY_PATH``
  or given on the command line. NUCC publishes it free; we do not redistribute it.
* the runner-relevant subset (``code,category,display_name,classification,specialization,section,
  deactivated``). A curated copy ships with the package; ``STRIDEWISE_DIRECTORY_TAXONOMY_CODES``
  points at another file with the same columns to change which providers the import keeps.

A code is *sports-related* when its classification or specialization names sports or athletic
training (e.g. 207XX0005X "Orthopaedic Surgery, Sports Medicine", 2251S0007X "Physical
Therapist, Sports", 2255A2300X "Athletic Trainer").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

_SPORTS = re.compile(r"\bsports?\b|\bathletic\b", re.IGNORECASE)
_CODE = re.compile(r"^[0-9A-Z]{9}X$")


@dataclass(frozen=True)
class TaxonomyEntry:
    """One taxonomy code with its human labels."""

    code: str
    display_name: str
    grouping: str = ""
    classification: str = ""
    specialization: str = ""
    section: str = ""
    deactivated: bool = False

    @property
    def sports(self) -> bool:
        """True for sports-medicine and athletic-training specialisations."""
        return is_sports(self.classification, self.specialization, self.display_name)


def is_sports(*labels: str) -> bool:
    """Whether any label names a sports or athletic specialisation."""
    return any(_SPORTS.search(label) for label in labels if label)


def is_taxonomy_code(code: str) -> bool:
    """Syntactic check: nine letters/digits then X, as every NUCC code is."""
    return bool(_CODE.match(code))


def bundled_runner_codes_path() -> Path:
    """The runner-relevant code list shipped with the package."""
    return Path(str(resources.files("stridewise.directory") / "data" / "runner_taxonomy_codes.csv"))


def load_nucc(path: Path) -> dict[str, TaxonomyEntry]:
    """Read the NUCC CSV. Deactivated codes stay, flagged from their ``Notes``."""
    entries: dict[str, TaxonomyEntry] = {}
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            code = (row.get("Code") or "").strip()
            if not code:
                continue
            notes = row.get("Notes") or ""
            entries[code] = TaxonomyEntry(
                code=code,
                display_name=(row.get("Display Name") or "").strip() or code,
                grouping=(row.get("Grouping") or "").strip(),
                classification=(row.get("Classification") or "").strip(),
                specialization=(row.get("Specialization") or "").strip(),
                section=(row.get("Section") or "").strip(),
                deactivated="inactive" in notes.lower() or "deactivated" in notes.lower(),
            )
    if not entries:
        raise ValueError(f"{path}: no taxonomy codes found (expected a 'Code' column)")
    return entries


def load_runner_codes(path: Path | None = None) -> dict[str, TaxonomyEntry]:
    """The codes whose providers the directory keeps (``None`` = the bundled list)."""
    src = path or bundled_runner_codes_path()
    entries: dict[str, TaxonomyEntry] = {}
    with src.open("r", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            code = (row.get("code") or "").strip()
            if not code:
                continue
            if not is_taxonomy_code(code):
                raise ValueError(f"{src}: {code!r} is not a taxonomy code")
            entries[code] = TaxonomyEntry(
                code=code,
                display_name=(row.get("display_name") or code).strip(),
                classification=(row.get("classification") or "").strip(),
                specialization=(row.get("specialization") or "").strip(),
                section=(row.get("section") or "").strip(),
                deactivated=(row.get("deactivated") or "").strip().lower() == "yes",
            )
    if not entries:
        raise ValueError(f"{src}: no taxonomy codes found (expected a 'code' column)")
    return entries


@lru_cache(maxsize=8)
def _cached_catalog(nucc: Path | None, runner: Path | None) -> dict[str, TaxonomyEntry]:
    catalog = dict(load_runner_codes(runner))
    if nucc is not None:
        catalog.update(load_nucc(nucc))
    return catalog


def catalog(nucc: Path | None = None, runner: Path | None = None) -> dict[str, TaxonomyEntry]:
    """Every code we can label: the runner subset, overlaid with full NUCC when available."""
    return _cached_catalog(nucc, runner)


OTHER_SPECIALTY = "Other specialty"


@lru_cache(maxsize=1)
def common_labels() -> dict[str, str]:
    """NUCC display names (v25.1) of common codes outside the runner-relevant list, which
    providers carry as second specialties; shown instead of the raw code."""
    path = Path(str(resources.files("stridewise.directory") / "data" / "nucc_labels_common.csv"))
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["code"]: row["display_name"] for row in csv.DictReader(fh)}


def label_for(code: str, known: str | None) -> str:
    """A person-readable specialty for ``code``: the directory's label, else the NUCC name of
    a common code, else "Other specialty" (a raw code means nothing to a runner)."""
    if known and known != code:
        return known
    return common_labels().get(code, OTHER_SPECIALTY)
