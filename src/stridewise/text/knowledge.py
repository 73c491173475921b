"""The text knowledge, loaded from one directory and validated as a whole.

The directory (``text/data`` in the package, or a copy a clinician edits) holds:

- ``lexicon.yaml`` and ``lexicon_*.yaml``: the phrases that assert, deny or only resemble each
  finding (see ``lexicon.py``);
- ``negation.yaml``: negation cues, pseudo-negations and scope terminators (``negation.py``);
- ``spelling.yaml``: the misspelling and shorthand table (``normalise.py``);
- ``derived.yaml``: findings derived from combinations of others (``derived.py``).

Every file is validated here; problems are collected and raised together as one
:class:`~stridewise.errors.KnowledgeError`. The cross-check against the knowledge base's findings
is :func:`check_against`, which the engine runs at load."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from stridewise.errors import KnowledgeError
from stridewise.kb.yaml_reader import load_yaml
from stridewise.text.derived import DerivedFile, DerivedRule
from stridewise.text.lexicon import FindingPatterns, compile_lexicon, merge_lexicons
from stridewise.text.negation import NegationFile, NegationRules
from stridewise.text.normalise import Spelling, SpellingFile
from stridewise.text.speller import Speller, vocabulary_of
from stridewise.text.triggers import TriggerIndex


@dataclass(frozen=True)
class TextKnowledge:
    """Everything the text reader needs, compiled once."""

    lexicon: dict[str, FindingPatterns]
    negation: NegationRules
    spelling: Spelling
    derived: tuple[DerivedRule, ...]
    speller: Speller
    triggers: TriggerIndex

    def finding_ids(self) -> set[str]:
        """Every finding id the text knowledge names."""
        ids = set(self.lexicon)
        for rule in self.derived:
            ids.update(rule.mentions())
        return ids


def packaged_text_dir() -> Path:
    return Path(str(resources.files("stridewise.text") / "data"))


def _read(path: Path, problems: list[str]) -> Any:
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{path.name}: missing")
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: cannot be read: {' '.join(str(exc).split())}")
    return None


def _validate(model: type[BaseModel], raw: Any, where: str, problems: list[str]) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            problems.append(f"{where}: {loc}: {err['msg']}")
        return None


def _lexicon(root: Path, problems: list[str]) -> dict[str, FindingPatterns]:
    main = _read(root / "lexicon.yaml", problems)
    if not isinstance(main, dict) or not isinstance(main.get("findings"), dict):
        problems.append("lexicon.yaml: needs a 'findings' mapping")
        return {}
    parts: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(root.glob("lexicon_*.yaml")):
        part = _read(path, problems)
        if part is not None and not isinstance(part, dict):
            problems.append(f"{path.name}: must be a mapping")
            continue
        parts.append((path.name, part or {}))
    try:
        return compile_lexicon(merge_lexicons(main, parts))
    except (ValueError, TypeError, AttributeError, re.error) as exc:
        problems.append(f"lexicon: {exc}")
        return {}


def load_text_knowledge(root: Path | None = None, vocabulary: Iterable[str] = ()) -> TextKnowledge:
    """Load and validate the text knowledge under ``root`` (the packaged data by default).
    ``vocabulary``: more words the speller may correct towards and must never rewrite (the
    engine passes the knowledge base's condition names and finding labels).

    Raises KnowledgeError listing every problem found."""
    root = root or packaged_text_dir()
    problems: list[str] = []
    lexicon = _lexicon(root, problems)
    neg = _validate(
        NegationFile, _read(root / "negation.yaml", problems), "negation.yaml", problems
    )
    spell = _validate(
        SpellingFile, _read(root / "spelling.yaml", problems), "spelling.yaml", problems
    )
    derived = _validate(
        DerivedFile, _read(root / "derived.yaml", problems), "derived.yaml", problems
    )
    negation = spelling = None
    if neg is not None:
        try:
            negation = NegationRules.compile(neg)
        except re.error as exc:
            problems.append(f"negation.yaml: bad regex: {exc}")
    if spell is not None:
        spelling = Spelling.compile(spell)
    if problems or negation is None or spelling is None or derived is None:
        listing = "\n  ".join(problems)
        raise KnowledgeError(f"text knowledge has {len(problems)} problem(s):\n  {listing}")
    # The speller corrects towards the words the lexicon and the spelling table use.
    vocabulary = vocabulary_of(
        [rx.source for fp in lexicon.values() for rx in (fp.present, fp.absent) if rx]
        + list(spelling.table.values())
        + [w.lower() for w in vocabulary]
    )
    return TextKnowledge(
        lexicon=lexicon,
        negation=negation,
        spelling=spelling,
        derived=derived.rules,
        speller=Speller(vocabulary, keep=spell.keep),
        triggers=TriggerIndex.of(lexicon),
    )


def check_against(text: TextKnowledge, findings: set[str]) -> list[str]:
    """Problems where the text knowledge names a finding the knowledge base lacks."""
    problems = [
        f"lexicon: finding {fid!r} is not in findings.yaml"
        for fid in sorted(text.lexicon)
        if fid not in findings
    ]
    for rule in text.derived:
        problems.extend(
            f"derived.yaml: rule for {rule.finding!r}: unknown finding {fid!r}"
            for fid in rule.mentions()
            if fid not in findings
        )
    return problems


__all__ = ["TextKnowledge", "check_against", "load_text_knowledge", "packaged_text_dir"]
