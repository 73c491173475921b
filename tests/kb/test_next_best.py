"""``kb/data/care_next_best.yaml`` is checked with the rest of the knowledge: every condition
has a list, every type and source exists, an added type gives its reason and sources, and an
emergency condition offers the emergency department only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stridewise.kb.loader import KBError, data_dir, load_kb
from stridewise.kb.next_best import FILE_NAME


def _copy_with(tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "data"
    shutil.copytree(data_dir(), root)
    path = root / FILE_NAME
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return root


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  bunion:\n",
            "  no_such_condition:\n    - {id: podiatrist}\n  bunion:\n",
            "[no_such_condition]: unknown condition",
        ),
        (
            "  gout:\n    - {id: primary_care}\n    - {id: urgent_care}\n"
            "    - {id: rheumatologist}\n",
            "",
            "condition 'gout' has no list",
        ),
        (
            "  gout:\n    - {id: primary_care}\n",
            "  gout:\n    - {id: primary_care}\n    - {id: chiropractor}\n",
            "chiropractor is not one of the condition's providers, so it needs a why",
        ),
        ("sources: [nhs_bunions]", "sources: [no_such_source]", "unknown source 'no_such_source'"),
        ("sources: [nhs_bunions]", "sources: []", "gives a why without sources"),
        (
            "  acute_limb_ischemia:\n    - {id: emergency_department}\n",
            "  acute_limb_ischemia:\n    - {id: emergency_department}\n    - {id: urgent_care,"
            " why: 'Walk-in care the same day.', sources: [nhs_dvt]}\n",
            "an emergency condition lists the emergency department only",
        ),
        ("  - {id: podiatrist}\n    - {id: orthopedic_foot_ankle_surgeon}\n    - {id: pedorthist",
         "  - {id: podiatrist}\n    - {id: podiatrist}\n    - {id: pedorthist",
         "podiatrist is listed twice"),
        ("version: 1", "version: one", f"{FILE_NAME}: version"),
    ],
    ids=["unknown-condition", "missing-condition", "why-less-extra", "unknown-source",
         "uncited-why", "emergency-office", "duplicate", "bad-version"],
)  # fmt: skip
def test_a_broken_next_best_file_is_refused_naming_the_problem(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    root = _copy_with(tmp_path, old, new)
    with pytest.raises(KBError) as info:
        load_kb(root)
    assert expected in str(info.value)


def test_an_untouched_copy_with_the_file_loads(tmp_path: Path) -> None:
    root = _copy_with(tmp_path, "version: 1", "version: 1")
    assert load_kb(root).conditions
