"""The reporting's claims (docs/claims.md, claims 1-6), evaluated against our tables.

Each verdict is "supported", "not supported" or "insufficient data", with the evidence that
decided it in words and numbers. Round-trip and container counts from imagery are lower
bounds, so a count below a claim is "insufficient data", not a refutation, unless even the
upper end of the range falls short.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..schema import validate

SOURCES = {
    1: "RUSI / Washington Post, 16 Oct 2023",
    2: "RUSI, 16 Oct 2023; CSIS Beyond Parallel (at least 6 by 16 Oct)",
    3: "RUSI / Washington Post, 16 Oct 2023",
    4: "RUSI, 16 Oct 2023; White House (NSC), 13 Oct 2023",
    5: "White House (NSC), 13 Oct 2023",
    6: "White House (NSC), 13 Oct 2023; RUSI, 16 Oct 2023",
}


def _d(ts) -> str:
    return pd.Timestamp(ts).strftime("%d %b %Y")


def claim1(vessels, origin, destination, positions_by_vessel, port_calls, since) -> tuple[str, str]:
    """No record of the origin-destination route before `since`."""
    ev, verdicts = [], []
    for v in vessels:
        before = positions_by_vessel.get(v, pd.Series(dtype="datetime64[ns, UTC]"))
        before = before[before < since]
        calls = port_calls[(port_calls["vessel"] == v) & (port_calls["arrival"] < since)]
        on_route = calls[calls["port"].isin([origin, destination])]
        if before.empty:
            verdicts.append("insufficient data")
            ev.append(f"{v}: no AIS positions before {_d(since)}")
        elif len(on_route):
            verdicts.append("not supported")
            ev.append(f"{v}: {len(on_route)} AIS port call(s) at {origin}/{destination} before {_d(since)}")
        else:
            ports = ", ".join(sorted(calls["port"].unique())) or "none"
            verdicts.append("supported")
            ev.append(f"{v}: {len(before):,} AIS positions from {_d(before.min())} to {_d(before.max())}, "
                      f"{len(calls)} port calls (ports: {ports}), none at {origin} or {destination}")
    return _combine(verdicts), "; ".join(ev)


def claim2(round_trips, claimed: int, since, until) -> tuple[str, str]:
    rt = round_trips[(round_trips["start"] >= since) & (round_trips["end"] <= until)]
    per = rt.groupby("vessel").size().to_dict()
    n = len(rt)
    text = (f"at least {n} round trips reconstructed ending by {_d(until)} "
            f"({', '.join(f'{k} {v}' for k, v in sorted(per.items())) or 'none'}); claim: at least {claimed}")
    return ("supported" if n >= claimed else "insufficient data"), text


def claim3(vessels, dark_periods, visits, origin, destination, max_days, tracked=None) -> tuple[str, str]:
    """Each ship went dark (a likely-disabled silence) within `max_days` before its first
    observation on the route. `tracked`: the ships with any AIS record (None: all); for a ship
    without one, whether it went dark cannot be seen."""
    ev, verdicts = [], []
    for v in vessels:
        if tracked is not None and v not in tracked:
            verdicts.append("insufficient data")
            ev.append(f"{v}: no AIS record in this data, so whether it switched AIS off cannot be seen")
            continue
        vv = visits[(visits["vessel"] == v) & visits["port"].isin([origin, destination])]
        if vv.empty:
            verdicts.append("insufficient data")
            ev.append(f"{v}: not observed on the route")
            continue
        first = vv["first_seen"].min()
        own = dark_periods[dark_periods["vessel"] == v]
        window = own[(own["start_ts"] <= first) & (own["start_ts"] >= first - pd.Timedelta(days=max_days))]
        d = own[own["class"] == "likely-disabled"]
        before = window[window["class"] == "likely-disabled"]
        if before.empty:
            # a silence the ship was in when first seen on the route: either its cause is unknown
            # (poor reception not excluded) or it began long before that first observation, and
            # the route may have begun earlier, unobserved (sparse imagery): neither confirms nor
            # refutes "shortly before"
            silent = own[(own["start_ts"] <= first) & (own["end_ts"] >= first)]
            if len(silent):
                g = silent.sort_values("hours", ascending=False).iloc[0]
                lead = (first - g.start_ts) / pd.Timedelta(days=1)
                why = (f"classed {g['class']}: poor reception cannot be excluded" if g["class"] != "likely-disabled"
                       else f"likely disabled, but {lead:.0f} days before that first observation: the route "
                            "may have begun earlier, unobserved")
                verdicts.append("insufficient data")
                ev.append(f"{v}: AIS silent from {g.start_ts:%d %b %Y %H:%M} UTC to {_d(g.end_ts)} "
                          f"({g.hours / 24:.0f} days) into its first observation on the route "
                          f"({_d(first)}), {why}")
                continue
            verdicts.append("insufficient data" if d.empty else "not supported")
            ev.append(f"{v}: no likely-disabled dark period starting within {max_days:g} days "
                      f"before its first observation on the route ({_d(first)})")
            continue
        g = before.iloc[0]
        covers = int(((vv["first_seen"] >= g.start_ts) & (vv["last_seen"] <= g.end_ts)).sum())
        verdicts.append("supported")
        ev.append(f"{v}: AIS silent from {g.start_ts:%d %b %Y %H:%M} UTC to {_d(g.end_ts)} "
                  f"({g.hours / 24:.0f} days, {g['class']}); first seen on the route {_d(first)}, "
                  f"{(first - g.start_ts) / pd.Timedelta(days=1):.1f} days later; "
                  f"{covers} of {len(vv)} route visits fall inside the silence")
    return _combine(verdicts), "; ".join(ev)


def delivered(trips, origin, destination, until) -> pd.DataFrame:
    """Per origin->destination leg: containers seen during the stay at the origin before it and
    at the destination after it (a stay joins consecutive visits at one port, e.g. split ones)."""
    v = trips.visits.sort_values(["vessel", "first_seen"], kind="stable").reset_index(drop=True)
    new = (v["vessel"] != v["vessel"].shift()) | (v["port"] != v["port"].shift())
    v["stay"] = new.cumsum()
    stay = v.groupby("stay").agg(containers=("containers", "max"), first_seen=("first_seen", "min"),
                                 last_seen=("last_seen", "max"))
    v = v.join(stay.add_suffix("_stay"), on="stay")
    rows = []
    for leg in trips.legs.itertuples():
        if (leg.origin, leg.destination) != (origin, destination) or not leg.feasible \
                or leg.arrive_latest > until:
            continue
        mine = v[v["vessel"] == leg.vessel]
        o = mine[(mine["last_seen_stay"] == leg.depart_earliest) & (mine["port"] == origin)]
        d = mine[(mine["first_seen_stay"] == leg.arrive_latest) & (mine["port"] == destination)]
        rows.append(dict(leg_id=leg.leg_id, vessel=leg.vessel,
                         at_origin=o["containers_stay"].iloc[0] if len(o) else pd.NA,
                         at_destination=d["containers_stay"].iloc[0] if len(d) else pd.NA))
    return pd.DataFrame(rows, columns=["leg_id", "vessel", "at_origin", "at_destination"])


def claim4(moves: pd.DataFrame) -> tuple[str, str]:
    both = moves.dropna(subset=["at_origin", "at_destination"])
    both = both[(both["at_origin"] > 0) & (both["at_destination"] > 0)]
    n = len(both)
    per_vessel = ", ".join(f"{k} {v}" for k, v in both.groupby("vessel").size().items())
    text = (f"{n} of {len(moves)} reconstructed loaded legs show containers on the quay both at "
            f"loading and at unloading ({per_vessel or 'none'})")
    return ("supported" if n >= 2 else "insufficient data"), text


def claim5(moves: pd.DataFrame, claimed: int, visibility: float) -> tuple[str, str]:
    dest = moves["at_destination"].fillna(0).astype(int)
    low = int(dest.sum())
    # the same range as trips.containers: ceil(counted / visibility) per leg, from the count at
    # unloading, or at loading when no clear image caught the unloading
    origin = moves["at_origin"].fillna(0).astype(int)
    best = dest.where(dest > 0, origin)
    high = int(np.ceil(best / visibility - 1e-9).sum())
    text = (f"containers counted on the quay at unloading on {len(moves)} reconstructed loaded legs: {low:,} "
            f"(lower bound); up to {high:,} on those legs allowing for containers hidden from the imagery "
            f"(visible share >= {visibility:g}) and loads seen only at loading; legs no clear image caught "
            f"are not counted; claim: more than {claimed:,}")
    # Loads that no clear image caught are not in `moves`, so even `high` is not a ceiling:
    # a count below the claim cannot refute it.
    return ("supported" if low > claimed else "insufficient data"), text


def read_depot(path) -> pd.DataFrame:
    """The analyst's depot annotations (CSV: date, acq_id, sensor, pits_count, pits_filled,
    railcars_with_containers, cloud_cover, analyst_note; one row per clear scene)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path.name, "(file)", "depot annotations not found",
                         "give inputs.depot as a CSV path, or null")
    df = pd.read_csv(path)
    df["date"] = pd.to_datetime(df["date"], utc=True, errors="raise") if "date" in df else df.get("date")
    return validate(df, "depot", file=path.name).sort_values("date", kind="stable").reset_index(drop=True)


