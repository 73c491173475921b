"""The ranking score, one number per search result, with the reasons behind it.

    score = fit + sports + distance + completeness + profile          (0 to 120)

* **fit** (0-40): how well the provider matches what the runner was told to see. 40 when the
  provider's *primary* taxonomy maps to the requested provider type (or is the requested
  taxonomy code), 25 when only a secondary taxonomy does, 20 for everyone when no type was asked.
* **sports** (0-15): sports or athlete focus. 15 when the primary taxonomy is a sports
  specialisation (e.g. 2251S0007X "Physical Therapist, Sports", 207XX0005X "Orthopaedic
  Surgery, Sports Medicine", athletic trainers), 10 when a secondary one is.
* **distance** (0-30): ``30 * (1 - miles / radius)``, so the nearest get nearly 30 and the edge
  of the radius gets 0.
* **completeness** (0-10): ``10 *`` the share of phone, street address, credentials (or, for
  organisations, a second address line or phone) and a full name that the record has.
* **profile** (0-20): the claimed/verified running-focus boost that the connect domain writes into
  ``directory_profile_boosts`` through :func:`set_profile_boost`. Zero until a provider claims
  their profile.

Ties: equal scores are ordered by the **MIPS tie-breaker** (a weak, visible signal worth no
points): a Medicare MIPS final score of at least ``MIPS_TIE_MIN`` (75) puts a provider ahead of
those with equal scores, the higher MIPS first; a lower MIPS score and no MIPS score are alike
(no data is not bad data). Then distance, then NPI, so paging is stable (:func:`order`).
``fit`` and ``sports + completeness`` are computed once at import (columns ``fit`` and
``static`` of ``directory_search``); distance and the profile boost are added at query time.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stridewise.directory.models import ProfileBoost

FIT_PRIMARY = 40.0
FIT_SECONDARY = 25.0
FIT_ANY = 20.0
SPORTS_PRIMARY = 15.0
SPORTS_SECONDARY = 10.0
DISTANCE_MAX = 30.0
COMPLETENESS_MAX = 10.0
PROFILE_MAX = 20.0
#: The MIPS final score from which MIPS breaks ties between equal scores (see :func:`mips_key`).
MIPS_TIE_MIN = 75.0
#: :func:`mips_key` in SQL, for a row ``m`` of ``cms_mips`` (NULL when none) and ``:mips_min``.
MIPS_TIE_SQL = "CASE WHEN m.score >= :mips_min THEN m.score ELSE 0.0 END"


def sports_points(primary_sports: bool, any_sports: bool) -> float:
    """Points for sports or athlete focus."""
    if primary_sports:
        return SPORTS_PRIMARY
    return SPORTS_SECONDARY if any_sports else 0.0


def completeness(phone: str, address1: str, credentials_or_extra: str, name_parts: int) -> float:
    """Share (0-1) of the profile fields a runner needs that the record fills."""
    filled = bool(phone) + bool(address1) + bool(credentials_or_extra) + (name_parts >= 2)
    return filled / 4.0


def distance_points(miles: float, radius_miles: float) -> float:
    """Points for being near: linear from DISTANCE_MAX at 0 miles to 0 at the radius."""
    if radius_miles <= 0:
        return 0.0
    return max(0.0, DISTANCE_MAX * (1.0 - miles / radius_miles))


def mips_key(mips_score: float | None) -> float:
    """The tie-breaker key of a MIPS final score: itself from MIPS_TIE_MIN up, else 0 (a low
    score ranks like no score)."""
    return mips_score if mips_score is not None and mips_score >= MIPS_TIE_MIN else 0.0


def order(score: float, mips: float, miles: float, npi: str) -> tuple[float, float, float, str]:
    """The sort key of a ranked result: score descending, then the MIPS tie-breaker key
    descending, then distance, then NPI. Every ranked list (SQL and Python) sorts by it."""
    return (-score, -mips, miles, npi)


def explain(
    *,
    fit: float,
    fit_label: str,
    sports: float,
    sports_label: str,
    miles: float,
    distance: float,
    completeness_share: float,
    profile: float,
    profile_reason: str,
) -> list[str]:
    """Human-readable reasons, one per score part, in score order."""
    if fit >= FIT_PRIMARY:
        why = [f"Primary specialty is {fit_label} (+{fit:.0f})"]
    elif fit >= FIT_SECONDARY:
        why = [f"Also practises as {fit_label} (+{fit:.0f})"]
    else:
        why = [f"Any provider type (+{fit:.0f})"]
    if sports:
        why.append(f"Sports focus: {sports_label} (+{sports:.0f})")
    why.append(f"{miles:.1f} miles away (+{distance:.1f} of {DISTANCE_MAX:.0f})")
    why.append(
        f"Profile {completeness_share:.0%} complete (+{completeness_share * COMPLETENESS_MAX:.1f})"
    )
    if profile:
        why.append(f"{profile_reason or 'Claimed profile'} (+{profile:.1f})")
    return why


def set_profile_boost(
    session: Session,
    npi: str,
    boost: float,
    reason: str,
    *,
    running_focus: bool = False,
    accepting: bool = False,
    telehealth: bool = False,
    languages: Sequence[str] = (),
) -> None:
    """Record (or, with boost 0, clear) a provider's claimed/verified running-focus boost, with
    the profile facts the search filters on (running focus, accepting new patients, telehealth,
    languages).

    For the connect domain: call it when a provider claims or verifies a profile. The value is
    clamped to 0..PROFILE_MAX; it survives re-imports because it is keyed by NPI only."""
    boost = max(0.0, min(PROFILE_MAX, boost))
    session.execute(delete(ProfileBoost).where(ProfileBoost.npi == npi))
    if boost > 0:
        folded = [x.strip().casefold() for x in languages if x.strip()]
        session.add(
            ProfileBoost(
                npi=npi,
                boost=boost,
                reason=reason[:200],
                running_focus=running_focus,
                accepting=accepting,
                telehealth=telehealth,
                languages=("," + ",".join(folded) + ",")[:400] if folded else "",
            )
        )


def profile_boosts(session: Session, npis: list[str]) -> dict[str, tuple[float, str]]:
    """Boost and reason per NPI, for the given NPIs."""
    if not npis:
        return {}
    rows = session.execute(
        select(ProfileBoost.npi, ProfileBoost.boost, ProfileBoost.reason).where(
            ProfileBoost.npi.in_(npis)
        )
    )
    return {npi: (boost, reason) for npi, boost, reason in rows}
