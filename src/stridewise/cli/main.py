"""The ``stridewise`` command. Each domain contributes a Typer sub-app or commands; this module
only wires them together."""

from __future__ import annotations

import sys

import typer

try:  # Typer 0.22+ ships its own copy of Click, whose exceptions these are.
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older Typer on the real Click
    from click import exceptions as click_errors  # type: ignore[no-redef]

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
    """Run the command. A usage error (unknown command or option, a bad value) is one line on
    stderr and exit code 2, like every other bad input, not Click's boxed help."""
    try:
        code = app(standalone_mode=False, prog_name="stridewise")
    except click_errors.NoArgsIsHelpError:
        sys.exit(2)  # the help is already printed
    except click_errors.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "stridewise"
        message = " ".join(exc.format_message().split())
        typer.echo(f"error: {message} (see {where} --help)", err=True)
        sys.exit(2)
    except typer.Abort:
        typer.echo("error: stopped", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
