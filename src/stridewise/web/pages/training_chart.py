"""The 12-week chart as plain numbers for an inline SVG (no script, no chart library)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stridewise.training.schemas import WeekOut

WIDTH = 340
HEIGHT = 150
TOP = 14
BOTTOM = 22
LEFT = 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    long: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    baseline: float
    max_km: float
    summary: str


def chart(weeks: Sequence[WeekOut]) -> Chart:
    """Bars of weekly distance; the tallest week is marked. ``summary`` says the same in words
    for screen readers (the table below the chart has every number)."""
    top = max((w.distance_km for w in weeks), default=0.0) or 1.0
    slot = (WIDTH - LEFT) / max(1, len(weeks))
    usable = HEIGHT - TOP - BOTTOM
    bars = []
    for i, w in enumerate(weeks):
        h = usable * w.distance_km / top
        bars.append(
            Bar(
                x=round(LEFT + i * slot + slot * 0.15, 1),
                y=round(TOP + usable - h, 1),
                width=round(slot * 0.7, 1),
                height=round(h, 1),
                label=f"{w.week_start.day}/{w.week_start.month}",
                value=f"{w.distance_km:.0f}",
                long=w.distance_km == top and w.distance_km > 0,
            )
        )
    first, last = weeks[0], weeks[-1]
    summary = (
        f"Weekly running distance for 12 weeks from {first.week_start:%d %b}: "
        f"from {first.distance_km:.0f} km to {last.distance_km:.0f} km in the last week; "
        f"highest {top:.0f} km."
    )
    return Chart(WIDTH, HEIGHT, bars, TOP + usable, round(top, 1), summary)
