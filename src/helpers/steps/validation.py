"""Step 70 (notebook 70_validation): score the reconstruction against the simulated truth
(`inputs.truth`; a parameter set without one skips this step), and the sensitivity sweep."""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import pandas as pd

from ..analysis import validation, visits
from ..schema import validate
from .common import load, load_ports, names, route, save, save_csv
from .parallel import fork_map, workers_available
from .trips import options as trips_options


def sensitivity(P, truth: dict, *, workers: int | None = None, **changes) -> pd.DataFrame:
    """`validation.sensitivity` on the run's tables with its parameters, split over processes
    (`sweep`); `changes` override keyword arguments (e.g. revisit_days=(1, 2))."""
    kw = trips_options(P)
    kw.update(names=names(P), start=P.start, min_confidence=P.t["min_id_confidence"])
    kw.update(changes)
    ports = load_ports(P)
    kw["distance"] = visits.distance_fn(ports, kw.get("distance"), kw.pop("land", None))
    positions = load(P, "positions")
    ships = [m for m, n in kw["names"].items() if n in set(kw["vessels"])]
    positions = positions[positions["mmsi"].isin(ships)]      # the sweep scores these ships only
    return sweep(load(P, "port_calls"), load(P, "sightings"), positions, ports, truth, workers=workers, **kw)


# The sensitivity grid's cells are independent reruns of a pure function of the run's tables:
# they are split into chunks (one per revisit interval, holding every gap threshold, which share
# the thinned imagery and its visits) that run in forked worker processes (helpers.steps.parallel)
# and are put back in the grid's order, so the table is the one a single `validation.sensitivity`
# call gives (tests/steps/test_sweep.py).


def sweep(port_calls, sightings, positions, ports, truth: dict, *, workers: int | None = None,
          **kw) -> pd.DataFrame:
    """`validation.sensitivity(port_calls, sightings, positions, ports, truth, **kw)`, its grid
    run in up to `workers` forked processes (default `parallel.workers_available()`; 1, or a
    platform without fork, runs it here). Same table, same row order."""
    sig = inspect.signature(validation.sensitivity).parameters
    gap_hours = tuple(kw.pop("gap_hours", sig["gap_hours"].default))
    revisit = tuple(kw.pop("revisit_days", sig["revisit_days"].default))
    args = (port_calls, sightings, positions, ports, truth)
    if min(workers or workers_available(), len(revisit)) <= 1:
        return validation.sensitivity(*args, gap_hours=gap_hours, revisit_days=revisit, **kw)
    parts = fork_map(lambda k: validation.sensitivity(*args, gap_hours=gap_hours, revisit_days=(k,), **kw),
                     list(revisit), workers)
    df = pd.concat(parts, ignore_index=True)
    # the single call's order: gap threshold, then revisit interval, then cloud (within a chunk)
    order = df["gap_hours"].map({g: i for i, g in enumerate(gap_hours)}) * len(revisit) + \
        df["revisit_days"].map({k: i for i, k in enumerate(revisit)})
    df = df.iloc[order.argsort(kind="stable").to_numpy()]
    return validate(df.reset_index(drop=True), "sensitivity")


@dataclass
class Validation:
    truth: dict
    scores: pd.DataFrame
    target: pd.DataFrame
    timing: pd.DataFrame
    dark_start: pd.DataFrame
    sensitivity: pd.DataFrame


def run(P) -> Validation:
    """Scores (validation.csv), leg timing, start of darkness and the sensitivity sweep."""
    truth = validation.load_truth(P.input("truth"))
    sightings = load(P, "sightings")
    ends = list(route(P))
    visits, legs, rts = load(P, "visits"), load(P, "legs"), load(P, "round_trips")
    scores = validation.summary(visits, legs, rts, truth, sightings, P.t["min_id_confidence"], ends,
                                possible=load(P, "possible_trips"))
    save_csv(P, scores, "validation.csv")
    target = validation.target_met(scores, P.t["round_trip_target"])
    timing = validation.leg_timing(legs, validation.true_legs(truth["port_visits"], ends), ends)
    save_csv(P, timing, "validation_leg_timing.csv")
    dark_err = validation.dark_start_error(load(P, "dark_periods"), truth["ais_switches"])
    save_csv(P, dark_err, "validation_dark_start.csv")
    sens = sensitivity(P, truth)
    save(P, sens, "sensitivity")
    save_csv(P, sens, "sensitivity.csv")
    return Validation(truth, scores, target, timing, dark_err, sens)


