"""``POST /api/v1/training-load``: multipart activity files in, the typed training report out.

The body is counted as it arrives and refused past the limits; the files are processed on a
worker thread (never on the event loop) and discarded. Nothing is stored or logged."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from stridewise.training.errors import UploadRejected
from stridewise.training.limits import DEFAULT_LIMITS
from stridewise.training.report import build_report
from stridewise.training.schemas import TrainingReport
from stridewise.web.deps import EngineDep
from stridewise.web.problems import ProblemError
from stridewise.web.uploads import (
    BadForm,
    TooManyFiles,
    UploadTooLarge,
    read_upload_form,
    too_large_message,
    too_many_message,
)

router = APIRouter(tags=["training"])

_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "FIT, GPX or TCX files (also .gz), a Strava "
                            "activities.csv, or a Strava bulk export .zip",
                        }
                    },
                }
            }
        },
    }
}


@router.post(
    "/training-load",
    response_model=TrainingReport,
    summary="Read a training history and find its load patterns",
    openapi_extra=_BODY_DOC,
    responses={
        413: {"description": "Too many files or too large (problem+json)"},
        422: {
            "description": "Not a multipart form, or no file could be read; the problem's "
            "``problems`` lists why for each file (problem+json)"
        },
    },
)
async def training_load(request: Request, engine: EngineDep) -> TrainingReport:
    """Weekly distance and time for the last 12 weeks, the long run, shoe mileage, the load
    patterns linked to injury, and the findings to confirm (send the confirmed ones as
    ``answers`` to ``POST /api/v1/assessments``). A bad file is listed in ``problems`` and the
    rest is still read."""
    limits = DEFAULT_LIMITS
    try:
        form = await read_upload_form(request, limits)
    except UploadTooLarge as exc:
        raise ProblemError(
            413, "Upload too large", too_large_message(limits), "upload-too-large"
        ) from exc
    except TooManyFiles as exc:
        raise ProblemError(
            413, "Too many files", too_many_message(limits), "too-many-files"
        ) from exc
    except BadForm as exc:
        raise ProblemError(
            422,
            "Not a file upload",
            "Send the files as multipart/form-data field 'files'.",
            "validation",
        ) from exc
    try:
        report, _ = await run_in_threadpool(build_report, form.uploads, engine.kb, engine.training)
    except UploadRejected as exc:
        raise ProblemError(422, "Upload not readable", str(exc), "upload-rejected") from exc
    if report.files_read == 0:
        # Nothing usable at all is bad input; the per-file reasons travel with the problem.
        first = report.problems[0] if report.problems else None
        raise ProblemError(
            422,
            "No activity could be read",
            f"{first.name}: {first.message}" if first else "No activity files were found.",
            "no-activities",
            problems=[p.model_dump(mode="json") for p in report.problems],
        )
    return report
