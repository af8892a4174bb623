"""Tests of helpers.ais.writers: NMEA and MarineCadastre output read back by the readers, atomic
writes, and a property test of encoding then reading."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import ais
from helpers.ais import writers
from tests.factories import ANGARA, MARIA, T0_UNIX, TWO_VESSELS, two_vessel_positions


def test_to_nmea_round_trip(tmp_path):
    pos = two_vessel_positions()
    lines = writers.to_nmea(pos, TWO_VESSELS, static_every_hours=6)
    assert lines == writers.to_nmea(pos, TWO_VESSELS, static_every_hours=6)  # deterministic
    assert all("\\" in ln for ln in lines)
    # ANGARA static at 0 h, 7 h, 13 h; MARIA at 0 h, 13 h -> 5 type-5 messages (10 lines)
    assert len(lines) == len(pos) + 10
    fields = [ln.split("\\")[2].split(",") for ln in lines]
    seq_ids = [f[3] for f in fields if f[1:3] == ["2", "1"]]
    assert seq_ids == ["0", "1", "2", "3", "4"]
    stamps = [int(ln.split("c:")[1].split("*")[0].split(",")[0]) for ln in lines]
    assert stamps == sorted(stamps)
    p = writers.write_lines(lines, tmp_path / "sim.nmea")
    assert p.read_bytes().count(b"\n") == len(lines) and b"\r" not in p.read_bytes()
    d = ais.read(p)
    assert len(d.rejects) == 0 and d.qa["static"] == 5
    got = d.positions.sort_values(["ts", "mmsi"], kind="stable", ignore_index=True)
    exp = pos.sort_values(["ts", "mmsi"], kind="stable", ignore_index=True)
    assert got["mmsi"].tolist() == exp["mmsi"].tolist()
    assert (got["ts"] == exp["ts"]).all()
    assert np.allclose(got["lat"], exp["lat"], atol=1e-4)
    assert np.allclose(got["lon"], exp["lon"], atol=1e-4)
    assert np.allclose(got["sog_kn"], exp["sog_kn"], atol=0.1, equal_nan=True)
    assert np.allclose(got["cog_deg"], exp["cog_deg"], atol=0.1, equal_nan=True)
    assert np.allclose(got["heading_deg"], exp["heading_deg"], equal_nan=True)
    assert got["nav_status"].fillna(15).tolist() == exp["nav_status"].fillna(15).tolist()
    v = d.vessels.drop_duplicates("mmsi").reset_index(drop=True)
    assert len(d.vessels) == 2
    cols = ["mmsi", "imo", "name", "callsign", "ship_type", "length_m", "beam_m"]
    assert v[cols].astype(object).values.tolist() == TWO_VESSELS[cols].astype(object).values.tolist()


def test_to_marinecadastre_round_trip(tmp_path):
    pos = two_vessel_positions()
    mc = writers.to_marinecadastre(pos, TWO_VESSELS)
    assert list(mc.columns) == ais.MC_COLUMNS
    assert (mc["TransceiverClass"] == "A").all() and mc["IMO"].iloc[0] == "IMO9179842"
    assert mc["Heading"].iloc[3] == 511
    assert list(mc["MMSI"][:2]) == sorted([ANGARA, MARIA])
    path = tmp_path / "mc.csv"
    mc.to_csv(path, index=False)
    d = ais.read(path)
    assert len(d.rejects) == 0
    got = d.positions
    exp = pos.sort_values(["ts", "mmsi"], kind="stable", ignore_index=True)
    assert got["mmsi"].tolist() == exp["mmsi"].tolist() and (got["ts"] == exp["ts"]).all()
    assert np.allclose(got["lat"], exp["lat"], atol=1e-5)
    assert np.allclose(got["sog_kn"], exp["sog_kn"], atol=0.05, equal_nan=True)
    assert np.allclose(got["heading_deg"], exp["heading_deg"], equal_nan=True)
    assert sorted(d.vessels["name"]) == ["ANGARA", "MARIA"]
    assert d.vessels.set_index("name").loc["ANGARA", "imo"] == 9179842


def test_write_lines_is_atomic_and_replaces(tmp_path):
    p = tmp_path / "out" / "x.nmea"
    writers.write_lines(["a", "b"], p)
    writers.write_lines(["c"], p)
    assert p.read_text(encoding="utf-8") == "c\n"
    assert [f.name for f in p.parent.iterdir()] == ["x.nmea"]


position = st.fixed_dictionaries({
    "mmsi": st.integers(100_000_000, 999_999_999),
    "sec": st.integers(T0_UNIX, T0_UNIX + 90 * 86400),
    "lat": st.floats(-90, 90, allow_nan=False),
    "lon": st.floats(-180, 180, allow_nan=False),
    "sog_kn": st.one_of(st.none(), st.floats(0, 102.2)),
    "cog_deg": st.one_of(st.none(), st.floats(0, 359.9)),
    "heading_deg": st.one_of(st.none(), st.integers(0, 359)),
    "nav_status": st.integers(0, 15),
})


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(position, min_size=1, max_size=8))
def test_property_encode_read(tmp_path, rows):
    pos = pd.DataFrame(rows)
    # 90 N / 180 E encode as themselves; 91 / 181 are the only "not available" values
    pos["ts"] = pd.to_datetime(pos.pop("sec"), unit="s", utc=True)
    pos["receiver"] = "R"
    for c in ("sog_kn", "cog_deg", "heading_deg"):
        pos[c] = pos[c].astype("float64")
    path = writers.write_lines(writers.to_nmea(pos, TWO_VESSELS.iloc[:0]), tmp_path / "p.nmea")
    d = ais.read(path)
    assert len(d.rejects) == 0 and len(d.positions) == len(pos)
    exp = pos.sort_values("ts", kind="stable", ignore_index=True)
    got = d.positions
    assert got["mmsi"].tolist() == exp["mmsi"].tolist() and (got["ts"] == exp["ts"]).all()
    assert np.allclose(got["lat"], exp["lat"], atol=1e-4)
    assert np.allclose(got["lon"], exp["lon"], atol=1e-4)
    assert np.allclose(got["sog_kn"], exp["sog_kn"], atol=0.1, equal_nan=True)
    assert np.allclose(got["cog_deg"], exp["cog_deg"], atol=0.1, equal_nan=True)
    assert np.allclose(got["heading_deg"], exp["heading_deg"], equal_nan=True)
    assert got["nav_status"].tolist() == exp["nav_status"].tolist()


def test_multipart_sequence_ids_cycle_0_to_9(tmp_path):
    mmsis = [273000000 + 10 * i for i in range(12)]
    pos = pd.DataFrame({"mmsi": mmsis,
                        "ts": pd.to_datetime([T0_UNIX + i for i in range(12)], unit="s", utc=True),
                        "lat": 42.0, "lon": 130.0, "sog_kn": 1.0, "cog_deg": 1.0,
                        "heading_deg": 1.0, "nav_status": 0, "receiver": "R"})
    ves = pd.DataFrame({"mmsi": mmsis, "imo": pd.NA, "name": [f"V{i}" for i in range(12)],
                        "callsign": None, "ship_type": 70, "length_m": 50.0, "beam_m": 10.0})
    lines = writers.to_nmea(pos, ves)
    fields = [ln.split("\\")[2].split(",") for ln in lines]
    assert [f[3] for f in fields if f[1:3] == ["2", "1"]] == [str(i % 10) for i in range(12)]
    d = ais.read(writers.write_lines(lines, tmp_path / "s.nmea"))
    assert len(d.vessels) == 12 and d.vessels["imo"].isna().all() and len(d.rejects) == 0


def test_dma_writer_round_trips(tmp_path):
    pos = pd.DataFrame({
        "mmsi": [273999001, 273999001], "ts": pd.to_datetime(["2023-09-01T00:00:05Z", "2023-09-01T00:12:05Z"]),
        "lat": [42.25, 42.3], "lon": [130.3, 130.4], "sog_kn": [0.1, float("nan")],
        "cog_deg": [12.5, float("nan")], "heading_deg": [10.0, float("nan")],
        "nav_status": pd.array([5, pd.NA], dtype="Int64")})
    ves = pd.DataFrame({"mmsi": [273999001], "imo": [9999010], "name": ["SIM FEEDER"],
                        "callsign": ["SIMF1"], "flag": ["RU"], "ship_type": [70],
                        "length_m": [95.0], "beam_m": [15.0]})
    text = writers.to_dma(pos, ves).to_csv(index=False, lineterminator="\n")
    assert text.splitlines()[1].startswith("01/09/2023 00:00:05,Class A,273999001,42.250000,130.300000,Moored,")
    p = tmp_path / "x.csv.gz"
    p.write_bytes(gzip.compress(text.encode()))
    d = ais.read(p)
    assert ais.detect_format(p) == "dma"
    got = d.positions
    assert got["ts"].tolist() == pos["ts"].tolist() and got["lat"].tolist() == [42.25, 42.3]
    assert got["nav_status"].tolist() == [5, 15]  # a missing status is written as "Unknown value" (15: not defined)
    assert got["sog_kn"].tolist()[0] == pytest.approx(0.1) and pd.isna(got["sog_kn"][1])
    v = d.vessels.iloc[0]
    assert (v["imo"], v["name"], v["callsign"], v["ship_type"], v["length_m"], v["beam_m"]) == \
        (9999010, "SIM FEEDER", "SIMF1", 70, 95.0, 15.0)
