"""The Engine: loaded and validated as a whole, and a draft copy of the knowledge is followed all
the way through: extraction, assessment, the interview and every ``--kb`` command."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stridewise.cli.main import app
from stridewise.engine import Engine
from stridewise.errors import KnowledgeError
from stridewise.triage.model import Calibration
from stridewise.triage.schemas import AssessmentRequest

POP = "felt a pop in my calf"
# trauma_pop's line in findings.yaml, and the same line without its implication of trauma_any.
POP_LINE = "implies: [trauma_any, onset_sudden]}"
TWANG = "there was a twang in my calf on the hill"
TWANG_PHRASE = "      - '\\btwang\\b'\n"


def _copy(engine: Engine, tmp_path: Path) -> Path:
    return engine.copy_knowledge(tmp_path / "kb")


def _edit(path: Path, old: str, new: str, *, line_with: str = "") -> None:
    """Replace ``old`` with ``new`` once, on the line containing ``line_with`` if given."""
    text = path.read_text("utf-8")
    if line_with:
        line = next(ln for ln in text.splitlines() if line_with in ln)
        assert old in line
        text = text.replace(line, line.replace(old, new, 1), 1)
    else:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")


@pytest.fixture(scope="module")
def no_pop_implication(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the knowledge in which a pop no longer implies an injury."""
    root = _copy(engine, tmp_path_factory.mktemp("draft"))
    _edit(root / "findings.yaml", POP_LINE, "implies: [onset_sudden]}", line_with="id: trauma_pop")
    return root


def test_the_packaged_knowledge_loads_whole(engine: Engine) -> None:
    assert set(engine.text.lexicon) <= set(engine.kb.findings)
    assert set(engine.model.calibration.conditions) == set(engine.kb.conditions)
    assert {q.id for q in engine.questions()} >= {"age", "sex", "choice:where"}


def test_a_copy_is_the_same_knowledge(engine: Engine, tmp_path: Path) -> None:
    copy = Engine.load(_copy(engine, tmp_path))
    assert copy.kb.summary() == engine.kb.summary()
    assert copy.model.calibration == engine.model.calibration
    story = "Stabbing pain under my heel first thing in the morning for six weeks"
    assert copy.assess(story, age=45) == engine.assess(story, age=45)


def test_extraction_follows_the_copy(engine: Engine, no_pop_implication: Path) -> None:
    draft = Engine.load(no_pop_implication)
    assert engine.extract(POP).findings["trauma_any"].status == "present"
    found = draft.extract(POP).findings
    assert found["trauma_pop"].status == "present"
    assert "trauma_any" not in found


def test_assessment_follows_the_copy(engine: Engine, no_pop_implication: Path) -> None:
    draft = Engine.load(no_pop_implication)
    assert "trauma_any" in {f.id for f in engine.assess(POP).findings}
    assert "trauma_any" not in {f.id for f in draft.assess(POP).findings}
    # An answer no longer settles it either.
    answered = draft.assess("my calf hurts", answers={"trauma_pop": "present"})
    assert "trauma_any" not in {f.id for f in answered.findings}


def test_the_interview_follows_the_copy(engine: Engine, no_pop_implication: Path) -> None:
    draft = Engine.load(no_pop_implication)
    req = AssessmentRequest(text=POP, age=30, sex="male")
    packaged = engine.next_step(req)
    drafted = draft.next_step(req)
    assert "trauma_any" in {f.id for f in packaged.assessment.findings}
    assert "trauma_any" not in {f.id for f in drafted.assessment.findings}
    # The interview knows what the copy knows: asked in turn, the packaged engine never asks
    # whether an injury started it (the pop said so); the draft can.
    assert _asked(engine, req).isdisjoint({"trauma_any"})
    assert "trauma_any" not in draft.analyse(req).merged.status


def _asked(engine: Engine, req: AssessmentRequest) -> set[str]:
    answers: dict[str, str] = {}
    asked: set[str] = set()
    for _ in range(20):
        step = engine.next_step(req.model_copy(update={"answers": answers}))
        if step.question is None:
            break
        asked.add(step.question.id)
        answers = engine.apply_answer(answers, step.question.id, "unknown")
    return asked


def test_a_removed_lexicon_phrase_is_no_longer_read(engine: Engine, tmp_path: Path) -> None:
    root = _copy(engine, tmp_path)
    _edit(root / "text" / "lexicon.yaml", TWANG_PHRASE, "")
    draft = Engine.load(root)
    assert engine.extract(TWANG).findings["trauma_pop"].status == "present"
    assert "trauma_pop" not in draft.extract(TWANG).findings


def test_text_data_edits_are_followed(engine: Engine, tmp_path: Path) -> None:
    root = _copy(engine, tmp_path)
    # A new misspelling, and "no" no longer a negation cue.
    _edit(root / "text" / "spelling.yaml", "  achilies: achilles\n", "  akiles: achilles\n")
    _edit(root / "text" / "negation.yaml", "- 'no'\n", "")
    draft = Engine.load(root)
    assert "loc_achilles" not in engine.extract("my akiles hurts").findings
    assert draft.extract("my akiles hurts").findings["loc_achilles"].status == "present"
    assert engine.extract("no swelling at all").findings["swelling"].status == "absent"
    assert draft.extract("no swelling at all").findings["swelling"].status == "present"


