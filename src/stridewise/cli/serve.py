"""``stridewise serve``: run the web app (pages and the JSON API, OpenAPI docs at /docs) with
uvicorn. Access logs are off: page URLs never carry the runner's words (those travel in POST
bodies), but a log of who looked at which condition is still more than we need to keep."""

from __future__ import annotations

import os

import typer

from stridewise.cli.knowledge_option import KbOption, load_engine


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, help="Worker processes."),
    kb: KbOption = None,
) -> None:
    """Serve the Stridewise web app; open http://HOST:PORT/ (API docs at /docs)."""
    import uvicorn

    if kb is not None:
        load_engine(kb)  # fail now, with one line, rather than in every worker
        # The app factory runs in each worker process and reads its settings from the
        # environment: STRIDEWISE_KB_DIR is the setting behind --kb.
        os.environ["STRIDEWISE_KB_DIR"] = str(kb.resolve())

    typer.echo(f"Stridewise on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(
        "stridewise.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_level="info",
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
