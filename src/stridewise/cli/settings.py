"""``stridewise settings``: document the settings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stridewise.cli.errors import fail
from stridewise.settings_doc import settings_markdown, write

app = typer.Typer(help="The settings (environment variables).", no_args_is_help=True)


@app.callback()
def settings() -> None:
    """The settings (a callback keeps ``doc`` a sub-command)."""


@app.command("doc")
def doc(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the table here instead of stdout.")
    ] = None,
) -> None:
    """Print (or write) the Markdown table of every setting: docs/settings.md."""
    if out is None:
        typer.echo(settings_markdown(), nl=False)
        return
    try:
        write(out)
    except OSError as exc:  # a missing folder, a directory, no permission: bad input, not a crash
        fail(f"cannot write {out}: {exc.strerror or exc}")
    typer.echo(f"wrote {out}")
