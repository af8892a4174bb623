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
