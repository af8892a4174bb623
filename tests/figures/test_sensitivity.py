"""Figure 6, validation against the imagery revisit interval: baseline image."""

from __future__ import annotations

from tests.figures.factories import assert_matches_baseline, make_validation


def test_figure_matches_baseline(tmp_path, data):
    assert_matches_baseline("fig06_validation", make_validation(data), tmp_path)
