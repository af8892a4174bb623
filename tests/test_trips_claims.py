"""Visits, legs, round trips and claims on small hand-made observations with known answers."""

import pandas as pd
import pytest

from helpers import schema
from helpers.analysis import bounds, claims, containers, trips

T0 = pd.Timestamp("2023-08-20T00:00:00Z")
DIST = {frozenset(("Rajin", "Dunai")): 110.0, frozenset(("Rajin", "Vladivostok")): 90.0,
        frozenset(("Dunai", "Vladivostok")): 40.0}


def dist(a, b):
    return DIST[frozenset((a, b))]


def h(x):
    return T0 + pd.Timedelta(hours=x)


def sighting(i, vessel, port, hours, containers=None, match="identified", conf="high"):
    return dict(sighting_id=f"S{i:03d}", acq_id=f"A{i}", datetime=h(hours), port=port, lat=0.0, lon=0.0,
                length_m=110.0, heading_deg=0.0, vessel=vessel, id_confidence=conf,
                containers=containers, analyst_note=None, match=match)


def sightings(rows):
    return schema.validate(pd.DataFrame(rows), "sightings")


def no_calls():
    return schema.empty("port_calls")


def no_dark():
    return schema.empty("dark_periods")


def dark(start_h, end_h, vessel="ANGARA", mmsi=273210440):
    """One dark period, every other column filled with a neutral value."""
    row = {c: 0.0 for c in schema.columns("dark_periods")}
    row.update(gap_id=f"g-{vessel}-{start_h}", mmsi=mmsi, vessel=vessel, start_ts=h(start_h), end_ts=h(end_h),
               hours=float(end_h - start_h), reason="r", rule="coastal", start_port=None, end_port=None,
               n_before=0, **{"class": "likely-disabled"})
    return schema.validate(pd.DataFrame([row]), "dark_periods")


def reconstruct(sig, calls=None, dark=None):  # noqa: F811
    return trips.reconstruct(calls if calls is not None else no_calls(), sig,
                             dark if dark is not None else no_dark(), None, vessels=["ANGARA", "MARIA"],
                             origin="Rajin", destination="Dunai", max_speed_kn=16, min_dwell_hours=12,
                             distance=dist)


def shuttle_sightings():
    # ANGARA: Rajin (0 h, 24 h) -> Dunai (48 h) -> Rajin (100 h) -> Dunai (150 h) -> Rajin (200 h)
    return sightings([
        sighting(1, "ANGARA", "Rajin", 0, 300), sighting(2, "ANGARA", "Rajin", 24, 200),
        sighting(3, "ANGARA", "Dunai", 48, 250), sighting(4, "ANGARA", "Rajin", 100, 280),
        sighting(5, "ANGARA", "Dunai", 150, 270), sighting(6, "ANGARA", "Rajin", 200, 10),
        sighting(7, None, "Dunai", 60, None, match="unidentified", conf="none"),
        sighting(8, "MARIA", "Rajin", 30, 5, match="low-confidence", conf="low"),
    ])


def test_visits_merge_consecutive_sightings_at_one_port():
    r = reconstruct(shuttle_sightings())
    v = r.visits
    assert list(v["port"]) == ["Rajin", "Dunai", "Rajin", "Dunai", "Rajin"]
    first = v.iloc[0]
    assert (first.first_seen, first.last_seen, first.n_obs, first.containers) == (h(0), h(24), 2, 300)
    assert first.visit_id == "ANGARA-Rajin-20230820T0000" and set(v["evidence"]) == {"imagery"}


def test_leg_bounds_speed_and_round_trips():
    r = reconstruct(shuttle_sightings())
    legs = r.legs
    assert len(legs) == 4
    leg = legs.iloc[0]
    assert (leg.origin, leg.destination, leg.route_nm) == ("Rajin", "Dunai", 110.0)
    assert leg.depart_earliest == h(24) and leg.arrive_latest == h(48)
    # 110 nm at 16 kn takes 6.875 h: departure no later than 41:07:30, arrival no earlier than 30:52:30
    assert leg.depart_latest == h(48 - 6.875) and leg.arrive_earliest == h(24 + 6.875)
    assert leg.required_speed_kn == pytest.approx(110 / 24, abs=0.01) and bool(leg.feasible)
    rt = r.round_trips
    assert list(rt["trip_id"]) == ["ANGARA-RT1-20230821", "ANGARA-RT2-20230824"]
    assert rt.iloc[0].start == h(24) and rt.iloc[0].end == h(100)
    assert rt.iloc[1].start == h(100) and rt.iloc[1].end == h(200)


