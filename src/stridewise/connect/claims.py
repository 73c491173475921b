"""Claiming a directory listing by NPI: an emailed code, then an operator's approval.

1. ``start_claim``: a signed-in provider names an NPI (checked with the NPI Luhn rule). A
   six-digit code, valid 30 minutes and five tries, is mailed to the account's address; only
   its HMAC is stored.
2. ``verify_code``: the right code moves the claim to ``awaiting_approval``. This proves the
   person controls that email address, not that they are the clinician.
3. ``decide``: an operator checks the person against the public NPI record (name, practice
   address and phone) out of band, then approves or rejects. Approval makes the account the
   listing's only owner (a unique index) and marks its athlete profile verified.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stridewise.connect import mailer
from stridewise.connect.models import Account, Claim, ProviderProfile, utcnow
from stridewise.connect.outbox import enqueue
from stridewise.connect.profiles import listing_name, sync_boost
from stridewise.connect.tokens import code_digest, codes_match, new_claim_code
from stridewise.errors import DomainProblem, Reason
from stridewise.settings import Settings

CODE_TTL = timedelta(minutes=30)
MAX_CODE_ATTEMPTS = 5
OPEN_STATUSES = ("email_pending", "awaiting_approval")


class ClaimProblem(DomainProblem):
    """A claim step that cannot proceed; the message is safe to show."""


def valid_npi(npi: str) -> bool:
    """The NPI check digit: Luhn over the nine digits prefixed with 80840."""
    if len(npi) != 10 or not npi.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed("80840" + npi[:9])):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return (10 - total % 10) % 10 == int(npi[9])


def start_claim(session: Session, settings: Settings, account: Account, npi: str) -> Claim:
    """Open (or re-open) this account's claim on ``npi`` and mail a fresh code."""
    if not valid_npi(npi):
        raise ClaimProblem(
            Reason.invalid, "That is not a valid NPI (10 digits with a check digit)."
        )
    if listing_name(session, npi) is None:
        raise ClaimProblem(Reason.not_found, "We have no listing with that NPI. Check the number.")
    owner = session.scalar(select(Claim).where(Claim.approved_npi == npi))
    if owner is not None and owner.account_id != account.id:
        raise ClaimProblem(
            Reason.conflict, "This listing has already been claimed. Contact us if it is yours."
        )
    if owner is not None:
        raise ClaimProblem(Reason.conflict, "You already own this listing.")
    claim = session.scalar(
        select(Claim).where(
            Claim.account_id == account.id, Claim.npi == npi, Claim.status.in_(OPEN_STATUSES)
        )
    )
    if claim is None:
        claim = Claim(account_id=account.id, npi=npi, status="email_pending", code_hash="")
        session.add(claim)
        session.flush()
    if claim.status == "email_pending":
        code = new_claim_code()
        claim.code_hash = code_digest(code, settings.secret_key, claim.id)
        claim.code_expires_at = utcnow() + CODE_TTL
        claim.code_attempts = 0
        enqueue(session, mailer.claim_code(settings, account.email, npi, code))
    return claim


def own_claim(session: Session, account_id: int, claim_id: int) -> Claim | None:
    return session.scalar(select(Claim).where(Claim.id == claim_id, Claim.account_id == account_id))


def verify_code(
    session: Session, settings: Settings, account_id: int, claim_id: int, code: str
) -> Claim:
    """Check the emailed code; the claim then waits for an operator."""
    claim = own_claim(session, account_id, claim_id)
    if claim is None:
        raise ClaimProblem(Reason.not_found, "There is no such claim.")
    if claim.status != "email_pending":
        raise ClaimProblem(Reason.conflict, "This claim is not waiting for a code.")
    if claim.code_attempts >= MAX_CODE_ATTEMPTS:
        raise ClaimProblem(
            Reason.too_many, "Too many wrong codes. Start the claim again for a new code."
        )
    if claim.code_expires_at is None or claim.code_expires_at < utcnow():
        raise ClaimProblem(
            Reason.expired, "That code has expired. Start the claim again for a new code."
        )
    if not codes_match(claim.code_hash, code, settings.secret_key, claim.id):
        claim.code_attempts += 1
        raise ClaimProblem(
            Reason.invalid, "That code is not right. Check the latest email and try again."
        )
    claim.status = "awaiting_approval"
    claim.code_hash = ""
    claim.email_verified_at = utcnow()
    return claim


def claims_of(session: Session, account_id: int) -> list[Claim]:
    return list(
        session.scalars(select(Claim).where(Claim.account_id == account_id).order_by(Claim.id))
    )


def awaiting_approval(session: Session) -> list[Claim]:
    return list(
        session.scalars(select(Claim).where(Claim.status == "awaiting_approval").order_by(Claim.id))
    )


def decide(
    session: Session, settings: Settings, operator_id: int, claim_id: int, approve: bool
) -> Claim:
    """An operator's decision. Approval creates or re-assigns the NPI's athlete profile."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise ClaimProblem(Reason.not_found, "There is no such claim.")
    if claim.status != "awaiting_approval":
        raise ClaimProblem(Reason.conflict, "This claim is not waiting for approval.")
    claim.decided_at = utcnow()
    claim.decided_by = operator_id
    if approve:
        claim.status = "approved"
        claim.approved_npi = claim.npi
        try:
            # A savepoint, so a lost race leaves the caller's transaction usable.
            with session.begin_nested():
                session.flush()
        except IntegrityError as exc:
            claim.status = "awaiting_approval"
            claim.approved_npi = None
            raise ClaimProblem(
                Reason.conflict, "Another account already owns this listing."
            ) from exc
        profile = session.get(ProviderProfile, claim.npi)
        if profile is None:
            profile = ProviderProfile(
                npi=claim.npi,
                account_id=claim.account_id,
                verified=True,
                running_focus=False,
                sports_focus="",
                sports_treated=[],
                services=[],
                accepting_new_patients=True,
                languages=[],
                insurance=[],
                booking_url="",
            )
            session.add(profile)
        else:
            profile.account_id = claim.account_id
            profile.verified = True
            profile.updated_at = utcnow()
        sync_boost(session, profile)
    else:
        claim.status = "rejected"
    account = session.get(Account, claim.account_id)
    if account is not None:
        enqueue(session, mailer.claim_decided(settings, account.email, claim.npi, approve))
    return claim
