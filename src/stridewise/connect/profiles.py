"""Athlete profiles of verified providers, and the search boost the directory reads.

Ranking rule (documented in docs/connect.md): a listing whose profile is claimed and verified
*and* has a running focus gets :data:`RUNNING_VERIFIED_BOOST` (the directory's whole profile
allowance, 20 of its 120 points); claimed and verified without a running focus gets
:data:`VERIFIED_BOOST`; anything else gets 0. :func:`sync_boost` writes it through the directory's
hook (``directory.ranking.set_profile_boost``) whenever a claim is approved or a profile saved,
so the boost reorders providers of similar relevance and distance but cannot lift a far or
unrelated provider over a close, relevant one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from stridewise.connect.models import ProviderProfile, utcnow
from stridewise.connect.schemas import ProfileIn, ProfileOut
from stridewise.directory.models import Provider
from stridewise.directory.ranking import PROFILE_MAX, set_profile_boost
from stridewise.directory.state import active_generation

RUNNING_VERIFIED_BOOST = PROFILE_MAX
VERIFIED_BOOST = PROFILE_MAX / 4


def profile_boost(profile: ProviderProfile | None) -> float:
    """The boost for one listing's profile (None when it has none)."""
    if profile is None or not profile.verified:
        return 0.0
    return RUNNING_VERIFIED_BOOST if profile.running_focus else VERIFIED_BOOST


def sync_boost(session: Session, profile: ProviderProfile) -> None:
    """Write this profile's boost (or its absence) into the directory's ranking input."""
    boost = profile_boost(profile)
    reason = "Verified running-focused profile" if profile.running_focus else "Verified profile"
    set_profile_boost(
        session,
        profile.npi,
        boost,
        reason,
        running_focus=profile.running_focus,
        accepting=profile.accepting_new_patients,
        telehealth="telehealth" in profile.services,
        languages=list(profile.languages),
    )


def listing_name(session: Session, npi: str) -> str | None:
    """The directory's name for ``npi`` in the active import, or None if it is not listed."""
    generation = active_generation(session.connection())
    return session.scalar(
        select(Provider.name).where(Provider.generation == generation, Provider.npi == npi)
    )


def listing_labels(session: Session, npis: list[str]) -> dict[str, str]:
    """ "Name, City, ST" for each of ``npis`` listed in the active import (unlisted ones are
    absent), so a provider with several listings can tell them apart by more than a number."""
    generation = active_generation(session.connection())
    out: dict[str, str] = {}
    unique = sorted(set(npis))
    for start in range(0, len(unique), 500):  # well under every database's bound-parameter cap
        rows = session.execute(
            select(Provider.npi, Provider.name, Provider.city, Provider.state).where(
                Provider.generation == generation, Provider.npi.in_(unique[start : start + 500])
            )
        )
        for npi, name, city, state in rows:
            place = ", ".join(p for p in (city, state) if p)
            out[npi] = f"{name}, {place}" if place else name
    return out


def public_profile(session: Session, npi: str) -> ProfileOut | None:
    """The profile runners see on a provider page: only verified profiles are shown."""
    profile = session.get(ProviderProfile, npi)
    if profile is None or not profile.verified:
        return None
    return to_out(profile)


def public_profiles(session: Session, npis: list[str]) -> dict[str, ProfileOut]:
    """Verified profiles of these NPIs (for a page of search results), by NPI."""
    if not npis:
        return {}
    rows = session.scalars(
        select(ProviderProfile).where(
            ProviderProfile.npi.in_(npis), ProviderProfile.verified.is_(True)
        )
    )
    return {p.npi: to_out(p) for p in rows}


def to_out(profile: ProviderProfile) -> ProfileOut:
    return ProfileOut(
        npi=profile.npi,
        verified=profile.verified,
        running_focus=profile.running_focus,
        sports_focus=profile.sports_focus,
        sports_treated=list(profile.sports_treated),
        services=list(profile.services),
        accepting_new_patients=profile.accepting_new_patients,
        languages=list(profile.languages),
        insurance=list(profile.insurance),
        booking_url=profile.booking_url,
    )


def profiles_of(session: Session, account_id: int) -> list[ProviderProfile]:
    return list(
        session.scalars(
            select(ProviderProfile)
            .where(ProviderProfile.account_id == account_id, ProviderProfile.verified.is_(True))
            .order_by(ProviderProfile.npi)
        )
    )


def own_profile(session: Session, account_id: int, npi: str) -> ProviderProfile | None:
    """The profile for ``npi`` only if this account owns it (verified)."""
    profile = session.get(ProviderProfile, npi)
    if profile is None or profile.account_id != account_id or not profile.verified:
        return None
    return profile


def update_profile(
    session: Session, account_id: int, npi: str, data: ProfileIn
) -> ProviderProfile | None:
    """Replace the editable fields; None when the account does not own ``npi``."""
    profile = own_profile(session, account_id, npi)
    if profile is None:
        return None
    profile.running_focus = data.running_focus
    profile.sports_focus = data.sports_focus
    profile.sports_treated = list(data.sports_treated)
    profile.services = list(data.services)
    profile.accepting_new_patients = data.accepting_new_patients
    profile.languages = list(data.languages)
    profile.insurance = list(data.insurance)
    profile.booking_url = data.booking_url
    profile.updated_at = utcnow()
    sync_boost(session, profile)
    return profile