def test_infeasible_leg_is_flagged_and_breaks_the_round_trip():
    sig = sightings([sighting(1, "MARIA", "Rajin", 0), sighting(2, "MARIA", "Dunai", 5),   # 110 nm in 5 h
                     sighting(3, "MARIA", "Rajin", 40)])
    r = reconstruct(sig)
    assert list(r.legs["feasible"]) == [False, True]
    assert r.legs.iloc[0].required_speed_kn == 22.0
    assert r.round_trips.empty


def test_ais_port_calls_and_dark_legs():
    calls = schema.validate(pd.DataFrame([
        dict(call_id="c1", mmsi=273210440, vessel="ANGARA", port="Vladivostok", arrival=h(-100),
             departure=h(-50), n_positions=40, evidence="ais")]), "port_calls")
    r = reconstruct(shuttle_sightings(), calls, dark(-45, 300))
    first = r.legs.iloc[0]
    # dark, from the last AIS port call to the first sighting: inferred, not imagery-confirmed
    assert (first.origin, first.destination, bool(first.dark), first.evidence) == (
        "Vladivostok", "Rajin", True, "inferred")
    assert r.visits.iloc[0].evidence == "ais"
    # dark legs with a sighting at both ends are imagery-confirmed; so are their round trips
    assert list(r.legs["evidence"][1:]) == ["imagery"] * 4 and set(r.round_trips["evidence"]) == {"imagery"}
    # without any silence the same legs count as AIS-observed
    assert set(reconstruct(shuttle_sightings(), calls).legs["evidence"]) == {"ais"}


def test_claims_4_and_5_from_container_counts():
    r = reconstruct(shuttle_sightings())
    moves = claims.delivered(r, "Rajin", "Dunai", h(1000))
    assert list(moves["at_origin"]) == [300, 280] and list(moves["at_destination"]) == [250, 270]
    verdict4, text4 = claims.claim4(moves)
    assert verdict4 == "supported" and text4.startswith("2 of 2")
    verdict5, text5 = claims.claim5(moves, 1000, 0.8)
    # counted 520 at unloading; ceil(250 / 0.8) + ceil(270 / 0.8) = 313 + 338 = 651 on these legs
    # (the containers table's range): below the claim, but unobserved legs may exist, so a lower
    # bound cannot refute it
    assert verdict5 == "insufficient data" and "520 (lower bound); up to 651 " in text5
    only_loading = moves.assign(at_destination=[250, None])     # unloading of leg 2 not seen
    assert "up to 663 " in claims.claim5(only_loading, 1000, 0.8)[1]   # 313 + ceil(280 / 0.8)
    assert claims.claim5(moves, 500, 0.8)[0] == "supported"
    assert claims.claim5(moves, 600, 0.8)[0] == "insufficient data"


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


def test_containers_per_stay_with_range_and_cumulative():
    r = reconstruct(shuttle_sightings())
    c = containers.containers(r.visits, origin="Rajin", destination="Dunai", visibility=0.8)
    assert list(c["activity"]) == ["loaded", "delivered", "loaded", "delivered"]
    assert list(c["counted"]) == [300, 250, 280, 270] and list(c["low"]) == [300, 250, 280, 270]
    assert list(c["high"]) == [375, 313, 350, 338]                 # ceil(counted / 0.8)
    d = c[c["port"] == "Dunai"]
    assert list(d["cumulative_low"]) == [250, 520] and list(d["cumulative_high"]) == [313, 651]
    assert list(c.columns) == ["vessel", "port", "visit_id", "datetime", "activity", "counted", "low", "high",
                               "cumulative_low", "cumulative_high"]
    # the last Rajin stay (10 containers) starts no loaded leg: not counted
    assert c["datetime"].max() == h(150)


