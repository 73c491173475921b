"""The return-to-run section of the clinician's PDF (the summary page has the same content from
``partials/training_summary.html``)."""

from __future__ import annotations

from typing import Protocol

from stridewise.training.plan import ReturnPlan


class _Writer(Protocol):
    def heading(self, text: str) -> None: ...
    def para(self, text: str, bold: bool = False) -> None: ...
    def bullet(self, text: str) -> None: ...


def add_return_plan(pdf: _Writer, plan: ReturnPlan) -> None:
    """Write the graded return-to-run plan (see ``training.plan.summary_plan``)."""
    pdf.heading("Return to running")
    pdf.para(f"{plan.name} ({plan.condition_name}).", bold=True)
    pdf.para(plan.approach)
    if plan.see_clinician_first:
        return
    pdf.para("Before the first run: " + " ".join(plan.before_first_run))
    pdf.para(
        f"Pain limit during runs {plan.during_max}/10. Move on: {plan.forward} Go back: {plan.back}"
    )
    for week in plan.weeks:
        pdf.bullet(f"Week {week.number}: {len(week.sessions)} x {week.sessions[0].describe()}")
