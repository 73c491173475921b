"""Making the clinician's PDF logs nothing of the runner's words. fontTools logged every glyph
the font subset kept and fpdf2 logged, as a warning, each character its font lacks ("漢", "🦶"):
a runner writing in another script had their description spelt out in the server log."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from stridewise.engine import Engine
from stridewise.logs import JsonFormatter, PrivacyFilter
from stridewise.triage.schemas import AssessmentRequest
from stridewise.web.pdf import SummaryContent, summary_pdf

WORDS = "踵が朝痛い 🦶 marker-pdf-7731 heel pain"


@pytest.fixture
def server_log() -> Iterator[io.StringIO]:
    """The root handler as ``stridewise serve`` sets it up (JSON lines through PrivacyFilter),
    at INFO like the server, writing into a buffer."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(PrivacyFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_the_pdf_libraries_log_none_of_the_runners_words(
    engine: Engine, server_log: io.StringIO
) -> None:
    result = engine.assess(AssessmentRequest(text=WORDS, age=45, sex="female"))
    content = SummaryContent(text=WORDS, result=result, age=45, sex="female", answers=[],
                             where=["Under the heel"], side="left")  # fmt: skip
    assert summary_pdf(content).startswith(b"%PDF")
    logged = server_log.getvalue()
    for char in ("踵", "痛", "🦶", "\\u8e35", "\\U0001f9b6", "marker-pdf-7731"):
        assert char not in logged, f"{char!r} reached the log"
    assert "Glyph names" not in logged and "missing the following glyphs" not in logged


def test_other_loggers_still_pass() -> None:
    record = logging.LogRecord("stridewise.web", logging.INFO, __file__, 1, "started", None, None)
    assert PrivacyFilter().filter(record)
    font = logging.LogRecord(
        "fontTools.subset", logging.INFO, __file__, 1, "Glyph names", None, None
    )
    assert not PrivacyFilter().filter(font)
