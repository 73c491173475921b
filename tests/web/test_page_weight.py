"""Page weight: the CSS and JavaScript each page family loads, raw and as sent (gzip), against
the 150 KB budget. Writes test-artifacts/page-weight.txt and prints the table (pytest -s)."""

from __future__ import annotations

import gzip
from pathlib import Path

from stridewise.web.pages.rendering import PAGE_ASSETS, STATIC_DIR

BUDGET = 150 * 1024
REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / "page-weight.txt"


def weights() -> dict[str, tuple[int, int]]:
    """Page family -> (raw bytes, gzip bytes) of its CSS+JS."""
    out = {}
    for page, files in PAGE_ASSETS.items():
        raw = [(STATIC_DIR / f).read_bytes() for f in files]
        out[page] = (sum(map(len, raw)), sum(len(gzip.compress(b, 6)) for b in raw))
    return out


def test_every_page_sends_at_most_150_kb_of_css_and_js() -> None:
    table = weights()
    lines = [f"{'page':<10} {'raw KB':>8} {'sent KB (gzip)':>15}"]
    lines += [f"{p:<10} {r / 1024:>8.1f} {g / 1024:>15.1f}" for p, (r, g) in table.items()]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    over = {p: g for p, (_, g) in table.items() if g > BUDGET}
    assert not over, f"pages over the 150 KB budget as sent: {over}"
    # Without Leaflet every page fits the budget even uncompressed.
    assert all(r <= BUDGET for p, (r, _) in table.items() if p != "care")
