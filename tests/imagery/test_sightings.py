"""helpers.imagery.sightings (and writers.write_sightings): the sightings CSV and GeoJSON, rejects
with reasons, and the check against the acquisitions."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from helpers import imagery
from helpers.errors import InputError
from helpers.schema import columns
from tests.imagery.factories import acquisitions, sightings

HEADER = ",".join(imagery.SIGHTINGS_CSV_COLUMNS)
ROWS = [
    "s1,20230901_012345_24_2427,2023-09-01T01:23:45Z,Rajin,42.24,130.30,98.5,45,ANGARA,high,12,",
    "s2,20230901_012345_24_2427,yesterday,Rajin,42.24,130.30,98,,MARIA,medium,,bad time",
    "s3,S2B_MSIL2A_20230903T020000,2023-09-03T02:00:00Z,Dunai,95,132.35,,,,none,,lat typo",
    's4,S2B_MSIL2A_20230903T020000,2023-09-03T02:00:00Z,Dunai,42.89,132.35,120,,,,,"quay, 40 boxes"',
]


def _csv(tmp_path, rows=ROWS, header=HEADER) -> Path:
    path = tmp_path / "x.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def test_read_sightings_checked_rejects_bad_rows(tmp_path):
    kept, rejects = imagery.read_sightings_checked(_csv(tmp_path))
    assert len(kept) + len(rejects) == len(ROWS)
    assert list(kept.columns) == columns("sightings")
    assert list(rejects.columns) == columns("rejects")
    assert kept["sighting_id"].tolist() == ["s1", "s4"]
    assert rejects["locator"].tolist() == ["x.csv:row 2", "x.csv:row 3"]
    assert rejects["source"].tolist() == ["x.csv", "x.csv"]
    assert "unparseable datetime 'yesterday'" in rejects["reason"].iloc[0]
    assert rejects["reason"].iloc[1] == "lat 95 outside -90..90"
    assert rejects["raw"].iloc[1] == ROWS[2]

    s1, s4 = kept.iloc[0], kept.iloc[1]
    assert s1["datetime"] == pd.Timestamp("2023-09-01T01:23:45Z")
    assert s1["vessel"] == "ANGARA" and s1["containers"] == 12 and s1["heading_deg"] == 45.0
    assert pd.isna(s1["analyst_note"]) and kept["match"].isna().all()
    assert pd.isna(s4["vessel"]) and s4["id_confidence"] == "none"
    assert pd.isna(s4["containers"]) and s4["analyst_note"] == "quay, 40 boxes"

    assert imagery.read_sightings(_csv(tmp_path))["sighting_id"].tolist() == ["s1", "s4"]


def test_read_sightings_other_row_problems(tmp_path):
    rows = [ROWS[0].replace("high", "certain"),
            ROWS[0].replace("s1,", "s1b,").replace("01:23:45Z", "01:23:45"),
            ROWS[0], ROWS[3]]
    kept, rejects = imagery.read_sightings_checked(_csv(tmp_path, rows))
    assert kept["sighting_id"].tolist() == ["s4"]
    assert "unknown id_confidence 'certain'" in rejects["reason"].iloc[0]
    assert "has no time zone" in rejects["reason"].iloc[1]
    # row 3 repeats s1 (row 1 was rejected, but the id is still taken)
    assert rejects["locator"].tolist() == ["x.csv:row 1", "x.csv:row 2", "x.csv:row 3"]
    assert rejects["reason"].iloc[2] == "duplicate sighting_id s1"


def test_read_sightings_missing_column(tmp_path):
    header = HEADER.replace("id_confidence", "confidence")
    with pytest.raises(InputError) as err:
        imagery.read_sightings(_csv(tmp_path, header=header))
    assert err.value.field == "id_confidence" and err.value.file.endswith("x.csv")


def test_write_sightings_round_trip_and_bytes(tmp_path):
    kept = imagery.read_sightings(_csv(tmp_path))
    out = imagery.write_sightings(kept.iloc[::-1], tmp_path / "out.csv")
    text = out.read_text()
    assert text.splitlines()[0] == HEADER
    assert text.splitlines()[1] == \
        "s1,20230901_012345_24_2427,2023-09-01T01:23:45Z,Rajin,42.24,130.3,98.5,45.0,ANGARA,high,12,"
    again = imagery.read_sightings(out)
    pd.testing.assert_frame_equal(again, kept)
    imagery.write_sightings(again, tmp_path / "out2.csv")
    assert (tmp_path / "out2.csv").read_bytes() == out.read_bytes()


def test_check_sightings(tmp_path):
    s = sightings([
        ("ok", "20230901_012345_24_2427", "2023-09-01T01:30:00Z", "Rajin", 42.24, 130.30,
         "ANGARA", "high"),
        ("edge", "20230901_012345_24_2427", "2023-09-01T01:23:45Z", "Rajin", 42.3, 130.2,
         None, "none"),
        ("out", "20230901_012345_24_2427", "2023-09-01T01:23:45Z", "Dunai", 42.89, 132.35,
         None, "none"),
        ("ghost", "NO_SUCH_SCENE", "2023-09-01T01:23:45Z", "Rajin", 42.24, 130.30,
         None, "none"),
        ("late", "20230902_013000_10_241c", "2023-09-02T02:15:00Z", "Dunai", 42.89, 132.35,
         "MARIA", "high"),
    ])
    kept, rejects = imagery.check_sightings(s, acquisitions(), max_minutes=30)
    assert kept["sighting_id"].tolist() == ["ok", "edge"]
    assert dict(zip(rejects["locator"], rejects["reason"])) == {
        "sightings:out": "outside footprint",
        "sightings:ghost": "unknown acquisition NO_SUCH_SCENE",
        "sightings:late": "time differs from acquisition by 45 min",
    }
    kept60, _ = imagery.check_sightings(s, acquisitions(), max_minutes=60)
    assert "late" in kept60["sighting_id"].tolist()


def test_geojson_sightings_read_like_csv(tmp_path):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [130.30, 42.24]},
         "properties": {"sighting_id": "g1", "acq_id": "20230901_012345_24_2427",
                        "datetime": "2023-09-01T01:23:45Z", "port": "Rajin", "length_m": 118,
                        "heading_deg": 45, "vessel": "ANGARA", "id_confidence": "high",
                        "containers": 12, "analyst_note": None}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [132.35, 42.89]},
         "properties": {"sighting_id": "g2", "acq_id": "S2B_MSIL2A_20230903T020000",
                        "datetime": "2023-09-03T02:00:00Z", "port": "Dunai",
                        "id_confidence": "none"}},
    ]}
    path = tmp_path / "s.geojson"
    path.write_text(json.dumps(doc))
    kept, rejects = imagery.read_sightings_checked(path)
    assert kept["sighting_id"].tolist() == ["g1", "g2"] and rejects.empty
    assert kept["lon"].tolist() == [130.30, 132.35] and kept["lat"].tolist() == [42.24, 42.89]
    assert kept["containers"].iloc[0] == 12 and pd.isna(kept["containers"].iloc[1])
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
         "properties": {}}]}))
    with pytest.raises(InputError) as err:
        imagery.read_sightings(bad)
    assert err.value.field == "geometry"