RISE_SCENES = 3          # a rise counts when this many consecutive clear scenes show it
RISE_MIN = 3             # ... by at least this many (pits), 5% of the level or 3 noise widths


def _count(x: float) -> str:
    """A count or a median of counts as written: 61, or 61.5 (never truncated)."""
    return f"{x:g}"


def sustained_rise(dates: pd.Series, counts: pd.Series, baseline: pd.Series) -> tuple[pd.Timestamp, float]:
    """When a noisy count (one per clear scene, in date order) rose for good above its level in
    the `baseline` scenes: the first date from which RISE_SCENES consecutive scenes all exceed
    the baseline median by a margin of max(RISE_MIN, 5% of it, 3 robust noise widths (1.4826 x
    the median absolute deviation)); NaT when it never does. One-off fluctuations (a pit counted
    once, a scene misread) never make a rise. Returns (date, threshold)."""
    level = float(np.median(baseline))
    noise = 1.4826 * float(np.median(np.abs(baseline - level)))
    threshold = level + max(RISE_MIN, 0.05 * level, 3 * noise)
    above = (counts.to_numpy(dtype=float) > threshold).astype(int)
    run = np.convolve(above, np.ones(RISE_SCENES, dtype=int), mode="valid") if len(above) >= RISE_SCENES \
        else np.zeros(0, int)
    starts = np.flatnonzero(run == RISE_SCENES)
    return (pd.Timestamp(dates.iloc[starts[0]]) if len(starts) else pd.NaT), threshold


