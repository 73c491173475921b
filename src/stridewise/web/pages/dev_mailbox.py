"""``/dev/mailbox``: the local mailbox, for demos and development only.

While no SMTP server is configured, mail is written to ``data_dir/mailbox`` (see
connect.mailbox). In development (``stridewise serve --dev``, ``make run``) this page shows it, so
a demo provider can read their claim code. Anywhere else it answers 404, as if it did not exist:
a production server must never show anyone's mail."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from stridewise.connect.mailbox import read_all
from stridewise.settings import Settings
from stridewise.web.pages.connect_common import notice
from stridewise.web.pages.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/dev/mailbox", response_class=HTMLResponse)
def mailbox(request: Request) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    if not settings.local_mailbox_enabled:
        return notice(request, "Not found", "There is nothing here.", 404)
    ctx = {"mails": read_all(settings.mailbox_dir), "folder": str(settings.mailbox_dir)}
    return render(request, "dev_mailbox.html", "account", ctx)
