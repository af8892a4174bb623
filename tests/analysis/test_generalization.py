"""The reconstruction on other simulated worlds (seed + config reproducers from the robustness
study, benchmarks/validity.py): each generates a world with helpers.sim, runs steps 10-50 in
this process and asserts the study's targets with real values. About a minute or two each on
a shared machine: marked slow."""

from __future__ import annotations

import contextlib
import io

import pandas as pd
import pytest

from helpers.analysis import validation
from helpers.sim import config, scenario
from helpers.steps import claims, common, imagery, port_calls_and_gaps, tracks, trips


def run_world(tmp_path, seed: int, preset: str):
    cfg = config.load(preset)
    cfg["simulation"]["fast"] = True
    scenario.write_dataset(tmp_path, seed, cfg)
    with contextlib.redirect_stdout(io.StringIO()):
        P = common.start(tmp_path / "params.yaml")
        for step in (tracks, imagery, port_calls_and_gaps, trips, claims):
            step.run(P)
    truth = validation.load_truth(tmp_path / "truth")
    L = lambda name: common.load(P, name)  # noqa: E731
    scores = validation.summary(L("visits"), L("legs"), L("round_trips"), truth, L("sightings"),
                                P.t["min_id_confidence"], ["Rajin", "Dunai"], possible=L("possible_trips"))
    return P, truth, scores.set_index(["item", "vessel"]), L


@pytest.mark.slow
def test_short_stay_world_seed_1(tmp_path):
    """Stays of a few hours (config short-stay, seed 1): 14 true trips; the confirmed tier never
    overcounts, the at-most bound holds the truth for each ship, and no claim true in this world
    is judged 'not supported'."""
    P, truth, s, L = run_world(tmp_path, 1, "short-stay")
    assert len(truth["round_trips"]) == 14
    assert s.loc[("round_trips", "all"), "precision"] == 1.0
    b = L("trip_bounds").set_index("vessel")
    for vessel, n in truth["round_trips"].groupby("vessel").size().items():
        assert b.loc[vessel, "at_most"] >= n
    verdicts = L("claims").set_index("claim_id")["verdict"]
    assert "not supported" not in set(verdicts)
    assert isinstance(verdicts, pd.Series)
