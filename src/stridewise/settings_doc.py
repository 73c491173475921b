"""docs/settings.md, generated from the Settings class: one row per setting with its environment
variable, type, default and description. ``stridewise settings doc --out docs/settings.md``
writes it; tests/test_settings.py fails when the file is not current."""

from __future__ import annotations

import types
from enum import Enum
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import AliasChoices
from pydantic.fields import FieldInfo

from stridewise.settings import Settings

HEADER = """# Settings

Every setting is an environment variable (or a line in a `.env` file in the working directory).
This file is generated from `src/stridewise/settings.py` by
`stridewise settings doc --out docs/settings.md`; do not edit it by hand.

| environment variable | type | default | what it does |
| --- | --- | --- | --- |
"""


def _type_name(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(a) for a in get_args(annotation))
    if annotation is type(None):
        return "none"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return " / ".join(str(m.value) for m in annotation)  # an enum: its values
    name = getattr(annotation, "__name__", str(annotation))
    return {"str": "text", "int": "integer", "float": "number", "bool": "true/false"}.get(
        name, name.lower()
    )


def _env_names(name: str, field: FieldInfo) -> list[str]:
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        return [str(a) for a in alias.choices]
    prefix = Settings.model_config.get("env_prefix", "")
    return [f"{prefix}{name}".upper()]


def _default(field: FieldInfo) -> str:
    if field.default_factory is not None:
        return "(computed)"
    value = field.default
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "value"):
        value = value.value
    return f"`{value}`" if value != "" else "(empty)"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def settings_markdown() -> str:
    """The settings table, as Markdown."""
    rows = []
    for name, field in Settings.model_fields.items():
        env = " or ".join(f"`{n}`" for n in _env_names(name, field))
        rows.append(
            f"| {env} | {_cell(_type_name(field.annotation))} | {_cell(_default(field))} "
            f"| {_cell(field.description or '')} |"
        )
    return HEADER + "\n".join(rows) + "\n"


def undocumented() -> list[str]:
    """Settings without a description (the table needs one for every row)."""
    return [name for name, f in Settings.model_fields.items() if not f.description]


def write(path: Path) -> None:
    path.write_text(settings_markdown(), encoding="utf-8")


__all__ = ["settings_markdown", "undocumented", "write"]
