"""helpers.imagery.matching: identification confidence, berth and length checks."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from helpers import imagery
from helpers.errors import InputError
from tests.imagery.factories import sightings


def test_match_sightings_labels_four_cases():
    s = sightings([
        ("a", "x", "2023-09-01T01:00:00Z", "Rajin", 42.24, 130.3, "Angara", "medium"),
        ("b", "x", "2023-09-01T01:00:00Z", "Rajin", 42.24, 130.3, "MARIA", "low"),
        ("c", "x", "2023-09-01T01:00:00Z", "Rajin", 42.24, 130.3, "SEVASTOPOL", "high"),
        ("d", "x", "2023-09-01T01:00:00Z", "Rajin", 42.24, 130.3, None, "none"),
    ])
    s.loc[1, "analyst_note"] = "stern only"
    m = imagery.match_sightings(s, vessels_of_interest=["ANGARA", "MARIA"])
    assert m["match"].tolist() == ["identified", "low-confidence", "other vessel",
                                   "unidentified"]
    assert m["vessel"].iloc[0] == "ANGARA"
    assert pd.isna(m["vessel"].iloc[1])
    assert m["analyst_note"].iloc[1] == "analyst id: MARIA (low); stern only"
    assert m["vessel"].iloc[2] == "SEVASTOPOL" and pd.isna(m["vessel"].iloc[3])
    assert len(m) == 4

    strict = imagery.match_sightings(s, vessels_of_interest=["ANGARA", "MARIA"],
                                     min_confidence="high")
    assert strict["match"].tolist()[:2] == ["low-confidence", "low-confidence"]
    assert strict["analyst_note"].iloc[0] == "analyst id: Angara (medium)"
    with pytest.raises(InputError):
        imagery.match_sightings(s, vessels_of_interest=["ANGARA"], min_confidence="sure")


def test_match_checks_berth_and_length_keeps_unidentified():
    s = sightings([
        ("ok", "x", "2023-09-01T01:00:00Z", "Rajin", 42.24, 130.30, "ANGARA", "high"),
        ("long", "x", "2023-09-01T01:00:00Z", "Rajin", 42.24, 130.30, "MARIA", "high"),
        ("afloat", "x", "2023-09-01T01:00:00Z", "Rajin", 42.10, 130.60, "ANGARA", "high"),
        ("anon", "x", "2023-09-01T01:00:00Z", "Rajin", 42.24, 130.30, None, "none"),
    ])
    s["length_m"] = [125.0, 130.0, 120.0, 101.0]
    fences = gpd.GeoDataFrame({"port": ["Rajin"]}, geometry=[shapely.box(130.2, 42.2, 130.4, 42.3)],
                              crs="EPSG:4326")
    m = imagery.match_sightings(s, vessels_of_interest=["ANGARA", "MARIA"],
                                lengths={"ANGARA": 120, "MARIA": 100}, length_tolerance_m=15,
                                ports=fences)
    assert m["match"].tolist() == ["identified", "length mismatch", "not at berth", "unidentified"]
    assert m["vessel"].tolist()[0] == "ANGARA" and m["vessel"].iloc[1:].isna().all()
    assert m["analyst_note"].iloc[1] == "analyst id: MARIA (high); length 130 m vs 100 m (tolerance 15 m)"
    assert m["analyst_note"].iloc[2] == "analyst id: ANGARA (high); position outside the Rajin geofence"
    assert m["analyst_note"].iloc[3] == "length fits MARIA"
