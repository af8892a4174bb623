"""Figure 5, containers: running total against the claim, baseline image."""

from __future__ import annotations

from tests.figures.factories import assert_matches_baseline, make_containers


def test_cumulative_band_and_claim_line(data):
    fig = make_containers(data)
    ax = fig.axes[1]
    low = [ln for ln in ax.lines if ln.get_gid() == "cumulative-low"][0]
    assert low.get_ydata()[-1] == 190 + 140 + 255 + 300 + 280
    claim = [ln for ln in ax.lines if ln.get_gid() == "claim"][0]
    assert list(claim.get_ydata()) == [1000, 1000]
    assert len(fig.axes) == 3                      # depot panel drawn


def test_figure_matches_baseline(tmp_path, data):
    assert_matches_baseline("fig05_containers", make_containers(data), tmp_path)
