"""What the observations allow beyond the confirmed round trips: possible trips and at most.

- *Negative observations* (`absences`): a clear, fine scene of a route port whose whole
  geofence it shows, with no detection there of a ship of the vessel's length, means the vessel
  was not at that port then. Unobserved visits (upper bound, possible trips) must avoid them.
- A *possible* round trip (`possible_trips`, a separate table, never counted in "at least N"):
  in the vessel's AIS-dark time, outside its confirmed trips, a detection at the destination
  that is not identified (low-confidence or unidentified) but whose length fits the vessel,
  that no other vessel of interest explains, and around which an unobserved trip origin ->
  destination -> origin fits between the vessel's observations (sea route at the maximum
  speed, the minimum stay at each unobserved visit, avoiding negative observations).
- *At most* (`upper_bound`, `bounds`): as many unobserved trips as fit in the dark time between
  observations. Reported as "at least N confirmed, M more possible, at most K".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..schema import empty, validate
from .visits import round_trip_hours

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


CANDIDATE_MATCHES = ("low-confidence", "unidentified")


def _empty_possible() -> pd.DataFrame:
    return empty("possible_trips")


@dataclass(frozen=True)
class _Route:
    """The route and the pace of an unobserved trip (hours; distances through `dist`)."""
    origin: str
    destination: str
    dist: object
    speed: float
    dwell: float

    def sail(self, a: str, b: str) -> float:
        return self.dist(a, b) / self.speed


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
    route = _Route(origin, destination, distance, float(max_speed_kn), float(min_dwell_hours))
    cand = sightings[sightings["match"].isin(CANDIDATE_MATCHES) & sightings["port"].isin([origin, destination])
                     & sightings["length_m"].notna()]
    ident = sightings[sightings["match"] == "identified"]
    rows = []
    for vessel in sorted(lengths):
        vv = visits[visits["vessel"] == vessel].sort_values("first_seen", kind="stable").reset_index(drop=True)
        if vv.empty:
            continue
        fits = cand[(cand["length_m"] - lengths[vessel]).abs() <= tolerance_m]
        c, ts, prev = _candidates(vessel, vv, fits, visits, ident, dark_periods, round_trips,
                                  lengths, tolerance_m, destination)
        rows += _vessel_possible(vessel, vv, c, ts, prev, fits[fits["port"] == origin],
                                 _absent_hours(absent, vessel), route, lengths[vessel], tolerance_m)
    if not rows:
        return _empty_possible()
    return validate(pd.DataFrame(rows), "possible_trips")


def _candidates(vessel, vv, fits, visits, ident, dark_periods, round_trips, lengths, tolerance_m,
                destination):
    """The detections at the destination that may be `vessel` (sorted by time), their times
    (hours) and the index of the visit before each: in its AIS-dark time, outside its confirmed
    trips and visits, between two of its visits, and not explained by another vessel of
    interest."""
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
    return c[keep], ts[keep], prev[keep]


def _vessel_possible(vessel, vv, c, ts, prev, o_fits, A, route: _Route, L: float,
                     tolerance_m: float) -> list[dict]:
    """The possible trips of one vessel: candidates between the same two visits form one stay
    unless a trip could fit between them or a negative observation separates them; stays in one
    gap are chained, earliest first."""
    origin, destination = route.origin, route.destination
    rt_h = round_trip_hours(route.dist(origin, destination), route.speed, route.dwell)
    first, last = _hours(vv["first_seen"]), _hours(vv["last_seen"])
    A_o, A_d = A.get(origin, _NONE), A.get(destination, _NONE)
    o_ts = _hours(o_fits["datetime"])
    rows: list[dict] = []
    for k in np.unique(prev):
        a_row, b_row = vv.iloc[k], vv.iloc[k + 1]
        here, ready = a_row.port, last[k]
        idx = np.flatnonzero(prev == k)
        # stays: split where a trip could fit between candidates or a negative observation lies between
        cut = np.r_[True, (np.diff(ts[idx]) > rt_h)
                    | (np.searchsorted(A_d, ts[idx][1:]) > np.searchsorted(A_d, ts[idx][:-1]))]
        for group in np.split(idx, np.flatnonzero(cut)[1:]):
            c0, c1 = ts[group[0]], ts[group[-1]]
            fit = _fit_stay(here, ready, first[k + 1], b_row.port, c0, c1, A_o, A_d, route)
            if fit is None:
                continue
            leave_o, arrive_o, back_by, s_d, e_d = fit
            back_o = max(s_d + route.dwell, c1) + route.sail(destination, origin)   # earliest return
            if b_row.port != origin:
                near_o = (o_ts >= back_o) & (o_ts <= back_by + route.dwell)
            else:
                near_o = np.zeros(len(o_ts), bool)
            if arrive_o is not None:
                near_o |= (o_ts >= arrive_o) & (o_ts <= c0 - route.sail(origin, destination))
            rows.append(_possible_row(vessel, len(rows) + 1, c.iloc[group], a_row, b_row,
                                      o_fits["sighting_id"].to_numpy()[near_o], (leave_o, back_by, s_d, e_d),
                                      destination, L, tolerance_m))
            here, ready = origin, _earliest_start(A_o, back_o, route.dwell) + route.dwell
    return rows


def _fit_stay(here: str, ready: float, t1: float, pb: str, c0: float, c1: float, A_o, A_d,
              route: _Route):
    """Does origin -> destination (a stay covering the detections at hours c0..c1, at least the
    minimum dwell) -> origin fit between leaving `here` at `ready` and reaching `pb` by `t1`,
    avoiding negative observations? (leave origin, arrive origin or None, back by, stay start,
    stay end) in hours, or None."""
    origin, destination, dwell = route.origin, route.destination, route.dwell
    if here == origin:
        leave_o, arrive_o = ready, None
    else:
        arrive_o = ready + route.sail(here, origin)
        leave_o = _earliest_start(A_o, arrive_o, dwell) + dwell
    j = int(np.searchsorted(A_d, c0, side="right")) - 1
    s_d = max(leave_o + route.sail(origin, destination), A_d[j] if j >= 0 else -np.inf)
    if pb == origin:
        back_by = t1
    else:
        back_by = _latest_end(A_o, t1 - route.sail(origin, pb), dwell) - dwell
    j = int(np.searchsorted(A_d, c1, side="left"))
    e_d = min(back_by - route.sail(destination, origin), A_d[j] if j < len(A_d) else np.inf)
    if not (s_d <= c0 and e_d >= c1 and e_d - s_d >= dwell):
        return None
    return leave_o, arrive_o, back_by, s_d, e_d


def _at(hours: float) -> pd.Timestamp:
    """Hours since 1970 as a UTC time, to the second."""
    return (_EPOCH + pd.Timedelta(hours=float(hours))).round("s")


def _possible_row(vessel, n, hit, a_row, b_row, origin_ids, times, destination, L, tolerance_m) -> dict:
    """One row of the possible_trips table; `times` = (leave origin, back by, stay start, stay end)."""
    leave_o, back_by, s_d, e_d = times
    sizes = ", ".join(f"{x:g}" for x in hit["length_m"])
    return dict(
        trip_id=f"{vessel}-PT{n}-{hit['datetime'].iloc[0]:%Y%m%d}", vessel=vessel, trip_no=n,
        start=_at(leave_o), end=_at(back_by), stay_earliest=_at(s_d), stay_latest=_at(e_d),
        sightings=";".join(hit["sighting_id"]), origin_sightings=";".join(origin_ids),
        evidence="possible",
        basis=(f"{len(hit)} {'/'.join(sorted(set(hit['match'])))} detection(s) at {destination} "
               f"of {sizes} m ({vessel} {L:g} m +/- {tolerance_m:g} m), "
               f"{hit['datetime'].iloc[0]:%d %b %H:%M}; a trip fits between {a_row.port} "
               f"{a_row.last_seen:%d %b %H:%M} and {b_row.port} {b_row.first_seen:%d %b %H:%M} UTC"))


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
