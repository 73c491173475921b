"""The foot-and-leg map on the start page: its regions, the findings each one means, and the
SVG geometry the template draws.

Each region is one focusable ``role="button"`` with ``aria-pressed`` in the SVG (static/js/app.js
toggles it) mirrored by a real checkbox named ``region`` so the form works without JavaScript.
The map is one SVG with three panels: the leg from the inside, the ankle from the front and the
sole. Coordinates are in the SVG's 345 x 240 viewBox.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """A place the runner can point at. ``shape`` is ``ellipse`` (cx, cy, rx, ry) or ``path``."""

    id: str
    label: str
    findings: tuple[str, ...]
    shape: str
    geometry: tuple[float, ...] = ()
    path: str = ""


# The sole is drawn first so the hotspots on it (heel, arch, ball of foot) sit on top of it.
SOLE_PATH = (
    "M300,212 Q278,212 280,180 Q284,140 278,110 Q270,70 276,40 Q282,18 305,18 "
    "Q330,20 334,50 Q336,90 326,120 Q320,150 322,180 Q324,212 300,212 Z"
)

_REGION_LIST = [
    Region("shin", "Shin", ("loc_shin",), "ellipse", (71, 82, 9, 52)),
    Region("calf", "Calf", ("loc_calf",), "ellipse", (113, 55, 13, 34)),
    Region("achilles", "Achilles tendon", ("loc_achilles",), "ellipse", (107, 138, 7, 20)),
    Region(
        "heel_back",
        "Back of the heel",
        ("loc_heel_back", "loc_heel", "loc_foot"),
        "ellipse",
        (109, 189, 8, 14),
    ),
    Region(
        "top_of_foot",
        "Top of the foot",
        ("loc_top_of_foot", "loc_foot"),
        "ellipse",
        (50, 181, 19, 8),
    ),
    Region("toes", "Toes", ("loc_toes", "loc_foot"), "ellipse", (15, 201, 11, 8)),
    Region(
        "ankle_inside",
        "Inside of the ankle",
        ("loc_inner_ankle", "loc_ankle"),
        "ellipse",
        (178, 156, 10, 10),
    ),
    Region(
        "ankle_outside",
        "Outside of the ankle",
        ("loc_outer_ankle", "loc_ankle"),
        "ellipse",
        (220, 156, 10, 10),
    ),
    Region("sole", "Sole of the foot (general)", ("loc_foot",), "path", path=SOLE_PATH),
    Region(
        "ball_of_foot",
        "Ball of the foot",
        ("loc_ball_of_foot", "loc_forefoot", "loc_foot"),
        "ellipse",
        (306, 58, 22, 13),
    ),
    Region("arch", "Arch", ("loc_arch", "loc_foot"), "ellipse", (291, 125, 10, 24)),
    Region(
        "heel",
        "Under the heel",
        ("loc_heel_bottom", "loc_heel", "loc_foot"),
        "ellipse",
        (302, 185, 17, 17),
    ),
]

REGIONS: dict[str, Region] = {r.id: r for r in _REGION_LIST}

# Side choice -> finding id.
SIDES: dict[str, str] = {"left": "side_left", "right": "side_right", "both": "side_both"}
SIDE_LABELS: dict[str, str] = {"left": "Left", "right": "Right", "both": "Both"}

# Decorative silhouettes behind the hotspots (leg from the inside, ankle from the front).
LEG_SIDE_PATH = (
    "M62,10 L112,10 Q134,60 114,110 Q104,140 106,165 Q120,185 110,214 L20,214 "
    "Q2,212 4,200 Q8,190 30,186 L66,166 Q70,120 62,10 Z"
)
ANKLE_FRONT_PATH = (
    "M180,10 L218,10 L214,140 Q228,150 222,168 L234,212 L164,212 L176,168 Q170,150 184,140 Z"
)

PANELS = [
    {"x": 62, "label": "Leg from the inside"},
    {"x": 199, "label": "Ankle from the front"},
    {"x": 305, "label": "Sole"},
]


def ordered_regions() -> list[Region]:
    """Regions in drawing (and tab) order: leg, ankle, then the sole under its hotspots."""
    return list(_REGION_LIST)
