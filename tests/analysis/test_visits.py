"""Visits, legs and confirmed round trips from hand-made observations."""

import pandas as pd
import pytest

from helpers import schema
from tests.analysis.factories import (
    dark,
    h,
    reconstruct,
    shuttle_sightings,
    sighting,
    sightings,
)


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
