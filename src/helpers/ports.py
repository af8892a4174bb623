"""Port calls from AIS positions: slow positions inside a port geofence, long enough.

A call is a run of consecutive positions of one vessel inside one fence; its arrival and
departure are the first and last slow positions of the run, and it counts when it lasts at
least the minimum dwell. A gap in reception inside the fence does not split a call.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from .schema import validate


def port_labels(lon: np.ndarray, lat: np.ndarray, ports) -> np.ndarray:
    """Index into `ports` of the fence containing each point, -1 outside every fence."""
    label = np.full(len(lon), -1, dtype=np.int64)
    for i, fence in enumerate(ports.geometry.to_numpy()):
        inside = shapely.contains_xy(fence, lon, lat)
        label[(label < 0) & inside] = i
    return label


def port_calls(positions: pd.DataFrame, ports, *, max_sog_kn: float = 1.5,
               min_dwell_hours: float = 4.0, names: dict[int, str] | None = None) -> pd.DataFrame:
    """Port calls of every vessel in `positions` (sorted or not) at the fences in `ports`.

    `ports` is a GeoDataFrame with columns port and geometry (polygons, EPSG:4326); `names` maps
    mmsi to a vessel name for the output's `vessel` column.
    """
    pos = positions.sort_values(["mmsi", "ts"], kind="stable")
    mmsi = pos["mmsi"].to_numpy()
    label = port_labels(pos["lon"].to_numpy(), pos["lat"].to_numpy(), ports)
    sog = pos["sog_kn"].to_numpy(dtype=float, na_value=np.nan)
    slow = (label >= 0) & ~(sog > max_sog_kn)         # unknown speed counts as slow
    new_run = np.ones(len(pos), dtype=bool)
    new_run[1:] = (mmsi[1:] != mmsi[:-1]) | (label[1:] != label[:-1])
    run = np.cumsum(new_run)
    df = pd.DataFrame({"run": run, "mmsi": mmsi, "label": label, "ts": pos["ts"].to_numpy()})[slow]
    g = df.groupby("run", sort=True)
    calls = g.agg(mmsi=("mmsi", "first"), label=("label", "first"), arrival=("ts", "min"),
                  departure=("ts", "max"), n_positions=("ts", "size"))
    dwell = (calls["departure"] - calls["arrival"]) / pd.Timedelta(hours=1)
    calls = calls[dwell >= min_dwell_hours].reset_index(drop=True)
    calls["port"] = ports["port"].to_numpy()[calls["label"].to_numpy()] if len(calls) else []
    calls["vessel"] = calls["mmsi"].map(names or {})
    calls["evidence"] = "ais"
    calls["call_id"] = [f"{m}-{p}-{a:%Y%m%dT%H%M}" for m, p, a in
                        zip(calls["mmsi"], calls["port"], calls["arrival"])]
    calls["arrival"] = pd.to_datetime(calls["arrival"], utc=True)
    calls["departure"] = pd.to_datetime(calls["departure"], utc=True)
    return validate(calls, "port_calls")
