"""Scoring the reconstruction against the simulated scenario's ground truth (data/truth/).

Only notebook 70 and the tests call this: the analysis itself never reads the truth.

What the truth means, and the tolerance (`TOLERANCE`, 1.5 h) that follows from it. A true
visit runs from berth arrival to berth departure; a true leg and round trip from leaving one
berth to reaching the next. The reconstruction sees a ship earlier and later than that:

- an AIS position inside a port's geofence (visits.in_fence) is taken while the ship
  approaches or leaves the berth: the fences reach up to about 1.5 nm from the berth, which a
  ship slowing to the quay covers in well under an hour;
- a sighting is dated by its scene, and a scene shows the ship at the berth from a little
  before its arrival is logged to a little after its departure (the simulator's analyst sees a
  moored ship within 45 minutes of one of its berth transmissions).

So a reconstructed round trip is correct when it holds exactly one true trip of its vessel
allowing its start (last observation at the origin) to be up to `TOLERANCE` after the true
departure from the berth and its end (first observation back) up to `TOLERANCE` before the
true return to the berth; a leg window holds a true leg with the same allowance at each end;
a reconstructed visit is correct when it overlaps a true visit widened by `TOLERANCE` each side.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..schema import confidence_at_least, validate
from . import gaps, trips, visits

TOLERANCE = pd.Timedelta(hours=1.5)   # time inside the fence / scene timing around a berth stay (see above)


def load_truth(root: str | Path | None = None) -> dict[str, pd.DataFrame]:
    root = paths.resolve(root or paths.TRUTH)
    out = {}
    for name, times in (("round_trips", ["depart_rajin", "arrive_dunai", "depart_dunai", "return_rajin"]),
                        ("port_visits", ["arrival", "departure"]),
                        ("ais_switches", ["ais_off", "ais_on"])):
        df = pd.read_csv(root / f"{name}.csv")
        for c in times:
            df[c] = pd.to_datetime(df[c], utc=True)
        out[name] = df
    return out


def visit_seen(visits: pd.DataFrame, sightings: pd.DataFrame, min_confidence: str) -> np.ndarray:
    """For each true visit: did an identified sighting (confidence >= min) fall inside it?"""
    ok = confidence_at_least(sightings["id_confidence"], min_confidence)
    s = sightings.loc[ok & sightings["vessel"].notna(), ["vessel", "port", "datetime"]]
    v = visits[["vessel", "port", "arrival", "departure"]].reset_index(drop=True)
    v["_row"] = np.arange(len(v))
    pairs = v.merge(s, on=["vessel", "port"], how="inner")     # every sighting of the ship at that port
    inside = (pairs["datetime"] >= pairs["arrival"]) & (pairs["datetime"] <= pairs["departure"])
    seen = np.zeros(len(v), dtype=bool)
    seen[pairs.loc[inside, "_row"].to_numpy()] = True
    return seen


def revealable(truth: dict, sightings: pd.DataFrame, min_confidence: str) -> pd.DataFrame:
    """True round trips whose three visits (Rajin, Dunai, Rajin again) the imagery all saw."""
    visits = truth["port_visits"].copy()
    visits["seen"] = visit_seen(visits, sightings, min_confidence)
    trips = truth["round_trips"].copy()

    def seen(port, col, at):
        # the first true visit of that ship at that port whose `col` time is the trip's `at`
        # time: was it seen? (False when there is none)
        v = visits[(visits["port"] == port) & visits[col].notna()].drop_duplicates(["vessel", col], keep="first")
        key = pd.MultiIndex.from_arrays([v["vessel"], v[col]])
        look = pd.Series(v["seen"].to_numpy(), index=key)
        want = pd.MultiIndex.from_arrays([trips["vessel"], trips[at]])
        return look.reindex(want).fillna(False).astype(bool).to_numpy() & trips[at].notna().to_numpy()

    trips["seen_load"] = seen("Rajin", "departure", "depart_rajin")
    trips["seen_unload"] = seen("Dunai", "arrival", "arrive_dunai")
    trips["seen_return"] = seen("Rajin", "arrival", "return_rajin")
    trips["revealable"] = trips[["seen_load", "seen_unload", "seen_return"]].all(axis=1)
    return trips


def score_round_trips(reconstructed: pd.DataFrame, truth_trips: pd.DataFrame) -> pd.DataFrame:
    """Match each reconstructed round trip to a true trip it contains (within `TOLERANCE` at
    each end), one to one; precision (matched reconstructed trips) and recall (matched true
    trips). A reconstructed trip holding several true trips (the others hidden inside its legs)
    is one correct trip: "at least N" claims one trip there, and one happened."""
    rows = []
    for vessel in sorted(set(truth_trips["vessel"]) | set(reconstructed["vessel"])):
        t = truth_trips[truth_trips["vessel"] == vessel]
        r = reconstructed[reconstructed["vessel"] == vessel]
        contains = np.array([[(rr.start <= tt.depart_rajin + TOLERANCE) and (rr.end >= tt.return_rajin - TOLERANCE)
                              for tt in t.itertuples()] for rr in r.itertuples()], dtype=bool).reshape(len(r), len(t))
        rev = t["revealable"].to_numpy() if "revealable" in t else np.ones(len(t), bool)
        # one-to-one: each reconstructed trip takes one true trip it holds (revealable first, then
        # the earliest), in time order; a trip holding two true trips (a hidden trip inside one of
        # its legs) is one correct trip of a lower bound, two reconstructed trips never share one
        used = np.zeros(len(t), bool)
        exact = np.zeros(len(r), bool)
        for i in np.argsort(r["start"].to_numpy(), kind="stable") if len(r) else []:
            free = np.flatnonzero(contains[i] & ~used)
            if len(free):
                pick = free[rev[free]][0] if rev[free].any() else free[0]
                used[pick], exact[i] = True, True
        found = used
        rows.append(dict(vessel=vessel, true_trips=len(t), revealable=int(rev.sum()),
                         reconstructed=len(r), correct=int(exact.sum()),
                         found=int(found.sum()), found_revealable=int((found & rev).sum())))
    df = pd.DataFrame(rows)
    tot = df.drop(columns="vessel").sum().to_frame().T.assign(vessel="all")
    df = pd.concat([df, tot[df.columns]], ignore_index=True)
    df["precision"] = (df["correct"] / df["reconstructed"].where(df["reconstructed"] > 0)).round(3)
    df["recall"] = (df["found"] / df["true_trips"].where(df["true_trips"] > 0)).round(3)
    df["recall_revealable"] = (df["found_revealable"] / df["revealable"].where(df["revealable"] > 0)).round(3)
    return df


def dark_start_error(dark_periods: pd.DataFrame, switches: pd.DataFrame) -> pd.DataFrame:
    """Detected start of darkness (last position before the gap) versus the true switch-off."""
    rows = []
    for s in switches.itertuples():
        d = dark_periods[(dark_periods["vessel"] == s.vessel) & (dark_periods["start_ts"] <= s.ais_off)
                         & (dark_periods["end_ts"] >= s.ais_off)]
        if d.empty:
            rows.append(dict(vessel=s.vessel, true_off=s.ais_off, detected_start=pd.NaT, error_hours=np.nan,
                             detected_class=None))
            continue
        g = d.iloc[0]
        rows.append(dict(vessel=s.vessel, true_off=s.ais_off, detected_start=g.start_ts,
                         error_hours=round((g.start_ts - s.ais_off) / pd.Timedelta(hours=1), 2),
                         detected_class=g["class"]))
    return pd.DataFrame(rows)


# --- port calls, legs and timing ----------------------------------------------------------

def _overlaps(a0, a1, b0, b1) -> np.ndarray:
    """Matrix [i, j]: interval a_i overlaps interval b_j (closed)."""
    return (np.asarray(a0)[:, None] <= np.asarray(b1)[None, :]) & (np.asarray(a1)[:, None] >= np.asarray(b0)[None, :])


def score_visits(visits: pd.DataFrame, truth_visits: pd.DataFrame, ports: list[str]) -> pd.DataFrame:
    """Reconstructed visits at `ports` against the true visits there (overlap in time, same
    vessel and port; the true visit widened by `TOLERANCE` each side). Precision: reconstructed
    visits overlapping a true one; recall: true
    visits overlapped by at least one reconstructed visit."""
    rows = []
    tv = truth_visits[truth_visits["port"].isin(ports)]
    rv = visits[visits["port"].isin(ports)]
    for vessel in sorted(set(tv["vessel"]) | set(rv["vessel"])):
        t, r = tv[tv["vessel"] == vessel], rv[rv["vessel"] == vessel]
        m = _overlaps(r["first_seen"], r["last_seen"], t["arrival"] - TOLERANCE, t["departure"] + TOLERANCE) & \
            (r["port"].to_numpy()[:, None] == t["port"].to_numpy()[None, :])
        rows.append(dict(vessel=vessel, n_truth=len(t), n_reconstructed=len(r),
                         n_correct=int(m.any(axis=1).sum()), n_found=int(m.any(axis=0).sum())))
    return _finish(pd.DataFrame(rows), "port_calls")


def true_legs(truth_visits: pd.DataFrame, ports: list[str]) -> pd.DataFrame:
    """True legs between consecutive visits of a vessel at different ports, both in `ports`."""
    v = truth_visits.sort_values(["vessel", "arrival"], kind="stable").reset_index(drop=True)
    nxt = v.groupby("vessel").shift(-1)
    m = nxt["port"].notna() & (v["port"] != nxt["port"]) & v["port"].isin(ports) & nxt["port"].isin(ports)
    return pd.DataFrame({"vessel": v.loc[m, "vessel"], "origin": v.loc[m, "port"],
                         "destination": nxt.loc[m, "port"], "depart": v.loc[m, "departure"],
                         "arrive": nxt.loc[m, "arrival"]}).reset_index(drop=True)


def leg_timing(legs: pd.DataFrame, truth_legs: pd.DataFrame, ports: list[str]) -> pd.DataFrame:
    """Each reconstructed leg between `ports` with the true leg its window contains (same
    vessel, origin, destination; departs after depart_earliest, arrives before arrive_latest,
    within `TOLERANCE`)
    and the signed error (hours, reconstructed minus true) of each bound: earliest bounds
    should be <= 0 and latest >= 0 when the window holds the truth."""
    rl = legs[legs["origin"].isin(ports) & legs["destination"].isin(ports)].reset_index(drop=True)
    rows = []
    for r in rl.itertuples():
        t = truth_legs[(truth_legs["vessel"] == r.vessel) & (truth_legs["origin"] == r.origin)
                       & (truth_legs["destination"] == r.destination)
                       & (truth_legs["depart"] + TOLERANCE >= r.depart_earliest)
                       & (truth_legs["arrive"] - TOLERANCE <= r.arrive_latest)]
        row = dict(leg_id=r.leg_id, vessel=r.vessel, origin=r.origin, destination=r.destination,
                   n_true=len(t), true_depart=pd.NaT, true_arrive=pd.NaT)
        if len(t) == 1:
            tt = t.iloc[0]
            h = pd.Timedelta(hours=1)
            row.update(true_depart=tt.depart, true_arrive=tt.arrive,
                       depart_earliest_err_h=round((r.depart_earliest - tt.depart) / h, 2),
                       depart_latest_err_h=round((r.depart_latest - tt.depart) / h, 2),
                       arrive_earliest_err_h=round((r.arrive_earliest - tt.arrive) / h, 2),
                       arrive_latest_err_h=round((r.arrive_latest - tt.arrive) / h, 2),
                       depart_in_window=bool(r.depart_earliest <= tt.depart <= r.depart_latest),
                       arrive_in_window=bool(r.arrive_earliest <= tt.arrive <= r.arrive_latest))
        rows.append(row)
    cols = ["leg_id", "vessel", "origin", "destination", "n_true", "true_depart", "true_arrive",
            "depart_earliest_err_h", "depart_latest_err_h", "arrive_earliest_err_h", "arrive_latest_err_h",
            "depart_in_window", "arrive_in_window"]
    return pd.DataFrame(rows).reindex(columns=cols)


def score_legs(timing: pd.DataFrame, truth_legs: pd.DataFrame) -> pd.DataFrame:
    """Precision (reconstructed legs holding exactly one true leg) and recall (true legs held)."""
    rows = []
    for vessel in sorted(set(truth_legs["vessel"]) | set(timing["vessel"])):
        t, r = truth_legs[truth_legs["vessel"] == vessel], timing[timing["vessel"] == vessel]
        found = t["depart"].isin(r.loc[r["n_true"] == 1, "true_depart"])
        rows.append(dict(vessel=vessel, n_truth=len(t), n_reconstructed=len(r),
                         n_correct=int((r["n_true"] == 1).sum()), n_found=int(found.sum())))
    return _finish(pd.DataFrame(rows), "legs")


def _finish(df: pd.DataFrame, item: str) -> pd.DataFrame:
    cols = ["vessel", "n_truth", "n_reconstructed", "n_correct", "n_found"]
    df = df.reindex(columns=cols)
    tot = df[cols[1:]].sum().to_frame().T.assign(vessel="all")
    df = pd.concat([df, tot[cols]], ignore_index=True)
    df[cols[1:]] = df[cols[1:]].astype("int64")
    df["precision"] = (df["n_correct"] / df["n_reconstructed"].where(df["n_reconstructed"] > 0)).round(3)
    df["recall"] = (df["n_found"] / df["n_truth"].where(df["n_truth"] > 0)).round(3)
    return df.assign(item=item)[["item", *cols, "precision", "recall"]]


def summary(visits: pd.DataFrame, legs: pd.DataFrame, round_trips: pd.DataFrame, truth: dict,
            sightings: pd.DataFrame, min_confidence: str, ports: list[str],
            possible: pd.DataFrame | None = None) -> pd.DataFrame:
    """One tidy table (validation.csv): item, vessel, n_truth, n_reconstructed, n_correct,
    n_found, precision, recall, for port calls, route legs, round trips (confirmed, against all
    true trips), round trips the imagery could reveal and, with `possible`
    (helpers.trips.possible_trips), the possible trips alone (`round_trips_possible`) and
    confirmed + possible (`round_trips_with_possible`), both against all true trips."""
    tl = true_legs(truth["port_visits"], ports)
    rt_truth = revealable(truth, sightings, min_confidence)
    names = {"true_trips": "n_truth", "reconstructed": "n_reconstructed", "correct": "n_correct",
             "found": "n_found"}
    rt = score_round_trips(round_trips, rt_truth)
    all_rt = rt.rename(columns=names).assign(item="round_trips")
    rev = rt.rename(columns={"revealable": "n_truth", "reconstructed": "n_reconstructed",
                             "correct": "n_correct", "found_revealable": "n_found"})
    rev = rev.assign(recall=rev["recall_revealable"], item="round_trips_revealable")
    cols = ["item", "vessel", "n_truth", "n_reconstructed", "n_correct", "n_found", "precision", "recall"]
    parts = [score_visits(visits, truth["port_visits"], ports), score_legs(leg_timing(legs, tl, ports), tl),
             all_rt[cols], rev[cols]]
    if possible is not None:
        pos = possible[["vessel", "start", "end"]]
        parts.append(score_round_trips(pos, rt_truth).rename(columns=names)
                     .assign(item="round_trips_possible")[cols])
        both = pd.concat([round_trips[["vessel", "start", "end"]], pos], ignore_index=True)
        parts.append(score_round_trips(both, rt_truth).rename(columns=names)
                     .assign(item="round_trips_with_possible")[cols])
    return pd.concat(parts, ignore_index=True)[cols]


TIERS = {"round_trips": "confirmed", "round_trips_with_possible": "confirmed + possible"}


def target_met(scores: pd.DataFrame, target: float) -> pd.DataFrame:
    """For each tier of round trips (confirmed; confirmed + possible), over both vessels:
    precision, recall and whether both reach `target`."""
    s = scores[(scores["vessel"] == "all") & scores["item"].isin(list(TIERS))]
    out = s.assign(tier=s["item"].map(TIERS))[["tier", "n_truth", "n_reconstructed", "precision", "recall"]]
    out["meets_target"] = (out["precision"].fillna(0) >= target) & (out["recall"].fillna(0) >= target)
    return out.reset_index(drop=True)


# --- sensitivity ---------------------------------------------------------------------------

def thin_sightings(sightings: pd.DataFrame, *, revisit_days: int, cloud_prob: float, start,
                   seed: int = 20231016) -> pd.DataFrame:
    """Sightings from the acquisitions a sparser, cloudier imagery record would keep: only
    scenes on every `revisit_days`-th day from `start`, and each scene lost to cloud with
    probability `cloud_prob` (one seeded draw per scene, the same draws at every grid point, so
    a cloudier record loses a superset of scenes)."""
    acq = np.sort(sightings["acq_id"].unique())
    u = pd.Series(np.random.default_rng(seed).random(len(acq)), index=acq)
    day = ((sightings["datetime"] - pd.Timestamp(start)) // pd.Timedelta(days=1)).to_numpy()
    keep = (day % revisit_days == 0) & (u.reindex(sightings["acq_id"]).to_numpy() >= cloud_prob)
    return sightings[keep]


def thin_coverage(coverage: pd.DataFrame, sightings: pd.DataFrame, *, revisit_days: int,
                  cloud_prob: float, start, seed: int = 20231016) -> pd.DataFrame:
    """The scenes (coverage rows) the same sparser, cloudier record keeps: a scene with
    sightings keeps or loses them with `thin_sightings`' draw; a scene without any (an empty
    quay) gets its own seeded draw."""
    acq = np.sort(sightings["acq_id"].unique())
    u = pd.Series(np.random.default_rng(seed).random(len(acq)), index=acq)
    rest = np.sort(np.setdiff1d(coverage["acq_id"].unique().astype(str), acq.astype(str)))
    u = pd.concat([u, pd.Series(np.random.default_rng(seed + 1).random(len(rest)), index=rest)])
    day = ((coverage["datetime"] - pd.Timestamp(start)) // pd.Timedelta(days=1)).to_numpy()
    keep = (day % revisit_days == 0) & (u.reindex(coverage["acq_id"]).to_numpy() >= cloud_prob)
    return coverage[keep]


def sensitivity(port_calls, sightings, positions, ports, truth: dict, *, vessels, origin, destination,
                names: dict[int, str], start, max_speed_kn: float, min_dwell_hours: float,
                min_confidence: str, revisit_days=(1, 2, 3, 5, 7, 10), cloud_probs=(0.0, 0.25, 0.5, 0.75),
                gap_hours=(6.0, 12.0, 24.0), seed: int = 20231016, coverage=None, lengths=None,
                length_tolerance_m: float = 15.0, absence_max_gsd_m: float = 3.0, land=None,
                distance=None, fence=None, tracked=None) -> pd.DataFrame:
    """Rerun the reconstruction (not the pipeline) over a grid of imagery revisit intervals,
    scene-loss probabilities and dark-gap thresholds; score round trips against the truth.
    Dark periods here are the raw gaps (helpers.gaps.find_gaps): the reconstruction only uses
    whether a silence overlaps a leg, not the class. With `lengths` (and `coverage`, thinned
    alike) the possible trips are scored too (`n_possible`, `*_with_possible`). Sea distances:
    `distance(a, b)` or the sea routes over `land` (the run's coastline), as in trips.reconstruct."""
    rows = []
    dist = visits.distance_fn(ports, distance, land)
    # (revisit, cloud) -> sightings, coverage, revealable truth, visits: alike at every gap threshold
    thinned: dict = {}
    for gh in gap_hours:
        g = gaps.find_gaps(positions, gh)
        g["vessel"] = g["mmsi"].map(names)
        g = g[g["vessel"].isin(vessels)]
        for k in revisit_days:
            for p in cloud_probs:
                if (k, p) not in thinned:
                    s = thin_sightings(sightings, revisit_days=k, cloud_prob=p, start=start, seed=seed)
                    cov = None if coverage is None else thin_coverage(coverage, sightings, revisit_days=k,
                                                                       cloud_prob=p, start=start, seed=seed)
                    seen = trips.observed(port_calls, s, vessels=vessels, origin=origin, destination=destination,
                                          distance=dist, max_speed_kn=max_speed_kn,
                                          min_dwell_hours=min_dwell_hours, coverage=cov, lengths=lengths,
                                          length_tolerance_m=length_tolerance_m,
                                          absence_max_gsd_m=absence_max_gsd_m, fence=fence)
                    thinned[(k, p)] = (s, cov, revealable(truth, s, min_confidence), seen)
                s, cov, t, seen = thinned[(k, p)]
                r = trips.reconstruct(port_calls, s, g, ports, vessels=vessels, origin=origin,
                                      destination=destination, max_speed_kn=max_speed_kn,
                                      min_dwell_hours=min_dwell_hours, distance=dist, coverage=cov,
                                      lengths=lengths, length_tolerance_m=length_tolerance_m,
                                      absence_max_gsd_m=absence_max_gsd_m, fence=fence, tracked=tracked,
                                      with_bounds=False, seen=seen)   # the grid scores trips, not the bound
                sc = score_round_trips(r.round_trips, t).set_index("vessel").loc["all"]
                both = pd.concat([r.round_trips[["vessel", "start", "end"]],
                                  r.possible[["vessel", "start", "end"]]], ignore_index=True)
                sp = score_round_trips(both, t).set_index("vessel").loc["all"]
                route = r.legs["origin"].isin([origin, destination]) & r.legs["destination"].isin([origin, destination])
                rows.append(dict(revisit_days=k, cloud_prob=p, gap_hours=gh, n_truth=int(sc["true_trips"]),
                                 n_reconstructed=int(sc["reconstructed"]), precision=sc["precision"],
                                 recall=sc["recall"], n_revealable=int(sc["revealable"]),
                                 recall_revealable=sc["recall_revealable"],
                                 n_sightings=int((s["match"] == "identified").sum()),
                                 n_dark_legs=int((r.legs["dark"] & route).sum()),
                                 n_possible=len(r.possible), precision_with_possible=sp["precision"],
                                 recall_with_possible=sp["recall"]))
    return validate(pd.DataFrame(rows), "sensitivity")
