"""The compiled lexicon: for every finding, the phrases that assert it, deny it, or only look
like it. Loaded once per process from ``text/data/lexicon.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class FindingPatterns:
    finding: str
    present: re.Pattern[str] | None
    absent: re.Pattern[str] | None
    exclude: re.Pattern[str] | None


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for name, body in macros.items():
        pattern = pattern.replace("{" + name + "}", body)
    return pattern


def _join(patterns: list[str], macros: dict[str, str], where: str) -> re.Pattern[str] | None:
    if not patterns:
        return None
    alternatives = [f"(?:{_expand(p, macros)})" for p in patterns]
    try:
        return re.compile("|".join(alternatives))
    except re.error as exc:
        raise ValueError(f"lexicon {where}: bad regex: {exc}") from exc


def compile_lexicon(raw: dict[str, Any]) -> dict[str, FindingPatterns]:
    macros: dict[str, str] = raw.get("macros", {})
    out: dict[str, FindingPatterns] = {}
    for fid, spec in raw["findings"].items():
        out[fid] = FindingPatterns(
            finding=fid,
            present=_join(spec.get("present", []), macros, f"{fid}.present"),
            absent=_join(spec.get("absent", []), macros, f"{fid}.absent"),
            exclude=_join(spec.get("exclude", []), macros, f"{fid}.exclude"),
        )
    return out


def load_raw_lexicon() -> dict[str, Any]:
    text = (resources.files("stridewise.text") / "data" / "lexicon.yaml").read_text("utf-8")
    raw: dict[str, Any] = yaml.safe_load(text)
    return raw


@lru_cache(maxsize=1)
def get_lexicon() -> dict[str, FindingPatterns]:
    """The packaged lexicon, compiled once."""
    return compile_lexicon(load_raw_lexicon())
