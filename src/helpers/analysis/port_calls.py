"""Port calls from AIS positions: slow positions inside a port geofence, long enough.

A call is a run of consecutive positions of one vessel inside one fence; its arrival and
departure are the first and last slow positions of the run, and it counts when it lasts at
least the minimum dwell. A gap in reception inside the fence does not split a call.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from ..schema import in_vessel_time_order, utc_ns, validate


def port_labels(lon: np.ndarray, lat: np.ndarray, ports) -> np.ndarray:
    """Index into `ports` of the fence containing each point, -1 outside every fence.

    Vectorised: each point's cell in a coarse grid (cells as large as the largest fence) is
    looked up once in a table of the cells the fences touch; the exact point-in-polygon test
    runs, fence by fence, only for the few points in those cells. The first fence wins.
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    label = np.full(len(lon), -1, dtype=np.int64)
    fences = ports.geometry.to_numpy()
    if len(fences) == 0 or len(lon) == 0:
        return label
    b = shapely.bounds(fences)                                   # x0, y0, x1, y1 per fence
    cs = max(float(np.max(np.r_[b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]])), 1e-6)
    cx0, cy0 = np.floor(b[:, 0] / cs).astype(np.int64), np.floor(b[:, 1] / cs).astype(np.int64)
    cx1, cy1 = np.floor(b[:, 2] / cs).astype(np.int64), np.floor(b[:, 3] / cs).astype(np.int64)
    ox, oy = int(cx0.min()), int(cy0.min())
    owner = np.full((int(cx1.max()) - ox + 1, int(cy1.max()) - oy + 1), -1, dtype=np.int64)
    for i, (x0, y0, x1, y1) in enumerate(zip(cx0 - ox, cy0 - oy, cx1 - ox, cy1 - oy)):
        cell = owner[x0:x1 + 1, y0:y1 + 1]                     # the fence of a cell; -2: several
        owner[x0:x1 + 1, y0:y1 + 1] = np.where(cell == -1, i, -2)
    ix = np.floor(lon / cs) - ox
    iy = np.floor(lat / cs) - oy
    cand = np.flatnonzero((ix >= 0) & (ix < owner.shape[0]) & (iy >= 0) & (iy < owner.shape[1]))
    own = owner[ix[cand].astype(np.int64), iy[cand].astype(np.int64)]
    cand, own = cand[own != -1], own[own != -1]
    # an axis-aligned rectangular fence needs no polygon test: strictly inside its bounds is
    # inside it (`contains` excludes the boundary, and so do the strict inequalities)
    rect = (shapely.get_num_interior_rings(fences) == 0) & \
        (shapely.get_num_coordinates(fences) == 5) & \
        np.isclose(shapely.area(fences), (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]), rtol=1e-12, atol=0)

    def inside(i, c):
        if rect[i]:
            x, y = lon[c], lat[c]
            return (x > b[i, 0]) & (x < b[i, 2]) & (y > b[i, 1]) & (y < b[i, 3])
        shapely.prepare(fences[i])
        return shapely.contains_xy(fences[i], lon[c], lat[c])

    for i in range(len(fences)):                                # cells of one fence only
        c = cand[own == i]
        if len(c):
            label[c[inside(i, c)]] = i
    shared = cand[own == -2]                                    # cells several fences touch
    for i in range(len(fences)):
        c = shared[label[shared] < 0]
        if len(c):
            label[c[inside(i, c)]] = i
    return label


def sort_by_vessel_time(positions: pd.DataFrame, assume_sorted: bool = False) -> pd.DataFrame:
    """`positions` in (mmsi, ts) order, stable; returned as is when already in that order."""
    if assume_sorted:
        return positions
    mmsi = positions["mmsi"].to_numpy()
    ts = utc_ns(positions["ts"])                       # tz-aware to_numpy() would be objects
    if in_vessel_time_order(mmsi, ts):
        return positions
    return positions.take(np.lexsort((ts.view("int64"), mmsi)))


def port_calls(positions: pd.DataFrame, ports, *, max_sog_kn: float = 1.5,
               min_dwell_hours: float = 4.0, names: dict[int, str] | None = None,
               assume_sorted: bool = False) -> pd.DataFrame:
    """Port calls of every vessel in `positions` (sorted or not) at the fences in `ports`.

    `ports` is a GeoDataFrame with columns port and geometry (polygons, EPSG:4326); `names` maps
    mmsi to a vessel name for the output's `vessel` column. Input already in (mmsi, ts) order is
    not sorted again (checked in one pass; `assume_sorted=True` skips the check too).
    """
    pos = sort_by_vessel_time(positions, assume_sorted)
    mmsi = pos["mmsi"].to_numpy()
    label = port_labels(pos["lon"].to_numpy(), pos["lat"].to_numpy(), ports)
    sog = pos["sog_kn"].to_numpy(dtype=float, na_value=np.nan)
    slow = (label >= 0) & ~(sog > max_sog_kn)         # unknown speed counts as slow
    new_run = np.ones(len(pos), dtype=bool)
    new_run[1:] = (mmsi[1:] != mmsi[:-1]) | (label[1:] != label[:-1])
    run = np.cumsum(new_run)
    ts = utc_ns(pos["ts"])
    idx = np.flatnonzero(slow)                        # slow rows in fences, runs in order
    r = run[idx]
    first = np.flatnonzero(np.r_[True, r[1:] != r[:-1]]) if len(r) else np.zeros(0, dtype=np.int64)
    last = np.r_[first[1:], len(r)][:len(first)] - 1  # rows are in time order within a run
    calls = pd.DataFrame({"mmsi": mmsi[idx[first]], "label": label[idx[first]],
                          "arrival": ts[idx[first]], "departure": ts[idx[last]],
                          "n_positions": (last - first + 1).astype(np.int64)})
    dwell = (calls["departure"] - calls["arrival"]) / pd.Timedelta(hours=1)
    calls = calls[dwell >= min_dwell_hours].reset_index(drop=True)
    calls["port"] = ports["port"].to_numpy()[calls["label"].to_numpy()] if len(calls) else []
    calls["vessel"] = calls["mmsi"].map(names or {})
    calls["evidence"] = "ais"
    stamp = np.char.replace(np.char.replace(np.datetime_as_string(    # 2023-08-01T10:34
        calls["arrival"].to_numpy("datetime64[m]"), unit="m"), "-", ""), ":", "") \
        if len(calls) else np.zeros(0, dtype=str)
    calls["call_id"] = (calls["mmsi"].astype(str) + "-" + calls["port"].astype(str) + "-"
                        + pd.Series(stamp, index=calls.index, dtype=str))
    calls["arrival"] = pd.to_datetime(calls["arrival"], utc=True)
    calls["departure"] = pd.to_datetime(calls["departure"], utc=True)
    return validate(calls, "port_calls")
