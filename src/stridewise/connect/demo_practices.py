"""Demo practices: a few verified athlete profiles in every demo metro.

A fresh ``make run`` has no provider who has claimed a listing, so without these the runner's
journey would end at "has not joined Stridewise yet": the accepting-new-patients, language and
telehealth filters would match nobody and no appointment request could be sent. Right after the
demo directory is built, :func:`seed_demo_practices` gives a handful of its providers in each metro
a verified profile, owned by one demo provider account whose mail goes to the local mailbox.

Only the demo is seeded (the CLI calls this from ``ensure_demo``'s build hook), never a directory
an operator imported; every profile is made with the same model a claim approval creates.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from stridewise.connect.accounts import create_account
from stridewise.connect.models import Account, ProviderProfile
from stridewise.connect.profiles import update_profile
from stridewise.connect.schemas import ProfileIn
from stridewise.directory.state import active_generation

DEMO_ACCOUNT_EMAIL = "demo-practices@example.org"
#: The provider types a runner is most often sent to; one of each per metro.
DEMO_TYPES = ("sports_medicine_physician", "podiatrist", "physical_therapist")
#: Spoken besides English: Spanish by every other practice (the language most often asked for in
#: US metros), the others in turn, so the language filter finds someone in every metro.
LANGUAGES = ("Chinese", "Vietnamese", "French", "Tagalog", "Korean", "Arabic")
SERVICES = {
    "sports_medicine_physician": ["gait_analysis", "return_to_run_programme", "telehealth"],
    "podiatrist": ["custom_orthotics", "gait_analysis", "shockwave"],
    "physical_therapist": ["running_rehab", "dry_needling", "return_to_run_programme"],
}
FOCUS = {
    "sports_medicine_physician": "Runners' bone stress injuries and a graded return to running.",
    "podiatrist": "Heel and forefoot pain in runners; footwear and orthotics.",
    "physical_therapist": "Rehab and strength for runners, from first 5K to marathon.",
}


@dataclass(frozen=True)
class DemoPractices:
    """What was seeded: the owning account and how many profiles."""

    account_email: str
    password: str
    profiles: int


def _pick(session: Session, generation: int, zip_code: str, type_id: str) -> str | None:
    """The lowest NPI of an individual of ``type_id`` practising in ``zip_code``, if any."""
    row = session.execute(
        text(
            "SELECT npi FROM directory_providers WHERE generation = :g AND entity_type = 1"
            " AND postal_code LIKE :zip AND (',' || type_ids || ',') LIKE :type"
            " ORDER BY npi LIMIT 1"
        ),
        {"g": generation, "zip": f"{zip_code}%", "type": f"%,{type_id},%"},
    ).first()
    return str(row[0]) if row else None


def _profile_in(type_id: str, n: int) -> ProfileIn:
    """A plausible profile, varied by its position ``n`` so every filter has matches and
    non-matches: a few are not taking new patients, a few are not running-focused."""
    services = list(SERVICES[type_id])
    if n % 2 and "telehealth" not in services:
        services.append("telehealth")
    return ProfileIn.model_validate(
        {
            "running_focus": n % 5 != 4,
            "sports_focus": FOCUS[type_id],
            "sports_treated": ["Running", "Triathlon"] if n % 3 else ["Running"],
            "services": services,
            "accepting_new_patients": n % 7 != 6,
            "languages": [
                "English",
                "Spanish" if n % 2 == 0 else LANGUAGES[n // 2 % len(LANGUAGES)],
            ],
            "insurance": ["Medicare"] if n % 4 == 0 else [],
        }
    )


def seed_demo_practices(
    session: Session, zips: Sequence[str], email: str = DEMO_ACCOUNT_EMAIL
) -> DemoPractices | None:
    """Give one provider of each of :data:`DEMO_TYPES` in each of ``zips`` a verified profile.

    Returns None (and changes nothing) when the demo account already exists, so a second call
    never duplicates. Flushes; the caller commits. The account's password is random and returned
    once so that a developer can sign in as the demo provider and answer requests."""
    if session.scalar(select(Account.id).where(Account.email == email)) is not None:
        return None
    password = secrets.token_urlsafe(12)
    account = create_account(session, email, password, "provider", display_name="Demo practices")
    generation = active_generation(session.connection())
    made = 0
    for zip_code in zips:
        for type_id in DEMO_TYPES:
            npi = _pick(session, generation, zip_code, type_id)
            if npi is None or session.get(ProviderProfile, npi) is not None:
                continue
            # Verified as a claim approval makes it, then filled in through the same
            # function a provider's profile form calls (which also updates the search boost).
            session.add(ProviderProfile(npi=npi, account_id=account.id, verified=True))
            session.flush()
            update_profile(session, account.id, npi, _profile_in(type_id, made))
            made += 1
    session.flush()
    return DemoPractices(email, password, made)