def target_sentence(P, v: Validation) -> str:
    t = v.target.set_index("tier")
    goal = P.t["round_trip_target"]

    def met(tier):
        return "met" if t.loc[tier, "meets_target"] else "not met"
    return (f"round trips, target {goal:g}: confirmed precision {t.loc['confirmed', 'precision']:.2f}, "
            f"recall {t.loc['confirmed', 'recall']:.3f} (target {met('confirmed')}); "
            f"confirmed + possible precision {t.loc['confirmed + possible', 'precision']:.2f}, "
            f"recall {t.loc['confirmed + possible', 'recall']:.3f} (target {met('confirmed + possible')})")


def timing_sentence(v: Validation) -> str:
    t = v.timing
    return (f"{int(t['depart_in_window'].sum())} of {len(t)} departures and {int(t['arrive_in_window'].sum())} "
            f"arrivals inside their windows; median window "
            f"{(t['depart_latest_err_h'] - t['depart_earliest_err_h']).median():.1f} h")


def timing_table(v: Validation) -> pd.DataFrame:
    cols = ["vessel", "origin", "destination", "depart_earliest_err_h", "depart_latest_err_h",
            "arrive_earliest_err_h", "arrive_latest_err_h"]
    return v.timing[cols].describe().loc[["min", "50%", "max"]].round(1)


def recall_grid(P, v: Validation) -> pd.DataFrame:
    """Recall of the confirmed tier by revisit and scene loss, at the run's dark-gap threshold."""
    s = v.sensitivity
    return s[s["gap_hours"] == P.t["dark_min_hours"]].pivot(index="revisit_days", columns="cloud_prob",
                                                            values="recall")


def truth_sentence(P, v: Validation) -> str:
    """How many true round trips there are, how many the imagery could reveal (the ship
    identified at all three visits), and which it could not, with the possible trip that holds
    each of those if any."""
    rev = validation.revealable(v.truth, load(P, "sightings"), P.t["min_id_confidence"])
    hidden = rev[~rev["revealable"]]
    text = (f"Round trips are scored against all {len(rev)} true trips and against the "
            f"{int(rev['revealable'].sum())} the imagery could reveal (the ship identified at loading, "
            "unloading and back at the origin)")
    if hidden.empty:
        return text + "."
    possible = load(P, "possible_trips")
    parts = []
    for t in hidden.itertuples():
        missed = [what for what, ok in (("loading", t.seen_load), ("unloading", t.seen_unload),
                                        ("the return", t.seen_return)) if not ok]
        held = possible[(possible["vessel"] == t.vessel) & (possible["start"] <= t.depart_rajin)
                        & (possible["end"] >= t.return_rajin)]
        parts.append(f"{t.vessel}'s trip {t.trip_no} ({t.depart_rajin:%d %b}) was not identified at "
                     + " or ".join(missed)
                     + (f"; the possible trip {held['trip_id'].iloc[0]} holds it" if len(held) else
                        "; no possible trip holds it"))
    return text + ": " + "; ".join(parts) + "."


def sweep_sentence(P, v: Validation) -> str:
    """Where the method breaks: what each revisit interval finds with no extra scene loss, and
    with the possible trips counted too; the ships' stays at the destination (truth)."""
    s = v.sensitivity
    s = s[(s["gap_hours"] == P.t["dark_min_hours"]) & (s["cloud_prob"] == s["cloud_prob"].min())]
    s = s.sort_values("revisit_days")
    destination = route(P)[1]
    pv = v.truth["port_visits"]
    stays = pv.loc[pv["port"] == destination, "departure"] - pv.loc[pv["port"] == destination, "arrival"]
    days = stays / pd.Timedelta(days=1)

    def found(col):
        return ", ".join(f"{int(round(r[col] * r['n_truth']))} of {int(r['n_truth'])} every {int(r['revisit_days'])} d"
                         for _, r in s.iterrows())
    text = f"Confirmed trips found, by imagery revisit: {found('recall')}. "
    if "recall_with_possible" in s and s["recall_with_possible"].notna().any():
        text += f"With the possible trips counted too: {found('recall_with_possible')}. "
    if len(days):
        text += (f"A trip counts only when the ship is identified at both ends, and the ships stayed at "
                 f"{destination} {days.min():.1f}-{days.max():.1f} days.")
    return text
