"""Coverage of the ports by acquisitions.

`coverage` lists, per port and day, the acquisitions whose footprint covers the berth, with gsd,
cloud cover, whether clear enough to see a ship, and whether the whole fence is inside.

Radar scenes (Sentinel-1, RADARSAT, ICEYE, Capella, Umbra ...; helpers.imagery.platforms decides
from the platform and sensor) see through cloud: they count as cloud-free whatever their cloud
cover, and are clear when their resolution is fine enough to identify a ship, gsd_m at most
`radar_max_gsd_m` (default `RADAR_MAX_GSD_M`, 5 m; unknown resolution is not clear). Optical
scenes are clear when their cloud cover is at most `max_cloud` (unknown cloud is not clear).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InputError
from .platforms import RADAR_MAX_GSD_M, is_radar

COVERAGE_COLUMNS = ["port", "date", "acq_id", "platform", "datetime", "gsd_m", "cloud_cover",
                    "clear", "whole_fence"]


def _radar(acq: pd.DataFrame) -> np.ndarray:
    """Whether each acquisition is a radar scene (a `sensor_kind` column when given)."""
    if "sensor_kind" in acq.columns:
        return (acq["sensor_kind"] == "radar").to_numpy(bool)
    pairs = list(zip(acq["platform"].astype(object), acq["sensor"].astype(object)))
    kind = {p: is_radar(*p) for p in set(pairs)}
    return np.array([kind[p] for p in pairs], dtype=bool)


def coverage(acquisitions: gpd.GeoDataFrame, ports: pd.DataFrame, *,
             max_cloud: float = 20.0, radar_max_gsd_m: float = RADAR_MAX_GSD_M) -> pd.DataFrame:
    """One row per (port, acquisition) whose footprint covers the port's berth point.

    Columns (COVERAGE_COLUMNS): port, date (UTC calendar date), acq_id, platform, datetime,
    gsd_m, cloud_cover, clear (optical: cloud_cover <= max_cloud, unknown cloud cover is not
    clear; radar: cloud-free, gsd_m <= radar_max_gsd_m, unknown resolution is not clear),
    whole_fence (the footprint holds the port's whole geofence; false without geometries).
    Sorted by port, datetime, acq_id.
    """
    missing = [c for c in ("port", "berth_lon", "berth_lat") if c not in ports.columns]
    if missing:
        raise InputError("<ports>", ", ".join(missing), "missing column(s) of the ports table",
                         "give port, berth_lon, berth_lat (WGS84 degrees)")
    fp = np.asarray(acquisitions["footprint"], dtype=object)
    n_acq, n_ports = len(fp), len(ports)
    lon = ports["berth_lon"].to_numpy(float)
    lat = ports["berth_lat"].to_numpy(float)
    # broadcast: every port against every footprint in one vectorised call
    hit = shapely.intersects_xy(np.tile(fp, n_ports), np.repeat(lon, n_acq),
                                np.repeat(lat, n_acq)).reshape(n_ports, n_acq)
    p_i, a_i = np.nonzero(hit)
    acq = acquisitions.iloc[a_i]
    when = pd.to_datetime(acq["datetime"].to_numpy(), utc=True)
    cloud = acq["cloud_cover"].to_numpy(float)
    gsd = acq["gsd_m"].to_numpy(float)
    clear = np.where(_radar(acq), np.nan_to_num(gsd, nan=np.inf) <= radar_max_gsd_m,
                     np.nan_to_num(cloud, nan=np.inf) <= max_cloud)
    if isinstance(ports, gpd.GeoDataFrame) and len(p_i):
        fences = np.asarray(ports.geometry.values, dtype=object)[p_i]
        whole = shapely.contains(fp[a_i], fences)
    else:
        whole = np.zeros(len(p_i), dtype=bool)
    out = pd.DataFrame({
        "port": ports["port"].to_numpy(object)[p_i],
        "date": when.date,
        "acq_id": acq["acq_id"].to_numpy(object),
        "platform": acq["platform"].to_numpy(object),
        "datetime": when,
        "gsd_m": gsd,
        "cloud_cover": cloud,
        "clear": clear.astype(bool),
        "whole_fence": np.asarray(whole, dtype=bool),
    })
    return out.sort_values(["port", "datetime", "acq_id"], kind="stable").reset_index(drop=True)
