"""Reading a multipart upload with the limits enforced while the bytes arrive.

The body is counted as it streams in and refused as soon as it passes the cap (a declared
Content-Length over the cap is refused before a byte is read), so an oversized upload is never
buffered whole; the files stay in memory (never spooled to disk). Shared by the JSON API and
the upload page; it knows nothing of either."""

from __future__ import annotations

from contextlib import aclosing
from dataclasses import dataclass

from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartParser
from starlette.requests import Request
from starlette.types import Message

from stridewise.training.intake import Upload
from stridewise.training.limits import MIB, Limits

# Room for the form's other fields and multipart boundaries on top of the files themselves.
FORM_OVERHEAD = 256 * 1024


class InMemoryMultiPartParser(MultiPartParser):
    """Starlette's parser with its spool threshold above our upload cap, so uploaded files stay
    in memory and are never written to a temporary file on disk."""

    spool_max_size = 256 * MIB + 512 * 1024


class UploadTooLarge(Exception):
    """The body passed the cap."""


class TooManyFiles(Exception):
    """More file parts than the limit."""


class BadForm(Exception):
    """The body is not a readable multipart form."""


@dataclass
class UploadForm:
    uploads: list[Upload]
    fields: list[tuple[str, str]]


async def read_upload_form(request: Request, limits: Limits, field: str = "files") -> UploadForm:
    """The uploaded files named ``field`` and the other (text) fields. Raises UploadTooLarge,
    TooManyFiles or BadForm."""
    cap = limits.max_total_bytes + FORM_OVERHEAD
    if cap > InMemoryMultiPartParser.spool_max_size:
        raise ValueError("the upload cap is above the in-memory spool size")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise UploadTooLarge
    seen = 0
    receive = request.receive

    async def capped() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > cap:
            raise UploadTooLarge
        return message

    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise BadForm
    capped_request = Request(request.scope, capped)
    try:
        async with aclosing(capped_request.stream()) as stream:
            parser = InMemoryMultiPartParser(
                request.headers, stream, max_files=limits.max_files + 1, max_fields=200
            )
            form: FormData = await parser.parse()
    except UploadTooLarge:
        raise
    except Exception as exc:  # starlette raises several types for malformed multipart
        if "Too many files" in str(exc):
            raise TooManyFiles from exc
        raise BadForm from exc
    try:
        uploads: list[Upload] = []
        fields: list[tuple[str, str]] = []
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                if key != field:
                    continue
                if len(uploads) >= limits.max_files:
                    raise TooManyFiles
                data = await value.read()
                if not data and not value.filename:
                    continue  # the empty part a browser sends when no file was chosen
                uploads.append(Upload(value.filename or "(no name)", data))
            else:
                fields.append((key, value))
        return UploadForm(uploads, fields)
    finally:
        await form.close()


def too_large_message(limits: Limits) -> str:
    return f"That is more than we accept in one upload: {limits.describe()}."


def too_many_message(limits: Limits) -> str:
    return (
        f"Please send at most {limits.max_files} files at once (a Strava export zip counts as "
        f"one file, up to {limits.max_file_bytes // MIB} MB)."
    )
