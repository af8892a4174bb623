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


# ---------------------------------------------------------------------------------------------
# One card per stay, images before schematics, the empty quay before, the image card itself
# ---------------------------------------------------------------------------------------------

def _with_second_look(data):
    """ANGARA at Rajin seen again 12 h after s6 (same stay) with more containers."""
    import pandas as pd
    s = data["sightings"]
    extra = s[s["sighting_id"] == "s6"].assign(sighting_id="s7", acq_id="as7",
                                               datetime=pd.Timestamp("2023-10-15 14:00", tz="UTC"))
    extra["containers"] = pd.array([250], dtype="Int64")
    return pd.concat([s, extra], ignore_index=True)


def test_key_sightings_one_card_per_stay(data):
    s = _with_second_look(data)
    cards = F.key_sightings(s, ["Rajin"], palette=PALETTE, vessels=["ANGARA"], per_group=2)
    # s6 and s7 are one stay (12 h apart): its best look (s7, 250) and the other stay (s1)
    assert list(cards["sighting_id"]) == ["s1", "s7"]


def test_key_sightings_prefer_a_scene_with_an_image(data):
    cards = F.key_sightings(data["sightings"], ["Rajin"], palette=PALETTE, vessels=["ANGARA"],
                            with_image={"as1"})
    assert list(cards["sighting_id"]) == ["s1"]          # 180 containers with an image over 200 without


def _chip_for(tmp_path, data, sid):
    """A simulated chip (helpers.sim.chips) of the synthetic Dunai berth for sighting `sid`."""
    import math

    from helpers.sim import chips as sc
    r = data["sightings"].set_index("sighting_id").loc[sid]
    kx = 111_320.0 * math.cos(math.radians(42.88))
    ship = dict(offset_e=(r["lon"] - 132.34) * kx, offset_n=(r["lat"] - 42.88) * 111_320.0,
                length_m=float(r["length_m"]), beam_m=18.0, heading_deg=float(r["heading_deg"]))
    px = sc.render(gsd=1.0, port="Dunai", ship=ship, containers=int(r["containers"]), seed=1)
    return str(sc.write_chip(tmp_path / f"{r['acq_id']}.tif", px, lon=132.34, lat=42.88, gsd=1.0, tags={}))


def _texts(fig):
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def test_card_with_an_image_and_the_empty_quay_before(tmp_path, data):
    import geopandas as gpd
    import pandas as pd
    from matplotlib.image import AxesImage
    from shapely.geometry import box

    chips = {"as2": _chip_for(tmp_path, data, "s2")}
    px_empty = __import__("helpers.sim.chips", fromlist=["render"]).render(
        gsd=1.0, port="Dunai", ship=None, containers=0, seed=2)
    from helpers.sim.chips import write_chip
    chips["before"] = str(write_chip(tmp_path / "before.tif", px_empty, lon=132.34, lat=42.88, gsd=1.0, tags={}))
    acq = data["acquisitions"].copy()
    acq["datetime"] = list(data["sightings"]["datetime"])
    acq["provider"] = "test provider"
    acq = pd.concat([acq, gpd.GeoDataFrame(
        {"acq_id": ["before", "late"], "sensor": ["test sensor 0.5 m"] * 2, "provider": ["test provider"] * 2,
         "datetime": pd.to_datetime(["2023-09-01 02:00", "2023-09-30 02:00"], utc=True)},
        geometry=[box(132.2, 42.8, 132.5, 42.95)] * 2, crs=4326)], ignore_index=True)
    cards = F.key_sightings(data["sightings"], ["Rajin", "Dunai"], palette=PALETTE, with_image=set(chips))
    befores = F.before_scenes(cards, acq, data["sightings"], data["ports"], chips)
    assert list(befores["acq_id"]) == ["before"]           # Dunai only: no chip of Rajin
    fig = F.sighting_cards(cards, acq, data["ports"], data["land"], palette=PALETTE, title="t",
                           source_line="s", beams={"ANGARA": 18.0, "MARIA": 16.0}, chips=chips,
                           befores=befores)
    images = fig.findobj(AxesImage)
    assert len(images) == 2                                # the before image and ANGARA's on 3 Sep
    import rasterio
    with rasterio.open(chips["as2"]) as src:
        b = src.bounds
    for im in images:                                      # the view keeps to the chip's pixels
        (x0, x1), (y0, y1) = im.axes.get_xlim(), im.axes.get_ylim()
        assert b.left - 1e-6 <= x0 < x1 <= b.right + 1e-6 and b.bottom - 1e-6 <= y0 < y1 <= b.top + 1e-6
    texts = _texts(fig)
    assert "ANGARA, 110 m" in texts and "150 containers" in texts
    assert sum(t.startswith("SIMULATED image (test provider)") for t in texts) == 2
    assert "Before, 1 Sep 2023" in texts and "the quay empty, no ship at the berth" in texts
    assert sum(t == "no image:\nschematic" for t in texts) == 3
    assert not any("whole view" in t for t in texts)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[:2] == ["Ship as the analyst measured it", "Containers counted on the quay"]
    # rows: Rajin (MARIA 20 Sep, ANGARA 15 Oct), Dunai (before, ANGARA 3 Sep, MARIA 2 Oct)
    titles = [a.get_title(loc="left") for a in fig.axes if a.get_title(loc="left")]
    assert titles == ["Rajin", "Dunai"]


def test_schematic_legend_lists_only_what_is_drawn(data):
    fig = make_cards(data)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Containers counted on the quay", "No image: ship to its length, heading",
                      "Quay face (too small for the coastline data)", "Berth", "Port geofence",
                      "Inside the scene (edge dashed)"]
    assert not any("whole view" in t for t in _texts(fig))


def test_card_reads_a_real_raster(data):
    """A real GeoTIFF (rasterio's byte.tif: NAD27 / UTM 11N, 60 m) as a scene's asset: the card
    shows the crop around the ship, credited to the provider, not marked simulated."""
    import geopandas as gpd
    import pandas as pd
    from matplotlib.image import AxesImage
    from shapely.geometry import box

    from helpers.paths import PROJECT_ROOT
    tif = PROJECT_ROOT / "tests" / "fixtures" / "real" / "raster" / "rasterio_byte.tif"
    cards = pd.DataFrame({
        "sighting_id": ["r1"], "acq_id": ["real1"], "datetime": [pd.Timestamp("2023-09-03 02:00", tz="UTC")],
        "port": ["Elsewhere"], "lat": [33.896722], "lon": [-117.635187], "length_m": [100.0],
        "heading_deg": [90.0], "vessel": ["ANGARA"], "id_confidence": ["high"],
        "containers": pd.array([40], dtype="Int64")})
    acq = gpd.GeoDataFrame({"acq_id": ["real1"], "sensor": ["test sensor"], "provider": ["USGS test data"],
                            "datetime": cards["datetime"]}, geometry=[box(-118, 33.5, -117, 34.2)], crs=4326)
    fig = F.sighting_cards(cards, acq, data["ports"], None, palette=PALETTE, title="t", source_line="s",
                           chips={"real1": str(tif)})
    (im,) = fig.findobj(AxesImage)
    left, right, bottom, top = im.get_extent()
    assert (left, right, bottom, top) == (441140.0, 441560.0, 3750480.0, 3750900.0)   # 7 x 7 pixels of 60 m
    texts = _texts(fig)
    assert "USGS test data\n3 Sep 2023 02:00 UTC" in texts
    assert not any("SIMULATED" in t for t in texts)
    assert "ANGARA, 100 m" in texts and "40 containers" in texts
