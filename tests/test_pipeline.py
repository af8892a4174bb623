"""The whole analysis on the bundled reference scenario, scored against its ground truth.

One pipeline run (papermill, all notebooks) into a temporary output directory, shared by the
tests below. The numbers asserted here are the ones the README quotes.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import params, paths, pipeline, report, steps
from helpers.analysis import bounds, validation

pytestmark = pytest.mark.slow

# Imagery reveals 6 of the 7 true round trips (README, "The reference scenario").
TRUE_TRIPS = {"ANGARA": 4, "MARIA": 3}
REVEALABLE = {"ANGARA": 3, "MARIA": 3}
DARK_START_TOLERANCE_H = 3.0


# The `run` fixture (one pipeline run into a temporary folder) lives in conftest.py.


def test_round_trips_equal_what_the_imagery_can_reveal(run):
    truth = validation.load_truth()
    assert truth["round_trips"].groupby("vessel").size().to_dict() == TRUE_TRIPS
    oracle = validation.revealable(truth, run.read("sightings"), run.P.t["min_id_confidence"])
    assert oracle[oracle["revealable"]].groupby("vessel").size().to_dict() == REVEALABLE
    rts = run.read("round_trips")
    assert rts.groupby("vessel").size().to_dict() == REVEALABLE
    scores = validation.score_round_trips(rts, oracle).set_index("vessel")
    assert scores.loc["all", "precision"] == 1.0 and scores.loc["all", "recall_revealable"] == 1.0
    # every reconstructed trip contains exactly one true trip, inside the claimed period
    assert (rts["end"] <= pd.Timestamp("2023-10-14T23:59:59Z")).all()


def test_start_of_darkness_within_tolerance_of_truth(run):
    err = validation.dark_start_error(run.read("dark_periods"), validation.load_truth()["ais_switches"])
    assert list(err["vessel"]) == ["ANGARA", "MARIA"]
    assert (err["error_hours"].abs() <= DARK_START_TOLERANCE_H).all(), err
    assert (err["error_hours"] <= 0).all()          # the last position heard precedes the switch-off
    assert set(err["detected_class"]) == {"likely-disabled"}


def test_every_ais_row_is_accounted_for(run):
    qa = run.read("qa_ais").set_index("source")
    assert list(qa.index) == ["coastal_receivers_2023.nmea", "SIMULATED_provider_export_2023.csv", "total"]
    assert (qa["positions_read"] == qa["kept"] + qa["rejected_positions"] + qa["duplicates"]).all()
    assert (qa["rows_read"] == qa["kept"] + qa["rejected"] + qa["duplicates"] + qa["static"] + qa["skipped"]).all()
    assert qa.loc["total", "kept"] == len(run.read("positions"))
    assert qa.loc["total", "duplicates"] > 0            # both feeds heard some of the same messages


def test_tracks_follow_water(run):
    """No simulated position, observed or true, lies on land (GSHHG coastline)."""
    from helpers import geo
    land = geo.load_land(run.P.input("coastline"))
    pos = run.read("positions")
    assert not geo.on_land(pos["lon"].to_numpy(), pos["lat"].to_numpy(), land).any()
    true = pd.read_csv(paths.TRUTH / "tracks_of_interest_hourly.csv")
    assert len(true) > 4000 and not geo.on_land(true["lon"].to_numpy(), true["lat"].to_numpy(), land).any()


def test_claims_verdicts(run):
    claims = run.read("claims").set_index("claim_id")
    assert claims["verdict"].to_dict() == {1: "supported", 2: "supported", 3: "supported",
                                           4: "supported", 5: "supported", 6: "supported"}
    assert "at least 6 round trips" in claims.loc[2, "evidence"]
    assert "1,336 (lower bound)" in claims.loc[5, "evidence"]
    assert "125 railcars with containers within a day of 28 Sep 2023" in claims.loc[6, "evidence"]


def test_bounds_containers_and_validation_scores(run):
    b = run.read("trip_bounds").set_index("vessel")
    assert b[["at_least", "possible", "at_most"]].to_dict("index") == {
        "ANGARA": {"at_least": 3, "possible": 1, "at_most": 18}, "MARIA": {"at_least": 3, "possible": 0, "at_most": 19},
        "all": {"at_least": 6, "possible": 1, "at_most": 37}}
    # negative observations: every fine scene is taken 00-05 UTC, so a 12 h stay always fits
    # between two of them and the upper bound does not move (notebook 40 shows longer stays)
    assert (b.loc["all", "absences"], b.loc["all", "at_most_without_absences"]) == (330, 37)
    cont = run.read("containers")
    dunai = cont[cont["port"] == "Dunai"]
    assert (len(dunai), dunai["cumulative_low"].max(), dunai["cumulative_high"].max()) == (6, 1336, 1673)
    legs = run.read("legs")
    assert legs.groupby("evidence").size().to_dict() == {"ais": 51, "imagery": 12, "inferred": 5}
    v = pd.read_csv(run.P.processed("validation.csv")).set_index(["item", "vessel"])
    got = {i: tuple(v.loc[(i, "all"), ["n_truth", "n_reconstructed", "n_found", "precision", "recall"]])
           for i in ("port_calls", "legs", "round_trips", "round_trips_revealable")}
    assert got == {"port_calls": (16, 33, 14, 1.0, 0.875), "legs": (14, 12, 12, 1.0, 0.857),
                   "round_trips": (7, 6, 6, 1.0, 0.857), "round_trips_revealable": (6, 6, 6, 1.0, 1.0)}
    # the possible tier: ANGARA's fourth trip, from the low-confidence 124 m ship at Dunai on 24 Sep
    assert tuple(v.loc[("round_trips_possible", "all"), ["n_reconstructed", "n_correct", "n_found"]]) == (1, 1, 1)
    assert tuple(v.loc[("round_trips_with_possible", "all"), ["n_truth", "n_reconstructed", "n_found",
                                                              "precision", "recall"]]) == (7, 7, 7, 1.0, 1.0)
    timing = pd.read_csv(run.P.processed("validation_leg_timing.csv"))
    assert len(timing) == 12 and timing["depart_in_window"].all() and timing["arrive_in_window"].all()
    sens = run.read("sensitivity").set_index(["gap_hours", "cloud_prob", "revisit_days"])
    assert len(sens) == 72
    assert tuple(sens.loc[(12.0, 0.0, 1), ["n_truth", "n_reconstructed", "precision", "recall"]]) == (7, 6, 1.0, 0.857)
    assert sens.loc[(12.0, 0.0, 2), "recall"] == 0.286 and sens.loc[(12.0, 0.0, 5), "recall"] == 0.0
    with_possible = ["n_possible", "precision_with_possible", "recall_with_possible"]
    assert tuple(sens.loc[(12.0, 0.0, 1), with_possible]) == (1, 1.0, 1.0)
    assert sens.loc[(12.0, 0.0, 5), "recall_with_possible"] == 0.143


def test_possible_trips_and_negative_observations_against_truth(run):
    possible = run.read("possible_trips")
    assert list(possible["trip_id"]) == ["ANGARA-PT1-20230924"]
    assert list(possible["sightings"]) == ["S20230924-DUN-664"]
    p = possible.iloc[0]
    assert (p.start, p.end) == (pd.Timestamp("2023-09-21T04:15:35Z"), pd.Timestamp("2023-09-26T14:58:16Z"))
    # no negative observation (a clear scene without a ship of the vessel's length) falls
    # inside a true visit of that vessel to that port
    P = run.P
    absent = bounds.absences(run.read("coverage"), run.read("sightings"), steps.common.lengths(P),
                             ports=["Rajin", "Dunai"], tolerance_m=P.t["sighting_length_tolerance_m"],
                             max_gsd_m=P.t["absence_max_gsd_m"])
    tv = validation.load_truth()["port_visits"]
    m = absent.merge(tv, on=["vessel", "port"])
    assert len(absent) == 330 and not ((m["datetime"] >= m["arrival"]) & (m["datetime"] <= m["departure"])).any()


def test_route_legs_are_feasible_and_dark(run):
    legs = run.read("legs")
    route = legs[legs["origin"].isin(["Rajin", "Dunai"]) & legs["destination"].isin(["Rajin", "Dunai"])]
    assert len(route) >= 12 and route["feasible"].all() and route["dark"].all()
    assert set(route["route_nm"]) == {106.0}
    assert (route["depart_earliest"] <= route["depart_latest"]).all()
    assert (route["arrive_earliest"] <= route["arrive_latest"]).all()


def test_figures_and_report_are_written_and_labelled(run):
    figs = run.out / "figures"
    for name in ("fig01_route_map", "fig02_timeline"):
        for ext in (".png", ".svg", ".alt.txt"):
            assert (figs / f"{name}{ext}").stat().st_size > 0
        assert "simulated reference scenario" in (figs / f"{name}.svg").read_text(encoding="utf-8")
    html = (run.out / "build" / "report.html").read_text(encoding="utf-8")
    assert "simulated reference scenario" in html and 'src="report_files/fig01_route_map.png"' in html
    assert report.external_refs(html) == [] and "<script" not in html
    assert all((run.out / "build" / ref).is_file() for ref in report.local_refs(html))
    assert '<section id="truth"' in html and "Findings in the simulation" in html
    # the committed figures are the default run's, byte for byte
    for f in ("fig01_route_map.svg", "fig02_timeline.svg"):
        assert (figs / f).read_bytes() == (paths.FIGURES / f).read_bytes(), f


def test_without_imagery_the_analysis_runs_on_ais_alone(tmp_path):
    out = {"processed": str(tmp_path / "p"), "figures": str(tmp_path / "f"), "build": str(tmp_path / "b")}
    overrides = {"inputs": {"acquisitions": None, "sightings": None}, "outputs": out}
    pipeline.run(overrides=overrides, only=["10", "20", "30", "40", "50"])
    P = params.load(overrides=overrides)
    assert steps.common.load(P, "sightings").empty and steps.common.load(P, "round_trips").empty
    verdicts = steps.common.load(P, "claims").set_index("claim_id")["verdict"].to_dict()
    # AIS alone shows no route history (claim 1) but cannot see the dark shuttle (claims 2-5)
    assert verdicts == {1: "supported", 2: "insufficient data", 3: "insufficient data",
                        4: "insufficient data", 5: "insufficient data", 6: "insufficient data"}
