"""JSON twins of the condition library and About pages: GET /api/v1/conditions,
GET /api/v1/conditions/{id} and GET /api/v1/about. Same facts as the HTML, as typed data from
the shared data layer (``kb/library.py``, ``about.py``); nothing here is display text."""

from __future__ import annotations

from fastapi import APIRouter

from stridewise.about import AboutFacts, about_facts
from stridewise.kb.library import ConditionDetail, ConditionSummary, condition_detail
from stridewise.kb.library import list_conditions as conditions_of
from stridewise.web.deps import EngineDep
from stridewise.web.problems import ProblemError

router = APIRouter(tags=["library"])


@router.get(
    "/conditions",
    response_model=list[ConditionSummary],
    summary="List the conditions in the library",
)
def list_conditions(engine: EngineDep) -> list[ConditionSummary]:
    return conditions_of(engine.kb)


@router.get(
    "/conditions/{condition_id}",
    response_model=ConditionDetail,
    summary="One condition's library page, as data",
)
def get_condition(condition_id: str, engine: EngineDep) -> ConditionDetail:
    detail = condition_detail(engine.kb, condition_id)
    if detail is None:
        raise ProblemError(404, "Not found", f"No condition {condition_id!r}.", "not-found")
    return detail


@router.get(
    "/about",
    response_model=AboutFacts,
    summary="How it works, measured accuracy, data sources, what is stored",
)
def get_about(engine: EngineDep) -> AboutFacts:
    """The About page's facts as numbers (rates are fractions from 0 to 1); ``metrics`` is null
    when no evaluation has been recorded."""
    return about_facts(engine.kb)
