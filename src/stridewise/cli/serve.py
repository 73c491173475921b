"""``stridewise serve``: run the web app (pages and the JSON API, OpenAPI docs at /docs) with
uvicorn. Access logs are off: page URLs never carry the runner's words (those travel in POST
bodies), but a log of who looked at which condition is still more than we need to keep. The
app's own access lines (``stridewise.access``) name the route template, never the path; every
line is JSON through ``stridewise.logs`` (no personal or health data)."""

from __future__ import annotations

import typer


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, help="Worker processes."),
) -> None:
    """Serve the Stridewise web app; open http://HOST:PORT/ (API docs at /docs)."""
    import uvicorn

    from stridewise import logs

    typer.echo(f"Stridewise on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(
        "stridewise.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_level="info",
        log_config=logs.config(),
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
