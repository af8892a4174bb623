"""Figure 7, sighting cards: the sightings picked, the hull outline, baseline image."""

from __future__ import annotations

import pytest

from helpers import figures as F
from tests.figures.factories import PALETTE, assert_matches_baseline, make_cards


def test_key_sightings_picks_identified_with_containers(data):
    cards = F.key_sightings(data["sightings"], ["Rajin", "Dunai"], palette=PALETTE, per_group=1)
    # s5 is unidentified (and has no count); ANGARA at Rajin keeps its larger count (s6: 200)
    assert list(cards["sighting_id"]) == ["s2", "s3", "s4", "s6"]


def test_ship_outline_length_and_heading():
    import math
    xy = F.ship_outline(130.0, 42.0, 120.0, 90.0, 18.0)
    k = 111_320.0 * math.cos(math.radians(42.0))
    east_m = (xy[:, 0] - 130.0) * k
    north_m = (xy[:, 1] - 42.0) * 111_320.0
    assert east_m.max() == pytest.approx(60.0, abs=0.01)     # bow points east
    assert east_m.min() == pytest.approx(-60.0, abs=0.01)
    assert north_m.max() - north_m.min() == pytest.approx(18.0, abs=0.01)


def test_figure_matches_baseline(tmp_path, data):
    assert_matches_baseline("fig07_sighting_cards", make_cards(data), tmp_path)
