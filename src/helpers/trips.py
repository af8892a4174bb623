"""Fusion of AIS port calls and imagery sightings into port visits, legs and round trips.

- A *visit* is a run of observations of one vessel at one port (AIS port calls and identified
  imagery sightings), uninterrupted by an observation elsewhere. Two observations at the same
  route port further apart than the quickest unobserved round trip (sail to the other route
  port at the maximum speed, stay there the minimum dwell, sail back) start a new visit marked
  `split`: a trip *may* have happened in between; no visit is invented for it.
- A *leg* joins two consecutive visits at different ports. Its departure and arrival are
  intervals bounded by the observations and by the sea-route distance at the maximum speed;
  the speed it needed is route / (time between the observations). A leg faster than the
  maximum is flagged infeasible, never dropped. Evidence: `ais` when no AIS silence overlaps it,
  `imagery` when it is dark and imagery saw the ship at both ends, `inferred` otherwise (e.g.
  from the last AIS port call to the first sighting at the origin).
- A *round trip* is a feasible origin -> destination leg followed by a feasible destination ->
  origin leg. The count is a lower bound ("at least N"); `bounds` adds the largest number the
  observations allow: as many unobserved trips as fit in the dark time between observations.
- *Containers*: counted on the quay in the sightings, per stay at a route port, and cumulative
  (loaded at the origin, delivered at the destination), with a range (see `containers`).
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
    bounds: pd.DataFrame | None = None


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


def visits_from(obs: pd.DataFrame, *, split_hours: dict[str, float] | None = None) -> pd.DataFrame:
    """Merge consecutive observations of a vessel at the same port into visits.

    `split_hours` maps a port to the shortest time an unobserved round trip from it takes; two
    observations at that port further apart start a new visit (`split` True)."""
    v, p = obs["vessel"].to_numpy(), obs["port"].to_numpy()
    new = np.ones(len(obs), dtype=bool)
    new[1:] = (v[1:] != v[:-1]) | (p[1:] != p[:-1])
    split = np.zeros(len(obs), dtype=bool)
    if split_hours and len(obs) > 1:
        # the latest observation end so far within the same vessel and port run
        prev_end = obs.groupby((pd.Series(new).cumsum()).to_numpy())["end"].cummax().shift(1)
        gap_h = ((obs["start"] - prev_end) / pd.Timedelta(hours=1)).to_numpy(dtype=float)
        limit = obs["port"].map(split_hours).to_numpy(dtype=float)
        split[1:] = ~new[1:] & (gap_h[1:] >= limit[1:])
        new |= split
    obs = obs.assign(visit=np.cumsum(new), is_ais=obs["evidence"].eq("ais"),
                     is_img=obs["evidence"].eq("imagery"), split=split)
    g = obs.groupby("visit", sort=True)
    out = g.agg(vessel=("vessel", "first"), port=("port", "first"), first_seen=("start", "min"),
                last_seen=("end", "max"), n_obs=("start", "size"), any_ais=("is_ais", "any"),
                n_imagery=("is_img", "sum"), containers=("containers", "max"), split=("split", "first"),
                first_evidence=("evidence", "first"))
    # the observation that ends last bounds the departure
    last = obs.sort_values(["visit", "end"], kind="stable").groupby("visit", sort=True)["evidence"].last()
    out["last_evidence"] = last
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
    distance = _distance(ports, distance)
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
            evidence = ("ais" if not is_dark else
                        "imagery" if (a.last_evidence == "imagery" and b.first_evidence == "imagery")
                        else "inferred")
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
                ev = out.evidence if out.evidence == back.evidence else "inferred"
                rows.append(dict(trip_id=f"{vessel}-RT{n}-{out.depart_earliest:%Y%m%d}", vessel=vessel,
                                 trip_no=n, legs=f"{out.leg_id};{back.leg_id}",
                                 start=out.depart_earliest, end=back.arrive_latest, evidence=ev))
                i += 2
            else:
                i += 1
    return validate(pd.DataFrame(rows, columns=columns("round_trips")), "round_trips")


def _distance(ports, distance):
    """A memoised distance(a, b) in nm: `distance` if given, else the sea route between berths."""
    cache: dict = {}
    base = distance or (lambda a, b: route_nm(ports, a, b))

    def d(a: str, b: str) -> float:
        if a == b:
            return 0.0
        if (a, b) not in cache:
            cache[(a, b)] = float(base(a, b))
        return cache[(a, b)]
    return d


def round_trip_hours(nm: float, max_speed_kn: float, min_dwell_hours: float) -> float:
    """The quickest unobserved round trip from one route port: out, the minimum stay, back."""
    return 2 * nm / max_speed_kn + min_dwell_hours


def reconstruct(port_calls: pd.DataFrame, sightings: pd.DataFrame, dark_periods: pd.DataFrame,
                ports, *, vessels: list[str], origin: str, destination: str,
                max_speed_kn: float = 16.0, min_dwell_hours: float = 12.0, distance=None) -> Trips:
    """Visits, legs and round trips (with their bounds) of `vessels` between `origin` and
    `destination`. `min_dwell_hours`: the shortest stay at a port that loads or unloads."""
    dist = _distance(ports, distance)
    rt_h = round_trip_hours(dist(origin, destination), max_speed_kn, min_dwell_hours)
    visits = visits_from(observations(port_calls, sightings, vessels),
                         split_hours={origin: rt_h, destination: rt_h})
    legs = legs_from(visits, dark_periods, ports, max_speed_kn=max_speed_kn, distance=dist)
    rts = round_trips_from(legs, origin, destination)
    b = bounds(visits, rts, dark_periods, origin=origin, destination=destination,
               max_speed_kn=max_speed_kn, min_dwell_hours=min_dwell_hours, distance=dist)
    return Trips(visits, legs, rts, b)


# --- the largest number of round trips the observations allow ------------------------------

def _append(state: str | None, port: str, origin: str, destination: str) -> tuple[str | None, int]:
    """Visit-sequence automaton: state after visiting `port` and whether a round trip closed.
    States: last port class ('O' origin, 'D' destination after the origin, 'd' destination
    otherwise, 'x' elsewhere)."""
    if port == origin:
        return "O", int(state == "D")
    if port == destination:
        if state in ("D", "d"):
            return state, 0
        return ("D" if state == "O" else "d"), 0
    return "x", 0


def _insertions(pa: str, pb: str, hours: float, origin: str, destination: str, dist,
                speed: float, dwell: float) -> list[list[str]]:
    """Alternating origin/destination visit sequences that fit between a visit at `pa` and one
    at `pb` `hours` later (each inserted visit lasts at least `dwell`)."""
    out = [[]]
    for first in (origin, destination):
        seq, t, here = [], 0.0, pa
        nxt = first
        while True:
            t_new = t + dist(here, nxt) / speed + dwell
            if nxt == here or t_new + dist(nxt, pb) / speed > hours:
                break
            seq, t, here = seq + [nxt], t_new, nxt
            out.append(list(seq))
            nxt = destination if nxt == origin else origin
    return out


def upper_bound(vv: pd.DataFrame, dark: pd.DataFrame, *, origin: str, destination: str, dist,
                max_speed_kn: float, min_dwell_hours: float) -> int:
    """The most round trips one vessel's visits allow, inserting unobserved origin/destination
    visits into the dark time between consecutive visits (dynamic programme over the
    visit-sequence automaton; only gaps that overlap an AIS silence can hide visits)."""
    best: dict = {None: 0}
    prev = None
    for r in vv.itertuples():
        options = [[]]
        if prev is not None:
            hours = (r.first_seen - prev.last_seen) / pd.Timedelta(hours=1)
            hidden = bool(((dark["start_ts"] < r.first_seen) & (dark["end_ts"] > prev.last_seen)).any())
            if hidden and hours > 0:
                options = _insertions(prev.port, r.port, hours, origin, destination, dist,
                                      max_speed_kn, min_dwell_hours)
        nxt: dict = {}
        for state, n in best.items():
            for seq in options:
                s, k = state, n
                for port in [*seq, r.port]:
                    s, c = _append(s, port, origin, destination)
                    k += c
                nxt[s] = max(nxt.get(s, -1), k)
        best, prev = nxt, r
    return max(best.values())


def bounds(visits: pd.DataFrame, round_trips: pd.DataFrame, dark_periods: pd.DataFrame, *,
           origin: str, destination: str, max_speed_kn: float, min_dwell_hours: float,
           distance) -> pd.DataFrame:
    """Per vessel (and 'all'): at least N round trips (observed) and at most M (allowed)."""
    rows = []
    for vessel, vv in visits.groupby("vessel", sort=True):
        vv = vv.sort_values("first_seen", kind="stable")
        dark = dark_periods[dark_periods["vessel"] == vessel]
        low = int((round_trips["vessel"] == vessel).sum())
        high = upper_bound(vv, dark, origin=origin, destination=destination, dist=distance,
                           max_speed_kn=max_speed_kn, min_dwell_hours=min_dwell_hours)
        rows.append(dict(vessel=vessel, at_least=low, at_most=max(low, high),
                         split_visits=int(vv["split"].sum())))
    df = pd.DataFrame(rows, columns=["vessel", "at_least", "at_most", "split_visits"])
    if len(df):
        df = pd.concat([df, df.drop(columns="vessel").sum().to_frame().T.assign(vessel="all")],
                       ignore_index=True)
    nm = distance(origin, destination)
    df = df.assign(route_nm=round(nm, 1), max_speed_kn=float(max_speed_kn),
                   min_dwell_hours=float(min_dwell_hours),
                   round_trip_hours=round(round_trip_hours(nm, max_speed_kn, min_dwell_hours), 2))
    return validate(df, "trip_bounds")


# --- containers --------------------------------------------------------------------------

def containers(visits: pd.DataFrame, *, origin: str, destination: str,
               visibility: float) -> pd.DataFrame:
    """Containers counted on the quay per stay at the route ports, and cumulative.

    A stay is a run of consecutive visits of a vessel at one port (split visits joined). Counted
    (`counted`, the most seen in any sighting of the stay) for origin stays followed by a stay at
    the destination (loaded) and destination stays preceded by one at the origin (delivered).
    Range: `low` = counted; `high` = ceil(counted / visibility), allowing for containers the
    imagery does not show (`visibility` = the smallest visible share). Cumulative sums run per
    port in time order over both vessels. `datetime` is the end of the stay."""
    cols = columns("containers")
    rows = []
    for vessel, vv in visits.groupby("vessel", sort=True):
        vv = vv.sort_values("first_seen", kind="stable").reset_index(drop=True)
        port = vv["port"].to_numpy()
        run = np.cumsum(np.r_[True, port[1:] != port[:-1]])
        stays = vv.assign(run=run).groupby("run", sort=True)
        st = stays.agg(port=("port", "first"), last_seen=("last_seen", "max"),
                       counted=("containers", "max"))
        st["visit_id"] = stays.apply(lambda g: g.loc[g["containers"].fillna(-1).idxmax(), "visit_id"],
                                     include_groups=False)
        prev, nxt = st["port"].shift(1), st["port"].shift(-1)
        keep = ((st["port"] == origin) & (nxt == destination)) | ((st["port"] == destination) & (prev == origin))
        st = st[keep & st["counted"].notna()]
        for r in st.itertuples():
            rows.append(dict(vessel=vessel, port=r.port, visit_id=r.visit_id, datetime=r.last_seen,
                             activity="loaded" if r.port == origin else "delivered",
                             counted=int(r.counted)))
    df = pd.DataFrame(rows, columns=["vessel", "port", "visit_id", "datetime", "activity", "counted"])
    df["counted"] = df["counted"].astype("int64")
    df["low"] = df["counted"]
    df["high"] = np.ceil(df["counted"] / visibility - 1e-9).astype("int64")
    df = df.sort_values(["port", "datetime", "vessel"], kind="stable")
    df["cumulative_low"] = df.groupby("port")["low"].cumsum()
    df["cumulative_high"] = df.groupby("port")["high"].cumsum()
    df = df.sort_values(["datetime", "vessel", "port"], kind="stable")
    return validate(df[cols] if len(df) else pd.DataFrame(columns=cols), "containers")


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
