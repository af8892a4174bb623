"""Figure 4, the imagery coverage calendar: scene counts, baseline image."""

from __future__ import annotations

from tests.figures.factories import assert_matches_baseline, make_coverage


def test_coverage_counts_clear_and_cloudy(data):
    fig = make_coverage(data)
    ax = fig.axes[0]
    clear = [p for p in ax.patches if p.get_gid() == "clear-Rajin"]
    cloudy = [p for p in ax.patches if p.get_gid() == "cloudy-Rajin"]
    cov = data["coverage"][data["coverage"]["port"] == "Rajin"]
    assert sum(p.get_height() for p in clear) == int(cov["clear"].sum())
    assert sum(p.get_height() for p in cloudy) == int((~cov["clear"]).sum())


def test_figure_matches_baseline(tmp_path, data):
    assert_matches_baseline("fig04_coverage", make_coverage(data), tmp_path)
