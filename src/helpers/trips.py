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
- *Negative observations* (`absences`): a clear, fine scene of a route port whose whole
  geofence it shows, with no detection there of a ship of the vessel's length, means the vessel
  was not at that port then. Unobserved visits (upper bound, possible trips) must avoid them.
- A *possible* round trip (`possible_trips`, a separate table, never counted in "at least N"):
  in the vessel's AIS-dark time, outside its confirmed trips, a detection at the destination
  that is not identified (low-confidence or unidentified) but whose length fits the vessel,
  that no other vessel of interest explains, and around which an unobserved trip origin ->
  destination -> origin fits between the vessel's observations (sea route at the maximum
  speed, the minimum stay at each unobserved visit, avoiding negative observations).
  Reported as "at least N confirmed, M more possible, at most K".
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
    possible: pd.DataFrame | None = None     # possible round trips (not in round_trips)
    absences: pd.DataFrame | None = None     # negative observations used


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


def run_options(P) -> dict:
    """The keyword arguments of `reconstruct` that parameter set `P` sets (thresholds, ships,
    route, their lengths, the coverage table); `validation.sensitivity_for_run` shares them."""
    from . import reference, store
    ref = reference.selected(P)
    return dict(vessels=P.vessel_names, origin=P["route"]["origin"],
                destination=P["route"]["destination"], max_speed_kn=P.t["max_speed_kn"],
                min_dwell_hours=P.t["trip_min_dwell_hours"],
                coverage=store.read("coverage", P) if P.processed("coverage.parquet").is_file() else None,
                lengths={n: float(v) for n, v in zip(ref["name"], ref["length_m"]) if pd.notna(v)},
                length_tolerance_m=P.t["sighting_length_tolerance_m"],
                absence_max_gsd_m=P.t["absence_max_gsd_m"])


def for_run(P, **changes) -> Trips:
    """`reconstruct` on the processed tables of parameter set `P`, with its thresholds (what
    notebook 40 does); `changes` override keyword arguments, e.g. min_dwell_hours=24."""
    from . import store
    kw = {**run_options(P), **changes}
    return reconstruct(store.read("port_calls", P), store.read("sightings", P),
                       store.read("dark_periods", P), geo.load_ports(P.input("ports")), **kw)


def reconstruct(port_calls: pd.DataFrame, sightings: pd.DataFrame, dark_periods: pd.DataFrame,
                ports, *, vessels: list[str], origin: str, destination: str,
                max_speed_kn: float = 16.0, min_dwell_hours: float = 12.0, distance=None,
                coverage: pd.DataFrame | None = None, lengths: dict[str, float] | None = None,
                length_tolerance_m: float = 15.0, absence_max_gsd_m: float = 3.0) -> Trips:
    """Visits, legs and round trips (with their bounds) of `vessels` between `origin` and
    `destination`. `min_dwell_hours`: the shortest stay at a port that loads or unloads.

    With `lengths` (vessel -> metres; the ships' own lengths): possible round trips from
    detections that fit the ship's length within `length_tolerance_m`, and, with `coverage`
    (helpers.imagery.coverage), negative observations from clear scenes no coarser than
    `absence_max_gsd_m` that tighten the upper bound. Without them both are empty."""
    dist = _distance(ports, distance)
    rt_h = round_trip_hours(dist(origin, destination), max_speed_kn, min_dwell_hours)
    visits = visits_from(observations(port_calls, sightings, vessels),
                         split_hours={origin: rt_h, destination: rt_h})
    legs = legs_from(visits, dark_periods, ports, max_speed_kn=max_speed_kn, distance=dist)
    rts = round_trips_from(legs, origin, destination)
    lengths = {v: float(x) for v, x in (lengths or {}).items() if v in vessels and pd.notna(x)}
    absent = absences(coverage, sightings, lengths, ports=[origin, destination],
                      tolerance_m=length_tolerance_m, max_gsd_m=absence_max_gsd_m)
    possible = possible_trips(visits, rts, sightings, dark_periods, absent, lengths=lengths,
                              tolerance_m=length_tolerance_m, origin=origin, destination=destination,
                              distance=dist, max_speed_kn=max_speed_kn, min_dwell_hours=min_dwell_hours)
    b = bounds(visits, rts, dark_periods, origin=origin, destination=destination,
               max_speed_kn=max_speed_kn, min_dwell_hours=min_dwell_hours, distance=dist,
               absent=absent, possible=possible)
    return Trips(visits, legs, rts, b, possible, absent)


