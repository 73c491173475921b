"""The configurable list of foot, ankle, lower-leg and sports procedure groups counted from
Medicare's by-provider-and-service file, with our own plain labels
(``directory/data/procedure_groups.yaml``; CPT descriptions are copyrighted)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator


class ProcedureGroup(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")
    label: str = Field(min_length=3, max_length=80)
    codes: tuple[str, ...] = Field(min_length=1)


class ProcedureGroups(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    groups: list[ProcedureGroup] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ProcedureGroups:
        ids = [g.id for g in self.groups]
        codes = [c for g in self.groups for c in g.codes]
        if len(set(ids)) != len(ids) or len(set(codes)) != len(codes):
            raise ValueError("group ids and codes must each appear once")
        return self

    @property
    def by_id(self) -> dict[str, ProcedureGroup]:
        return {g.id: g for g in self.groups}

    @property
    def by_code(self) -> dict[str, str]:
        """Code (upper case) to group id."""
        return {c.upper(): g.id for g in self.groups for c in g.codes}


def default_path() -> Path:
    return Path(str(resources.files("stridewise.directory") / "data" / "procedure_groups.yaml"))


@lru_cache(maxsize=4)
def procedure_groups(path: Path | None = None) -> ProcedureGroups:
    """Load and validate the procedure groups (cached per path)."""
    raw = yaml.safe_load((path or default_path()).read_text(encoding="utf-8"))
    return ProcedureGroups.model_validate(raw)
