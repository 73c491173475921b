"""The public API is small and explicit: ``stridewise.__all__`` is pinned here, so adding to it or
removing from it is a deliberate change to this test."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import stridewise
from stridewise.db.engine import make_engine
from stridewise.db.migrate import upgrade
from stridewise.directory.importing.importer import import_nppes
from stridewise.engine import Engine
from stridewise.errors import InterviewError, StridewiseError, UnknownAnswer

PUBLIC = {
    "AssessmentRequest",
    "AssessmentResult",
    "Engine",
    "Explanation",
    "InterviewError",
    "InterviewRequest",
    "InterviewStep",
    "InvalidInput",
    "KnowledgeError",
    "ProviderPage",
    "ProviderQuery",
    "QuestionOut",
    "StridewiseError",
    "UnknownAnswer",
    "__version__",
    "assess",
    "interview",
    "search_providers",
}


def test_all_is_pinned() -> None:
    assert set(stridewise.__all__) == PUBLIC
    for name in stridewise.__all__:
        assert hasattr(stridewise, name), name


def test_importing_the_package_does_not_load_the_database_layer() -> None:
    code = "import sys, stridewise; print('sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_assess_shortcut_matches_the_engine(engine: Engine) -> None:
    text = "Stabbing pain under my heel first thing in the morning"
    assert stridewise.assess(text, age=45) == engine.assess(text, age=45)


def test_interview_shortcut_asks_and_accepts_answers() -> None:
    step = stridewise.interview("my heel hurts", age=45, sex="female")
    assert step.question is not None
    answered = stridewise.interview(
        "my heel hurts", age=45, sex="female", answers={step.question.id: "unknown"}
    )
    assert answered.asked == 1


def test_explain_names_the_words_behind_each_finding(engine: Engine) -> None:
    why = engine.explain("I rolled my ankle and the outer ankle bone is tender to press")
    read = {f.id: f for f in why.findings}
    assert read["trauma_twist"].quote == "rolled my ankle"
    assert read["ottawa_ankle_bone"].status == "present"
    assert why.conditions and why.conditions[0].contributions


def test_domain_errors_share_one_base(engine: Engine) -> None:
    with pytest.raises(UnknownAnswer):
        engine.assess("sore heel", answers={"no_such_finding": "present"})
    with pytest.raises(InterviewError):
        engine.apply_answer({}, "no_such_question", "present")
    assert issubclass(UnknownAnswer, StridewiseError)
    assert issubclass(InterviewError, StridewiseError)


def test_search_providers_needs_only_a_database_url(
    tmp_path: Path, make_nppes: Callable[..., Path]
) -> None:
    url = f"sqlite:///{tmp_path / 'directory.sqlite3'}"
    upgrade(url)
    db = make_engine(url)
    try:
        import_nppes(db, make_nppes(800, seed=5, relevant_share=0.9))
    finally:
        db.dispose()
    page = stridewise.search_providers(
        near="10001", type="physical_therapist", radius_miles=60, database_url=url
    )
    assert isinstance(page, stridewise.ProviderPage)
    assert page.total > 0
    assert all("physical_therapist" in r.types for r in page.results)
