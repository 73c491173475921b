"""The ``stridewise`` command. Each domain contributes a Typer sub-app or commands; this module
only wires them together."""

from __future__ import annotations

import typer

from stridewise.cli import assess as assess_cli
from stridewise.cli import directory as directory_cli
from stridewise.cli import interview as interview_cli
from stridewise.cli import kb as kb_cli
from stridewise.cli import load as load_cli
from stridewise.cli import operator as operator_cli
from stridewise.cli import serve as serve_cli
from stridewise.cli import settings as settings_cli
from stridewise.cli import worker as worker_cli

app = typer.Typer(
    name="stridewise",
    help="Triage, self-care and provider finding for runners with foot and leg pain.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(kb_cli.app, name="kb")
app.add_typer(operator_cli.app, name="operator")
app.add_typer(settings_cli.app, name="settings")
assess_cli.register(app)
directory_cli.register(app)
interview_cli.register(app)
load_cli.register(app)
serve_cli.register(app)
worker_cli.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
