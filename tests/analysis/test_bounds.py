"""Split visits, the upper bound, possible trips and negative observations."""

import pandas as pd

from helpers import schema
from helpers.analysis import bounds
from tests.analysis.factories import (
    dark,
    h,
    possible_case,
    reconstruct,
    scene,
    sighting,
    sightings,
    with_lengths,
)


def test_long_gap_at_one_port_splits_the_visit_and_raises_the_upper_bound():
    # Rajin at 0 h and again at 60 h: 60 h could hold an unobserved trip to Dunai and back
    # (quickest: 2 x 110 nm / 16 kn + 12 h dwell = 25.75 h); then a seen trip to Dunai (100 h)
    # and back (150 h). Gap at Rajin between 20 h and 24 h: too short, no split.
    sig = sightings([sighting(1, "ANGARA", "Rajin", 0, 100), sighting(2, "ANGARA", "Rajin", 60, 300),
                     sighting(3, "ANGARA", "Dunai", 100, 280), sighting(4, "ANGARA", "Rajin", 150, 5),
                     sighting(5, "ANGARA", "Rajin", 170, 0)])
    r = reconstruct(sig, dark=dark(-10, 400))
    v = r.visits
    assert list(v["port"]) == ["Rajin", "Rajin", "Dunai", "Rajin"]
    assert list(v["split"]) == [False, True, False, False] and list(v["n_obs"]) == [1, 1, 1, 2]
    assert len(r.legs) == 2 and len(r.round_trips) == 1          # no visit or leg invented
    b = r.bounds.set_index("vessel")
    assert b.loc["ANGARA", "round_trip_hours"] == 25.75
    # hidden trips: one in the 60 h gap (a second needs 25.75 + 12 + 25.75 = 63.5 h); none in
    # the 40 h Rajin -> Dunai leg (6.875 h + a trip 37.75 h = 44.6 h); one in the 50 h return
    # leg (Dunai -> Rajin -> Dunai -> Rajin: 3 x 6.875 h + 2 x 12 h = 44.6 h); plus the one seen.
    assert (b.loc["ANGARA", "at_least"], b.loc["ANGARA", "at_most"], b.loc["ANGARA", "split_visits"]) == (1, 3, 1)
    # without an AIS silence nothing can hide, and AIS-observed gaps do not raise the bound
    assert reconstruct(sig).bounds.set_index("vessel").loc["ANGARA", "at_most"] == 1


def test_upper_bound_counts_trips_hidden_in_a_long_leg():
    # Rajin 0 h -> Dunai 120 h holds Dunai, Rajin, Dunai, Rajin before the observed Dunai
    # (5 x 6.875 h + 4 x 12 h = 82.4 h; two more visits would need 120.1 h)
    sig = sightings([sighting(1, "MARIA", "Rajin", 0), sighting(2, "MARIA", "Dunai", 120),
                     sighting(3, "MARIA", "Rajin", 140)])
    r = reconstruct(sig, dark=dark(-10, 400, vessel="MARIA", mmsi=273000002))
    b = r.bounds.set_index("vessel")
    assert b.loc["MARIA", "at_least"] == 1
    # R(0) D R D R D(120) R(140): trips close at each R after a D: 3
    assert b.loc["MARIA", "at_most"] == 3
    assert b.loc["all", "at_most"] == 3


def test_a_length_matched_unidentified_detection_makes_a_possible_trip():
    r = with_lengths(possible_case(125.0), dark=dark(-10, 400))
    assert len(r.round_trips) == 1                       # possible trips never enter the confirmed ones
    p = r.possible
    assert list(p["trip_id"]) == ["ANGARA-PT1-20230827"] and list(p["sightings"]) == ["S009"]
    row = p.iloc[0]
    # leaves Rajin after 100 h; at Dunai from 100 + 110/16 = 106.875 h; must be back at Rajin by
    # 250 - 90/16 (to Vladivostok) - 12 (the stay) = 232.375 h, so leave Dunai by 225.5 h
    assert (row.start, row.end) == (h(100), h(232.375))
    assert (row.stay_earliest, row.stay_latest) == (h(106.875), h(225.5))
    assert row.evidence == "possible" and "125 m (ANGARA 120 m +/- 15 m)" in row.basis
    b = r.bounds.set_index("vessel")
    assert (b.loc["ANGARA", "at_least"], b.loc["ANGARA", "possible"]) == (1, 1)
    assert b.loc["ANGARA", "at_most"] >= 2
    # 150 m fits neither ship (ANGARA 120, MARIA 100, tolerance 15): nothing possible
    assert with_lengths(possible_case(150.0), dark=dark(-10, 400)).possible.empty
    # with AIS on (no dark period) nothing could hide
    assert with_lengths(possible_case(125.0)).possible.empty


