"""The :class:`Engine`: one frozen object holding everything the triage and the interview know.

An engine is the knowledge base, the text knowledge (lexicon, negation, spelling, derived
findings), the calibrated differential model and the question bank, loaded and validated
together. Nothing below it reaches for a global: the web app keeps one on ``app.state.engine``,
the CLI loads one per command (``--kb DIR`` for a draft copy), the evaluation is handed one.

::

    from stridewise import Engine
    engine = Engine.load()                      # the packaged knowledge
    draft = Engine.load(Path("my-kb"))          # a copy made with `stridewise kb copy my-kb`
    result = draft.assess("Stabbing pain under my heel first thing in the morning", age=45)

A knowledge directory is the knowledge base's files (``manifest.yaml``, ``findings.yaml``,
``conditions/`` ...), optionally with a ``text/`` subdirectory (the text knowledge) and a
``calibration.json``; whichever of the two is absent comes from the package.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from stridewise.errors import KnowledgeError
from stridewise.interview import engine as interview
from stridewise.interview.bank import QuestionBank
from stridewise.interview.schemas import InterviewRequest, InterviewStep, QuestionOut
from stridewise.kb.loader import KnowledgeBase, data_dir, load_kb
from stridewise.text.extract import Extraction, extract
from stridewise.text.knowledge import (
    TextKnowledge,
    check_against,
    load_text_knowledge,
    packaged_text_dir,
)
from stridewise.training.knowledge import TrainingKnowledge, load_training
from stridewise.triage import engine as triage
from stridewise.triage.explain import Explanation, explain
from stridewise.triage.model import (
    Calibration,
    DifferentialModel,
    load_calibration,
    packaged_calibration_path,
)
from stridewise.triage.output import ResultParts
from stridewise.triage.schemas import AnswerValue, AssessmentRequest, AssessmentResult, Sex

TEXT_SUBDIR = "text"
CALIBRATION_FILE = "calibration.json"


@dataclass(frozen=True)
class Engine:
    """The knowledge and the model, validated as a whole. Build one with :meth:`load`."""

    kb: KnowledgeBase
    text: TextKnowledge
    model: DifferentialModel
    bank: QuestionBank
    training: TrainingKnowledge
    kb_dir: Path | None = None  # None: the packaged knowledge
    # The result's knowledge-only parts, laid out once (triage/output.py), not per request.
    parts: ResultParts = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", ResultParts(self.kb))

    @classmethod
    def load(
        cls,
        kb_dir: Path | str | None = None,
        *,
        text_dir: Path | str | None = None,
        calibration: Calibration | Path | str | None = None,
    ) -> Engine:
        """Load and validate the knowledge under ``kb_dir`` (the packaged data by default).

        ``text_dir`` defaults to ``kb_dir/text`` when that exists, else the packaged text
        knowledge; ``calibration`` (a :class:`Calibration` or a JSON file) likewise defaults to
        ``kb_dir/calibration.json``, else the packaged one. Raises
        :class:`~stridewise.errors.KnowledgeError` listing every problem: a malformed file, an id
        that does not resolve, a lexicon entry for a finding the KB lacks, a calibration fitted on
        other conditions."""
        root = Path(kb_dir) if kb_dir is not None else None
        if root is not None and not root.is_dir():
            raise KnowledgeError(f"knowledge directory not found: {root}")
        kb = load_kb(root)
        # The speller may correct towards, and must never rewrite, the KB's own words.
        words = [c.name for c in kb.conditions.values()] + [f.label for f in kb.findings.values()]
        text = load_text_knowledge(_text_dir(root, text_dir), words)
        cal = (
            calibration
            if isinstance(calibration, Calibration)
            else _read_calibration(_calibration_path(root, calibration))
        )
        # The return-to-run plans and load patterns live beside the KB (``training/``) and are
        # cross-checked against it, so a draft KB carries its own plans.
        training = load_training(kb, (root or data_dir()) / "training")
        problems = check_against(text, set(kb.findings)) + cal.check_against(set(kb.conditions))
        if problems:
            listing = "\n  ".join(problems)
            raise KnowledgeError(f"the knowledge has {len(problems)} problem(s):\n  {listing}")
        return cls(
            kb=kb,
            text=text,
            model=DifferentialModel(kb, cal),
            bank=QuestionBank(kb),
            training=training,
            kb_dir=root,
        )

    # --- what the engine does ------------------------------------------------------------
    def extract(self, text: str) -> Extraction:
        """The findings, age, sex and duration the runner's words state."""
        return extract(text, self.text, self.kb)

    def analyse(self, request: AssessmentRequest) -> triage.Analysis:
        """Everything worked out for one request, before it is shaped into a result."""
        return triage.Analysis(self, request)

    def assess(
        self,
        request: AssessmentRequest | str,
        *,
        age: int | None = None,
        sex: Sex | None = None,
        answers: dict[str, AnswerValue] | None = None,
    ) -> AssessmentResult:
        """Assess a request, or a description with optional age, sex and answers. Pure: no I/O
        and no logging of the runner's words. Raises ``pydantic.ValidationError`` for invalid
        input and :class:`~stridewise.errors.UnknownAnswer` for an answer id the KB lacks."""
        req = _request(request, age, sex, answers)
        return self.analyse(req).result()

    def next_step(self, request: AssessmentRequest | InterviewRequest) -> InterviewStep:
        """The interview's next question (or why it stops) and the assessment so far. Answers
        are keyed by question id (a finding id, or ``choice:<group>`` with an option's value)."""
        return interview.next_step(self, request)

    def apply_answer(self, answers: dict[str, str], question_id: str, value: str) -> dict[str, str]:
        """``answers`` with one more interview answer recorded (see interview.engine)."""
        return interview.apply_answer(self.bank, answers, question_id, value)

    def explain(
        self,
        request: AssessmentRequest | str,
        *,
        age: int | None = None,
        sex: Sex | None = None,
        answers: dict[str, AnswerValue] | None = None,
    ) -> Explanation:
        """What the engine read and why it ranked as it did: every finding with its quote and
        weight, and each leading condition's per-finding contributions."""
        return explain(self.analyse(_request(request, age, sex, answers)))

    def questions(self) -> list[QuestionOut]:
        """Every question the interview can ask, with its stable id."""
        return self.bank.listing()

    # --- copying the knowledge -----------------------------------------------------------
    def copy_knowledge(self, dest: Path) -> Path:
        """Write this engine's knowledge into ``dest`` (which must not exist) as one editable
        directory: the KB files, ``text/`` and ``calibration.json``. Returns ``dest``."""
        if dest.exists():
            raise KnowledgeError(f"{dest} already exists; choose a new directory")
        src = self.kb_dir or data_dir()
        shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
        text_src = _text_dir(self.kb_dir, None)
        if not (dest / TEXT_SUBDIR).exists():
            shutil.copytree(text_src, dest / TEXT_SUBDIR, ignore=shutil.ignore_patterns("__*"))
        (dest / CALIBRATION_FILE).write_text(
            json.dumps(self.model.calibration.to_json(), indent=2) + "\n", encoding="utf-8"
        )
        return dest


