"""Sending one email over SMTP with the configured server, and the wording of every mail.

Mail bodies never contain health details or the runner's message: they say that something
happened and where to look. Only the runner's own confirmation carries their status link."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from stridewise.connect.mailbox import deliver
from stridewise.settings import Settings

SMTP_TIMEOUT = 20.0


@dataclass(frozen=True)
class Mail:
    kind: str
    recipient: str
    subject: str
    body: str


def send_mail(settings: Settings, recipient: str, subject: str, body: str) -> None:
    """Deliver one message or raise (OSError, smtplib.SMTPException) for the outbox to retry.

    With no SMTP host configured the message is written to the local mailbox folder instead."""
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = recipient
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="stridewise.local")
    msg.set_content(body)
    if settings.local_mailbox:
        deliver(settings.mailbox_dir, msg)
        return
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(msg)


def new_request_for_provider(settings: Settings, recipient: str) -> Mail:
    return Mail(
        "request_new",
        recipient,
        "New appointment request on Stridewise",
        "A runner has sent you an appointment request through Stridewise.\n\n"
        f"Sign in to read it and reply: {settings.base_url}/provider/inbox\n",
    )


def request_confirmation(settings: Settings, recipient: str, token: str) -> Mail:
    return Mail(
        "request_confirmation",
        recipient,
        "Your appointment request was sent",
        "Your request was sent through Stridewise. This private link shows whether the provider "
        "accepted, and their reply. Anyone with the link can see it, so keep it to yourself:\n\n"
        f"{settings.base_url}/requests/{token}\n\n"
        "From the same page you can withdraw the request and delete everything you sent.\n",
    )


def provider_replied(settings: Settings, recipient: str) -> Mail:
    return Mail(
        "request_reply",
        recipient,
        "A provider answered your appointment request",
        "The provider you contacted through Stridewise has answered. Open the private link from "
        "your first email to read their reply.\n",
    )


def claim_code(settings: Settings, recipient: str, npi: str, code: str) -> Mail:
    return Mail(
        "claim_code",
        recipient,
        "Your Stridewise verification code",
        f"Your code to claim NPI {npi} on Stridewise is: {code}\n\n"
        "It expires in 30 minutes. If you did not ask for it, ignore this email.\n",
    )


def claim_decided(settings: Settings, recipient: str, npi: str, approved: bool) -> Mail:
    verdict = "approved" if approved else "not approved"
    return Mail(
        "claim_decided",
        recipient,
        f"Your Stridewise listing claim was {verdict}",
        f"Your claim on NPI {npi} was {verdict} by a Stridewise operator.\n\n"
        f"Sign in: {settings.base_url}/provider\n",
    )
