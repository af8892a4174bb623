"""Visits, legs and round trips (the lower bound) of the vessels of interest.

- An *observation* of a ship at a port is an AIS port call (slow, dwelling), an AIS position
  inside the port's geofence at any speed (`in_fence`: a stay of 20 minutes between two sparse
  positions is still a visit), or an identified sighting (imagery, or the public record).
- A *visit* is a run of observations of one vessel at one port, uninterrupted by an observation
  elsewhere. Two observations at the same
  route port further apart than the quickest unobserved round trip (sail to the other route
  port at the maximum speed, stay there the minimum dwell, sail back) start a new visit marked
  `split`: a trip *may* have happened in between; no visit is invented for it.
- A *leg* joins two consecutive visits at different ports. Its departure and arrival are
  intervals bounded by the observations and by the sea-route distance at the maximum speed;
  the speed it needed is route / (time between the observations). A leg faster than the
  maximum is flagged infeasible, never dropped. Evidence: `ais` when the ship's AIS was recorded
  (`tracked`) and no AIS silence overlaps the leg, `imagery` when it is dark (or the ship has no
  AIS record at all) and imagery saw the ship at both ends, `inferred` otherwise (e.g. from the
  last AIS port call to the first sighting at the origin).
- A *round trip* is a feasible origin -> destination leg followed by a feasible destination ->
  origin leg. The count is a lower bound ("at least N"); helpers.analysis.bounds adds the
  possible trips and the largest number the observations allow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import geo
from ..schema import columns, utc_ns, validate
from .port_calls import port_labels


def in_fence(positions: pd.DataFrame, ports, names: dict[int, str]) -> pd.DataFrame:
    """The AIS positions of the named vessels (`names`: mmsi -> vessel) that lie inside a port's
    geofence, whatever their speed: vessel, port, ts (one row each, in time order)."""
    pos = positions[positions["mmsi"].isin(list(names))]
    label = port_labels(pos["lon"].to_numpy(float), pos["lat"].to_numpy(float), ports)
    keep = label >= 0
    out = pd.DataFrame({"vessel": pos["mmsi"].to_numpy()[keep], "port": ports["port"].to_numpy()[label[keep]],
                        "ts": pos["ts"].to_numpy()[keep]})
    out["vessel"] = out["vessel"].map(names)
    out["ts"] = pd.to_datetime(out["ts"], utc=True)
    return out.sort_values(["vessel", "ts"], kind="stable").reset_index(drop=True)


def observations(port_calls: pd.DataFrame, sightings: pd.DataFrame, vessels: list[str],
                 fence: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per observation of a vessel of interest at a port: AIS port calls, AIS positions
    inside a geofence (`fence`, from `in_fence`) and identified sightings."""
    calls = port_calls[port_calls["vessel"].isin(vessels)]
    a = pd.DataFrame({"vessel": calls["vessel"], "port": calls["port"], "start": calls["arrival"],
                      "end": calls["departure"], "evidence": "ais", "containers": pd.NA})
    s = sightings[(sightings["match"] == "identified") & sightings["vessel"].isin(vessels)]
    b = pd.DataFrame({"vessel": s["vessel"], "port": s["port"], "start": s["datetime"],
                      "end": s["datetime"], "evidence": "imagery", "containers": s["containers"]})
    parts = [a, b]
    if fence is not None and len(fence):
        f = fence[fence["vessel"].isin(vessels)]
        parts.append(pd.DataFrame({"vessel": f["vessel"], "port": f["port"], "start": f["ts"], "end": f["ts"],
                                   "evidence": "ais", "containers": pd.NA}))
    obs = pd.concat([p for p in parts if len(p)] or [a], ignore_index=True)
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


_ROUTES: dict = {}      # (land key, berth a, berth b) -> nm, for every reconstruction of a session


def route_nm(ports, origin: str, destination: str, land) -> float:
    """Sea-route distance (nm) between two ports' berths, over water of `land` (the run's
    coastline, helpers.geo.load_land(<inputs.coastline>))."""
    p = ports.set_index("port")
    a = (float(p.at[origin, "berth_lon"]), float(p.at[origin, "berth_lat"]))
    b = (float(p.at[destination, "berth_lon"]), float(p.at[destination, "berth_lat"]))
    a, b = sorted((a, b))                    # one distance for both directions
    key = (geo.land_key(land), a, b)
    if key not in _ROUTES:
        _ROUTES[key] = geo.length_nm(geo.sea_route(a, b, land))
    return _ROUTES[key]


