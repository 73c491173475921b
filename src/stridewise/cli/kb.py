"""``stridewise kb``: check and summarise the knowledge base."""

from __future__ import annotations

import csv
from importlib import resources

import typer
from rich.console import Console
from rich.table import Table

from stridewise.cli.errors import fail
from stridewise.kb.loader import KBError, load_kb

app = typer.Typer(help="The clinical knowledge base.", no_args_is_help=True)


def _catalogue_ids() -> list[str]:
    text = (resources.files("stridewise.kb") / "data" / "catalogue.csv").read_text("utf-8")
    return [row["id"] for row in csv.DictReader(text.splitlines())]


@app.command("check")
def check() -> None:
    """Validate every file of the knowledge base and print a summary."""
    try:
        kb = load_kb()
    except KBError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=1) from exc
    missing = [c for c in _catalogue_ids() if c not in kb.conditions]
    if missing:
        fail(f"conditions missing from the catalogue: {', '.join(missing)}")
    uncited = [c.id for c in kb.conditions.values() if not c.sources]
    if uncited:
        fail(f"conditions without sources: {', '.join(uncited)}")
    table = Table(title=f"Knowledge base {kb.version}: valid")
    table.add_column("part")
    table.add_column("count", justify="right")
    for k, v in kb.summary().items():
        table.add_row(k.replace("_", " "), str(v))
    Console().print(table)
