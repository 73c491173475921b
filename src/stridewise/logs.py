"""Logging without personal or health data: one JSON object per line, with the request id.

What a runner tells us is health data, and a provider's or runner's name, email and phone are
personal data; none of it may reach a log. Three layers keep it out:

* SQLAlchemy engines are made with ``hide_parameters=True`` (``stridewise.db.engine``), so no
  statement or database error carries bound values;
* the web edge (``stridewise.web.edge``) catches every crash and logs the exception's type
  only, so no traceback, exception message or database ``DETAIL`` line is ever printed;
* :class:`PrivacyFilter`, on every handler :func:`configure` sets up (and on those uvicorn set
  up before the app loaded), drops what a record could still carry from elsewhere: exception
  text and tracebacks become the exception's type, and SQLAlchemy's and asyncio's arguments are
  dropped, and the PDF libraries' lines (which spell out the document's characters) are dropped
  whole.

:class:`JsonFormatter` writes ``{"ts", "level", "logger", "message", "request_id", ...}``.
"""

from __future__ import annotations

import json
import logging
import logging.config
import time
from contextvars import ContextVar
from typing import Any

#: The id of the request being served, set by the web edge ("-" outside a request).
REQUEST_ID: ContextVar[str] = ContextVar("stridewise_request_id", default="-")

#: Loggers whose arguments may hold values we did not choose (SQL parameters, reprs).
_ARGLESS = ("sqlalchemy", "asyncio", "aiosmtpd", "mail")

#: Loggers of the PDF libraries, whose lines describe the document being made: fontTools lists
#: the glyphs a font subset keeps and fpdf2 names the characters a font lacks, both taken from
#: the runner's own words. Their records are dropped whole; a real failure raises in our code.
_DOCUMENT = ("fontTools", "fpdf")

#: Fields a record may carry into the JSON line (set through ``extra=``).
_FIELDS = ("event", "method", "route", "status", "ms", "error", "count")


class PrivacyFilter(logging.Filter):
    """Strips exception text, tracebacks and foreign arguments from every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(_DOCUMENT):
            return False
        if record.exc_info:
            exc = record.exc_info[1]
            if exc is not None and not getattr(record, "error", None):
                record.error = type(exc).__name__
            record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        if record.name.startswith(_ARGLESS) and record.args:
            record.msg = f"{record.msg} [arguments withheld]" if isinstance(record.msg, str) else ""
            record.args = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; never a traceback (PrivacyFilter has removed it)."""

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the line, nor print the args
            message = str(record.msg)
        out: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": message,
            "request_id": REQUEST_ID.get(),
        }
        for name in _FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                out[name] = value
        return json.dumps(out, ensure_ascii=False)


def config(level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` dict: JSON lines on stderr through PrivacyFilter, for
    our loggers, uvicorn's and everything else."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"privacy": {"()": PrivacyFilter}},
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json",
                "filters": ["privacy"],
            }
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": level},
    }


def configure(level: str = "INFO") -> None:
    """Apply :func:`config` to this process."""
    logging.config.dictConfig(config(level))


def guard_existing_handlers() -> None:
    """Put PrivacyFilter on every handler already attached to the root and uvicorn loggers
    (for a server started without :func:`config`, e.g. plain ``uvicorn --factory``)."""
    for name in ("", "uvicorn", "uvicorn.error", "uvicorn.access"):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, PrivacyFilter) for f in handler.filters):
                handler.addFilter(PrivacyFilter())
