"""Figure 2, the timeline: state bars in the ship and port colours, baseline image."""

from __future__ import annotations

import matplotlib.colors as mcolors
from matplotlib.patches import Rectangle

from tests.figures.factories import PALETTE, assert_matches_baseline, make_timeline


def test_timeline_uses_ship_and_state_colours(data):
    fig = make_timeline(data)
    ax = fig.axes[0]
    bars = {}
    for p in ax.patches:
        if isinstance(p, Rectangle) and (p.get_gid() or "").startswith("state-"):
            bars.setdefault(p.get_label(), mcolors.to_hex(p.get_facecolor()))
    assert bars["ANGARA|in transit"] == PALETTE.ship_colors["ANGARA"].lower()
    assert bars["MARIA|in transit"] == PALETTE.ship_colors["MARIA"].lower()
    assert bars["ANGARA|at Rajin"] == PALETTE.state_colors["at Rajin"].lower()
    assert bars["MARIA|at Dunai"] == PALETTE.state_colors["at Dunai"].lower()


def test_figure_matches_baseline(tmp_path, data):
    assert_matches_baseline("fig02_timeline", make_timeline(data), tmp_path)
