"""The packaged knowledge base loads, is complete and cited; a broken copy fails loudly."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stridewise.cli.main import app
from stridewise.engine import Engine
from stridewise.kb.implications import implied_by
from stridewise.kb.loader import KBError, KnowledgeBase, data_dir, load_kb

CONDITION = "plantar_fasciitis"


def _catalogue_ids() -> list[str]:
    with (data_dir() / "catalogue.csv").open(encoding="utf-8") as fh:
        return [row["id"] for row in csv.DictReader(fh)]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def test_packaged_kb_loads(engine: Engine, kb: KnowledgeBase) -> None:
    assert kb.version
    summary = kb.summary()
    assert summary["conditions"] == 42
    assert summary["red_flag_rules"] > 0
    assert summary["provider_types"] == 15
    assert engine.kb.summary() == summary  # the engine holds the same KB


def test_all_catalogue_conditions_present(kb: KnowledgeBase) -> None:
    ids = _catalogue_ids()
    assert len(ids) == 42
    assert len(set(ids)) == 42
    assert set(ids) == set(kb.conditions)


def test_every_condition_cites_sources_that_exist(kb: KnowledgeBase) -> None:
    for cond in kb.conditions.values():
        assert cond.sources, f"{cond.id} cites no sources"
        assert cond.prior_sources, f"{cond.id} has no source for its prior"
        missing = set(cond.sources + cond.prior_sources) - set(kb.sources)
        assert not missing, f"{cond.id} cites unknown sources {missing}"


def test_conditions_reference_known_findings_and_providers(kb: KnowledgeBase) -> None:
    for cond in kb.conditions.values():
        assert set(cond.findings) <= set(kb.findings), cond.id
        assert cond.providers, f"{cond.id} names no provider type"
        assert {p.id for p in cond.providers} <= set(kb.provider_types), cond.id


def test_red_flags_cite_sources(kb: KnowledgeBase) -> None:
    for rule in kb.red_flags:
        assert rule.sources, rule.id
        assert set(rule.sources) <= set(kb.sources), rule.id


# --- broken copies ------------------------------------------------------------------------------


def test_an_untouched_copy_loads(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(data_dir(), root)
    assert set(load_kb(root).conditions) == set(_catalogue_ids())


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path.name}: the fixture data changed"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _unknown_finding(root: Path) -> None:
    _edit(
        root / "conditions" / f"{CONDITION}.yaml",
        "findings:\n",
        "findings:\n  no_such_finding: 0.5\n",
    )


def _unknown_source(root: Path) -> None:
    _edit(root / "conditions" / f"{CONDITION}.yaml", "sources: [", "sources: [no_such_source, ")


def _bad_yaml(root: Path) -> None:
    _edit(root / "conditions" / f"{CONDITION}.yaml", "prior: ", "prior: [unclosed\n  : : ")


def _prior_out_of_range(root: Path) -> None:
    path = root / "conditions" / f"{CONDITION}.yaml"
    lines = path.read_text("utf-8").splitlines()
    fixed = ["prior: 1.5" if line.startswith("prior: ") else line for line in lines]
    assert fixed != lines
    path.write_text("\n".join(fixed) + "\n", "utf-8")


@pytest.mark.parametrize(
    ("breaker", "expected"),
    [
        (_unknown_finding, "unknown finding 'no_such_finding'"),
        (_unknown_source, "unknown source 'no_such_source'"),
        (_bad_yaml, f"{CONDITION}.yaml: not valid YAML"),
        (_prior_out_of_range, f"conditions/{CONDITION}.yaml: prior"),
    ],
    ids=["unknown-finding", "unknown-source", "bad-yaml", "prior-out-of-range"],
)
def test_broken_copy_raises_kberror_naming_the_problem(
    tmp_path: Path, breaker: Callable[[Path], None], expected: str
) -> None:
    root = tmp_path / "data"
    shutil.copytree(data_dir(), root)
    breaker(root)
    with pytest.raises(KBError) as info:
        load_kb(root)
    assert expected in str(info.value)


def test_kb_check_command_prints_summary() -> None:
    result = CliRunner().invoke(app, ["kb", "check"])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output
    assert "conditions" in result.output
    assert "42" in result.output
    assert "red flag rules" in result.output


def test_implications_are_transitive_and_never_override(kb: KnowledgeBase) -> None:
    implied = implied_by(kb, {"trauma_pop": "present"})
    assert implied["trauma_any"] == ("present", "trauma_pop")
    assert implied["onset_sudden"] == ("present", "trauma_pop")
    ruled_out = implied_by(kb, {"trauma_any": "absent", "trauma_twist": "present"})
    assert ruled_out["trauma_pop"] == ("absent", "trauma_any")
    assert "trauma_twist" not in ruled_out  # what the runner said stands


def test_safety_questions_are_askable_and_cited(kb: KnowledgeBase) -> None:
    assert kb.safety_questions
    for sq in kb.safety_questions:
        assert sq.finding in kb.questions
        assert all(s in kb.sources for s in sq.sources)
