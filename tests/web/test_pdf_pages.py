"""The clinician's PDF is one page, even for a description at the 5,000-character limit with
many answers, and its heading is the printable page's heading."""

from __future__ import annotations

import re

import pytest

from stridewise.engine import Engine
from stridewise.triage.schemas import MAX_TEXT, AssessmentRequest
from stridewise.web.pdf import TITLE, SummaryContent, summary_pdf

PAGE = re.compile(rb"/Type\s*/Page\b")

CASES = {
    "heel": "Stabbing pain under my heel with the first steps in the morning.",
    "emergency": "My calf is swollen and hot, I flew 12 hours yesterday and I am short of breath.",
    "at the limit": ("My heel hurts in the morning and after long runs, worse on hills. " * 90)[
        :MAX_TEXT
    ],
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_the_summary_pdf_is_one_page(engine: Engine, text: str) -> None:
    result = engine.assess(AssessmentRequest(text=text, age=45, sex="female"))
    answers = [
        (f"Question number {i} about where and when it hurts?", "Don't know") for i in range(14)
    ]
    content = SummaryContent(text=text, result=result, age=45, sex="female", answers=answers,
                             where=["Under the heel", "Arch"], side="left")  # fmt: skip
    pdf = summary_pdf(content)
    assert pdf.startswith(b"%PDF")
    assert len(PAGE.findall(pdf)) == 1
    assert f"/Title ({TITLE})".encode() in pdf  # the same heading as the printable page