def legs_from(visits: pd.DataFrame, dark_periods: pd.DataFrame, ports, *,
              max_speed_kn: float, distance=None, land=None, tracked: set[str] | None = None) -> pd.DataFrame:
    """Legs between consecutive visits at different ports. `distance(origin, destination)`
    gives the sea distance in nm (default: the sea route between the ports' berths over
    `land`, the run's coastline); `tracked`: the vessels whose AIS was recorded at all (None:
    every vessel)."""
    distance = distance_fn(ports, distance, land)
    rows = []
    silences = _silences(dark_periods)
    for vessel, vv in visits.groupby("vessel", sort=True):
        vv = vv.sort_values("first_seen", kind="stable").reset_index(drop=True)
        overlaps = silences.get(vessel)
        recs = list(vv[["port", "first_seen", "last_seen", "first_evidence", "last_evidence"]]
                    .itertuples(index=False))
        for a, b in zip(recs[:-1], recs[1:]):
            if a.port == b.port:
                continue
            nm = distance(a.port, b.port)
            min_h = pd.Timedelta(hours=nm / max_speed_kn)
            window_h = (b.first_seen - a.last_seen) / pd.Timedelta(hours=1)
            required = nm / window_h if window_h > 0 else np.inf
            is_dark = overlaps is not None and overlaps(a.last_seen, b.first_seen)
            heard = tracked is None or vessel in tracked
            evidence = ("ais" if heard and not is_dark else
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


def _silences(dark_periods: pd.DataFrame) -> dict:
    """vessel -> overlaps(after, before): does one of its silences (start_ts, end_ts) begin
    before `before` and end after `after`? Arrays of nanoseconds, searched without pandas."""
    out = {}
    d = dark_periods[dark_periods["start_ts"].notna() & dark_periods["end_ts"].notna()]
    for vessel, dv in d.groupby("vessel", sort=False):
        start, end = utc_ns(dv["start_ts"]).view("int64"), utc_ns(dv["end_ts"]).view("int64")

        def overlaps(after, before, start=start, end=end) -> bool:
            return bool(np.any((start < before.value) & (end > after.value)))
        out[vessel] = overlaps
    return out


def round_trips_from(legs: pd.DataFrame, origin: str, destination: str) -> pd.DataFrame:
    """Count origin -> destination -> origin pairs of consecutive feasible legs (a lower bound)."""
    rows = []
    for vessel, lv in legs.groupby("vessel", sort=True):
        lv = list(lv.sort_values("depart_earliest", kind="stable").itertuples(index=False))
        i, n = 0, 0
        while i < len(lv) - 1:
            out, back = lv[i], lv[i + 1]
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


def distance_fn(ports, distance=None, land=None):
    """A memoised distance(a, b) in nm: `distance` if given, else the sea route between berths
    over `land` (the run's coastline; required then)."""
    if distance is None and land is None:
        raise ValueError("distance_fn needs `distance` or `land` (the run's coastline) to measure "
                         "sea routes between the ports")
    cache: dict = {}
    base = distance or (lambda a, b: route_nm(ports, a, b, land))

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


TRANSIT_MAX = pd.Timedelta(days=4)     # a longer time between two ports is drawn as unknown


def states(visits: pd.DataFrame, legs: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Per-vessel timeline lanes: at <port> while observed there, 'in transit' between visits
    at different ports at most TRANSIT_MAX apart, 'unknown' otherwise (before the first and
    after the last visit, and between observations too far apart to call it one voyage)."""
    rows = []
    for vessel, vv in visits.groupby("vessel", sort=True):
        vv = vv.sort_values("first_seen", kind="stable")
        t = start
        for r in vv.itertuples():
            if r.first_seen > t:
                prev_port = rows[-1]["state"] if rows and rows[-1]["vessel"] == vessel else None
                moved = prev_port is not None and prev_port != f"at {r.port}" and r.first_seen - t <= TRANSIT_MAX
                rows.append(dict(vessel=vessel, state="in transit" if moved else "unknown",
                                 start=t, end=r.first_seen))
            rows.append(dict(vessel=vessel, state=f"at {r.port}", start=r.first_seen,
                             end=max(r.last_seen, r.first_seen + pd.Timedelta(hours=6))))
            t = rows[-1]["end"]
        if t < end:
            rows.append(dict(vessel=vessel, state="unknown", start=t, end=end))
    return pd.DataFrame(rows, columns=["vessel", "state", "start", "end"])