# --- negative observations: clear scenes in which the vessel is not seen ------------------

_EPOCH = pd.Timestamp("1970-01-01", tz="UTC")
_NONE = np.zeros(0)


def _hours(ts) -> np.ndarray | float:
    """Hours since 1970 (float), for Timestamps or datetime Series (unit-safe)."""
    out = (ts - _EPOCH) / pd.Timedelta(hours=1)
    return out.to_numpy(dtype=float) if hasattr(out, "to_numpy") else float(out)


def absences(coverage: pd.DataFrame | None, sightings: pd.DataFrame, lengths: dict[str, float], *,
             ports: list[str], tolerance_m: float, max_gsd_m: float) -> pd.DataFrame:
    """Negative observations: one row (vessel, port, datetime, acq_id) per clear scene showing
    the whole geofence of one of `ports`, at most `max_gsd_m` per pixel, with no detection at
    that port that could be the vessel: none of unknown length or within `tolerance_m` of its
    length, none identified as it, none the analyst named it in at any confidence. Assumes, as
    the sightings format says, that the analyst annotated every ship at the berths of a clear
    scene (an empty clear scene is an empty quay)."""
    cols = ["vessel", "port", "datetime", "acq_id"]
    if coverage is None or not len(coverage) or not lengths:
        return pd.DataFrame({"vessel": pd.Series(dtype=str), "port": pd.Series(dtype=str),
                             "datetime": pd.Series(dtype="datetime64[ns, UTC]"),
                             "acq_id": pd.Series(dtype=str)})
    ships = pd.DataFrame({"vessel": list(lengths), "L": [float(x) for x in lengths.values()]})
    ok = (coverage["clear"].astype(bool) & coverage["whole_fence"].astype(bool)
          & coverage["port"].isin(ports) & (coverage["gsd_m"].astype(float) <= max_gsd_m))
    scenes = coverage.loc[ok, ["port", "acq_id", "datetime"]].merge(ships[["vessel"]], how="cross")
    s = sightings.loc[sightings["port"].isin(ports), ["acq_id", "port", "length_m", "vessel", "analyst_note"]]
    s = s.rename(columns={"vessel": "named"}).merge(ships, how="cross")
    note = s["analyst_note"].astype(object).where(s["analyst_note"].notna(), "").astype(str).str.upper()
    named_in_note = np.array([f"ANALYST ID: {v.upper()} (" in n for v, n in zip(s["vessel"], note)], dtype=bool)
    could = (s["length_m"].isna() | ((s["length_m"] - s["L"]).abs() <= tolerance_m)
             | s["named"].astype(object).eq(s["vessel"]).fillna(False).astype(bool) | named_in_note)
    present = s.loc[could.to_numpy(bool), ["acq_id", "port", "vessel"]].drop_duplicates()
    out = scenes.merge(present, on=["acq_id", "port", "vessel"], how="left", indicator=True)
    out = out[out["_merge"] == "left_only"][cols]
    out["datetime"] = pd.to_datetime(out["datetime"], utc=True)
    return out.sort_values(["vessel", "port", "datetime", "acq_id"], kind="stable").reset_index(drop=True)


def _absent_hours(absent: pd.DataFrame | None, vessel: str) -> dict[str, np.ndarray]:
    """port -> sorted times (hours since 1970) at which `vessel` was seen not to be there."""
    if absent is None or not len(absent):
        return {}
    a = absent[absent["vessel"] == vessel]
    return {p: np.sort(_hours(g["datetime"])) for p, g in a.groupby("port", sort=True)}


