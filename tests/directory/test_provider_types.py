"""Every provider type maps to taxonomy codes; sports codes are flagged."""

from __future__ import annotations

from stridewise.directory.provider_types import provider_types
from stridewise.directory.taxonomy import catalog, load_runner_codes


def test_every_type_has_relevant_codes() -> None:
    types = provider_types()
    relevant = load_runner_codes()
    assert len(types.by_id) == 15
    for type_id, pt in types.by_id.items():
        assert pt.taxonomy_codes, type_id
        assert set(pt.taxonomy_codes) <= set(relevant), type_id


def test_foot_and_ankle_surgery_counts_for_both_orthopaedic_types() -> None:
    assert set(provider_types().types_for("207XX0004X")) == {
        "orthopedic_foot_ankle_surgeon",
        "orthopedic_surgeon",
    }


def test_sports_flags() -> None:
    codes = catalog()
    assert codes["2251S0007X"].sports and codes["207XX0005X"].sports
    assert codes["2255A2300X"].sports
    assert not codes["213E00000X"].sports
