"""Tests of the named CSV layouts (helpers.ais.providers) on files written by the tests or
invented (`tests/fixtures/ais/synthetic_*.csv`), for what no real file shows: damaged rows, base
station rows, "not available" values, knots versus tenths; and chunked reading that gives the
same result as reading at once. The real exports are tested in test_real_exports.py."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import ais
from helpers.ais import writers
from helpers.errors import InputError
from tests.factories import (
    AIS_FIXTURES,
    ANGARA,
    MARIA,
    MC_HEADER,
    TWO_VESSELS,
    assert_qa_identity,
    two_vessel_positions,
    write_text_lines,
)


def test_marinecadastre_reader(tmp_path):
    rows = [
        f"{ANGARA},2023-08-01T00:00:00,42.34568,130.39260,11.3,87.4,511,ANGARA,IMO9179842,"
        "UBCD7,70,0,122,18,6.1,70,A",
        f"{ANGARA},not-a-time,42.3,130.3,11.3,87.4,88,ANGARA,IMO9179842,UBCD7,70,0,122,18,,,A",
        f"{MARIA},2023-08-01T00:05:00,95.0,130.3,1.0,10.0,20,MARIA,IMO9000001,UAAA,70,5,100,16,,,A",
        f"{ANGARA},2023-08-01T01:00:00,42.40000,130.50000,12.0,90.0,91,ANGARA,IMO9179842,"
        "UBCD7,70,0,122,18,6.1,70,A",
        "12345,2023-08-01T01:00:00,42.4,130.5,12.0,90.0,91,X,,,70,0,,,,,A",
    ]
    p = write_text_lines(tmp_path, "mc.csv", [MC_HEADER] + rows)
    d = ais.read(p)
    assert d.qa["source"] == "mc.csv"
    assert dict(zip(d.rejects["locator"], d.rejects["reason"])) == {
        "mc.csv:row 2": "unparseable time", "mc.csv:row 3": "impossible coordinates",
        "mc.csv:row 5": "invalid MMSI"}
    assert d.qa["rows_read"] == 5 == d.qa["positions"] + d.qa["rejected"]
    r = d.positions.iloc[0]
    assert r["ts"] == pd.Timestamp("2023-08-01T00:00:00Z") and pd.isna(r["heading_deg"])
    assert (r["lat"], r["lon"], r["sog_kn"], r["cog_deg"]) == (42.34568, 130.3926, 11.3, 87.4)
    assert pd.isna(r["msg_type"]) and r["nav_status"] == 0
    assert d.positions["heading_deg"].iloc[1] == 91
    assert len(d.vessels) == 1
    v = d.vessels.iloc[0]
    assert (v["imo"], v["name"], v["callsign"], v["length_m"], v["beam_m"]) == \
        (9179842, "ANGARA", "UBCD7", 122.0, 18.0)
    assert v["first_seen"] == pd.Timestamp("2023-08-01T00:00:00Z")
    assert v["last_seen"] == pd.Timestamp("2023-08-01T01:00:00Z")


def test_dma_csv(tmp_path):
    # synthetic: the real DMA file (test_real_exports) has no damaged or base-station rows
    p = AIS_FIXTURES / "synthetic_dma_sample.csv"
    assert ais.detect_format(p) == "dma"
    d = ais.read(p)
    pos = d.positions
    assert pos["mmsi"].tolist() == [ANGARA, MARIA, ANGARA]
    assert pos["ts"].tolist() == [pd.Timestamp("2023-08-01T00:00:05Z"),
                                  pd.Timestamp("2023-08-01T00:10:05Z"),
                                  pd.Timestamp("2023-08-02T01:00:00Z")]  # day first
    r = pos.iloc[0]
    assert (r["lat"], r["lon"], r["sog_kn"], r["cog_deg"], r["heading_deg"], r["nav_status"]) \
        == (42.345678, 130.3926, 11.3, 87.4, 88.0, 0)
    assert pos["sog_kn"].isna().tolist() == [False, True, False]   # 102.3 not available
    assert pos["cog_deg"].isna().tolist() == [False, True, False]  # 360
    assert pos["heading_deg"].isna().tolist() == [False, True, False]  # 511
    assert pos["nav_status"].tolist() == [0, 15, 5] and pos["msg_type"].isna().all()
    assert dict(zip(d.rejects["locator"], d.rejects["reason"])) == {
        "synthetic_dma_sample.csv:row 4": "position not available",
        "synthetic_dma_sample.csv:row 5": "unparseable time",
        "synthetic_dma_sample.csv:row 7": "invalid MMSI"}
    assert d.rejects["raw"].iloc[2].startswith("01/08/2023 00:20:00,Class A,1234,")
    assert d.qa["by_reason"]["base station report"] == 1
    assert (d.qa["rows_read"], d.qa["positions"], d.qa["rejected"], d.qa["skipped"]) == \
        (7, 3, 3, 1)
    assert_qa_identity(d)
    v = d.vessels.set_index("mmsi")
    assert (v.loc[ANGARA, "imo"], v.loc[ANGARA, "name"], v.loc[ANGARA, "callsign"],
            v.loc[ANGARA, "ship_type"], v.loc[ANGARA, "length_m"], v.loc[ANGARA, "beam_m"]) \
        == (9179842, "ANGARA", "UBCD7", 70, 122.0, 18.0)
    assert pd.isna(v.loc[MARIA, "imo"]) and v.loc[MARIA, "name"] == "MARIA"  # IMO "Unknown"
    assert pd.isna(v.loc[MARIA, "callsign"]) and pd.isna(v.loc[MARIA, "ship_type"])
    assert v.loc[ANGARA, "last_seen"] == pd.Timestamp("2023-08-02T01:00:00Z")


def test_marinetraffic_speed_units(tmp_path):
    # synthetic CSV: the real MarineTraffic files (test_real_exports) are API JSON answers
    p = AIS_FIXTURES / "synthetic_marinetraffic_tenths.csv"
    assert ais.detect_format(p) == "marinetraffic"
    d = ais.read(p)  # max SPEED 1023 > 102.3 -> tenths of a knot
    assert d.positions["sog_kn"].tolist()[:2] == [11.3, 0.0] and pd.isna(d.positions["sog_kn"][2])
    assert d.positions["ts"].tolist() == [pd.Timestamp("2023-08-01T00:00:05Z"),
                                          pd.Timestamp("2023-08-01T00:30:00Z"),
                                          pd.Timestamp("2023-08-01T01:00:00Z")]
    assert pd.isna(d.positions["cog_deg"][1]) and pd.isna(d.positions["heading_deg"][1])
    assert d.rejects["locator"].tolist() == ["synthetic_marinetraffic_tenths.csv:row 4"]
    assert d.rejects["reason"].tolist() == ["invalid MMSI"]
    assert sorted(d.vessels["name"]) == ["ANGARA", "MARIA"]
    assert_qa_identity(d)
    kn = ais.read(p, speed_unit="kn")  # 113 and 1023 knots are out of range -> null
    assert kn.positions["sog_kn"].isna().tolist() == [True, False, True]
    knots = write_text_lines(tmp_path, "mt.csv", ["MMSI,LAT,LON,SPEED,COURSE,HEADING,TIMESTAMP",
                                       f"{ANGARA},42.3,130.3,11.3,87.4,88,2023-08-01 00:00:00",
                                       f"{ANGARA},42.3,130.3,102.3,87.4,88,2023-08-01 00:01:00"])
    d = ais.read(knots)  # max 102.3 is "not available" in knots, never tenths
    assert d.positions["sog_kn"].tolist()[0] == 11.3 and pd.isna(d.positions["sog_kn"][1])
    assert ais.read(knots, speed_unit="tenths").positions["sog_kn"].tolist() \
        == pytest.approx([1.13, 10.23])
    with pytest.raises(InputError, match="speed_unit"):
        ais.read(knots, speed_unit="mph")


def _frames_equal(a, b):
    for name in ("positions", "vessels", "rejects"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert a.qa == b.qa


@pytest.mark.parametrize("chunksize", [1, 2, 3, 1000])
def test_chunked_reading_is_identical(tmp_path, chunksize):
    mc = writers.to_marinecadastre(two_vessel_positions(), TWO_VESSELS)
    mc.loc[2, "BaseDateTime"] = "garbage"
    mc.loc[5, "LAT"] = 91.0
    mc.to_csv(tmp_path / "mc.csv", index=False)
    one = ais.read(tmp_path / "mc.csv")
    assert len(one.rejects) == 2 and len(one.vessels) == 2
    _frames_equal(one, ais.read(tmp_path / "mc.csv", chunksize=chunksize))
    for f in ("synthetic_dma_sample.csv", "synthetic_marinetraffic_tenths.csv"):
        _frames_equal(ais.read(AIS_FIXTURES / f), ais.read(AIS_FIXTURES / f, chunksize=chunksize))
    with pytest.raises(InputError, match="chunksize"):
        ais.read(tmp_path / "mc.csv", chunksize=0)
