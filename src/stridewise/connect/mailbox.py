"""The local mailbox: where mail goes while no SMTP server is configured (``smtp_host`` empty).

In the manner of Django's file e-mail back end, each message is written as one ``.eml`` file in
``data_dir/mailbox``; in development the app shows them at ``/dev/mailbox`` so a demo provider can
read their claim code. Mail bodies never carry health details (see mailer), so the folder holds
only addresses, subjects and links. The newest messages are kept; older ones are pruned."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

KEEP = 200  # messages kept in the folder; a demo never needs more


@dataclass(frozen=True)
class StoredMail:
    """One message as the mailbox page shows it."""

    name: str
    recipient: str
    subject: str
    date: str
    body: str


def deliver(folder: Path, msg: EmailMessage) -> Path:
    """Write ``msg`` to ``folder`` atomically (write, then rename) and prune old messages."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    name = f"{stamp}-{secrets.token_hex(4)}.eml"
    tmp = folder / f".{name}.tmp"
    tmp.write_bytes(msg.as_bytes(policy=policy.SMTP))
    os.replace(tmp, folder / name)
    for old in sorted(folder.glob("*.eml"))[:-KEEP]:
        old.unlink(missing_ok=True)
    return folder / name


def read_all(folder: Path, limit: int = 50) -> list[StoredMail]:
    """The newest ``limit`` messages, newest first (an absent folder is an empty mailbox)."""
    if not folder.is_dir():
        return []
    out: list[StoredMail] = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:limit]:
        try:
            msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        except OSError:
            continue  # pruned while we read
        part = msg.get_body(preferencelist=("plain",))
        body = part.get_content() if part is not None else ""
        out.append(
            StoredMail(
                name=path.name,
                recipient=str(msg.get("To", "")),
                subject=str(msg.get("Subject", "")),
                date=str(msg.get("Date", "")),
                body=str(body),
            )
        )
    return out
