"""Figure 3, AIS activity: baseline image."""

from __future__ import annotations

from tests.figures.factories import assert_matches_baseline, make_ais


def test_figure_matches_baseline(tmp_path, data):
    assert_matches_baseline("fig03_ais_activity", make_ais(data), tmp_path)
