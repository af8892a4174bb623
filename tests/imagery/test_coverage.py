"""helpers.imagery.coverage: acquisitions covering the ports' berths."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import shapely

from helpers import imagery
from tests.imagery.factories import acquisitions

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
