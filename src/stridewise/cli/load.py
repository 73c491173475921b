"""``stridewise load FILES...``: what a training history shows, as Rich tables or JSON."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from stridewise.cli.errors import fail
from stridewise.cli.knowledge_option import KbOption, load_engine
from stridewise.training.errors import UploadRejected
from stridewise.training.intake import Upload
from stridewise.training.limits import DEFAULT_LIMITS, MIB
from stridewise.training.report import build_report
from stridewise.training.schemas import TrainingReport


def _pace(seconds: float | None) -> str:
    if not seconds:
        return "—"
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}/km"


def _show(report: TrainingReport, console: Console) -> None:
    s = report.summary
    console.print(
        f"Read {report.files_read} file(s): {s.activities} activities, {s.runs} runs"
        + (f", {s.first_day} to {s.last_day}" if s.first_day else "")
    )
    weeks = Table(title="Last 12 weeks of running")
    weeks.add_column("week of", no_wrap=True)
    for col in ("km", "min", "runs", "long km", "climb m", "HR", "pace"):
        weeks.add_column(col, justify="right", no_wrap=True)
    for w in report.weeks:
        weeks.add_row(
            str(w.week_start),
            f"{w.distance_km:.1f}",
            f"{w.duration_min:.0f}",
            str(w.runs),
            f"{w.long_run_km:.1f}",
            f"{w.elevation_m:.0f}",
            f"{w.avg_hr:.0f}" if w.avg_hr else "—",
            _pace(w.pace_s_per_km),
        )
    if report.weeks:
        console.print(weeks)
    if s.shoes:
        shoes = Table(title="Shoe mileage")
        shoes.add_column("shoe")
        shoes.add_column("km", justify="right")
        shoes.add_column("runs", justify="right")
        shoes.add_column("last used")
        for shoe in s.shoes:
            shoes.add_row(shoe.name, f"{shoe.distance_km:.0f}", str(shoe.runs), str(shoe.last_used))
        console.print(shoes)
    if report.patterns:
        pats = Table(title="Patterns linked to injury")
        pats.add_column("pattern")
        pats.add_column("evidence")
        pats.add_column("what we found")
        for p in report.patterns:
            pats.add_row(p.name, p.evidence.value, p.detail)
        console.print(pats)
    else:
        console.print("No load patterns linked to injury were found.")
    for prob in report.problems:
        console.print(f"[yellow]skipped[/yellow] {prob.name}: {prob.message}", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("load")
    def load(
        files: Annotated[list[Path], typer.Argument(help="FIT, GPX, TCX, .gz or a Strava zip")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
        kb: KbOption = None,
    ) -> None:
        """Read a training history and show its weekly load, shoes and injury-linked patterns.

        Files are read in memory; nothing is stored."""
        uploads = []
        for path in files:
            try:
                size = path.stat().st_size
                if size > DEFAULT_LIMITS.max_file_bytes:
                    fail(f"{path}: {size / MIB:.0f} MB is over the file size limit")
                uploads.append(Upload(path.name, path.read_bytes()))
            except OSError as exc:
                fail(f"{path}: cannot read ({exc.strerror or 'error'})")
        try:
            engine = load_engine(kb)
            report, _ = build_report(
                uploads, engine.kb, engine.training, workers=min(2, os.cpu_count() or 1)
            )
        except UploadRejected as exc:
            fail(str(exc))
        if report.files_read == 0:
            first = report.problems[0].message if report.problems else "no activity found"
            fail(f"no activity could be read: {first}")
        if as_json:
            typer.echo(report.model_dump_json(indent=2))
        else:
            _show(report, Console())
