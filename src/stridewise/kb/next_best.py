"""The next best provider types for a condition: ``kb/data/care_next_best.yaml``.

For each condition, the provider types that can give or start its care, best first. The
directory offers them (without the type the runner searched for) when nobody of that type is
within the radius and the runner came from an assessment pointing to the condition; without a
known condition it falls back to the per-type list (``directory/data/next_best_types.yaml``).

An entry without ``why`` borrows the reason of the condition's own ``providers`` entry (and is
backed by the condition's sources); any other entry must give its own reason and sources.
:func:`check` states these rules for ``stridewise kb check``; :func:`condition_options` is the
resolved table the directory reads (loaded once).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from stridewise.errors import KnowledgeError
from stridewise.kb.models import Condition, ProviderRec, ProviderTypeId, TriageLevel
from stridewise.kb.yaml_reader import load_yaml

FILE_NAME = "care_next_best.yaml"


class NextBestEntry(BaseModel):
    """One provider type for a condition; ``why`` and ``sources`` only when the type is not
    one of the condition's own providers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: ProviderTypeId
    why: str | None = Field(default=None, min_length=10, max_length=200)
    sources: list[str] = Field(default_factory=list)


class NextBestFile(BaseModel):
    """The whole file: a version and, per condition id, its provider types best first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1)
    conditions: dict[str, list[NextBestEntry]]


@dataclass(frozen=True)
class CareOption:
    """A provider type that can help with a condition, and why, in plain words."""

    type_id: str
    why: str


def read_file(path: Path) -> NextBestFile:
    """Parse and validate one ``care_next_best.yaml``; KnowledgeError says what is wrong."""
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
        return NextBestFile.model_validate(raw)
    except FileNotFoundError as exc:
        raise KnowledgeError(f"{FILE_NAME}: missing from {path.parent}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise KnowledgeError(f"{FILE_NAME}: {where}: {first['msg']}") from None
    except Exception as exc:  # a YAML syntax error: its type, then the file is refused
        raise KnowledgeError(f"{FILE_NAME}: not valid YAML ({type(exc).__name__})") from None


def check(
    table: NextBestFile,
    conditions: Mapping[str, Condition],
    provider_types: Mapping[str, Any],
    sources: Mapping[str, Any],
) -> list[str]:
    """Every problem of ``table`` against the rest of the knowledge (empty when sound)."""
    problems: list[str] = []
    for cid in sorted(set(conditions) - set(table.conditions)):
        problems.append(f"{FILE_NAME}: condition {cid!r} has no list")
    for cid, entries in table.conditions.items():
        where = f"{FILE_NAME}[{cid}]"
        cond = conditions.get(cid)
        if cond is None:
            problems.append(f"{where}: unknown condition")
            continue
        if not entries:
            problems.append(f"{where}: empty list")
        own = {p.id for p in cond.providers}
        seen: set[str] = set()
        for e in entries:
            if e.id in seen:
                problems.append(f"{where}: {e.id} is listed twice")
            seen.add(e.id)
            if e.id not in provider_types:
                problems.append(f"{where}: unknown provider type {e.id!r}")
            if e.why is None:
                if e.id not in own:
                    problems.append(
                        f"{where}: {e.id} is not one of the condition's providers,"
                        " so it needs a why"
                    )
                if e.sources:
                    problems.append(f"{where}: {e.id} has sources but no why")
            elif not e.sources:
                problems.append(f"{where}: {e.id} gives a why without sources")
            for s in e.sources:
                if s not in sources:
                    problems.append(f"{where}: {e.id} cites unknown source {s!r}")
        if cond.triage is TriageLevel.emergency and [e.id for e in entries] != [
            "emergency_department"
        ]:
            problems.append(f"{where}: an emergency condition lists the emergency department only")
    return problems


def resolve(
    table: NextBestFile, own: Mapping[str, list[ProviderRec]]
) -> dict[str, tuple[CareOption, ...]]:
    """Each condition's options with every reason filled in (``own``: the condition's
    providers); entries that :func:`check` would refuse are left out."""
    out: dict[str, tuple[CareOption, ...]] = {}
    for cid, entries in table.conditions.items():
        reasons = {p.id: p.why for p in own.get(cid, [])}
        options = []
        for e in entries:
            why = e.why or reasons.get(e.id)
            if why:
                options.append(CareOption(type_id=e.id, why=why))
        out[cid] = tuple(options)
    return out


def _packaged() -> Path:
    return Path(str(resources.files("stridewise.kb") / "data"))


@lru_cache(maxsize=1)
def condition_options() -> Mapping[str, tuple[CareOption, ...]]:
    """The packaged table, resolved against the packaged conditions' providers (cached).

    Reads only the providers of each condition file, not the whole knowledge base."""
    root = _packaged()
    own: dict[str, list[ProviderRec]] = {}
    for path in sorted((root / "conditions").glob("*.yaml")):
        raw = load_yaml(path.read_text(encoding="utf-8"))
        own[str(raw["id"])] = [ProviderRec.model_validate(p) for p in raw.get("providers", [])]
    return resolve(read_file(root / FILE_NAME), own)