def claim6(depot: pd.DataFrame | None, first_loading, claimed_date, window_days: float,
           earliest_loading=None) -> tuple[str, str]:
    """Pits expanded around the first loading; filled after trains came; trains with containers
    seen on the claimed date (within a day). Expansion and filling are sustained rises
    (`sustained_rise`) over the scenes before the first loading less `window_days` (pits) and
    before the first train (filled pits).

    `first_loading` is the first loading *observed*; shipments may have begun earlier, at any
    time after `earliest_loading` (the ships' last observation elsewhere before it, from
    `_earliest_loading`). A rise earlier than `window_days` before the observed loading but not
    before `earliest_loading` less `window_days` cannot be told from "when shipments began":
    insufficient data, not "not supported" (seen in simulated worlds whose first trips no scene
    caught)."""
    if depot is None or depot.empty:
        return "insufficient data", "no depot annotations"
    if first_loading is None or pd.isna(first_loading):
        return "insufficient data", "no loading at the origin observed: the start of shipments is unknown"
    d = depot.sort_values("date", kind="stable").reset_index(drop=True)
    cut = first_loading - pd.Timedelta(days=window_days)
    base = d[d["date"] < cut]
    if len(base) < RISE_SCENES:
        return "insufficient data", f"fewer than {RISE_SCENES} clear depot scenes before {_d(cut)}"
    pits0 = _count(base["pits_count"].median())
    first_growth, pits_bar = sustained_rise(d["date"], d["pits_count"], base["pits_count"])
    grew = pd.notna(first_growth)
    lead = (first_growth - first_loading) / pd.Timedelta(days=1) if grew else np.nan
    expanded = grew and abs(lead) <= window_days
    window = pd.Timedelta(days=window_days)
    undecided = bool(grew and not expanded and lead < 0
                     and (earliest_loading is None or pd.isna(earliest_loading)
                          or first_growth >= earliest_loading - window))
    trains = d[d["railcars_with_containers"] > 0]
    first_train = trains["date"].min() if len(trains) else pd.NaT
    before_train = d[d["date"] < first_train] if len(trains) else d
    filled0 = _count(before_train["pits_filled"].median())
    filled = False
    if len(trains) and len(before_train) >= RISE_SCENES:
        first_fill, _ = sustained_rise(d["date"], d["pits_filled"], before_train["pits_filled"])
        filled = pd.notna(first_fill) and first_fill >= first_train
    after = d[d["date"] > first_train] if len(trains) else d.iloc[0:0]
    filled_after = _count(after["pits_filled"].max()) if len(after) else filled0
    day = pd.Timestamp(claimed_date)
    day = day.tz_localize("UTC") if day.tzinfo is None else day.tz_convert("UTC")
    on_day = d[(d["date"] - (day + pd.Timedelta(hours=12))).abs() <= pd.Timedelta(days=1)]
    cars = int(on_day["railcars_with_containers"].max()) if len(on_day) else 0
    # one snapshot without a train does not refute trains during the day: only clear scenes
    # without any train spanning at least a day around it do (study: a scene at 08:00, the
    # train arriving that evening)
    span = (on_day["date"].max() - on_day["date"].min()) if len(on_day) else pd.Timedelta(0)
    no_train_all_day = bool(len(on_day) and cars == 0 and span >= pd.Timedelta(days=1))
    text = (f"{len(d)} clear depot scenes; pits {pits0} (median before {_d(cut)}; a rise is "
            f"{RISE_SCENES} scenes in a row above {pits_bar:.0f}) "
            + (f"rising for good from {_d(first_growth)}, "
               f"{(first_growth - first_loading) / pd.Timedelta(days=1):+.0f} days "
               f"from the first loading observed at the origin ({_d(first_loading)}), to {int(d['pits_count'].max())}; "
               if grew else "never rising for good; ")
            + (f"trains with containers first seen {_d(first_train)}; "
               f"filled pits {filled0} before, up to {filled_after} after"
               f"{'' if filled else ' (no sustained rise after the first train)'}; "
               if len(trains) else "no train with containers seen; ")
            + (f"{cars} railcars with containers within a day of {_d(day)}" if len(on_day)
               else f"no clear scene within a day of {_d(day)}"))
    if expanded and filled and cars > 0:
        return "supported", text
    if no_train_all_day:
        return "not supported", text       # no train that day
    if len(on_day) and cars == 0:
        return "insufficient data", text + (f"; {len(on_day)} clear scene(s) {span / pd.Timedelta(hours=1):.0f} h "
                                            "apart show no train, which does not rule one out that day")
    if undecided:
        since = (f"after {_d(earliest_loading)}, the last observation of the ships elsewhere"
                 if earliest_loading is not None and pd.notna(earliest_loading) else "at any earlier time")
        return "insufficient data", text + (f"; shipments may have begun before the first loading observed, "
                                            f"{since}: the rise cannot be placed against their start")
    if grew and not expanded:
        return "not supported", text       # the rise came at another time
    return "insufficient data", text


