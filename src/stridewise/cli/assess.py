"""``stridewise assess`` and ``stridewise eval``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from stridewise import inputs
from stridewise.cli.errors import describe_validation, fail
from stridewise.cli.knowledge_option import KbOption, load_engine
from stridewise.engine import Engine
from stridewise.triage.evaluation import Report, evaluate, load_vignettes, one_shot, report_json
from stridewise.triage.schemas import AssessmentRequest


def _parse(line: str) -> AssessmentRequest:
    try:
        raw = inputs.loads(line)  # bounded nesting: deep JSON is one line of error, exit 2
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"input is not valid JSON: {exc.msg} (line {exc.lineno} column {exc.colno})"
        ) from exc
    if not isinstance(raw, dict):
        raise ValueError("input must be a JSON object with at least a 'text' field")
    try:
        return AssessmentRequest.model_validate(raw)
    except ValidationError as exc:
        raise ValueError(describe_validation(exc)) from exc


def _assess_line(engine: Engine, line: str) -> str:
    return engine.assess(_parse(line)).model_dump_json()


def assess_command(
    json_in: Annotated[
        bool, typer.Option("--json", help="Read one JSON object from stdin.")
    ] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Read one JSON object per line.")] = False,
    kb: KbOption = None,
) -> None:
    """Assess a runner's description read from stdin and print the result as JSON."""
    if json_in == jsonl:
        fail("choose exactly one of --json or --jsonl")
    engine = load_engine(kb)
    if json_in:
        data = sys.stdin.read()
        if not data.strip():
            fail('no input: send one JSON object on stdin, e.g. {"text": "my heel hurts"}')
        try:
            out = _assess_line(engine, data)
        except ValueError as exc:
            fail(str(exc))
        sys.stdout.write(out + "\n")
        return
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            sys.stdout.write(_assess_line(engine, line) + "\n")
        except ValueError as exc:
            sys.stdout.write(json.dumps({"error": str(exc)}) + "\n")
        sys.stdout.flush()


def print_report(report: Report, console: Console) -> None:
    m = report.metrics()
    t = Table(title=f"Evaluation on {m['cases']} vignettes", show_header=True)
    t.add_column("measure")
    t.add_column("value", justify="right")
    t.add_row("top-1", f"{m['top1']:.1%}")
    t.add_row("top-3", f"{m['top3']:.1%}")
    t.add_row("triage exact", f"{m['triage_exact']:.1%}")
    t.add_row("triage acceptable", f"{m['triage_acceptable']:.1%}")
    t.add_row("under-triaged", str(len(m["under_triaged"])))
    t.add_row("under-triaged emergency/urgent", str(len(m["under_triaged_emergency_or_urgent"])))
    if "self_care_kept" in m:
        t.add_row("self-care cases kept at self-care", f"{m['self_care_kept']:.1%}")
    t.add_row("Brier score", f"{m['brier']:.3f}")
    if "questions_median" in m:
        t.add_row("questions (median)", str(m["questions_median"]))
        t.add_row("questions (p90)", str(m["questions_p90"]))
    console.print(t)
    if m["under_triaged"]:
        console.print("Under-triaged: " + ", ".join(m["under_triaged"]))
    c = Table(title="Per-condition confusion")
    c.add_column("gold condition")
    c.add_column("top-1", justify="right")
    c.add_column("mistaken for")
    for cid, row in report.confusion().items():
        mistakes = ", ".join(f"{k}×{n}" for k, n in row["confused_with"].most_common())
        c.add_row(cid, f"{row['top1']}/{row['cases']}", mistakes or "-")
    console.print(c)


def eval_command(
    file: Annotated[Path, typer.Argument(help="Vignettes, one JSON object per line.")],
    interactive: Annotated[
        bool, typer.Option("--interactive", help="Simulate the adaptive interview.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print metrics as JSON.")] = False,
    kb: KbOption = None,
) -> None:
    """Score the engine on a vignette file: accuracy, triage, under-triage, Brier score."""
    if file.is_dir():
        fail(f"{file} is a folder; give a vignette file (one JSON object per line)")
    if not file.is_file():
        fail(f"no such file: {file}")
    try:
        vignettes = load_vignettes(file)
    except UnicodeDecodeError:
        fail(f"{file} is not UTF-8 text (vignettes are one JSON object per line)")
    except ValueError as exc:
        fail(str(exc))
    if not vignettes:  # an empty table and exit 0 would read as a passing evaluation
        fail(f"{file} holds no vignettes (one JSON object per line)")
    engine = load_engine(kb)
    if interactive:
        from stridewise.interview.simulate import simulator

        report = evaluate(vignettes, simulator(engine))
    else:
        report = evaluate(vignettes, one_shot(engine))
    if as_json:
        typer.echo(report_json(report))
    else:
        print_report(report, Console())


def register(app: typer.Typer) -> None:
    app.command("assess")(assess_command)
    app.command("eval")(eval_command)
