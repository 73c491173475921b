"""``POST /api/v1/assessments``: the one-shot assessment, same contract as the CLI."""

from __future__ import annotations

from fastapi import APIRouter

from stridewise.errors import UnknownAnswer
from stridewise.triage.schemas import AssessmentRequest, AssessmentResult
from stridewise.web.deps import EngineDep
from stridewise.web.problems import ProblemError

router = APIRouter(tags=["assessment"])


@router.post(
    "/assessments",
    response_model=AssessmentResult,
    summary="Assess a runner's description",
    responses={422: {"description": "Invalid input (problem+json)"}},
)
def create_assessment(body: AssessmentRequest, engine: EngineDep) -> AssessmentResult:
    """Rank the likely conditions, set the triage level and build the self-care plan.

    Nothing is stored and nothing of the runner's text is logged."""
    try:
        return engine.assess(body)
    except UnknownAnswer as exc:
        raise ProblemError(422, "Invalid answers", str(exc), "validation") from exc
