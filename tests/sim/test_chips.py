"""helpers.sim.chips: the simulated image chips are marked SIMULATED (pixels and tags), written
deterministically, readable by helpers.imagery.chips, and named by the scenario's STAC items."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from helpers import paths
from helpers.imagery.chips import raster_assets, read_chip
from helpers.sim import chips as sc

BANNER = np.array([0xC0, 0x39, 0x2B])


def _chip(tmp_path, name="a.tif", containers=120, ship=True):
    ship_d = dict(offset_e=3.0, offset_n=-5.0, length_m=120.0, beam_m=18.0, heading_deg=12.0) if ship else None
    px = sc.render(gsd=1.0, port="Dunai", ship=ship_d, containers=containers, seed=7)
    return sc.write_chip(tmp_path / name, px, lon=132.34, lat=42.88, gsd=1.0,
                         tags=dict(ACQUISITION_ID="x", PORT="Dunai")), px


def test_chip_is_marked_simulated_in_tags_and_pixels(tmp_path):
    path, px = _chip(tmp_path)
    assert px.shape == (240, 240, 3)                            # 2 x 120 m at 1 m
    c = read_chip(path, 132.34, 42.88, 100)
    assert c.simulated
    assert c.meta["tags"]["SIMULATED"] == "yes"
    assert c.meta["tags"]["TIFFTAG_IMAGEDESCRIPTION"].startswith("SIMULATED image chip")
    assert c.meta["tags"]["PORT"] == "Dunai"
    assert c.crs == "EPSG:32653"                                # Dunai, 132.34 E: UTM zone 53
    assert c.res_m == 1.0
    # the red banner runs across the image 12-32 m below its top edge (rows 12-32; text from 16)
    row = px[14]
    assert (np.abs(row.astype(int) - BANNER).sum(axis=1) < 30).mean() > 0.95
    assert (np.abs(px[5].astype(int) - BANNER).sum(axis=1) < 30).mean() < 0.05


def test_same_inputs_same_bytes(tmp_path):
    a, _ = _chip(tmp_path, "a.tif")
    b, _ = _chip(tmp_path, "b.tif")
    assert a.read_bytes() == b.read_bytes()
    assert 5_000 < a.stat().st_size < 60_000


def test_empty_quay_has_no_ship_and_no_containers(tmp_path):
    _, full = _chip(tmp_path, "full.tif", containers=120)
    _, empty = _chip(tmp_path, "empty.tif", containers=0, ship=False)
    hull = np.array([0x30, 0x35, 0x3B])
    box = np.array([0x9C, 0x3B, 0x2E])                        # the first container colour
    def share(px, rgb):
        return (np.abs(px.astype(int) - rgb).sum(axis=2) < 12).mean()
    assert share(full, hull) > 0.01 and share(empty, hull) == 0.0
    assert share(full, box) > 0.0005 and share(empty, box) == 0.0


def test_moored_heading_along_the_quay():
    p = SimpleNamespace(berth_lon=132.34, berth_lat=42.88)
    world = SimpleNamespace(port={"Dunai": p})
    ship = SimpleNamespace(of_interest=True)
    other = SimpleNamespace(of_interest=False)
    assert sc.moored_heading(world, ship, (132.34, 42.88), 40) == 12.0
    assert sc.moored_heading(world, ship, (132.34, 42.88), 41) == 192.0
    assert sc.moored_heading(world, other, (132.34, 42.88), 41) == 41.0
    assert sc.moored_heading(world, ship, (132.0, 42.0), 41) == 41.0


def test_scenario_items_name_their_chips():
    stac = paths.RAW / "imagery" / "stac"
    assets = raster_assets(stac)
    chips = sorted((stac / "chips").glob("*.tif"))
    assert len(assets) == len(chips) == 6               # 4 stays (2 ships x 2 ports) + 2 empty quays
    assert {a["href"] for a in assets.values()} == {str(p.resolve()) for p in chips}
    for f in (stac).rglob("SIM-HR_*.json"):
        doc = json.loads(f.read_text())
        for a in doc.get("assets", {}).values():
            assert not a["href"].startswith("/") and "://" not in a["href"]     # relative, no machine path
            assert a["title"].startswith("SIMULATED")
    for p in chips:
        tags = read_chip(p, *_berth(p), 50).meta["tags"]
        assert tags["SIMULATED"] == "yes"
        assert p.stat().st_size < 45_000


def _berth(p):
    from helpers import geo
    port = {"RAJ": "Rajin", "DUN": "Dunai"}[p.stem[-3:]]
    r = geo.load_ports().set_index("port").loc[port]
    return float(r["berth_lon"]), float(r["berth_lat"])


@pytest.mark.parametrize("port", list(sc.QUAYS))
def test_quays_face_the_water(port):
    axis, land = sc.QUAYS[port]
    assert abs((land - axis) % 180 - 90) < 1e-9          # land lies square to the quay face
