"""``POST /api/v1/assessments``: the one-shot assessment, same contract as the CLI.

The route declares ``AssessmentResult`` as its response model (OpenAPI, schemathesis) but
returns the JSON itself: the engine's analysis serialised straight from the result's data
(triage/output.py), the same bytes as the model's serializer would give for
``Engine.assess``'s typed result, without building and validating the models only to take them
apart again (FastAPI would even validate them a second time)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from stridewise.engine import Engine
from stridewise.errors import UnknownAnswer
from stridewise.triage.schemas import AssessmentRequest, AssessmentResult
from stridewise.web.cpu import run_engine_work
from stridewise.web.deps import engine_of
from stridewise.web.problems import ProblemError

router = APIRouter(tags=["assessment"])


def assessment_json(engine: Engine, body: AssessmentRequest) -> bytes:
    """The engine's result for ``body`` as the JSON FastAPI sends for a route whose response
    model is ``AssessmentResult`` (by alias, nothing excluded). Raises UnknownAnswer."""
    return engine.analyse(body).result_json()


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