def _earliest_start(A: np.ndarray, t: float, dwell: float) -> float:
    """The earliest s >= t such that no negative observation in `A` (sorted) falls strictly
    inside the stay (s, s + dwell)."""
    s, i = t, int(np.searchsorted(A, t, side="right"))
    while i < len(A) and A[i] < s + dwell:
        s, i = float(A[i]), i + 1
    return s


def _latest_end(A: np.ndarray, t: float, dwell: float) -> float:
    """The latest e <= t such that no negative observation falls strictly inside (e - dwell, e)."""
    e, i = t, int(np.searchsorted(A, t, side="left")) - 1
    while i >= 0 and A[i] > e - dwell:
        e, i = float(A[i]), i - 1
    return e


# --- possible round trips: detections that fit the ship, not identified -------------------

CANDIDATE_MATCHES = ("low-confidence", "unidentified")


def _empty_possible() -> pd.DataFrame:
    return validate(pd.DataFrame({c: [] for c in columns("possible_trips")}), "possible_trips")


def possible_trips(visits: pd.DataFrame, round_trips: pd.DataFrame, sightings: pd.DataFrame,
                   dark_periods: pd.DataFrame, absent: pd.DataFrame | None, *,
                   lengths: dict[str, float], tolerance_m: float, origin: str, destination: str,
                   distance, max_speed_kn: float, min_dwell_hours: float) -> pd.DataFrame:
    """Round trips the imagery makes possible but does not confirm (see the module docstring).

    A candidate is a low-confidence or unidentified detection at the destination whose length
    is within `tolerance_m` of the vessel's, inside one of its AIS-dark periods, outside its
    confirmed round trips and between two of its visits. It is dropped when another vessel of
    interest explains it (its length fits that ship too, that ship was observed at the port
    over that time, and it is not detected separately in the same scene). Candidates between
    the same two visits form one stay unless a trip could fit between them or a negative
    observation separates them. A stay makes a possible trip when the sequence previous visit
    -> origin -> destination (covering the stay, at least `min_dwell_hours`) -> origin -> next
    visit fits at `max_speed_kn`, each unobserved visit lasting at least `min_dwell_hours` and
    avoiding negative observations; stays in one gap are chained, earliest first. `start` is
    the earliest departure from the origin, `end` the latest return to it."""
    if not lengths or visits.empty:
        return _empty_possible()
    dist, v, dwell = distance, float(max_speed_kn), float(min_dwell_hours)
    rt_h = round_trip_hours(dist(origin, destination), v, dwell)
    cand = sightings[sightings["match"].isin(CANDIDATE_MATCHES) & sightings["port"].isin([origin, destination])
                     & sightings["length_m"].notna()]
    ident = sightings[sightings["match"] == "identified"]
    rows = []
    for vessel in sorted(lengths):
        vv = visits[visits["vessel"] == vessel].sort_values("first_seen", kind="stable").reset_index(drop=True)
        if vv.empty:
            continue
        L = lengths[vessel]
        fits = cand[(cand["length_m"] - L).abs() <= tolerance_m]
        c = fits[fits["port"] == destination].sort_values("datetime", kind="stable")
        ts = _hours(c["datetime"])
        keep = np.ones(len(c), dtype=bool)
        for other, Lo in lengths.items():          # explained by another vessel of interest?
            if other == vessel:
                continue
            ov = visits[(visits["vessel"] == other) & (visits["port"] == destination)]
            during = ((ts[:, None] >= _hours(ov["first_seen"])[None, :])
                      & (ts[:, None] <= _hours(ov["last_seen"])[None, :])).any(axis=1)
            apart = c["acq_id"].isin(ident.loc[ident["vessel"] == other, "acq_id"]).to_numpy()
            keep &= ~((np.abs(c["length_m"].to_numpy(float) - Lo) <= tolerance_m) & during & ~apart)
        dk = dark_periods[dark_periods["vessel"] == vessel]
        keep &= ((ts[:, None] > _hours(dk["start_ts"])[None, :])
                 & (ts[:, None] < _hours(dk["end_ts"])[None, :])).any(axis=1)
        rt = round_trips[round_trips["vessel"] == vessel]
        keep &= ~((ts[:, None] >= _hours(rt["start"])[None, :])
                  & (ts[:, None] <= _hours(rt["end"])[None, :])).any(axis=1)
        first, last = _hours(vv["first_seen"]), _hours(vv["last_seen"])
        prev = np.searchsorted(first, ts, side="right") - 1
        keep &= (prev >= 0) & (prev + 1 < len(vv))
        keep &= ts > last[np.clip(prev, 0, None)]  # not inside a visit
        c, ts, prev = c[keep], ts[keep], prev[keep]
        A = _absent_hours(absent, vessel)
        A_o, A_d = A.get(origin, _NONE), A.get(destination, _NONE)
        o_fits = fits[fits["port"] == origin]
        o_ts = _hours(o_fits["datetime"])
        n = 0
        for k in np.unique(prev):
            a_row, b_row = vv.iloc[k], vv.iloc[k + 1]
            here, ready = a_row.port, last[k]
            t1, pb = first[k + 1], b_row.port
            idx = np.flatnonzero(prev == k)
            # stays: split where a trip could fit between candidates or a negative observation lies between
            cut = np.r_[True, (np.diff(ts[idx]) > rt_h)
                        | (np.searchsorted(A_d, ts[idx][1:]) > np.searchsorted(A_d, ts[idx][:-1]))]
            for group in np.split(idx, np.flatnonzero(cut)[1:]):
                c0, c1 = ts[group[0]], ts[group[-1]]
                if here == origin:
                    leave_o, arrive_o = ready, None
                else:
                    arrive_o = ready + dist(here, origin) / v
                    leave_o = _earliest_start(A_o, arrive_o, dwell) + dwell
                j = int(np.searchsorted(A_d, c0, side="right")) - 1
                s_d = max(leave_o + dist(origin, destination) / v, A_d[j] if j >= 0 else -np.inf)
                if pb == origin:
                    back_by = t1
                else:
                    back_by = _latest_end(A_o, t1 - dist(origin, pb) / v, dwell) - dwell
                j = int(np.searchsorted(A_d, c1, side="left"))
                e_d = min(back_by - dist(destination, origin) / v, A_d[j] if j < len(A_d) else np.inf)
                if not (s_d <= c0 and e_d >= c1 and e_d - s_d >= dwell):
                    continue
                n += 1
                back_o = max(s_d + dwell, c1) + dist(destination, origin) / v   # earliest return
                near_o = ((o_ts >= back_o) & (o_ts <= back_by + dwell)) if pb != origin else np.zeros(len(o_ts), bool)
                if arrive_o is not None:
                    near_o |= (o_ts >= arrive_o) & (o_ts <= c0 - dist(origin, destination) / v)
                hit = c.iloc[group]
                sizes = ", ".join(f"{x:g}" for x in hit["length_m"])
                to_ts = lambda x: (_EPOCH + pd.Timedelta(hours=float(x))).round("s")  # noqa: E731
                rows.append(dict(
                    trip_id=f"{vessel}-PT{n}-{hit['datetime'].iloc[0]:%Y%m%d}", vessel=vessel, trip_no=n,
                    start=to_ts(leave_o), end=to_ts(back_by),
                    stay_earliest=to_ts(s_d), stay_latest=to_ts(e_d),
                    sightings=";".join(hit["sighting_id"]),
                    origin_sightings=";".join(o_fits["sighting_id"].to_numpy()[near_o]),
                    evidence="possible",
                    basis=(f"{len(hit)} {'/'.join(sorted(set(hit['match'])))} detection(s) at {destination} "
                           f"of {sizes} m ({vessel} {L:g} m +/- {tolerance_m:g} m), "
                           f"{hit['datetime'].iloc[0]:%d %b %H:%M}; a trip fits between {a_row.port} "
                           f"{a_row.last_seen:%d %b %H:%M} and {pb} {b_row.first_seen:%d %b %H:%M} UTC")))
                here, ready = origin, _earliest_start(A_o, back_o, dwell) + dwell
    if not rows:
        return _empty_possible()
    return validate(pd.DataFrame(rows), "possible_trips")


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


