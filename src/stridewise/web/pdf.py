"""The clinician's summary as a PDF, made with fpdf2 in memory and never written to disk.

``summary_pdf`` takes the same ``SummaryContent`` the printable page shows: the runner's words,
where it hurts, their answers, the findings, the differential and the triage. It uses DejaVu Sans
when the system has it (any script the runner typed prints) and falls back to the PDF core font,
replacing characters that font cannot show, so the download never fails for lack of a font.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fpdf import FPDF

from stridewise.training.plan import ReturnPlan
from stridewise.triage.schemas import AssessmentResult
from stridewise.web.pdf_training import add_return_plan

_FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
_LEVEL_WORDS = {
    "emergency": "EMERGENCY - call 911 or go to the emergency department now",
    "urgent": "URGENT - be seen today",
    "consult": "See a clinician soon",
    "self_care": "Self-care is a reasonable start",
}


@dataclass
class SummaryContent:
    """Everything the clinician's summary shows, in the order it shows it."""

    text: str
    result: AssessmentResult
    age: int | None = None
    sex: str | None = None
    where: list[str] = field(default_factory=list)
    side: str = ""
    answers: list[tuple[str, str]] = field(default_factory=list)
    made_on: date = field(default_factory=date.today)
    #: The graded return-to-run plan for the most likely condition (None: no plan applies).
    return_plan: ReturnPlan | None = None


class _SummaryPDF(FPDF):
    def __init__(self) -> None:
        super().__init__(format="Letter")
        self.family = "Helvetica"
        self.unicode = False
        for folder in _FONT_DIRS:
            regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
            if regular.exists() and bold.exists():
                self.add_font("DejaVu", "", str(regular))
                self.add_font("DejaVu", "B", str(bold))
                self.family, self.unicode = "DejaVu", True
                break
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.family, "", 8)
        self.cell(0, 6, self.safe(f"Stridewise summary - not a diagnosis - page {self.page_no()}"))

    def safe(self, text: str) -> str:
        """Text the current font can draw."""
        if self.unicode:
            return text
        folded = unicodedata.normalize("NFKD", text)
        return folded.encode("latin-1", "replace").decode("latin-1")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(self.family, "B", 12)
        self.multi_cell(0, 7, self.safe(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 10)

    def para(self, text: str, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", 10)
        self.multi_cell(0, 5.2, self.safe(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 10)

    def bullet(self, text: str) -> None:
        self.set_x(self.l_margin + 3)
        self.multi_cell(0, 5.2, self.safe(f"- {text}"), new_x="LMARGIN", new_y="NEXT")


def summary_pdf(content: SummaryContent) -> bytes:
    """The summary as PDF bytes."""
    r = content.result
    pdf = _SummaryPDF()
    pdf.set_title("Stridewise summary for the clinician")
    pdf.set_creator("Stridewise")
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 16)
    pdf.cell(0, 9, pdf.safe("Summary for the clinician"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 9)
    about = [f"Made {content.made_on.isoformat()}"]
    if content.age is not None:
        about.append(f"age {content.age}")
    if content.sex:
        about.append(content.sex)
    about.append(f"engine {r.versions.engine}, knowledge base {r.versions.kb}")
    pdf.para(", ".join(about))

    level = r.triage.level.value
    pdf.heading("Triage")
    pdf.para(_LEVEL_WORDS.get(level, level), bold=True)
    pdf.para(r.triage.headline)
    for reason in r.triage.reasons:
        pdf.bullet(reason)

    pdf.heading("In the runner's words")
    pdf.para(content.text)
    if content.where or content.side:
        where = ", ".join(content.where) or "not marked"
        pdf.para(
            f"Marked on the map: {where}" + (f" ({content.side} side)" if content.side else "")
        )

    if content.answers:
        pdf.heading("Answers to follow-up questions")
        for question, answer in content.answers:
            pdf.bullet(f"{question} {answer}")

    pdf.heading("Findings")
    present = [f.text for f in r.findings if f.status == "present"]
    absent = [f.text for f in r.findings if f.status == "absent"]
    pdf.para("Present: " + ("; ".join(present) or "none recorded"))
    pdf.para("Absent: " + ("; ".join(absent) or "none recorded"))

    pdf.heading("Differential (estimated probabilities)")
    for c in r.conditions:
        support = "; ".join(e.text for e in c.supporting[:4])
        line = f"{c.name}: {round(c.probability * 100)}%"
        pdf.bullet(line + (f" - for: {support}" if support else ""))

    if r.specialists:
        pdf.heading("Suggested provider")
        for s in r.specialists[:3]:
            pdf.bullet(f"{s.name}: {s.why}")

    if content.return_plan is not None:
        add_return_plan(pdf, content.return_plan)  # training/: the graded way back to running
    pdf.heading("Disclaimer")
    pdf.para(r.disclaimer)
    return bytes(pdf.output())