def test_a_detection_another_ship_of_interest_explains_is_not_a_possible_trip():
    # 110 m fits ANGARA and MARIA; MARIA is identified at Dunai from 160 h to 180 h, not in that scene
    sig = possible_case(110.0)
    sig = sightings([*sig.to_dict("records"), sighting(10, "MARIA", "Dunai", 160), sighting(11, "MARIA", "Dunai", 180)])
    both = dark(-10, 400)
    both = schema.validate(pd.concat([both, dark(-10, 400, vessel="MARIA", mmsi=273000002)]), "dark_periods")
    assert with_lengths(sig, dark=both).possible.empty
    assert list(with_lengths(possible_case(110.0), dark=both).possible["sightings"]) == ["S009"]


def test_clear_scenes_without_the_ship_shrink_the_upper_bound():
    # the long-leg case above: Rajin 0 h -> Dunai 120 h -> Rajin 140 h allows 3 round trips;
    # clear 3 m scenes of Dunai every 10 h (5 h ... 115 h) with no ship of MARIA's length leave
    # no 12 h window for an unobserved stay at Dunai: only the observed trip remains
    sig = sightings([sighting(1, "MARIA", "Rajin", 0), sighting(2, "MARIA", "Dunai", 120),
                     sighting(3, "MARIA", "Rajin", 140)])
    other = sighting(4, None, "Dunai", 45, match="unidentified", conf="none")
    other["length_m"], other["acq_id"] = 150.0, "A104"          # a ship at Dunai, not of MARIA's length
    sig = sightings([*sig.to_dict("records"), other])
    cov = pd.DataFrame([scene(100 + k, "Dunai", 5 + 10 * k) for k in range(12)]
                       + [scene(200, "Dunai", 50, gsd=10.0), scene(201, "Dunai", 52, clear=False)])
    md = dark(-10, 400, vessel="MARIA", mmsi=273000002)
    r = with_lengths(sig, dark=md, coverage=cov)
    a = r.absences
    # 10 m and cloudy scenes rule nothing out; the scene with the 150 m ship does for both ships
    assert (a["vessel"] == "MARIA").sum() == 12 and "A104" in set(a["acq_id"])
    b = r.bounds.set_index("vessel")
    assert b.loc["MARIA", ["at_least", "at_most", "at_most_without_absences", "absences"]].tolist() == [1, 1, 3, 12]
    # a detection of MARIA's length in a scene makes it no negative observation
    fits = sighting(5, None, "Dunai", 45, match="unidentified", conf="none")
    fits["length_m"], fits["acq_id"] = 104.0, "A104"
    r2 = with_lengths(sightings([*sig.to_dict("records"), fits]), dark=md, coverage=cov)
    assert "A104" not in set(r2.absences.loc[r2.absences["vessel"] == "MARIA", "acq_id"])
    # one scene fewer (at 45 h) leaves a 20 h window at Dunai: one hidden trip fits again
    assert r2.bounds.set_index("vessel").loc["MARIA", "at_most"] == 2


def test_earliest_and_latest_stays_avoid_negative_observations():
    A = pd.Series([10.0, 20.0, 40.0]).to_numpy()
    assert bounds._earliest_start(A, 5.0, 12.0) == 20.0        # (10, 22) holds 20; (20, 32) is clear
    assert bounds._earliest_start(A, 21.0, 12.0) == 21.0
    assert bounds._latest_end(A, 45.0, 12.0) == 40.0           # (33, 45) holds 40; (28, 40) is clear
    assert bounds._latest_end(A, 19.0, 12.0) == 10.0
