"""Stridewise: triage, self-care and provider finding for runners with foot and leg pain.

The public API is what ``__all__`` lists (pinned by tests/test_public_api.py)::

    import stridewise

    result = stridewise.assess("Stabbing pain under my heel first thing in the morning", age=45)
    step = stridewise.interview("my heel hurts", age=45, answers={"choice:where": "loc_arch"})
    page = stridewise.search_providers(near="97201", type="podiatrist")

    engine = stridewise.Engine.load(kb_dir=None)   # or a draft copy of the knowledge
    engine.assess(...), engine.next_step(...), engine.explain(...)
"""

from __future__ import annotations

from stridewise.directory.schemas import ProviderPage, ProviderQuery
from stridewise.engine import Engine
from stridewise.errors import (
    InterviewError,
    InvalidInput,
    KnowledgeError,
    StridewiseError,
    UnknownAnswer,
)
from stridewise.interview.schemas import InterviewRequest, InterviewStep, QuestionOut
from stridewise.shortcuts import assess, interview, search_providers
from stridewise.triage.explain import Explanation
from stridewise.triage.schemas import AssessmentRequest, AssessmentResult
from stridewise.version import __version__

__all__ = [
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
]
