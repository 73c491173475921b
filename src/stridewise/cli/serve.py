"""``stridewise serve``: run the web app (pages and the JSON API, OpenAPI docs at /docs) with
uvicorn. Access logs are off: page URLs never carry the runner's words (those travel in POST
bodies), but a log of who looked at which condition is still more than we need to keep. The
app's own access lines (``stridewise.access``) name the route template, never the path; every
line is JSON through ``stridewise.logs`` (no personal or health data).

It says which database it serves and where mail goes: with no SMTP server configured, mail is
written to the local mailbox, which ``--dev`` (used by ``make run``) shows at /dev/mailbox."""

from __future__ import annotations

import errno
import os
import socket

import typer

from stridewise.cli.database import database_settings
from stridewise.cli.errors import fail
from stridewise.cli.knowledge_option import KbOption, load_engine


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, help="Worker processes."),
    dev: bool = typer.Option(
        False, "--dev", help="Development mode: show the local mailbox at /dev/mailbox."
    ),
    kb: KbOption = None,
) -> None:
    """Serve the Stridewise web app; open http://HOST:PORT/ (API docs at /docs)."""
    import uvicorn

    from stridewise.settings import SettingsError, get_settings

    if kb is not None:
        load_engine(kb)  # fail now, with one line, rather than in every worker
        # The app factory reads its settings from the environment (in this process, or in each
        # worker): STRIDEWISE_KB_DIR is the setting behind --kb. Settings read before this
        # line would not see it, hence the cache is cleared.
        os.environ["STRIDEWISE_KB_DIR"] = str(kb.resolve())
        get_settings.cache_clear()
    if dev:
        # The app is built by uvicorn from the environment (also in worker processes).
        os.environ["STRIDEWISE_ENV"] = "development"
        get_settings.cache_clear()
    try:
        settings_now = get_settings()
        settings_now.check_can_serve()
    except SettingsError as exc:
        fail(str(exc))
    if "base_url" not in settings_now.model_fields_set:
        # Links in mail and on the request-status page use STRIDEWISE_BASE_URL; when it is not
        # set, the address served here beats the default's port 8000 (``serve --port 8731``
        # gave runners a private link that did not open).
        os.environ["STRIDEWISE_BASE_URL"] = link_base(host, port)
        get_settings.cache_clear()
    if problem := _cannot_listen(host, port):
        fail(problem)
    from stridewise import logs

    get_settings.cache_clear()
    settings = database_settings()
    base = link_base(host, port)
    typer.echo(f"Stridewise on {base}/  (API docs: {base}/docs)")
    if settings.local_mailbox_enabled:
        typer.echo(
            f"Mail: no SMTP server configured, so mail stays here. Read it at {base}/dev/mailbox "
            f"(files in {settings.mailbox_dir})"
        )
    elif settings.local_mailbox:
        typer.echo(
            f"Mail: no SMTP server configured; mail is written to {settings.mailbox_dir} "
            "(set STRIDEWISE_SMTP_HOST to send it)"
        )
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


def _cannot_listen(host: str, port: int) -> str:
    """Why uvicorn could not listen on ``host:port`` (in use, no such address), or ''. Checked
    before the app loads so a busy port is one line and exit 2, not a log line and exit 3."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"cannot listen on {host}:{port}: {exc.strerror}"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is in use; choose another with --port"
            return f"cannot listen on {host}:{port}: {exc.strerror}"
    return ""


def link_base(host: str, port: int) -> str:
    """The address a browser on this machine opens for ``host:port`` (a wildcard interface is
    reached on the loopback address; an IPv6 address is bracketed)."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