def _request(
    request: AssessmentRequest | str,
    age: int | None,
    sex: Sex | None,
    answers: dict[str, AnswerValue] | None,
) -> AssessmentRequest:
    if isinstance(request, AssessmentRequest):
        return request
    return AssessmentRequest(text=request, age=age, sex=sex, answers=answers or {})


def _text_dir(root: Path | None, text_dir: Path | str | None) -> Path:
    if text_dir is not None:
        return Path(text_dir)
    if root is not None and (root / TEXT_SUBDIR).is_dir():
        return root / TEXT_SUBDIR
    return packaged_text_dir()


def _calibration_path(root: Path | None, given: Path | str | None) -> Path:
    if given is not None:
        return Path(given)
    if root is not None and (root / CALIBRATION_FILE).is_file():
        return root / CALIBRATION_FILE
    return packaged_calibration_path()


def _read_calibration(path: Path) -> Calibration:
    try:
        return load_calibration(path)
    except FileNotFoundError as exc:
        raise KnowledgeError(f"calibration file not found: {path}") from exc
    except (OSError, ValueError, ValidationError) as exc:
        raise KnowledgeError(f"{path.name}: not a valid calibration: {exc}") from exc


@lru_cache(maxsize=1)
def default_engine() -> Engine:
    """The engine over the packaged knowledge, loaded once per process. Only the top-level
    shortcuts (``stridewise.assess``, ``stridewise.interview``) use it; everything else is handed
    an engine."""
    return Engine.load()


__all__ = ["Engine", "default_engine"]
