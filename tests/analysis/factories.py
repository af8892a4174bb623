"""Hand-made sightings, dark periods and scenes for the trip, bound and claim tests."""

import pandas as pd

from helpers import schema
from helpers.analysis import trips

DIST = {frozenset(("Rajin", "Dunai")): 110.0, frozenset(("Rajin", "Vladivostok")): 90.0,
        frozenset(("Dunai", "Vladivostok")): 40.0}

T0 = pd.Timestamp("2023-08-20T00:00:00Z")


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


def depot_rows(rows):
    return schema.validate(pd.DataFrame([dict(date=pd.Timestamp(d, tz="UTC"), acq_id=f"D{i}", sensor="s",
                                              pits_count=p, pits_filled=f, railcars_with_containers=cars,
                                              cloud_cover=0.0, analyst_note=None)
                                         for i, (d, p, f, cars) in enumerate(rows)]), "depot")


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
