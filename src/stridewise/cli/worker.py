"""``stridewise worker``: send queued mail (the connect outbox) as a process of its own, so mail
keeps flowing with any number of web processes (run those with
``STRIDEWISE_OUTBOX_WORKER_ENABLED=false``). Several workers may run at once: each mail is
leased to one of them. SIGTERM or SIGINT stops it after the mail in hand is recorded; exit 0.

``stridewise migrate``: bring the configured database to the current schema (run once before
starting servers and workers; they do not migrate by themselves)."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import typer

from stridewise.cli.errors import fail
from stridewise.connect.outbox import run
from stridewise.db.engine import get_engine
from stridewise.db.migrate import upgrade
from stridewise.settings import get_settings


def worker(
    poll_seconds: float = typer.Option(
        0.0, min=0.0, help="Seconds between looks for due mail (0: outbox_poll_seconds)."
    ),
) -> None:
    """Send queued mail until stopped (SIGTERM or Ctrl-C)."""
    settings = get_settings()
    if poll_seconds:
        settings = settings.model_copy(update={"outbox_poll_seconds": poll_seconds})
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    stop, wake = threading.Event(), threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        logging.getLogger("stridewise.worker").info("stopping (%s)", signal.Signals(signum).name)
        stop.set()
        wake.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    typer.echo(f"stridewise worker: sending mail via {settings.smtp_host}:{settings.smtp_port}")
    run(get_engine(settings), settings, stop, wake)
    typer.echo("stridewise worker: stopped")


def migrate() -> None:
    """Create or upgrade the database schema to the current revision."""
    settings = get_settings()
    try:
        upgrade(settings.effective_database_url)
    except Exception as exc:  # unreachable server, bad URL: one line, never a traceback
        fail(f"cannot migrate the database: {type(exc).__name__}")
    typer.echo("database is at the current schema")


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.command("migrate")(migrate)
