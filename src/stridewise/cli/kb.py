"""``stridewise kb``: check, summarise and copy the knowledge (the knowledge base, the text
knowledge and the calibration)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from stridewise.cli.errors import fail
from stridewise.cli.knowledge_option import KbOption, load_engine
from stridewise.engine import Engine
from stridewise.errors import KnowledgeError
from stridewise.kb.loader import data_dir

app = typer.Typer(help="The clinical knowledge base.", no_args_is_help=True)


def _catalogue_ids(root: Path) -> list[str]:
    path = root / "catalogue.csv"
    if not path.is_file():
        return []  # a draft without the catalogue is checked against its own conditions only
    text = path.read_text("utf-8")
    return [row["id"] for row in csv.DictReader(text.splitlines())]


@app.command("check")
def check(kb: KbOption = None) -> None:
    """Validate every file of the knowledge (KB, text knowledge, calibration) and summarise it.

    Exits 1 listing every problem when the knowledge is invalid; exits 2 with one line when
    ``--kb`` names no directory or a directory without ``manifest.yaml``."""
    if kb is not None and not Path(kb).is_dir():
        fail(f"knowledge directory not found: {kb}")
    if kb is not None and not (Path(kb) / "manifest.yaml").is_file():
        # Not a knowledge directory at all (a wrong path), so bad input, not a failed check.
        fail(f"{kb} is not a knowledge directory (no manifest.yaml); see `stridewise kb copy`")
    try:
        engine = Engine.load(kb)
    except KnowledgeError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=1) from exc
    missing = [c for c in _catalogue_ids(kb or data_dir()) if c not in engine.kb.conditions]
    if missing:
        fail(f"conditions missing from the catalogue: {', '.join(missing)}")
    uncited = [c.id for c in engine.kb.conditions.values() if not c.sources]
    if uncited:
        fail(f"conditions without sources: {', '.join(uncited)}")
    where = str(kb) if kb else "packaged"
    table = Table(title=f"Knowledge base {engine.kb.version} ({where}): valid")
    table.add_column("part")
    table.add_column("count", justify="right")
    for k, v in engine.kb.summary().items():
        table.add_row(k.replace("_", " "), str(v))
    text = engine.text
    table.add_row("lexicon findings", str(len(text.lexicon)))
    table.add_row("misspellings", str(len(text.spelling.table)))
    table.add_row("derived-finding rules", str(len(text.derived)))
    Console().print(table)


@app.command("copy")
def copy(
    dest: Annotated[Path, typer.Argument(help="A new directory to write the copy into.")],
    kb: KbOption = None,
) -> None:
    """Copy the knowledge into DEST to edit it, then measure it with `--kb DEST`."""
    engine = load_engine(kb)
    try:
        engine.copy_knowledge(dest)
    except (KnowledgeError, OSError) as exc:
        fail(str(exc))
    typer.echo(
        f"copied the knowledge to {dest}; try: stridewise eval evals/vignettes.jsonl --kb {dest}"
    )
