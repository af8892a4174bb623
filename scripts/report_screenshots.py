"""Screenshots of the report at phone, tablet and desktop widths, with its measurements.

    python scripts/report_screenshots.py [build/report.html] [--out build/screenshots] [--widths 375 600 1400]

Opens the report in headless Chromium (helpers.report.browser), emulating a phone below 800 px,
saves `report-<width>.png` (the whole page, cut at 16,000 px) and prints, per width: the page's
width against the screen's, its height, the images loaded, the smallest text and any error.
Exit status 1 when the page is wider than the screen, an image did not load, text is smaller
than 12 px, the page raised an error, or it is 30,000 px tall or more at a phone's width.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers import paths
from helpers.report import browser

MIN_FONT_PX = 12
MAX_PHONE_HEIGHT = 30_000


def problems(state: dict) -> list[str]:
    """What is wrong with the page at one width (empty when nothing is)."""
    w = state["width"]
    out = []
    if state["scroll_width"] > w or state["viewport_width"] > w:
        out.append(f"wider than the screen: {state['scroll_width']} px (too wide: {state['too_wide']})")
    bad = [i["src"] for i in state["images"] if not i["complete"] or i["natural_width"] == 0]
    if bad:
        out.append(f"images not loaded: {bad}")
    if state["min_font_px"] < MIN_FONT_PX:
        out.append(f"text of {state['min_font_px']} px: {state['min_font_text']!r}")
    if state["errors"]:
        out.append(f"errors: {state['errors']}")
    if w < 800 and state["height"] >= MAX_PHONE_HEIGHT:
        out.append(f"{state['height']:,} px tall at {w} px")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report", nargs="?", default=str(paths.BUILD / "report.html"))
    ap.add_argument("--out", default=str(paths.BUILD / "screenshots"))
    ap.add_argument("--widths", nargs="+", type=int, default=[375, 600, 1400])
    ap.add_argument("--name", default="report", help="file name stem of the screenshots")
    a = ap.parse_args(argv)
    if browser.chromium() is None:
        print("Chromium is not installed (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    failed = False
    for s in browser.measure(a.report, a.widths, screenshots=a.out, name=a.name):
        loaded = sum(i["complete"] and i["natural_width"] > 0 for i in s["images"])
        trouble = problems(s)
        failed |= bool(trouble)
        scrolling = f"; tables scrolling in their frame: {', '.join(s['scrolling_tables'])}" \
            if s["scrolling_tables"] else ""
        print(f"{s['width']:>5} px{' (phone)' if s['mobile'] else ''}: page {s['scroll_width']} px wide, "
              f"{s['height']:,} px tall; images {loaded}/{len(s['images'])} loaded; smallest text "
              f"{s['min_font_px']:g} px; errors {len(s['errors'])}"
              + scrolling
              + ("; " + "; ".join(trouble) if trouble else ""))
    print(f"screenshots: {paths.display(Path(a.out))}/{a.name}-<width>.png")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