def _first_loading(trips, origin, destination):
    """Departure bound of the first feasible origin -> destination leg (start of shipments)."""
    legs = trips.legs
    m = legs[(legs["origin"] == origin) & (legs["destination"] == destination) & legs["feasible"]]
    return m["depart_earliest"].min() if len(m) else None


def _earliest_loading(trips, origin, destination, first_loading):
    """The earliest the shipments can have begun, given the first loading observed: the latest
    observation of each ship at a port off the route before that loading, the earliest of these
    over the ships; None when some ship has no such observation (no bound)."""
    if first_loading is None or pd.isna(first_loading):
        return None
    v = trips.visits
    ends = []
    for _vessel, vv in v.groupby("vessel", sort=True):
        off = vv[~vv["port"].isin([origin, destination]) & (vv["last_seen"] < first_loading)]
        if off.empty:
            return None
        ends.append(off["last_seen"].max())
    return min(ends) if ends else None


def _combine(verdicts: list[str]) -> str:
    if verdicts and all(v == "supported" for v in verdicts):
        return "supported"
    if "not supported" in verdicts:
        return "not supported"
    return "insufficient data"


def evaluate(positions, port_calls, dark_periods, trips, names: dict[int, str], *, vessels: list[str],
             origin: str, destination: str, thresholds: dict,
             depot: pd.DataFrame | None = None, tracked: set[str] | None = None) -> pd.DataFrame:
    """All six claims as the canonical claims table. `tracked`: the vessels with any AIS record
    (None: all of them). `names` maps mmsi to vessel name; the
    claims' numbers and dates come from `thresholds` (claimed_round_trips, claimed_period_end,
    route_history_start, dark_before_route_days, claimed_containers, claimed_containers_by,
    container_visibility_min, claimed_depot_date, depot_window_days); `depot` the depot
    annotations (claim 6; None: insufficient data)."""
    t, dest = thresholds, destination
    since = pd.Timestamp(t["route_history_start"])
    until = pd.Timestamp(t["claimed_period_end"])
    pos_by = {v: positions.loc[positions["mmsi"].map(names) == v, "ts"] for v in vessels}
    moves = delivered(trips, origin, dest, until)
    by5 = pd.Timestamp(t["claimed_containers_by"])
    moves5 = delivered(trips, origin, dest, by5)
    first = _first_loading(trips, origin, dest)
    rows = [
        (1, f"{' and '.join(vessels)} ran {origin} <-> {dest} with no record of that route before {_d(since)}",
         *claim1(vessels, origin, dest, pos_by, port_calls, since)),
        (2, f"At least {int(t['claimed_round_trips'])} round trips between mid-August and {_d(until)}",
         *claim2(trips.round_trips, int(t["claimed_round_trips"]), since, until)),
        (3, "Both ships went dark (AIS off) shortly before they began the route",
         *claim3(vessels, dark_periods, trips.visits, origin, dest, float(t["dark_before_route_days"]), tracked)),
        (4, f"The ships picked up cargo at {origin} and delivered it at {dest}, repeatedly", *claim4(moves)),
        (5, f"More than {int(t['claimed_containers']):,} containers delivered (as of {_d(by5)})",
         *claim5(moves5, int(t["claimed_containers"]), float(t["container_visibility_min"]))),
        (6, "Munition pits at the depot near Tikhoretsk expanded around the time shipments began and filled "
            f"after rail deliveries; trains with containers there on {_d(t['claimed_depot_date'])}",
         *claim6(depot, first, t["claimed_depot_date"], float(t["depot_window_days"]),
                 _earliest_loading(trips, origin, dest, first))),
    ]
    df = pd.DataFrame(rows, columns=["claim_id", "claim", "verdict", "evidence"])
    df["source"] = df["claim_id"].map(SOURCES)
    return validate(df, "claims")