def depot_rows(rows):
    return schema.validate(pd.DataFrame([dict(date=pd.Timestamp(d, tz="UTC"), acq_id=f"D{i}", sensor="s",
                                              pits_count=p, pits_filled=f, railcars_with_containers=cars,
                                              cloud_cover=0.0, analyst_note=None)
                                         for i, (d, p, f, cars) in enumerate(rows)]), "depot")


def test_claim6_depot_expansion_filling_and_train_on_the_day():
    depot = depot_rows([("2023-07-01", 60, 52, 0), ("2023-07-20", 61, 52, 0), ("2023-08-18", 75, 52, 0),
                        ("2023-09-05", 100, 53, 90), ("2023-09-20", 101, 70, 0), ("2023-09-28", 101, 78, 125)])
    verdict, text = claims.claim6(depot, pd.Timestamp("2023-08-14T03:00Z"), "2023-09-28", 21)
    assert verdict == "supported"
    assert "pits 60" in text and "first seen growing 18 Aug 2023, +4 days" in text and "to 101" in text
    assert "filled pits 52 before, up to 78 after" in text and "125 railcars" in text
    # no scene within a day of the claimed date: cannot be checked
    assert claims.claim6(depot.iloc[:-1], pd.Timestamp("2023-08-14T03:00Z"), "2023-09-28", 21)[0] == "insufficient data"
    # a clear scene that day with no train: the claim is contradicted
    no_train = depot.assign(railcars_with_containers=[0, 0, 0, 90, 0, 0])
    assert claims.claim6(no_train, pd.Timestamp("2023-08-14T03:00Z"), "2023-09-28", 21)[0] == "not supported"
    assert claims.claim6(None, pd.Timestamp("2023-08-14T03:00Z"), "2023-09-28", 21)[0] == "insufficient data"


def test_split_visits_still_count_the_whole_stay_for_claims():
    # Dunai at 48 h (98 containers) and again at 96 h (301): split (48 h > 25.75 h), one stay
    sig = sightings([sighting(1, "ANGARA", "Rajin", 0, 300), sighting(2, "ANGARA", "Dunai", 48, 98),
                     sighting(3, "ANGARA", "Dunai", 96, 301), sighting(4, "ANGARA", "Rajin", 130, 10)])
    r = reconstruct(sig, dark=dark(-10, 400))
    assert list(r.visits["split"]) == [False, False, True, False]
    moves = claims.delivered(r, "Rajin", "Dunai", h(1000))
    assert list(moves["at_origin"]) == [300] and list(moves["at_destination"]) == [301]
    c = containers.containers(r.visits, origin="Rajin", destination="Dunai", visibility=0.8)
    assert list(c["counted"]) == [300, 301] and c["visit_id"].iloc[1] == "ANGARA-Dunai-20230824T0000"


# --- possible trips and negative observations ---------------------------------------------

LENGTHS = {"ANGARA": 120.0, "MARIA": 100.0}


def scene(i, port, hours, gsd=3.0, clear=True):
    return dict(port=port, acq_id=f"A{i}", datetime=h(hours), gsd_m=gsd, cloud_cover=0.0, clear=clear,
                whole_fence=True)


def with_lengths(sig, dark=None, coverage=None):  # noqa: F811
    return trips.reconstruct(no_calls(), sig, dark if dark is not None else no_dark(), None,
                             vessels=["ANGARA", "MARIA"], origin="Rajin",
                             destination="Dunai", max_speed_kn=16, min_dwell_hours=12, distance=dist,
                             coverage=coverage, lengths=LENGTHS, length_tolerance_m=15, absence_max_gsd_m=3)


def possible_case(length):
    # ANGARA: a confirmed trip Rajin (0 h) -> Dunai (48 h) -> Rajin (100 h), then next seen at
    # Vladivostok (250 h); at Dunai at 170 h an unidentified ship of `length` m
    cand = sighting(9, None, "Dunai", 170, match="unidentified", conf="none")
    cand["length_m"] = length
    return sightings([sighting(1, "ANGARA", "Rajin", 0), sighting(2, "ANGARA", "Dunai", 48),
                      sighting(3, "ANGARA", "Rajin", 100), sighting(4, "ANGARA", "Vladivostok", 250), cand])


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
