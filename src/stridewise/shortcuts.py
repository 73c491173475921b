"""The one-call shortcuts of the public API: assess a description, take one interview step, find
providers. Each is a thin wrapper: the first two over the default :class:`~stridewise.engine.Engine`
(the packaged knowledge, loaded once), the third over the directory search with a session it opens
and closes itself. Code that needs a draft knowledge base or its own database session calls the
engine or ``stridewise.directory.search`` directly."""

from __future__ import annotations

from stridewise.directory.schemas import ProviderPage, ProviderQuery
from stridewise.engine import default_engine
from stridewise.interview.schemas import InterviewRequest, InterviewStep
from stridewise.triage.schemas import AnswerValue, AssessmentResult, Sex


def assess(
    text: str,
    age: int | None = None,
    sex: Sex | None = None,
    answers: dict[str, AnswerValue] | None = None,
) -> AssessmentResult:
    """Assess a runner's description with the packaged knowledge.

    Raises ``pydantic.ValidationError`` for invalid input (empty or over-long text, an
    out-of-range age, an unknown sex) and :class:`~stridewise.errors.UnknownAnswer` for an answer
    to a finding id the knowledge base does not have."""
    return default_engine().assess(text, age=age, sex=sex, answers=answers)


def interview(
    text: str,
    age: int | None = None,
    sex: Sex | None = None,
    answers: dict[str, str] | None = None,
) -> InterviewStep:
    """One step of the adaptive interview: the next question (``step.question``, answered by
    adding ``{question.id: value}`` to ``answers``) or why it stops, and the assessment so far.

    A single-choice question is answered by its own id: ``{"choice:where": "loc_arch"}``.
    Raises ``pydantic.ValidationError`` for invalid input and
    :class:`~stridewise.errors.InterviewError` for an answer the bank cannot use."""
    req = InterviewRequest(text=text, age=age, sex=sex, answers=answers or {})
    return default_engine().next_step(req)


def search_providers(
    near: str,
    type: str | None = None,
    *,
    taxonomy: str | None = None,
    radius_miles: float = 25.0,
    q: str | None = None,
    page: int = 1,
    per_page: int = 20,
    database_url: str | None = None,
) -> ProviderPage:
    """Find providers near a place (ZIP, "City, ST" or "lat,lon"), ranked for runners.

    ``database_url`` defaults to the configured database (``DATABASE_URL``, else the embedded
    SQLite file). Raises ``PlaceNotFound`` and ``UnknownProviderType`` (both with
    suggestions) and ``pydantic.ValidationError`` for out-of-range arguments."""
    query = ProviderQuery(
        near=near,
        type=type,
        taxonomy=taxonomy,
        radius_miles=radius_miles,
        q=q,
        page=page,
        per_page=per_page,
    )
    # Imported here: the triage shortcuts should not pay for SQLAlchemy at import time.
    from sqlalchemy.orm import Session

    from stridewise.db.engine import make_engine
    from stridewise.directory.search import search_providers as _search
    from stridewise.settings import get_settings

    if database_url is None:
        database_url = get_settings().effective_database_url
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return _search(session, query)
    finally:
        engine.dispose()


__all__ = ["assess", "interview", "search_providers"]
