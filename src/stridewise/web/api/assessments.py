"""``POST /api/v1/assessments``: the one-shot assessment, same contract as the CLI.

The route declares ``AssessmentResult`` as its response model (OpenAPI, schemathesis) but
returns the JSON itself, made by the model's own serializer in one pass: FastAPI would otherwise
validate the engine's freshly built result again (in a second thread hop, for a ``def`` route)
and then serialize it - the same bytes, twice the work."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from stridewise.engine import Engine
from stridewise.errors import UnknownAnswer
from stridewise.triage.schemas import AssessmentRequest, AssessmentResult
from stridewise.web.cpu import run_engine_work
from stridewise.web.deps import engine_of
from stridewise.web.problems import ProblemError

router = APIRouter(tags=["assessment"])

_RESULT_JSON = AssessmentResult.__pydantic_serializer__


def assessment_json(engine: Engine, body: AssessmentRequest) -> bytes:
    """The engine's result for ``body`` as the JSON FastAPI sends for a route whose response
    model is ``AssessmentResult`` (by alias, nothing excluded). Raises UnknownAnswer."""
    return _RESULT_JSON.to_json(engine.assess(body), by_alias=True)


@router.post(
    "/assessments",
    response_model=AssessmentResult,
    summary="Assess a runner's description",
    responses={422: {"description": "Invalid input (problem+json)"}},
)
async def create_assessment(body: AssessmentRequest, request: Request) -> Response:
    """Rank the likely conditions, set the triage level and build the self-care plan.

    Nothing is stored and nothing of the runner's text is logged."""
    engine = engine_of(request)
    try:
        content = await run_engine_work(len(body.text), assessment_json, engine, body)
    except UnknownAnswer as exc:
        raise ProblemError(422, "Invalid answers", str(exc), "validation") from exc
    return Response(content, media_type="application/json")