@pytest.mark.parametrize(
    ("file", "old", "new", "problem"),
    [
        ("text/lexicon.yaml", "  trauma_pop:\n", "  trauma_bogus:\n", "trauma_bogus"),
        ("text/derived.yaml", "finding: ottawa_foot_bone", "finding: nope_bone", "nope_bone"),
        ("text/negation.yaml", "\ncues:", "\nkues:", "negation.yaml"),
        ("text/spelling.yaml", "  achilies: achilles", "  Achilies: achilles", "lower case"),
        ("text/negation.yaml", "- not\n", "- not(\n", "bad regex"),
        ("calibration.json", '"alpha": 1.0', '"alpha": -1', "calibration"),
        ("calibration.json", '"achilles_rupture",', '"achilles_gone",', "achilles_gone"),
        ("findings.yaml", "id: trauma_pop,", "id: trauma_popped,", "trauma_pop"),
    ],
)
def test_an_inconsistent_copy_is_refused_with_every_problem_named(
    engine: Engine, tmp_path: Path, file: str, old: str, new: str, problem: str
) -> None:
    root = _copy(engine, tmp_path)
    _edit(root / file, old, new)
    with pytest.raises(KnowledgeError, match=re.escape(problem)):
        Engine.load(root)


def test_a_calibration_for_other_conditions_is_refused(engine: Engine) -> None:
    stale = Calibration(alpha=1.0, temperature=1.0, conditions=("plantar_fasciitis",))
    with pytest.raises(KnowledgeError, match=r"re-run scripts/calibrate\.py"):
        Engine.load(calibration=stale)


def test_a_missing_directory_is_a_knowledge_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="not found"):
        Engine.load(tmp_path / "nowhere")


def test_copy_refuses_an_existing_directory(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="already exists"):
        engine.copy_knowledge(tmp_path)


# --- the --kb option on every engine command -------------------------------------------------


def test_kb_check_and_assess_follow_the_copy(no_pop_implication: Path) -> None:
    runner = CliRunner()
    checked = runner.invoke(app, ["kb", "check", "--kb", str(no_pop_implication)])
    assert checked.exit_code == 0, checked.output
    assert "valid" in checked.output
    body = json.dumps({"text": POP})
    packaged = runner.invoke(app, ["assess", "--json"], input=body)
    drafted = runner.invoke(app, ["assess", "--json", "--kb", str(no_pop_implication)], input=body)
    assert packaged.exit_code == drafted.exit_code == 0
    assert "trauma_any" in {f["id"] for f in json.loads(packaged.stdout)["findings"]}
    assert "trauma_any" not in {f["id"] for f in json.loads(drafted.stdout)["findings"]}


def test_kb_check_lists_the_problems_of_a_broken_copy(engine: Engine, tmp_path: Path) -> None:
    root = _copy(engine, tmp_path)
    _edit(root / "text" / "lexicon.yaml", "  trauma_pop:\n", "  trauma_bogus:\n")
    _edit(root / "text" / "derived.yaml", "finding: ottawa_foot_bone", "finding: nope_bone")
    result = CliRunner().invoke(app, ["kb", "check", "--kb", str(root)])
    assert result.exit_code == 1
    assert "trauma_bogus" in result.output and "nope_bone" in result.output


def test_eval_and_interview_take_kb(no_pop_implication: Path, tmp_path: Path) -> None:
    vignettes = tmp_path / "one.jsonl"
    vignettes.write_text(
        json.dumps(
            {
                "id": "t1",
                "text": "I felt a pop at the back of my ankle and now I can't push off.",
                "age": 40,
                "sex": "male",
                "gold": "achilles_rupture",
                "accept": ["achilles_rupture"],
                "triage": "urgent",
                "triage_accept": ["urgent", "emergency"],
            }
        )
        + "\n"
    )
    runner = CliRunner()
    ev = runner.invoke(app, ["eval", str(vignettes), "--json", "--kb", str(no_pop_implication)])
    assert ev.exit_code == 0, ev.output
    assert json.loads(ev.stdout)["metrics"]["cases"] == 1
    talk = runner.invoke(
        app, ["interview", "--kb", str(no_pop_implication)], input=f"{POP}\n40\nm\n" + "d\n" * 20
    )
    assert talk.exit_code == 0, talk.output
    assert "Triage" in talk.output


def test_a_missing_kb_directory_is_one_line_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["assess", "--json", "--kb", str(tmp_path / "nope")], input='{"text": "sore heel"}'
    )
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: knowledge directory not found")
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_kb_serves_the_copy(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``serve --kb`` hands the copy to the app factory (uvicorn itself is not started)."""
    import uvicorn

    from stridewise.settings import get_settings
    from stridewise.web.app import create_app

    root = _copy(engine, tmp_path)
    _edit(root / "manifest.yaml", "kb_version:", 'kb_version: "draft-serve" #')
    served: list[str] = []

    def fake_run(target: str, **_: object) -> None:
        assert target == "stridewise.web.app:create_app"
        served.append(create_app().state.engine.kb.version)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.delenv("STRIDEWISE_KB_DIR", raising=False)
    monkeypatch.setenv("STRIDEWISE_DATA_DIR", str(tmp_path / "var"))
    get_settings()  # cached before --kb is seen, as in a real run
    try:
        result = CliRunner().invoke(app, ["serve", "--port", "1", "--kb", str(root)])
    finally:
        os.environ.pop("STRIDEWISE_KB_DIR", None)  # serve set it for the app factory
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert served == ["draft-serve"]


def test_kb_check_of_a_missing_directory_is_one_line_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["kb", "check", "--kb", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.output.strip().startswith("error: knowledge directory not found")
    assert len(result.output.strip().splitlines()) == 1
