"""The return-to-run plan in the clinician's summary page and PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from stridewise.engine import default_engine
from stridewise.settings import Settings
from stridewise.training.plan import plan_for_result
from stridewise.triage.schemas import AssessmentResult
from stridewise.web.app import create_app
from stridewise.web.pdf_training import add_return_plan

TEXT = "my achilles hurts in the morning and at the start of my runs, it eases as I warm up"


def _plan_lines(result: AssessmentResult) -> list[str]:
    engine = default_engine()
    plan = plan_for_result(result, engine.kb, engine.training)
    assert plan is not None
    rec = Recorder()
    add_return_plan(rec, plan)
    return rec.lines


class Recorder:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def heading(self, text: str) -> None:
        self.lines.append(f"# {text}")

    def para(self, text: str, bold: bool = False) -> None:
        self.lines.append(text)

    def bullet(self, text: str) -> None:
        self.lines.append(f"- {text}")


def test_pdf_section_has_the_weeks_for_the_top_condition() -> None:
    lines = _plan_lines(default_engine().assess(TEXT))
    assert lines[0] == "# Return to running"
    assert any(line.startswith("- Week 1:") for line in lines)


def test_pdf_section_for_an_emergency_is_see_a_clinician() -> None:
    result = default_engine().assess(
        "my calf is swollen, hot and I am short of breath with chest pain"
    )
    lines = _plan_lines(result)
    assert "See a clinician before running" in lines[1]
    assert not any(line.startswith("- Week") for line in lines)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path_factory.mktemp("summary"))))


def test_summary_page_and_pdf_include_the_plan(client: TestClient, tmp_path: Path) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert token
    page = client.post("/summary", data={"text": TEXT, "csrf_token": token.group(1)})
    assert page.status_code == 200 and "Return to running" in page.text and "Week 1" in page.text
    pdf = client.post("/summary.pdf", data={"text": TEXT, "csrf_token": token.group(1)})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