def _insertions(pa: str, pb: str, t0: float, t1: float, origin: str, destination: str, dist,
                speed: float, dwell: float, absent: dict[str, np.ndarray] | None = None) -> list[list[str]]:
    """Alternating origin/destination visit sequences that fit between leaving a visit at `pa`
    at `t0` and reaching one at `pb` by `t1` (hours): each inserted visit lasts at least `dwell`
    and holds no negative observation (`absent`: port -> sorted hours). Visits are placed as
    early as possible, which fits the most."""
    absent = absent or {}
    out = [[]]
    for first in (origin, destination):
        seq, t, here, nxt = [], t0, pa, first
        while nxt != here:
            t_new = _earliest_start(absent.get(nxt, _NONE), t + dist(here, nxt) / speed, dwell) + dwell
            if t_new + dist(nxt, pb) / speed > t1:
                break
            seq, t, here = seq + [nxt], t_new, nxt
            out.append(list(seq))
            nxt = destination if nxt == origin else origin
    return out


def upper_bound(vv: pd.DataFrame, dark: pd.DataFrame, *, origin: str, destination: str, dist,
                max_speed_kn: float, min_dwell_hours: float,
                absent: dict[str, np.ndarray] | None = None) -> int:
    """The most round trips one vessel's visits allow, inserting unobserved origin/destination
    visits into the dark time between consecutive visits (dynamic programme over the
    visit-sequence automaton; only gaps that overlap an AIS silence can hide visits; inserted
    visits avoid the negative observations in `absent`)."""
    best: dict = {None: 0}
    prev = None
    for r in vv.itertuples():
        options = [[]]
        if prev is not None:
            hours = (r.first_seen - prev.last_seen) / pd.Timedelta(hours=1)
            hidden = bool(((dark["start_ts"] < r.first_seen) & (dark["end_ts"] > prev.last_seen)).any())
            if hidden and hours > 0:
                options = _insertions(prev.port, r.port, _hours(prev.last_seen), _hours(r.first_seen),
                                      origin, destination, dist, max_speed_kn, min_dwell_hours, absent)
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
           distance, absent: pd.DataFrame | None = None,
           possible: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per vessel (and 'all'): at least N round trips (confirmed), M more possible, and at most
    K (allowed by the observations and the negative observations); also the upper bound without
    negative observations, for comparison."""
    rows = []
    for vessel, vv in visits.groupby("vessel", sort=True):
        vv = vv.sort_values("first_seen", kind="stable")
        dark = dark_periods[dark_periods["vessel"] == vessel]
        low = int((round_trips["vessel"] == vessel).sum())
        n_pos = 0 if possible is None else int((possible["vessel"] == vessel).sum())
        A = _absent_hours(absent, vessel)
        kw = dict(origin=origin, destination=destination, dist=distance, max_speed_kn=max_speed_kn,
                  min_dwell_hours=min_dwell_hours)
        high = upper_bound(vv, dark, absent=A, **kw)
        loose = upper_bound(vv, dark, **kw) if A else high
        rows.append(dict(vessel=vessel, at_least=low, possible=n_pos, at_most=max(low, high),
                         at_most_without_absences=max(low, loose),
                         absences=int(sum(len(x) for x in A.values())),
                         split_visits=int(vv["split"].sum())))
    cols = ["vessel", "at_least", "possible", "at_most", "at_most_without_absences", "absences", "split_visits"]
    df = pd.DataFrame(rows, columns=cols)
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
