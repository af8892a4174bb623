"""helpers.imagery.coverage: acquisitions covering the ports' berths."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import shapely

from helpers import imagery, params
from tests.imagery.factories import REAL, acquisitions

RAJIN = (130.30, 42.24)   # berth (lon, lat) used in these tests only
DUNAI = (132.35, 42.89)


def _ports() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"port": ["Rajin", "Dunai"], "berth_lon": [RAJIN[0], DUNAI[0]],
         "berth_lat": [RAJIN[1], DUNAI[1]]},
        geometry=[shapely.Point(*RAJIN), shapely.Point(*DUNAI)], crs="EPSG:4326")


def test_coverage_two_ports(tmp_path):
    acq = imagery.read_acquisitions(imagery.write_stac(acquisitions(), tmp_path))
    cov = imagery.coverage(acq, _ports(), max_cloud=20.0)
    assert list(cov.columns) == ["port", "date", "acq_id", "platform", "datetime", "gsd_m",
                                 "cloud_cover", "clear", "whole_fence"]
    got = list(zip(cov["port"], cov["acq_id"], cov["clear"]))
    assert got == [
        ("Dunai", "20230902_013000_10_241c", True),        # 20.0 <= 20: clear
        ("Dunai", "S2B_MSIL2A_20230903T020000", False),
        ("Rajin", "20230901_012345_24_2427", True),
        ("Rajin", "20230902_014500_55_24a3", True),
        ("Rajin", "S2B_MSIL2A_20230903T020000", False),
    ]
    assert cov["date"].tolist()[:2] == [date(2023, 9, 2), date(2023, 9, 3)]
    assert imagery.coverage(acq, _ports(), max_cloud=40)["clear"].all()


def _ports_at(points: dict) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"port": list(points), "berth_lon": [p.x for p in points.values()],
                             "berth_lat": [p.y for p in points.values()]},
                            geometry=[p.buffer(0.001) for p in points.values()], crs="EPSG:4326")


def test_radar_scenes_are_cloud_free_and_clear_when_fine_enough():
    """Real items: Earth Search Sentinel-1 GRD (IW, 20 m, no cloud cover) and Sentinel-2 (26 %
    cloud), two Umbra spotlights of one site (0.5 m, no cloud cover, datetime null)."""
    acq = imagery.read_acquisitions([REAL / "stac_api" / "earth_search_v1_s1_s2_page.json",
                                     REAL / "stac" / "umbra_sar_items.json"])
    fp = acq.set_index("acq_id")["footprint"]
    ports = _ports_at({
        "S1": fp["S1A_IW_GRDH_1SSH_20250731T135702_20250731T135722_060328_077F7E"].representative_point(),
        "S2": fp["S2B_20EPT_20250731_0_L2A"].representative_point(),
        "Umbra": fp["52f2317f-091b-4f90-b385-08c93655e089"].representative_point()})
    cov = imagery.coverage(acq, ports, max_cloud=20.0)
    got = {(r.port, r.platform): (r.clear, None if r.cloud_cover != r.cloud_cover else r.cloud_cover, r.gsd_m)
           for r in cov.itertuples()}
    assert got == {("S1", "sentinel-1a"): (False, None, 20.0),      # radar, coarser than 5 m
                   ("S2", "sentinel-2b"): (False, 26.02542, 10.0),  # optical, too cloudy
                   ("Umbra", "Umbra-05"): (True, None, 0.5),        # radar: no cloud cover needed
                   ("Umbra", "Umbra-08"): (True, None, 0.5)}        # (the same site, 2023 and 2024)
    loose = imagery.coverage(acq, ports, max_cloud=30.0, radar_max_gsd_m=25.0)
    assert loose["clear"].all()
    assert imagery.RADAR_MAX_GSD_M == 5.0


def test_radar_max_gsd_m_is_an_optional_threshold(tmp_path):
    """Not in default.yaml (the default run is unchanged); a parameter set may give it."""
    assert "radar_max_gsd_m" not in params.load().t
    assert params.load(overrides={"thresholds": {"radar_max_gsd_m": 25}}).t["radar_max_gsd_m"] == 25
