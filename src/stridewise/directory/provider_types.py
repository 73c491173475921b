"""Our provider type ids (shared with the triage engine) and the NUCC codes behind each.

The mapping lives in ``stridewise/kb/data/provider_types.yaml`` (``taxonomy_codes:``). One code
can belong to several types: 207XX0004X (orthopaedic foot and ankle surgery) is both an
``orthopedic_foot_ankle_surgeon`` and an ``orthopedic_surgeon``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from stridewise.kb.models import ProviderType
from stridewise.kb.yaml_reader import load_yaml


@dataclass(frozen=True)
class ProviderTypes:
    """The loaded type table with a reverse index from taxonomy code to type ids."""

    by_id: dict[str, ProviderType]
    by_code: dict[str, tuple[str, ...]]

    def codes_for(self, type_id: str) -> tuple[str, ...]:
        """Taxonomy codes of ``type_id``; KeyError if the id is unknown."""
        return tuple(self.by_id[type_id].taxonomy_codes)

    def types_for(self, code: str) -> tuple[str, ...]:
        """Type ids a taxonomy code counts as (empty if none)."""
        return self.by_code.get(code, ())

    def name(self, type_id: str) -> str:
        return self.by_id[type_id].name


def _yaml_path() -> Path:
    return Path(str(resources.files("stridewise.kb") / "data" / "provider_types.yaml"))


@lru_cache(maxsize=1)
def provider_types(path: Path | None = None) -> ProviderTypes:
    """Load and validate provider_types.yaml (cached)."""
    raw = load_yaml((path or _yaml_path()).read_text(encoding="utf-8"))
    by_id: dict[str, ProviderType] = {}
    by_code: dict[str, list[str]] = {}
    for item in raw["provider_types"]:
        pt = ProviderType.model_validate(item)
        by_id[pt.id] = pt
        for code in pt.taxonomy_codes:
            by_code.setdefault(code, []).append(pt.id)
    return ProviderTypes(by_id, {c: tuple(ids) for c, ids in by_code.items()})
