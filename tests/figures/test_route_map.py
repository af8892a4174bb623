"""Figure 1, the route map: last AIS positions, locator inset, baseline image."""

from __future__ import annotations

import matplotlib.colors as mcolors
import pytest
import shapely
from matplotlib.patches import Rectangle
from shapely.geometry import Point

from helpers import figures as F
from helpers import geo
from tests.figures.factories import PALETTE, assert_matches_baseline, make_map


def test_map_marks_last_positions_in_ship_colour(data):
    fig = make_map(data)
    ax = fig.axes[0]
    diamonds = {mcolors.to_hex(ln.get_markerfacecolor()) for ln in ax.lines
                if ln.get_marker() == "D"}
    assert diamonds == {c.lower() for c in PALETTE.ship_colors.values()}


def _locator_axes(fig):
    (ax,) = [a for a in fig.axes if a.get_gid() == "locator"]
    return ax


def test_locator_draws_region_land_and_map_box(data):
    ax = _locator_axes(make_map(data))
    # land polygons and border lines drawn, in the house land colour, over the sea colour
    faces = {mcolors.to_hex(c.get_facecolor()[0]) for c in ax.collections
             if len(c.get_paths()) and len(c.get_facecolor())}
    assert F.LAND.lower() in faces
    assert mcolors.to_hex(ax.get_facecolor()) == F.WATER.lower()
    n_paths = sum(len(c.get_paths()) for c in ax.collections)
    assert n_paths == len(data["region_land"]) + len(data["region_borders"])
    # the map-area box is the route map's extent
    (box_,) = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert (box_.get_x(), box_.get_y()) == (129.8, 41.7)
    assert (box_.get_width(), box_.get_height()) == pytest.approx((3.4, 1.6))
    texts = {t.get_text() for t in ax.texts}
    assert {"RUSSIA", "CHINA", "NORTH\nKOREA", "SOUTH\nKOREA", "JAPAN", "Map area"} <= texts


def test_locator_labels_sit_on_land_and_sea():
    land = shapely.union_all(geo.load_region_land().geometry.values)
    for text, lon, lat, sea in F.LOCATOR_LABELS:
        assert land.contains(Point(lon, lat)) != sea, text
        lo = F.LOCATOR_EXTENT
        assert lo[0] < lon < lo[1] and lo[2] < lat < lo[3], text


def test_locator_without_region_land_draws_no_land(data):
    ax = _locator_axes(make_map(data, region=False))
    assert sum(len(c.get_paths()) for c in ax.collections) == 0
    assert len([p for p in ax.patches if isinstance(p, Rectangle)]) == 1


def test_figure_matches_baseline(tmp_path, data):
    assert_matches_baseline("fig01_route_map", make_map(data), tmp_path)


def test_sightings_are_a_count_badge_at_each_berth_not_dots(data):
    fig = make_map(data)
    ax = fig.axes[0]
    badges = {t.get_gid(): t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("badge-")}
    # s1, s3, s5 (unidentified), s6 at Rajin; s2, s4 at Dunai
    assert badges == {"badge-Rajin": "4 satellite sightings\nANGARA 2 · MARIA 1 · other 1",
                      "badge-Dunai": "2 satellite sightings\nANGARA 1 · MARIA 1"}
    # no small round markers on the main map: only the ports' berth circles
    dots = [ln for ln in ax.lines if ln.get_marker() == "o" and ln.get_markersize() < 5]
    assert len(dots) == 0
    assert F.route_map_badge_text([("ANGARA", 1)]) == "1 satellite sighting\nANGARA 1"


def test_narrow_map_keeps_badges_short_and_drops_the_locator(data):
    fig = make_map(data, layout=F.NARROW)
    badges = sorted(t.get_text() for t in fig.axes[0].texts if (t.get_gid() or "").startswith("badge-"))
    assert badges == ["2 sightings", "4 sightings"]
    assert not [a for a in fig.axes if a.get_gid() == "locator"]
