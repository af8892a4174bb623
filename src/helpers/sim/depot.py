"""The depot near Tikhoretsk (claim 6): rail deliveries from Dunai and the analyst's annotations
of clear depot scenes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .world import END, START, World

DEPOT = dict(pits_before=60, filled_before=52, new_pits=40, containers_per_pit=40,
             rail_days=(14.0, 17.0), train_days=(1.5, 3.0))


DEPOT_TASKED = pd.Timestamp("2023-09-28T00:00:00Z")   # date of the published depot imagery (facts, claim 6)


def depot(world: World, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Trains from Dunai to the depot and the analyst's counts in clear depot scenes.

    Its own random stream (seed + 11), so adding it changes no other file. Assumptions (not
    public): each delivery leaves Dunai by rail when the ship leaves and reaches the depot 14-17
    days later; the depot had 60 pits (52 filled) and digs 40 new ones over about 30 days from
    a few days before the first loading at Rajin; each 40 containers fill one pit over 3 days;
    the scene of 28 Sep 2023 (the date of the published imagery) was tasked and is clear.
    """
    rng = np.random.default_rng(seed + 11)
    trips = sorted(world.trips, key=lambda r: (r["depart_dunai"], r["vessel"]))
    trains = []
    for r in trips:
        arr = r["depart_dunai"] + pd.Timedelta(days=float(rng.uniform(*DEPOT["rail_days"])))
        dep = arr + pd.Timedelta(days=float(rng.uniform(*DEPOT["train_days"])))
        trains.append(dict(trip_id=f"{r['vessel']}-T{r['trip_no']}", vessel=r["vessel"],
                           containers=int(r["containers"]), train_arrival=arr.floor("s"),
                           train_departure=dep.floor("s")))
    trains = pd.DataFrame(trains)
    dig0 = min(r["depart_rajin"] for r in trips) - pd.Timedelta(days=float(rng.uniform(2, 8)))
    dig_days = float(rng.uniform(25, 35))
    rows = []
    for d in pd.date_range(START, END, freq="D", inclusive="left"):
        skip = rng.random() < 0.3     # no scene that day
        t = (d + pd.Timedelta(hours=float(rng.uniform(7.5, 9.0)))).floor("s")
        cloud = float(np.round(100 * rng.beta(0.6, 1.6), 1))
        if d == DEPOT_TASKED:         # the published scene: tasked, and clear
            skip, cloud = False, min(cloud, 10.0)
        if skip or cloud > 20.0:      # the analyst annotates clear scenes only
            continue
        dug = np.clip((t - dig0) / pd.Timedelta(days=dig_days), 0.0, 1.0)
        pits = DEPOT["pits_before"] + int(round(DEPOT["new_pits"] * dug))
        fill = 0.0
        for tr in trains.itertuples():
            f = np.clip((t - tr.train_arrival) / pd.Timedelta(days=3), 0.0, 1.0)
            fill += f * tr.containers / DEPOT["containers_per_pit"]
        filled = min(pits, DEPOT["filled_before"] + int(np.floor(fill)))
        here = trains[(trains["train_arrival"] <= t) & (trains["train_departure"] > t)]
        cars = int(sum(round(c / 2 * rng.uniform(0.5, 1.0)) for c in here["containers"]))
        pits_seen = max(0, pits + int(rng.integers(-2, 3)))
        filled_seen = int(np.clip(filled + int(rng.integers(-2, 3)), 0, pits_seen))
        notes = []
        if 0.0 < dug < 1.0:
            notes.append("fresh excavation: new pits")
        if cars:
            notes.append("train with containers on the depot siding")
        rows.append(dict(date=t, acq_id=f"SIM-HR_{t:%Y%m%dT%H%M%S}_TIK",
                         sensor="simulated very-high-resolution 0.5 m (SkySat/Maxar-like)",
                         pits_count=pits_seen, pits_filled=filled_seen,
                         railcars_with_containers=cars, cloud_cover=cloud,
                         analyst_note="simulated annotation: " + ("; ".join(notes) or "no change seen")))
    return pd.DataFrame(rows), trains
