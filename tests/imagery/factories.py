"""Test data shared by the imagery tests: an acquisitions table and sightings rows."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imagery"     # synthetic_*: invented
REAL = Path(__file__).parent.parent / "fixtures" / "real"             # real files (fixtures/README.md)


def acquisitions() -> gpd.GeoDataFrame:
    """Four acquisitions: PlanetScope scenes of Rajin and Dunai and a Sentinel-2 scene of both
    ports (30 % cloud), one with an odd-float footprint and cloud cover."""
    return gpd.GeoDataFrame({
        "acq_id": ["20230901_012345_24_2427", "S2B_MSIL2A_20230903T020000",
                   "20230902_013000_10_241c", "20230902_014500_55_24a3"],
        "platform": ["PS2.SD", "Sentinel-2B", "PS2.SD", "PSB.SD"],
        "sensor": ["PS2.SD", "msi", "PS2.SD", "PSB.SD"],
        "datetime": pd.to_datetime(["2023-09-01T01:23:45Z", "2023-09-03T02:00:00.5Z",
                                    "2023-09-02T01:30:00Z", "2023-09-02T01:45:00Z"],
                                   format="ISO8601"),
        "cloud_cover": [5.0, 30.0, 20.0, 0.123456789],
        "gsd_m": [3.0, 10.0, 3.0, 3.7],
        "provider": ["Planet", "ESA", "Planet", "Planet"],
        "footprint": [shapely.box(130.1, 42.1, 130.4, 42.3),             # Rajin
                      shapely.box(129.9, 41.9, 132.6, 43.0),             # both ports
                      shapely.box(132.2, 42.8, 132.5, 43.0),             # Dunai
                      shapely.Polygon([(130.25, 42.2), (130.351, 42.2),  # Rajin, odd floats
                                       (130.35, 42.31), (130.2500001, 42.3)])],
    }, geometry="footprint", crs="EPSG:4326")


def sightings(rows: list[tuple]) -> pd.DataFrame:
    """A sightings table from (sighting_id, acq_id, datetime, port, lat, lon, vessel,
    id_confidence) rows; the other columns null."""
    cols = ["sighting_id", "acq_id", "datetime", "port", "lat", "lon", "vessel",
            "id_confidence"]
    df = pd.DataFrame(rows, columns=cols)
    df["datetime"] = pd.to_datetime(df["datetime"], utc=True)
    for col in ("length_m", "heading_deg", "containers", "analyst_note", "match"):
        df[col] = None
    return df
