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

TITLE = "Summary for the clinician"  # the same heading as the printable page
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


@dataclass(frozen=True)
class _Layout:
    """One try at fitting the summary on a page: body size and how much detail."""

    size: float
    max_conditions: int
    support: int
    reasons: int = 10
    specialists: int = 3
    leading: float = 0.5  # line height in mm per point of type


# Tried in order until the summary fits on one page; the last is used whatever its length (only
# a description near the 5,000-character limit with many answers needs it).
LAYOUTS = (
    _Layout(10, 8, 4),
    _Layout(9, 6, 3),
    _Layout(8.5, 5, 2, 3),
    _Layout(8, 5, 1, 2),
    _Layout(7.5, 4, 0, 2, 2),
    _Layout(7, 3, 0, 1, 1, 0.45),
    _Layout(6.5, 3, 0, 1, 1, 0.44),
)
MIN_SHOWN = 0.01  # the page lists conditions of at least 1%, and so does the PDF


class _SummaryPDF(FPDF):
    def __init__(self, size: float = 10, leading: float = 0.5) -> None:
        super().__init__(format="Letter")
        self.size = size
        self.leading = leading
        self.family = "Helvetica"
        self.unicode = False
        for folder in _FONT_DIRS:
            regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
            if regular.exists() and bold.exists():
                self.add_font("DejaVu", "", str(regular))
                self.add_font("DejaVu", "B", str(bold))
                self.family, self.unicode = "DejaVu", True
                break
        self.set_auto_page_break(auto=True, margin=16)
        self.set_margins(16, 14, 16)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 7.5)
        self.cell(0, 5, self.safe(f"Stridewise summary - not a diagnosis - page {self.page_no()}"))

    def safe(self, text: str) -> str:
        """Text the current font can draw."""
        if self.unicode:
            return text
        folded = unicodedata.normalize("NFKD", text)
        return folded.encode("latin-1", "replace").decode("latin-1")

    @property
    def line_h(self) -> float:
        return self.size * self.leading

    def heading(self, text: str) -> None:
        self.ln(self.size * 0.2)
        self.set_font(self.family, "B", self.size + 1.5)
        self.multi_cell(0, self.line_h + 1.2, self.safe(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", self.size)

    def para(self, text: str, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", self.size)
        self.multi_cell(0, self.line_h, self.safe(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", self.size)

    def bullet(self, text: str) -> None:
        self.set_x(self.l_margin + 3)
        self.multi_cell(0, self.line_h, self.safe(f"- {text}"), new_x="LMARGIN", new_y="NEXT")


def summary_pdf(content: SummaryContent) -> bytes:
    """The summary as PDF bytes, on one page: the first layout of LAYOUTS that fits."""
    pdf = _render(content, LAYOUTS[0])
    for layout in LAYOUTS[1:]:
        if pdf.page_no() <= 1:
            break
        pdf = _render(content, layout)
    return bytes(pdf.output())


def _render(content: SummaryContent, layout: _Layout) -> _SummaryPDF:
    r = content.result
    pdf = _SummaryPDF(layout.size, layout.leading)
    pdf.set_title(TITLE)
    pdf.set_creator("Stridewise")
    pdf.add_page()
    pdf.set_font(pdf.family, "B", layout.size + 5)
    pdf.cell(0, 8, pdf.safe(TITLE), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", layout.size - 1)
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
    for reason in r.triage.reasons[: layout.reasons]:
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
    shown = [c for i, c in enumerate(r.conditions) if i == 0 or c.probability >= MIN_SHOWN]
    for c in shown[: layout.max_conditions]:
        support = "; ".join(e.text for e in c.supporting[: layout.support])
        line = f"{c.name}: {round(c.probability * 100)}%"
        pdf.bullet(line + (f" - for: {support}" if support else ""))

    if r.specialists:
        pdf.heading("Suggested provider")
        for sp in r.specialists[: layout.specialists]:
            pdf.bullet(f"{sp.name}: {sp.why}")

    if content.return_plan is not None:
        add_return_plan(pdf, content.return_plan)  # training/: the graded way back to running
    pdf.heading("Disclaimer")
    pdf.para(r.disclaimer)
    return pdf
