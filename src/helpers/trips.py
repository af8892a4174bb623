"""Fusion of AIS port calls and imagery sightings into port visits, legs and round trips.

- A *visit* is a run of observations of one vessel at one port (AIS port calls and identified
  imagery sightings), uninterrupted by an observation elsewhere.
- A *leg* joins two consecutive visits at different ports. Its departure and arrival are
  intervals bounded by the observations and by the sea-route distance at the maximum speed;
  the speed it needed is route / (time between the observations). A leg faster than the
  maximum is flagged infeasible, never dropped.
- A *round trip* is a feasible origin -> destination leg followed by a feasible destination ->
  origin leg. The count is a lower bound: trips the observations missed are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from . import geo
from .schema import columns, validate


@dataclass
class Trips:
    visits: pd.DataFrame
    legs: pd.DataFrame
    round_trips: pd.DataFrame


def observations(port_calls: pd.DataFrame, sightings: pd.DataFrame, vessels: list[str]) -> pd.DataFrame:
    """One row per observation of a vessel of interest at a port: AIS calls and sightings."""
    calls = port_calls[port_calls["vessel"].isin(vessels)]
    a = pd.DataFrame({"vessel": calls["vessel"], "port": calls["port"], "start": calls["arrival"],
                      "end": calls["departure"], "evidence": "ais", "containers": pd.NA})
    s = sightings[(sightings["match"] == "identified") & sightings["vessel"].isin(vessels)]
    b = pd.DataFrame({"vessel": s["vessel"], "port": s["port"], "start": s["datetime"],
                      "end": s["datetime"], "evidence": "imagery", "containers": s["containers"]})
    obs = pd.concat([a, b], ignore_index=True)
    obs["containers"] = obs["containers"].astype("Int64")
    return obs.sort_values(["vessel", "start", "port"], kind="stable").reset_index(drop=True)


def visits_from(obs: pd.DataFrame) -> pd.DataFrame:
    """Merge consecutive observations of a vessel at the same port into visits."""
    v, p = obs["vessel"].to_numpy(), obs["port"].to_numpy()
    new = np.ones(len(obs), dtype=bool)
    new[1:] = (v[1:] != v[:-1]) | (p[1:] != p[:-1])
    obs = obs.assign(visit=np.cumsum(new), is_ais=obs["evidence"].eq("ais"))
    g = obs.groupby("visit", sort=True)
    out = g.agg(vessel=("vessel", "first"), port=("port", "first"), first_seen=("start", "min"),
                last_seen=("end", "max"), n_obs=("start", "size"), any_ais=("is_ais", "any"),
                containers=("containers", "max"))
    out["evidence"] = np.where(out["any_ais"], "ais", "imagery")
    out["visit_id"] = [f"{v}-{p}-{t:%Y%m%dT%H%M}" for v, p, t in
                       zip(out["vessel"], out["port"], out["first_seen"])]
    return validate(out, "visits")


@lru_cache(maxsize=None)
def _route_nm(a: tuple[float, float], b: tuple[float, float]) -> float:
    return geo.length_nm(geo.sea_route(a, b))


def route_nm(ports, origin: str, destination: str) -> float:
    """Sea-route distance (nm) between two ports' berths, over water."""
    p = ports.set_index("port")
    a = (float(p.at[origin, "berth_lon"]), float(p.at[origin, "berth_lat"]))
    b = (float(p.at[destination, "berth_lon"]), float(p.at[destination, "berth_lat"]))
    return _route_nm(*sorted((a, b)))        # one distance for both directions


