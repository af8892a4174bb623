"""Claims 4, 5 and 6 from hand-made reconstructions and depot counts."""

import pandas as pd

from helpers.analysis import claims, containers
from tests.analysis.factories import (
    dark,
    depot_rows,
    h,
    reconstruct,
    shuttle_sightings,
    sighting,
    sightings,
)


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


DEPOT = [("2023-07-01", 60, 52, 0), ("2023-07-09", 68, 51, 0),      # 68: a one-off misread
         ("2023-07-13", 61, 52, 0), ("2023-07-20", 59, 53, 0), ("2023-07-27", 61, 52, 0),
         ("2023-08-18", 75, 52, 0), ("2023-08-25", 88, 51, 0), ("2023-09-01", 99, 53, 0),
         ("2023-09-05", 100, 58, 90), ("2023-09-20", 101, 70, 0), ("2023-09-28", 101, 78, 125)]
LOADING = pd.Timestamp("2023-08-14T03:00Z")


def test_a_rise_is_sustained_not_one_scene():
    d = depot_rows(DEPOT)
    when, bar = claims.sustained_rise(d["date"], d["pits_count"], d["pits_count"].iloc[:5])
    # baseline median 61, noise 1.48 x MAD 1 -> 4.4; margin max(3, 3.05, 4.4): above 65.4
    assert when == pd.Timestamp("2023-08-18", tz="UTC") and round(bar, 1) == 65.4
    # the 68 of 9 Jul alone is not a rise; nor are two scenes in a row
    two = depot_rows(DEPOT[:2] + [("2023-07-10", 70, 52, 0)] + DEPOT[2:5])
    assert pd.isna(claims.sustained_rise(two["date"], two["pits_count"], two["pits_count"])[0])


def test_claim6_depot_expansion_filling_and_train_on_the_day():
    depot = depot_rows(DEPOT)
    verdict, text = claims.claim6(depot, LOADING, "2023-09-28", 21)
    assert verdict == "supported"
    assert "pits 60.5 (median before 24 Jul 2023; a rise is 3 scenes in a row above 65)" in text   # not truncated
    assert "rising for good from 18 Aug 2023, +4 days" in text and "to 101" in text
    assert "filled pits 52 before, up to 78 after;" in text and "125 railcars" in text
    # no scene within a day of the claimed date: cannot be checked
    assert claims.claim6(depot.iloc[:-1], LOADING, "2023-09-28", 21)[0] == "insufficient data"
    # one clear scene that day with no train: a train may still have come that day
    no_train = depot.assign(railcars_with_containers=[0] * 8 + [90, 0, 0])
    assert claims.claim6(no_train, LOADING, "2023-09-28", 21)[0] == "insufficient data"
    # clear scenes a day apart around it, none with a train: the claim is contradicted
    bracket = depot_rows(DEPOT[:-1] + [("2023-09-27T12:00", 101, 78, 0), ("2023-09-28", 101, 78, 0),
                                       ("2023-09-29T12:00", 101, 78, 0)])
    assert claims.claim6(bracket, LOADING, "2023-09-28", 21)[0] == "not supported"
    # pits rising for good four weeks after the first loading: not "when shipments began"
    june = depot_rows([(f"2023-06-{d:02d}", 60 + d % 2, 52, 0) for d in (1, 8, 15, 22, 29)] + DEPOT[2:])
    verdict, text = claims.claim6(june, pd.Timestamp("2023-07-20T00:00Z"), "2023-09-28", 21)
    assert verdict == "not supported" and "rising for good from 18 Aug 2023, +29 days" in text
    # too few scenes before the shipments to know the level
    assert claims.claim6(depot.iloc[3:], LOADING, "2023-09-28", 21)[0] == "insufficient data"
    assert claims.claim6(None, LOADING, "2023-09-28", 21)[0] == "insufficient data"


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


def _dark(vessel, start, hours, cls):
    s = pd.Timestamp(start, tz="UTC")
    return {"vessel": vessel, "start_ts": s, "end_ts": s + pd.Timedelta(hours=hours), "hours": hours, "class": cls}


def test_claim3_tells_a_switched_off_ship_from_a_silence_it_cannot_explain():
    visits = pd.DataFrame({"vessel": ["ANGARA", "MARIA"], "port": ["Rajin", "Rajin"],
                           "first_seen": pd.to_datetime(["2023-08-15", "2023-08-22"], utc=True),
                           "last_seen": pd.to_datetime(["2023-08-16", "2023-08-23"], utc=True)})
    dark = pd.DataFrame([_dark("ANGARA", "2023-08-12 16:30", 1126.5, "likely-disabled"),
                         _dark("MARIA", "2023-07-17 22:30", 13.5, "likely-disabled"),
                         _dark("MARIA", "2023-08-20 18:00", 925.2, "reception")])
    verdict, text = claims.claim3(["ANGARA", "MARIA"], dark, visits, "Rajin", "Dunai", 14)
    # MARIA is silent from 20 Aug into the route, but the rule could not exclude poor reception:
    # neither supported nor refuted (it was "not supported" before)
    assert verdict == "insufficient data"
    assert "MARIA: AIS silent from 20 Aug 2023 18:00 UTC to 28 Sep 2023 (39 days)" in text
    assert "classed reception: poor reception cannot be excluded" in text
    assert "ANGARA: AIS silent from 12 Aug 2023 16:30 UTC" in text
    # both switched off: supported
    dark.loc[2, "class"] = "likely-disabled"
    assert claims.claim3(["ANGARA", "MARIA"], dark, visits, "Rajin", "Dunai", 14)[0] == "supported"
    # MARIA heard all along before the route (her only silence a month earlier): not supported
    verdict, text = claims.claim3(["ANGARA", "MARIA"], dark.iloc[:2], visits, "Rajin", "Dunai", 14)
    assert verdict == "not supported"
    assert "MARIA: no likely-disabled dark period starting within 14 days before" in text
    # weekly imagery: MARIA first seen on the route 19 days into a likely-disabled silence; the
    # route may have begun earlier, unseen, so "shortly before" is neither confirmed nor refuted
    late = visits.assign(first_seen=pd.to_datetime(["2023-08-15", "2023-09-09"], utc=True),
                         last_seen=pd.to_datetime(["2023-08-16", "2023-09-10"], utc=True))
    verdict, text = claims.claim3(["ANGARA", "MARIA"], dark, late, "Rajin", "Dunai", 14)
    assert verdict == "insufficient data"
    assert "likely disabled, but 19 days before that first observation" in text
    # a silence that ended before the route began does not count as going dark for it
    short = pd.DataFrame([_dark("ANGARA", "2023-08-12 16:30", 1126.5, "likely-disabled"),
                          _dark("MARIA", "2023-07-17 22:30", 13.5, "likely-disabled"),
                          _dark("MARIA", "2023-08-15 00:00", 20, "reception")])
    assert claims.claim3(["ANGARA", "MARIA"], short, visits, "Rajin", "Dunai", 14)[0] == "not supported"
