"""Screening: rank every vessel of an archive by how much its AIS record looks like the shuttle.

The score is a sum of counts, each a piece of shuttle-like evidence that can be checked by hand
in the dark_periods and vessels tables (every count is a column of the ranking):

- `dark_near_ports`: likely-disabled dark periods (reception was good, yet the vessel was
  silent) that begin or end within `near_nm` of the origin or destination port;
- `round_trips_fit`: for those dark periods, how many round trips origin -> destination ->
  origin each could hide: floor(hours / (2 x route_nm / cruise_kn + 2 x port_hours)), summed;
- `implied_legs`: dark periods of any class that begin near one of the two ports and end near
  the other, lasting between the fastest possible leg (route_nm / max_speed_kn) and
  `leg_max_hours`: a leg the gap implies;
- `identity_changes`: extra names and IMO numbers the vessel broadcast under its MMSI.

score = dark_near_ports + round_trips_fit + implied_legs + identity_changes. Ties are broken by
days dark while reception was good (`dark_days`), then by MMSI. "Near" is measured to the
ports' berths (great circle).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import geo
from ..errors import InputError

COMPONENTS = ["dark_near_ports", "round_trips_fit", "implied_legs", "identity_changes"]
COLUMNS = ["rank", "mmsi", "name", "imo", "score", *COMPONENTS, "dark_days", "n_dark",
           "n_positions"]


def _berth(ports, port: str) -> tuple[float, float]:
    row = ports[ports["port"] == port]
    if row.empty:
        raise InputError("ports", "port", f"no port named '{port}' in the geofences",
                         f"use one of {sorted(ports['port'])} in route.origin/destination")
    r = row.iloc[0]
    return float(r["berth_lon"]), float(r["berth_lat"])


def route_nm(ports, origin: str, destination: str, land) -> float:
    """Sea-route distance between the two ports' berths over `land` (the run's coastline;
    helpers.geo.sea_route), in nm."""
    return geo.length_nm(geo.sea_route(_berth(ports, origin), _berth(ports, destination), land))


def identities(vessels: pd.DataFrame) -> pd.DataFrame:
    """Per MMSI: latest name and IMO, and identity changes (extra distinct names + IMOs)."""
    v = vessels.sort_values(["mmsi", "last_seen"], kind="stable", na_position="first")
    g = v.groupby("mmsi", sort=True)
    out = pd.DataFrame({
        "name": g["name"].last(), "imo": g["imo"].last(),
        "identity_changes": (g["name"].nunique().clip(lower=1) - 1)
        + (g["imo"].nunique().clip(lower=1) - 1)})
    return out


def screen(dark_periods: pd.DataFrame, vessels: pd.DataFrame, ports, *, origin: str,
           destination: str, route_nm: float, max_speed_kn: float,
           n_positions: pd.Series | None = None, near_nm: float = 50.0, cruise_kn: float = 12.0,
           port_hours: float = 24.0, leg_max_hours: float = 72.0) -> pd.DataFrame:
    """The ranking: one row per vessel (any MMSI in n_positions, vessels or dark_periods)."""
    d = dark_periods
    (o_lon, o_lat), (d_lon, d_lat) = _berth(ports, origin), _berth(ports, destination)
    near = {}
    for end in ("start", "end"):
        lat, lon = d[f"{end}_lat"].to_numpy(float), d[f"{end}_lon"].to_numpy(float)
        near[end, "o"] = geo.haversine_nm(lat, lon, o_lat, o_lon) <= near_nm
        near[end, "d"] = geo.haversine_nm(lat, lon, d_lat, d_lon) <= near_nm
    hours = d["hours"].to_numpy(float)
    disabled = (d["class"] == "likely-disabled").to_numpy()
    near_any = near["start", "o"] | near["start", "d"] | near["end", "o"] | near["end", "d"]
    dark_near = disabled & near_any
    rt_hours = 2.0 * route_nm / cruise_kn + 2.0 * port_hours
    fits = np.where(dark_near, np.floor(hours / rt_hours), 0).astype(np.int64)
    crosses = (near["start", "o"] & near["end", "d"]) | (near["start", "d"] & near["end", "o"])
    leg = crosses & (hours >= route_nm / max_speed_kn) & (hours <= leg_max_hours)
    per_gap = pd.DataFrame({"mmsi": d["mmsi"].to_numpy(np.int64),
                            "dark_near_ports": dark_near.astype(np.int64),
                            "round_trips_fit": fits, "implied_legs": leg.astype(np.int64),
                            "dark_days": np.where(disabled, hours / 24.0, 0.0),
                            "n_dark": np.ones(len(d), np.int64)})
    per_vessel = per_gap.groupby("mmsi", sort=True).sum()

    ids = identities(vessels)
    mmsis = set(per_vessel.index) | set(ids.index)
    if n_positions is not None:
        mmsis |= set(n_positions.index)
    out = pd.DataFrame(index=pd.Index(sorted(mmsis), name="mmsi", dtype=np.int64))
    out = out.join(per_vessel).join(ids)
    for c in ("dark_near_ports", "round_trips_fit", "implied_legs", "n_dark", "identity_changes"):
        out[c] = out[c].fillna(0).astype(np.int64)
    out["dark_days"] = out["dark_days"].fillna(0.0).round(1)
    out["n_positions"] = (n_positions.reindex(out.index).fillna(0).astype(np.int64)
                          if n_positions is not None else pd.NA)
    out["score"] = out[COMPONENTS].sum(axis=1).astype(np.int64)
    out = out.reset_index().sort_values(["score", "dark_days", "mmsi"],
                                        ascending=[False, False, True], kind="stable")
    out["rank"] = np.arange(1, len(out) + 1)
    out["imo"] = out["imo"].astype("Int64")
    return out[COLUMNS].reset_index(drop=True)