def legs_from(visits: pd.DataFrame, dark_periods: pd.DataFrame, ports, *,
              max_speed_kn: float, distance=None) -> pd.DataFrame:
    """Legs between consecutive visits at different ports. `distance(origin, destination)`
    gives the sea distance in nm (default: the sea route between the ports' berths)."""
    distance = distance or (lambda a, b: route_nm(ports, a, b))
    rows = []
    for vessel, vv in visits.groupby("vessel", sort=True):
        vv = vv.sort_values("first_seen", kind="stable").reset_index(drop=True)
        dark = dark_periods[dark_periods["vessel"] == vessel]
        for a, b in zip(vv.iloc[:-1].itertuples(), vv.iloc[1:].itertuples()):
            if a.port == b.port:
                continue
            nm = distance(a.port, b.port)
            min_h = pd.Timedelta(hours=nm / max_speed_kn)
            window_h = (b.first_seen - a.last_seen) / pd.Timedelta(hours=1)
            required = nm / window_h if window_h > 0 else np.inf
            is_dark = bool(((dark["start_ts"] < b.first_seen) & (dark["end_ts"] > a.last_seen)).any())
            evidence = "ais" if (a.evidence == "ais" and b.evidence == "ais" and not is_dark) else "imagery"
            rows.append(dict(
                leg_id=f"{vessel}-{a.port}-{b.port}-{a.last_seen:%Y%m%dT%H%M}", vessel=vessel,
                origin=a.port, destination=b.port, depart_earliest=a.last_seen,
                depart_latest=max(a.last_seen, b.first_seen - min_h),
                arrive_earliest=min(b.first_seen, a.last_seen + min_h), arrive_latest=b.first_seen,
                evidence=evidence, dark=is_dark, route_nm=round(nm, 1),
                required_speed_kn=round(required, 2), feasible=bool(required <= max_speed_kn)))
    return validate(pd.DataFrame(rows, columns=columns("legs")), "legs")


def round_trips_from(legs: pd.DataFrame, origin: str, destination: str) -> pd.DataFrame:
    """Count origin -> destination -> origin pairs of consecutive feasible legs (a lower bound)."""
    rows = []
    for vessel, lv in legs.groupby("vessel", sort=True):
        lv = lv.sort_values("depart_earliest", kind="stable").reset_index(drop=True)
        i, n = 0, 0
        while i < len(lv) - 1:
            out, back = lv.iloc[i], lv.iloc[i + 1]
            if (out.origin, out.destination, back.origin, back.destination) == \
                    (origin, destination, destination, origin) and out.feasible and back.feasible:
                n += 1
                ev = "ais" if (out.evidence == "ais" and back.evidence == "ais") else "imagery"
                rows.append(dict(trip_id=f"{vessel}-RT{n}-{out.depart_earliest:%Y%m%d}", vessel=vessel,
                                 trip_no=n, legs=f"{out.leg_id};{back.leg_id}",
                                 start=out.depart_earliest, end=back.arrive_latest, evidence=ev))
                i += 2
            else:
                i += 1
    return validate(pd.DataFrame(rows, columns=columns("round_trips")), "round_trips")


def reconstruct(port_calls: pd.DataFrame, sightings: pd.DataFrame, dark_periods: pd.DataFrame,
                ports, *, vessels: list[str], origin: str, destination: str,
                max_speed_kn: float = 16.0, distance=None) -> Trips:
    """Visits, legs and round trips of `vessels` between `origin` and `destination`."""
    visits = visits_from(observations(port_calls, sightings, vessels))
    legs = legs_from(visits, dark_periods, ports, max_speed_kn=max_speed_kn, distance=distance)
    return Trips(visits, legs, round_trips_from(legs, origin, destination))


def states(visits: pd.DataFrame, legs: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Per-vessel timeline lanes: at <port> while observed there, 'in transit' between visits
    at different ports, 'unknown' otherwise (before the first and after the last visit)."""
    rows = []
    for vessel, vv in visits.groupby("vessel", sort=True):
        vv = vv.sort_values("first_seen", kind="stable")
        t = start
        for r in vv.itertuples():
            if r.first_seen > t:
                prev_port = rows[-1]["state"] if rows and rows[-1]["vessel"] == vessel else None
                moved = prev_port is not None and prev_port != f"at {r.port}"
                rows.append(dict(vessel=vessel, state="in transit" if moved else "unknown",
                                 start=t, end=r.first_seen))
            rows.append(dict(vessel=vessel, state=f"at {r.port}", start=r.first_seen,
                             end=max(r.last_seen, r.first_seen + pd.Timedelta(hours=6))))
            t = rows[-1]["end"]
        if t < end:
            rows.append(dict(vessel=vessel, state="unknown", start=t, end=end))
    return pd.DataFrame(rows, columns=["vessel", "state", "start", "end"])
