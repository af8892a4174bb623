"""AIS dark periods: gaps between consecutive positions of one vessel, and their class.

Detection is one vectorised pass over positions sorted by (mmsi, ts). Classification uses
reception evidence from the data itself: how many positions *other* vessels reported within
`radius_nm` of the gap's start or end point while the gap lasted. Many positions nearby mean
the area was well received, so the silence is likely the transponder being off
("likely-disabled"); few mean the gap may be poor reception ("reception").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .geo import haversine_nm
from .schema import validate


def find_gaps(positions: pd.DataFrame, min_hours: float) -> pd.DataFrame:
    """Gaps longer than `min_hours` between consecutive positions of the same vessel."""
    pos = positions.sort_values(["mmsi", "ts"], kind="stable")
    mmsi = pos["mmsi"].to_numpy()
    ts = pos["ts"].to_numpy()
    lat, lon = pos["lat"].to_numpy(float), pos["lon"].to_numpy(float)
    same = mmsi[1:] == mmsi[:-1]
    hours = (ts[1:] - ts[:-1]) / np.timedelta64(1, "h")
    i = np.flatnonzero(same & (hours > min_hours))
    out = pd.DataFrame({
        "mmsi": mmsi[i], "start_ts": ts[i], "end_ts": ts[i + 1], "hours": hours[i],
        "start_lat": lat[i], "start_lon": lon[i], "end_lat": lat[i + 1], "end_lon": lon[i + 1],
    })
    out["distance_nm"] = haversine_nm(out["start_lat"].to_numpy(), out["start_lon"].to_numpy(),
                                      out["end_lat"].to_numpy(), out["end_lon"].to_numpy())
    out["implied_speed_kn"] = out["distance_nm"] / out["hours"]
    return out


def reception_nearby(gaps: pd.DataFrame, positions: pd.DataFrame, radius_nm: float) -> np.ndarray:
    """Positions of other vessels within `radius_nm` of each gap's start or end, during it."""
    pos = positions.sort_values("ts", kind="stable")
    ts = pos["ts"].to_numpy()
    mmsi = pos["mmsi"].to_numpy()
    lat, lon = pos["lat"].to_numpy(float), pos["lon"].to_numpy(float)
    lo = np.searchsorted(ts, gaps["start_ts"].to_numpy(), side="right")
    hi = np.searchsorted(ts, gaps["end_ts"].to_numpy(), side="left")
    counts = np.zeros(len(gaps), dtype=np.int64)
    for k, g in enumerate(gaps.itertuples(index=False)):   # one slice per gap, vectorised inside
        s = slice(lo[k], hi[k])
        other = mmsi[s] != g.mmsi
        near = (haversine_nm(lat[s], lon[s], g.start_lat, g.start_lon) <= radius_nm) | \
               (haversine_nm(lat[s], lon[s], g.end_lat, g.end_lon) <= radius_nm)
        counts[k] = int(np.count_nonzero(other & near))
    return counts


def dark_periods(positions: pd.DataFrame, min_hours: float = 12.0, *, radius_nm: float = 30.0,
                 min_per_day: float = 20.0, names: dict[int, str] | None = None) -> pd.DataFrame:
    """Dark periods (gaps > min_hours) with their class and the evidence for it."""
    gaps = find_gaps(positions, min_hours)
    n = reception_nearby(gaps, positions, radius_nm) if len(gaps) else np.zeros(0, dtype=np.int64)
    per_day = n / (gaps["hours"].to_numpy() / 24.0) if len(gaps) else np.zeros(0)
    good = per_day >= min_per_day
    gaps["class"] = np.where(good, "likely-disabled", "reception")
    gaps["reason"] = [
        f"{c} positions of other vessels within {radius_nm:g} nm during the gap "
        f"({d:.0f}/day; {'>=' if ok else '<'} {min_per_day:g}/day: "
        f"{'reception was good, so the transponder was likely off' if ok else 'poor reception cannot be excluded'})"
        for c, d, ok in zip(n, per_day, good)]
    gaps["vessel"] = gaps["mmsi"].map(names or {})
    gaps["start_ts"] = pd.to_datetime(gaps["start_ts"], utc=True)
    gaps["end_ts"] = pd.to_datetime(gaps["end_ts"], utc=True)
    gaps["gap_id"] = [f"{m}-gap-{t:%Y%m%dT%H%M}" for m, t in zip(gaps["mmsi"], gaps["start_ts"])]
    return validate(gaps.sort_values(["mmsi", "start_ts"], kind="stable"), "dark_periods")


def last_before_dark(dark_periods: pd.DataFrame) -> pd.DataFrame:
    """Each named vessel's last AIS position before its longest likely-disabled dark period."""
    d = dark_periods[dark_periods["vessel"].notna() & (dark_periods["class"] == "likely-disabled")]
    d = d.sort_values(["vessel", "hours", "start_ts"], ascending=[True, False, True], kind="stable")
    d = d.drop_duplicates("vessel")
    return pd.DataFrame({"vessel": d["vessel"], "ts": d["start_ts"], "lat": d["start_lat"],
                         "lon": d["start_lon"], "dark_until": d["end_ts"],
                         "dark_days": (d["hours"] / 24).round(1)}).reset_index(drop=True)
