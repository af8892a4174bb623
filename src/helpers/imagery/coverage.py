"""Coverage of the ports by acquisitions.

`coverage` lists, per port and day, the acquisitions whose footprint covers the berth, with gsd,
cloud cover, whether clear enough to see a ship, and whether the whole fence is inside.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InputError

COVERAGE_COLUMNS = ["port", "date", "acq_id", "platform", "datetime", "gsd_m", "cloud_cover",
                    "clear", "whole_fence"]


def coverage(acquisitions: gpd.GeoDataFrame, ports: pd.DataFrame, *,
             max_cloud: float = 20.0) -> pd.DataFrame:
    """One row per (port, acquisition) whose footprint covers the port's berth point.

    Columns (COVERAGE_COLUMNS): port, date (UTC calendar date), acq_id, platform, datetime,
    gsd_m, cloud_cover, clear (cloud_cover <= max_cloud; unknown cloud cover is not clear),
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
        "gsd_m": acq["gsd_m"].to_numpy(float),
        "cloud_cover": cloud,
        "clear": np.nan_to_num(cloud, nan=np.inf) <= max_cloud,
        "whole_fence": np.asarray(whole, dtype=bool),
    })
    return out.sort_values(["port", "datetime", "acq_id"], kind="stable").reset_index(drop=True)
