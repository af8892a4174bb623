"""The sensitivity sweep split over forked processes gives the table of one
`validation.sensitivity` call on all the positions (the reference), row for row."""

from __future__ import annotations

import pandas as pd

from helpers import steps
from helpers.analysis import validation
from helpers.steps.common import load, load_ports, names
from helpers.steps.trips import options as trips_options

SMALL = {"gap_hours": (6.0, 24.0), "revisit_days": (1, 3), "cloud_probs": (0.0, 0.5)}


def test_parallel_sweep_equals_one_call(run):
    P = run.P
    truth = validation.load_truth(P.input("truth"))
    kw = trips_options(P)
    kw.update(names=names(P), start=P.start, min_confidence=P.t["min_id_confidence"], **SMALL)
    want = validation.sensitivity(load(P, "port_calls"), load(P, "sightings"), load(P, "positions"),
                                  load_ports(P), truth, **kw)
    for workers in (2, 1):                                   # forked, and in this process
        got = steps.validation.sensitivity(P, truth, workers=workers, **SMALL)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert len(want) == 8


def test_reused_visits_give_the_reconstruction_of_each_gap_threshold(run):
    """The grid computes visits and negative observations once per imagery cell and reuses them
    for every gap threshold (`trips.observed` passed as `seen`): each reconstruction is the one
    `trips.reconstruct` makes from scratch, table for table."""
    from helpers.analysis import gaps, trips, visits

    P = run.P
    kw = trips_options(P)
    ports, land = load_ports(P), kw.pop("land")
    sightings = validation.thin_sightings(load(P, "sightings"), revisit_days=3, cloud_prob=0.5, start=P.start)
    coverage = validation.thin_coverage(kw["coverage"], load(P, "sightings"), revisit_days=3, cloud_prob=0.5,
                                        start=P.start)
    kw["coverage"] = coverage
    dist = visits.distance_fn(ports, None, land)
    seen = trips.observed(load(P, "port_calls"), sightings, distance=dist,
                          **{k: v for k, v in kw.items() if k != "tracked"})
    n_legs = []
    for hours in (6.0, 24.0):
        g = gaps.find_gaps(load(P, "positions"), hours)
        g["vessel"] = g["mmsi"].map(names(P))
        fresh = trips.reconstruct(load(P, "port_calls"), sightings, g, ports, distance=dist, **kw)
        reused = trips.reconstruct(load(P, "port_calls"), sightings, g, ports, distance=dist, seen=seen, **kw)
        for table in ("visits", "legs", "round_trips", "bounds", "possible", "absences"):
            pd.testing.assert_frame_equal(getattr(reused, table), getattr(fresh, table), check_exact=True)
        n_legs.append(int(fresh.legs["dark"].sum()))
    assert len(fresh.visits) > 20 and n_legs[0] > n_legs[1] > 0    # the thresholds change the dark legs


def test_figures_drawn_in_forked_processes_are_the_same_files(run, tmp_path):
    """steps.figures.draw with two workers (helpers.steps.parallel.fork_map) writes the files one
    process writes, byte for byte, and returns the same table in the same order."""
    from helpers import params

    names = ["fig02_timeline", "fig05_containers", "fig03_ais_activity"]
    tables = []
    for workers in (1, 2):
        P = params.load(run.P.path, overrides={"outputs": {
            "processed": str(run.out / "processed"), "build": str(run.out / "build"),
            "figures": str(tmp_path / f"w{workers}")}})
        tables.append(steps.figures.draw(names, P, workers=workers))
    pd.testing.assert_frame_equal(tables[0], tables[1])
    assert tables[0]["figure"].tolist() == names
    one = sorted(p.name for p in (tmp_path / "w1").iterdir())
    assert one == sorted(p.name for p in (tmp_path / "w2").iterdir()) and len(one) >= 12
    assert [n for n in one if (tmp_path / "w1" / n).read_bytes() != (tmp_path / "w2" / n).read_bytes()] == []
