"""``stridewise interview``: the adaptive interview in the terminal, built with Rich.

Works with piped answers (one per line) so it can be tested and scripted. Type ``back`` at any
question to change the previous answer."""

from __future__ import annotations

import sys
from typing import TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from stridewise.cli.errors import fail
from stridewise.cli.knowledge_option import KbOption, load_engine
from stridewise.errors import InterviewError
from stridewise.interview.schemas import QuestionOut
from stridewise.kb.models import TriageLevel
from stridewise.triage.schemas import MAX_TEXT, AssessmentRequest, AssessmentResult

_YES = {"y", "yes", "yeah", "yep", "1"}
_NO = {"n", "no", "nope", "2"}
_DK = {"?", "d", "dk", "don't know", "dont know", "not sure", "unknown", "3", ""}
_COLOURS = {
    TriageLevel.emergency: "bold white on red",
    TriageLevel.urgent: "bold black on dark_orange",
    TriageLevel.consult: "bold black on yellow",
    TriageLevel.self_care: "bold white on green",
}


class _Input:
    """Reads answers from a terminal or a pipe; end of input is a clean exit."""

    def __init__(self, stream: TextIO, console: Console) -> None:
        self.stream = stream
        self.console = console
        self.interactive = stream.isatty()

    def ask(self, prompt: str) -> str:
        # Escaped: prompts such as "[y]es" are text, not Rich markup.
        self.console.print(f"[bold cyan]{escape(prompt)}[/] ", end="")
        line = self.stream.readline()
        if not line:
            self.console.print()
            fail("input ended before the interview finished")
        if not self.interactive:
            self.console.print(line.rstrip("\n"))
        return line.strip()


def _read_answer(q: QuestionOut, inp: _Input) -> str:
    """Return an option value, or 'back'."""
    while True:
        if q.type == "single_choice":
            for i, opt in enumerate(q.options, 1):
                inp.console.print(f"  {i}. {opt.label}")
            raw = inp.ask("Choose a number (or 'back'):").lower()
            if raw == "back":
                return raw
            if raw.isdigit() and 1 <= int(raw) <= len(q.options):
                return q.options[int(raw) - 1].value
            if raw in _DK:
                return "unknown"
        else:
            raw = inp.ask("[y]es / [n]o / [d]on't know (or 'back'):").lower()
            if raw == "back":
                return raw
            if raw in _YES:
                return "present"
            if raw in _NO:
                return "absent"
            if raw in _DK:
                return "unknown"
        inp.console.print("[yellow]Please answer with one of the choices shown.[/]")
        if not inp.interactive:
            fail(f"unrecognised answer {raw!r} to question {q.id}")


def _demographics(inp: _Input) -> tuple[int | None, str | None]:
    age: int | None = None
    raw = inp.ask("Your age (press Enter to skip):")
    if raw:
        if not raw.isdigit() or not 0 < int(raw) <= 120:
            fail(f"age must be a whole number from 1 to 120, not {raw!r}")
        age = int(raw)
    raw = inp.ask("Sex assigned at birth, female or male (Enter to skip):").lower()
    sex = {"f": "female", "female": "female", "m": "male", "male": "male"}.get(raw)
    if raw and sex is None:
        fail(f"sex must be female or male, not {raw!r}")
    return age, sex


def print_result(result: AssessmentResult, console: Console) -> None:
    t = result.triage
    console.print(
        Panel(
            f"{t.headline}\n\n" + "\n".join(f"• {r}" for r in t.reasons),
            title=f"Triage: {t.level.value.replace('_', ' ')}",
            style=_COLOURS[t.level],
        )
    )
    table = Table(title="What it might be (not a diagnosis)")
    table.add_column("condition")
    table.add_column("probability")
    table.add_column("why we think so")
    for c in result.conditions[:5]:
        bar = "█" * max(1, round(c.probability * 20))
        why = "; ".join(e.text for e in c.supporting[:3]) or "-"
        table.add_row(c.name, f"{bar} {c.probability:.0%}", why)
    console.print(table)
    for s in result.specialists:
        video = " (a video visit is fine to start)" if s.video_ok else ""
        console.print(f"[bold]See:[/] {s.name}{video}: {s.why}")
    if result.self_care:
        console.print("\n[bold]What to do now[/]")
        for m in result.self_care:
            console.print(f"• [bold]{m.title}[/]: {m.summary}")
    console.print(f"\n[dim]{result.disclaimer}[/]")


def interview_command(kb: KbOption = None) -> None:
    """Answer a few questions about your pain and get a triage, likely causes and a plan."""
    engine = load_engine(kb)
    console = Console()
    inp = _Input(sys.stdin, console)
    console.print(Panel("Tell us what hurts and how it started.", title="Stridewise"))
    text = inp.ask("Describe it:")
    if not text:
        fail("the description is empty")
    if len(text) > MAX_TEXT:
        fail(f"the description is longer than {MAX_TEXT} characters")
    age, sex = _demographics(inp)
    answers: dict[str, str] = {}
    history: list[dict[str, str]] = []
    if age is None:
        answers["age"] = "unknown"
    if sex is None:
        answers["sex"] = "unknown"
    while True:
        req = AssessmentRequest(text=text, age=age, sex=sex, answers=answers)
        step = engine.next_step(req)
        if step.should_stop or step.question is None:
            console.print(f"\n[dim]Interview finished ({step.stop_reason}).[/]\n")
            print_result(step.assessment, console)
            return
        q = step.question
        if step.assessment.triage.level == TriageLevel.emergency:
            console.print(
                Panel(step.assessment.triage.headline, style=_COLOURS[TriageLevel.emergency])
            )
        console.print(f"\n[bold]Question {step.asked + 1}[/] · {q.text}")
        if q.help:
            console.print(f"[dim]{q.help}[/]")
        console.print(f"[italic dim]Why we ask: {q.why}[/]")
        value = _read_answer(q, inp)
        if value == "back":
            if history:
                answers = history.pop()
            else:
                console.print("[yellow]There is no earlier answer to change.[/]")
            continue
        try:
            history.append(answers)
            answers = engine.apply_answer(answers, q.id, value)
        except InterviewError as exc:
            fail(str(exc))


def register(app: typer.Typer) -> None:
    app.command("interview")(interview_command)
