"""Tests of helpers.ais: NMEA and MarineCadastre readers, writers, cleaning (no network)."""

from __future__ import annotations

from functools import reduce
from operator import xor

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyais import encode_dict

from helpers import ais
from helpers.errors import InputError
from helpers.geo import haversine_nm

T0 = 1690848000  # 2023-08-01T00:00:00Z
ANGARA, MARIA = 273123450, 273654320


def tag(sentence: str, **fields) -> str:
    body = ",".join(f"{k}:{v}" for k, v in fields.items())
    return f"\\{body}*{reduce(xor, body.encode(), 0):02X}\\{sentence}"


def type1(mmsi=ANGARA, lat=42.345678, lon=130.3926, speed=11.3, course=87.4, heading=88,
          status=0, channel="A") -> str:
    return encode_dict({"type": 1, "mmsi": mmsi, "lat": lat, "lon": lon, "speed": speed,
                        "course": course, "heading": heading, "status": status},
                       talker_id="AI", sentence_type="VDM", radio_channel=channel)[0]


def type5(mmsi=ANGARA, seq=3) -> list[str]:
    return encode_dict({"type": 5, "mmsi": mmsi, "imo": 9179842, "callsign": "UBCD7",
                        "shipname": "ANGARA", "ship_type": 70, "to_bow": 70, "to_stern": 52,
                        "to_port": 9, "to_starboard": 9},
                       talker_id="AI", sentence_type="VDM", seq_id=seq)


def write(tmp_path, name, lines):
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


# ---------------------------------------------------------------------------------------------
# NMEA reader
# ---------------------------------------------------------------------------------------------

def test_type1_decodes_exact_values(tmp_path):
    p = write(tmp_path, "one.nmea", [tag(type1(), s="RCV1", c=T0 + 61)])
    d = ais.read(p)
    assert len(d.positions) == 1 and len(d.rejects) == 0
    r = d.positions.iloc[0]
    assert r["mmsi"] == ANGARA
    assert r["ts"] == pd.Timestamp("2023-08-01T00:01:01Z")
    assert r["lat"] == pytest.approx(42.345678, abs=1e-6)
    assert r["lon"] == pytest.approx(130.3926, abs=1e-6)
    assert r["sog_kn"] == pytest.approx(11.3)
    assert r["cog_deg"] == pytest.approx(87.4)
    assert r["heading_deg"] == 88
    assert r["nav_status"] == 0 and r["msg_type"] == 1 and r["source"] == "one.nmea"
    assert d.qa["source"] == "one.nmea" and d.qa["positions"] == 1


def test_not_available_values_become_null(tmp_path):
    s = type1(speed=102.3, course=360, heading=511)
    d = ais.read(write(tmp_path, "na.nmea", [tag(s, s="R", c=T0)]))
    r = d.positions.iloc[0]
    assert pd.isna(r["sog_kn"]) and pd.isna(r["cog_deg"]) and pd.isna(r["heading_deg"])


def test_type5_assembled_with_interleaved_line(tmp_path):
    p1, p2 = type5(seq=3)
    lines = [tag(p1, g="1-2-7", s="RCV1", c=T0), tag(type1(mmsi=MARIA), s="RCV1", c=T0),
             tag(p2, g="2-2-7", s="RCV1", c=T0), tag(p1, g="1-2-8", s="RCV1", c=T0 + 600),
             tag(p2, g="2-2-8", s="RCV1", c=T0 + 600)]
    d = ais.read(write(tmp_path, "static.nmea", lines))
    assert len(d.rejects) == 0 and d.qa["static"] == 2 and d.qa["positions"] == 1
    assert len(d.vessels) == 1
    v = d.vessels.iloc[0]
    assert (v["mmsi"], v["imo"], v["name"], v["callsign"]) == (ANGARA, 9179842, "ANGARA", "UBCD7")
    assert (v["ship_type"], v["length_m"], v["beam_m"]) == (70, 122.0, 18.0)
    assert v["first_seen"] == pd.Timestamp(T0, unit="s", tz="UTC")
    assert v["last_seen"] == pd.Timestamp(T0 + 600, unit="s", tz="UTC")
    assert d.positions["mmsi"].tolist() == [MARIA]
    assert d.qa["rows_read"] == 3 and d.qa["lines"] == 5


def test_malformed_lines_rejected_or_skipped(tmp_path):
    good = tag(type1(), s="R", c=T0)
    bad_checksum = good[:-2] + ("00" if not good.endswith("00") else "01")
    p1, p2 = type5(seq=4)
    lines = [
        good,                                            # 1
        bad_checksum,                                    # 2 bad checksum
        tag(p2, g="2-2-9", s="R", c=T0),                 # 3 orphan (no first part)
        type1(),                                         # 4 no tag block -> no timestamp
        tag(type1(lat=91, lon=181), s="R", c=T0),        # 5 position not available
        tag(type1(mmsi=12345), s="R", c=T0),             # 6 invalid MMSI
        "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A",  # 7 skipped
        "# receiver log, station R",                     # 8 skipped
        "",                                              # 9 skipped
        tag(type1(lat=-95.0), s="R", c=T0),              # 10 impossible coordinates
        tag(p1, g="1-2-5", s="R", c=T0),                 # 11 orphan (never completed)
    ]
    d = ais.read(write(tmp_path, "bad.nmea", lines))
    got = dict(zip(d.rejects["locator"], d.rejects["reason"]))
    assert got == {"bad.nmea:2": "bad checksum", "bad.nmea:3": "orphan multipart fragment",
                   "bad.nmea:4": "no timestamp", "bad.nmea:5": "position not available",
                   "bad.nmea:6": "invalid MMSI", "bad.nmea:10": "impossible coordinates",
                   "bad.nmea:11": "orphan multipart fragment"}
    assert d.rejects["raw"].iloc[0] == bad_checksum
    assert d.qa["skipped"] == 3 and d.qa["positions"] == 1 and d.qa["rejected"] == 7
    assert d.qa["by_reason"]["blank line"] == 1 and d.qa["by_reason"]["comment"] == 1
    assert d.qa["by_reason"]["non-AIS sentence"] == 1
    q = d.qa
    assert q["rows_read"] == q["positions"] + q["static"] + q["rejected"] + q["skipped"] == 11


def test_bad_tag_block_checksum_and_unsupported_type(tmp_path):
    good = tag(type1(), s="R", c=T0)
    broken = good.replace("c:", "c:1", 1)  # tag block text changed, checksum not
    t4 = encode_dict({"type": 4, "mmsi": 2734500, "year": 2023, "month": 8, "day": 1},
                     talker_id="AI", sentence_type="VDM")[0]
    t21 = encode_dict({"type": 21, "mmsi": 992731234, "name": "BUOY"},
                      talker_id="AI", sentence_type="VDM")[0]
    d = ais.read(write(tmp_path, "x.nmea", [broken, tag(t4, s="R", c=T0), t4,
                                            tag(t21, s="R", c=T0)]))
    assert d.rejects["reason"].tolist() == ["bad checksum (tag block)"]
    # type 4 (base station) is receiver evidence, with or without a time; not a position
    assert d.qa["by_reason"]["base station report"] == 2
    assert d.qa["by_reason"]["unsupported message type 21"] == 1 and d.qa["skipped"] == 3


def test_undecodable_payload_never_stops_the_file(tmp_path):
    short = "!AIVDM,1,1,,A,13u?etP,0*"
    short += f"{reduce(xor, short[1:-1].encode(), 0):02X}"
    lines = [tag(short, s="R", c=T0), "garbage \\ line", tag(type1(), s="R", c=T0)]
    d = ais.read(write(tmp_path, "u.nmea", lines), fmt="nmea")
    assert d.rejects["reason"].tolist() == ["undecodable payload"]
    assert len(d.positions) == 1


# ---------------------------------------------------------------------------------------------
# MarineCadastre reader
# ---------------------------------------------------------------------------------------------

MC_HEADER = ",".join(ais.MC_COLUMNS)


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
    p = write(tmp_path, "mc.csv", [MC_HEADER] + rows)
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


# ---------------------------------------------------------------------------------------------
# Detection and errors
# ---------------------------------------------------------------------------------------------

def test_auto_detection_and_errors(tmp_path):
    nm = write(tmp_path, "a.log", ["# header comment", "", tag(type1(), s="R", c=T0)])
    mc = write(tmp_path, "b.txt", [MC_HEADER])
    assert ais.detect_format(nm) == "nmea" and ais.detect_format(mc) == "marinecadastre"
    assert len(ais.read(mc).positions) == 0
    other = write(tmp_path, "c.csv", ["lat,lon,time", "1,2,3"])
    with pytest.raises(InputError) as exc:
        ais.read(other)
    assert "c.csv" in str(exc.value) and "nmea" in str(exc.value) \
        and "marinecadastre" in str(exc.value)
    with pytest.raises(InputError, match="missing.nmea"):
        ais.read(tmp_path / "missing.nmea")
    with pytest.raises(InputError, match="marinecadastre"):
        ais.read(nm, fmt="gpx")


# ---------------------------------------------------------------------------------------------
# Writers and round trips
# ---------------------------------------------------------------------------------------------

def scenario_positions() -> pd.DataFrame:
    ts = pd.Timestamp("2023-08-01", tz="UTC") + pd.to_timedelta(
        [0, 0, 1800, 3600, 4 * 3600, 7 * 3600, 13 * 3600, 13 * 3600 + 5], unit="s")
    return pd.DataFrame({
        "mmsi": [ANGARA, MARIA, ANGARA, MARIA, ANGARA, ANGARA, ANGARA, MARIA],
        "ts": ts,
        "lat": [42.24361, 42.90012, 42.3, 42.95, 42.5, 42.7, 42.9, 43.0],
        "lon": [130.30123, 131.5, 130.4, 131.6, 130.6, 130.8, 131.0, 131.7],
        "sog_kn": [0.0, 10.5, 9.9, np.nan, 11.1, 12.0, 0.2, 3.3],
        "cog_deg": [0.0, 45.3, 80.0, np.nan, 90.1, 100.0, 359.9, 12.0],
        "heading_deg": [0.0, 45.0, 81.0, np.nan, 90.0, 101.0, 359.0, 12.0],
        "nav_status": pd.array([5, 0, 0, 0, 0, 0, 1, pd.NA], dtype="Int64"),
        "receiver": ["RAJIN-1", "DUNAI-1", "RAJIN-1", "DUNAI-1", "SAT", "SAT", "SAT", "DUNAI-1"],
    })


VESSELS = pd.DataFrame({"mmsi": [ANGARA, MARIA], "imo": [9179842, 9000001],
                        "name": ["ANGARA", "MARIA"], "callsign": ["UBCD7", "UAAA"],
                        "ship_type": [70, 70], "length_m": [122.0, 100.0],
                        "beam_m": [18.0, 16.0]})


def test_to_nmea_round_trip(tmp_path):
    pos = scenario_positions()
    lines = ais.to_nmea(pos, VESSELS, static_every_hours=6)
    assert lines == ais.to_nmea(pos, VESSELS, static_every_hours=6)  # deterministic
    assert all("\\" in ln for ln in lines)
    # ANGARA static at 0 h, 7 h, 13 h; MARIA at 0 h, 13 h -> 5 type-5 messages (10 lines)
    assert len(lines) == len(pos) + 10
    fields = [ln.split("\\")[2].split(",") for ln in lines]
    seq_ids = [f[3] for f in fields if f[1:3] == ["2", "1"]]
    assert seq_ids == ["0", "1", "2", "3", "4"]
    stamps = [int(ln.split("c:")[1].split("*")[0].split(",")[0]) for ln in lines]
    assert stamps == sorted(stamps)
    p = ais.write_lines(lines, tmp_path / "sim.nmea")
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
    assert v[cols].astype(object).values.tolist() == VESSELS[cols].astype(object).values.tolist()


def test_to_marinecadastre_round_trip(tmp_path):
    pos = scenario_positions()
    mc = ais.to_marinecadastre(pos, VESSELS)
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
    ais.write_lines(["a", "b"], p)
    ais.write_lines(["c"], p)
    assert p.read_text(encoding="utf-8") == "c\n"
    assert [f.name for f in p.parent.iterdir()] == ["x.nmea"]


# ---------------------------------------------------------------------------------------------
# Cleaning
# ---------------------------------------------------------------------------------------------

def _feed(tmp_path, name, rows, receiver="R"):
    pos = pd.DataFrame(rows, columns=["mmsi", "ts", "lat", "lon"])
    pos["ts"] = pd.to_datetime(pos["ts"], utc=True)
    pos = pos.assign(sog_kn=10.0, cog_deg=90.0, heading_deg=90.0, nav_status=0,
                     receiver=receiver)
    return ais.read(ais.write_lines(ais.to_nmea(pos, VESSELS), tmp_path / name))


def test_clean(tmp_path):
    a = _feed(tmp_path, "a.nmea", [
        (ANGARA, "2023-07-31T23:00:00", 42.2, 130.3),   # outside window
        (ANGARA, "2023-08-01T00:00:00", 42.2, 130.3),
        (ANGARA, "2023-08-01T01:00:00", 42.3, 130.4),   # also in feed b -> duplicate
        (ANGARA, "2023-08-01T02:00:00", 45.0, 135.0),   # implausible jump (~270 nm in 1 h)
        (ANGARA, "2023-08-01T03:00:00", 42.4, 130.5),   # fine vs the last kept position
        (MARIA, "2023-08-01T00:30:00", 43.0, 131.7),
    ])
    b = _feed(tmp_path, "b.nmea", [(ANGARA, "2023-08-01T01:00:00", 42.3, 130.4),
                                   (MARIA, "2023-08-02T00:00:00", 43.1, 131.8)], receiver="S")
    c = ais.clean([a, b], "2023-08-01", "2023-08-02")
    assert c.positions[["mmsi", "ts"]].equals(
        c.positions[["mmsi", "ts"]].sort_values(["mmsi", "ts"], ignore_index=True))
    assert c.positions["mmsi"].tolist() == [ANGARA] * 3 + [MARIA]
    reasons = c.rejects["reason"].tolist()
    assert reasons.count("time outside analysis window") == 2
    jumps = [r for r in reasons if r.startswith("implausible jump: implied speed ")]
    assert len(jumps) == 1 and float(jumps[0].split()[-2]) > 200
    qa = c.qa.set_index("source")
    assert qa.loc["a.nmea", "duplicates"] + qa.loc["b.nmea", "duplicates"] == 1
    assert qa.loc["total", "kept"] == 4 and qa.loc["total", "duplicates"] == 1
    assert qa.loc["a.nmea", "rejected_positions"] == 2
    for _src, r in qa.iterrows():
        assert r["positions_read"] == r["kept"] + r["rejected_positions"] + r["duplicates"]
        assert r["rows_read"] == r["kept"] + r["rejected"] + r["duplicates"] + r["static"] \
            + r["skipped"]
    assert len(c.vessels) == 2 and set(c.vessels["source"]) == {"a.nmea;b.nmea"}
    assert c.positions["flag"].isna().all() and qa.loc["a.nmea", "flagged"] == 1

    # jump_policy="keep": the same position stays, flagged; nothing else changes
    k = ais.clean([a, b], "2023-08-01", "2023-08-02", jump_policy="keep")
    assert len(k.positions) == 5 and len(k.rejects) == len(c.rejects) - 1
    flagged = k.positions[k.positions["flag"].notna()]
    assert flagged["ts"].tolist() == [pd.Timestamp("2023-08-01T02:00:00Z")]
    assert flagged["flag"].iloc[0] == jumps[0]
    kq = k.qa.set_index("source")
    assert kq.loc["a.nmea", "flagged"] == 1 and kq.loc["a.nmea", "rejected_positions"] == 1
    assert kq.loc["total", "kept"] == 5
    with pytest.raises(ValueError, match="jump_policy"):
        ais.clean([a], "2023-08-01", "2023-08-02", jump_policy="drop")


def sequential_jumps(mmsi, t, lat, lon, limit_kn):
    """The definition, one row at a time: a fix is rejected when its implied speed from the
    previous kept fix of the same vessel exceeds the limit (same time, other place: infinite)."""
    expect = np.zeros(len(mmsi), dtype=bool)
    last = None
    for i in range(len(mmsi)):
        if last is not None and mmsi[last] == mmsi[i]:
            d = haversine_nm(lat[last], lon[last], lat[i], lon[i])
            h = (t[i] - t[last]) / 3600
            if (d / h if h > 0 else (np.inf if d > 1e-6 else 0)) > limit_kn:
                expect[i] = True
                continue
        last = i
    return expect


def test_jump_filter_matches_sequential_definition():
    rng = np.random.default_rng(7)
    n = 400
    mmsi = np.sort(rng.choice([ANGARA, MARIA, 412000001], n))
    t = np.sort(rng.uniform(0, 86400 * 3, n))
    order = np.lexsort((t, mmsi))
    mmsi, t = mmsi[order], t[order]
    lat = 42.5 + rng.normal(0, 0.02, n) + (rng.random(n) < 0.1) * 2.0
    lon = 130.5 + rng.normal(0, 0.02, n)
    rej, _ = ais._jump_mask(mmsi, t, lat, lon, 40.0)
    expect = sequential_jumps(mmsi, t, lat, lon, 40.0)
    assert rej.any() and (rej == expect).all()


# ---------------------------------------------------------------------------------------------
# Property: encoding then reading returns the positions
# ---------------------------------------------------------------------------------------------

position = st.fixed_dictionaries({
    "mmsi": st.integers(100_000_000, 999_999_999),
    "sec": st.integers(T0, T0 + 90 * 86400),
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
    path = ais.write_lines(ais.to_nmea(pos, VESSELS.iloc[:0]), tmp_path / "p.nmea")
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
                        "ts": pd.to_datetime([T0 + i for i in range(12)], unit="s", utc=True),
                        "lat": 42.0, "lon": 130.0, "sog_kn": 1.0, "cog_deg": 1.0,
                        "heading_deg": 1.0, "nav_status": 0, "receiver": "R"})
    ves = pd.DataFrame({"mmsi": mmsis, "imo": pd.NA, "name": [f"V{i}" for i in range(12)],
                        "callsign": None, "ship_type": 70, "length_m": 50.0, "beam_m": 10.0})
    lines = ais.to_nmea(pos, ves)
    fields = [ln.split("\\")[2].split(",") for ln in lines]
    assert [f[3] for f in fields if f[1:3] == ["2", "1"]] == [str(i % 10) for i in range(12)]
    d = ais.read(ais.write_lines(lines, tmp_path / "s.nmea"))
    assert len(d.vessels) == 12 and d.vessels["imo"].isna().all() and len(d.rejects) == 0


@pytest.mark.parametrize("noise", [0.0, 0.1, 0.6])
def test_jump_filter_noisy_tracks_and_bad_first_fix(noise):
    rng = np.random.default_rng(11)
    n = 3000
    mmsi = np.repeat([ANGARA, MARIA, 412000001], n // 3)
    t = np.concatenate([np.sort(rng.uniform(0, 86400 * 5, n // 3)) for _ in range(3)])
    lat = 42.5 + np.cumsum(rng.normal(0, 0.002, n)) + (rng.random(n) < noise) * rng.normal(0, 1, n)
    lon = 130.5 + rng.normal(0, 0.01, n)
    lat[0] = 10.0  # a vessel whose first fix is wrong
    t[5] = t[4]  # same time, different place: infinite speed
    rej, spd = ais._jump_mask(mmsi, t, lat, lon, 40.0, window=8)
    expect = sequential_jumps(mmsi, t, lat, lon, 40.0)
    assert (rej == expect).all()
    assert (spd[rej] > 40).all() and np.isnan(spd[~rej]).all()


def test_clean_with_nothing_to_reject_keeps_everything(tmp_path):
    """Regression: a clean input (no row outside the window, no jump) must not fail."""
    from helpers import schema
    pos = schema.validate(pd.DataFrame({
        "mmsi": [273210440, 273210440], "ts": pd.to_datetime(["2023-08-01T00:00Z", "2023-08-01T01:00Z"], utc=True),
        "lat": [42.0, 42.01], "lon": [131.0, 131.0], "sog_kn": [1.0, 1.0], "cog_deg": [0.0, 0.0],
        "heading_deg": [0.0, 0.0], "nav_status": [0, 0], "source": "x", "msg_type": [1, 1]}), "positions")
    data = ais.AisData(pos, schema.empty("vessels"), schema.empty("rejects"),
                       {"source": "x", "rows_read": 2, "positions": 2, "static": 0, "rejected": 0,
                        "by_reason": {}, "skipped": 0, "vessels": 1, "first_ts": None, "last_ts": None})
    out = ais.clean([data], pd.Timestamp("2023-07-01", tz="UTC"), pd.Timestamp("2023-11-01", tz="UTC"))
    assert len(out.positions) == 2 and out.rejects.empty


# ---------------------------------------------------------------------------------------------
# Real-world ingestion: CSV flavours, tables, compression, chunks
# ---------------------------------------------------------------------------------------------

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures" / "ais"


def _qa_identity(d):
    q = d.qa
    assert q["rows_read"] == q["positions"] + q["static"] + q["rejected"] + q["skipped"]


def test_dma_csv(tmp_path):
    p = FIXTURES / "dma_sample.csv"
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
        "dma_sample.csv:row 4": "position not available",
        "dma_sample.csv:row 5": "unparseable time",
        "dma_sample.csv:row 7": "invalid MMSI"}
    assert d.rejects["raw"].iloc[2].startswith("01/08/2023 00:20:00,Class A,1234,")
    assert d.qa["by_reason"]["base station report"] == 1
    assert (d.qa["rows_read"], d.qa["positions"], d.qa["rejected"], d.qa["skipped"]) == \
        (7, 3, 3, 1)
    _qa_identity(d)
    v = d.vessels.set_index("mmsi")
    assert (v.loc[ANGARA, "imo"], v.loc[ANGARA, "name"], v.loc[ANGARA, "callsign"],
            v.loc[ANGARA, "ship_type"], v.loc[ANGARA, "length_m"], v.loc[ANGARA, "beam_m"]) \
        == (9179842, "ANGARA", "UBCD7", 70, 122.0, 18.0)
    assert pd.isna(v.loc[MARIA, "imo"]) and v.loc[MARIA, "name"] == "MARIA"  # IMO "Unknown"
    assert pd.isna(v.loc[MARIA, "callsign"]) and pd.isna(v.loc[MARIA, "ship_type"])
    assert v.loc[ANGARA, "last_seen"] == pd.Timestamp("2023-08-02T01:00:00Z")


def test_marinetraffic_speed_units(tmp_path):
    p = FIXTURES / "marinetraffic_tenths.csv"
    assert ais.detect_format(p) == "marinetraffic"
    d = ais.read(p)  # max SPEED 1023 > 102.3 -> tenths of a knot
    assert d.positions["sog_kn"].tolist()[:2] == [11.3, 0.0] and pd.isna(d.positions["sog_kn"][2])
    assert d.positions["ts"].tolist() == [pd.Timestamp("2023-08-01T00:00:05Z"),
                                          pd.Timestamp("2023-08-01T00:30:00Z"),
                                          pd.Timestamp("2023-08-01T01:00:00Z")]
    assert pd.isna(d.positions["cog_deg"][1]) and pd.isna(d.positions["heading_deg"][1])
    assert d.rejects["locator"].tolist() == ["marinetraffic_tenths.csv:row 4"]
    assert d.rejects["reason"].tolist() == ["invalid MMSI"]
    assert sorted(d.vessels["name"]) == ["ANGARA", "MARIA"]
    _qa_identity(d)
    kn = ais.read(p, speed_unit="kn")  # 113 and 1023 knots are out of range -> null
    assert kn.positions["sog_kn"].isna().tolist() == [True, False, True]
    knots = write(tmp_path, "mt.csv", ["MMSI,LAT,LON,SPEED,COURSE,HEADING,TIMESTAMP",
                                       f"{ANGARA},42.3,130.3,11.3,87.4,88,2023-08-01 00:00:00",
                                       f"{ANGARA},42.3,130.3,102.3,87.4,88,2023-08-01 00:01:00"])
    d = ais.read(knots)  # max 102.3 is "not available" in knots, never tenths
    assert d.positions["sog_kn"].tolist()[0] == 11.3 and pd.isna(d.positions["sog_kn"][1])
    assert ais.read(knots, speed_unit="tenths").positions["sog_kn"].tolist() \
        == pytest.approx([1.13, 10.23])
    with pytest.raises(InputError, match="speed_unit"):
        ais.read(knots, speed_unit="mph")


def test_table_csv_with_column_mapping(tmp_path):
    p = write(tmp_path, "t.csv", [
        "ship,when,y,x,kn,name",
        f"{ANGARA},2023-08-01T00:00:00Z,42.5,130.5,10.0,ANGARA",
        f"{MARIA},{T0 + 60},42.6,130.6,102.3,",
        f"{MARIA},yesterday,42.6,130.6,1.0,",
        f"{MARIA},2023-08-01T00:02:00,91,181,1.0,"])
    cols = {"mmsi": "ship", "ts": "when", "lat": "y", "lon": "x", "sog_kn": "kn", "name": "name"}
    with pytest.raises(InputError):
        ais.read(p)  # no known header: needs fmt="table"
    d = ais.read(p, fmt="table", columns=cols)
    assert d.positions["mmsi"].tolist() == [ANGARA, MARIA]
    assert d.positions["ts"].tolist() == [pd.Timestamp(T0, unit="s", tz="UTC"),
                                          pd.Timestamp(T0 + 60, unit="s", tz="UTC")]
    assert d.positions["sog_kn"].tolist()[0] == 10.0 and pd.isna(d.positions["sog_kn"][1])
    assert dict(zip(d.rejects["locator"], d.rejects["reason"])) == {
        "t.csv:row 3": "unparseable time", "t.csv:row 4": "position not available"}
    assert d.vessels["name"].tolist() == ["ANGARA"]
    _qa_identity(d)
    assert ais.read(p, columns=cols).positions.equals(d.positions)  # columns= implies table
    with pytest.raises(InputError, match="lacks"):
        ais.read(p, fmt="table", columns={"mmsi": "ship", "ts": "when"})
    with pytest.raises(InputError, match="not in the file"):
        ais.read(p, fmt="table", columns={**cols, "lat": "nope"})
    with pytest.raises(InputError, match="unknown canonical"):
        ais.read(p, fmt="table", columns={**cols, "speed": "kn"})


def test_table_parquet_and_geoparquet(tmp_path):
    import geopandas as gpd
    from shapely.geometry import LineString, Point
    df = pd.DataFrame({"id": [ANGARA, MARIA, ANGARA],
                       "t": pd.to_datetime([T0, T0 + 60, T0 + 120], unit="s"),
                       "la": [42.5, 42.6, 42.7], "lo": [130.5, 130.6, 130.7]})
    df.to_parquet(tmp_path / "p.parquet")
    d = ais.read(tmp_path / "p.parquet", fmt="table",
                 columns={"mmsi": "id", "ts": "t", "lat": "la", "lon": "lo"})
    assert d.positions["lat"].tolist() == [42.5, 42.6, 42.7]
    assert d.positions["ts"].iloc[2] == pd.Timestamp(T0 + 120, unit="s", tz="UTC")
    geo = gpd.GeoDataFrame(df.drop(columns=["la", "lo"]), crs="EPSG:4326",
                           geometry=[Point(130.5, 42.5), LineString([(0, 0), (1, 1)]),
                                     Point(130.7, 42.7)])
    geo.to_parquet(tmp_path / "g.parquet")
    d = ais.read(tmp_path / "g.parquet", fmt="table", columns={"mmsi": "id", "ts": "t"},
                 chunksize=2)
    assert d.positions["lat"].tolist() == [42.5, 42.7]
    assert d.positions["lon"].tolist() == [130.5, 130.7]
    assert d.rejects["locator"].tolist() == ["g.parquet:row 2"]
    assert d.rejects["reason"].tolist() == ["geometry is not a point"]
    _qa_identity(d)
    with pytest.raises(InputError, match="Parquet"):
        ais.read(tmp_path / "p.parquet")
    with pytest.raises(InputError, match="geometry"):
        ais.read(tmp_path / "p.parquet", fmt="table", columns={"mmsi": "id", "ts": "t"})


def test_table_geopackage_with_column_mapping(tmp_path):
    import geopandas as gpd
    from shapely.geometry import LineString, Point
    df = pd.DataFrame({"id": [ANGARA, MARIA, ANGARA, MARIA],
                       "t": ["2023-08-01T00:00:00Z", "2023-08-01T00:01:00Z", "2023-08-01T00:02:00Z",
                             "2023-08-01T00:03:00Z"],
                       "speed": [11.5, 0.2, 102.3, 5.0]})
    g = gpd.GeoDataFrame(df, crs="EPSG:4326",
                         geometry=[Point(130.5, 42.5), Point(130.6, 42.6),
                                   LineString([(0, 0), (1, 1)]), Point(181.0, 91.0)])
    g.to_file(tmp_path / "tracks.gpkg", layer="ais", driver="GPKG")
    cols = {"mmsi": "id", "ts": "t", "sog_kn": "speed"}
    d = ais.read(tmp_path / "tracks.gpkg", fmt="table", columns=cols, chunksize=3)
    assert d.positions["mmsi"].tolist() == [ANGARA, MARIA]
    assert d.positions[["lat", "lon"]].values.tolist() == [[42.5, 130.5], [42.6, 130.6]]
    assert d.positions["sog_kn"].tolist() == [11.5, 0.2]
    assert d.positions["ts"].iloc[1] == pd.Timestamp("2023-08-01T00:01:00Z")
    assert dict(zip(d.rejects["locator"], d.rejects["reason"])) == {
        "tracks.gpkg:row 3": "geometry is not a point", "tracks.gpkg:row 4": "position not available"}
    _qa_identity(d)
    with pytest.raises(InputError, match="GeoPackage"):
        ais.read(tmp_path / "tracks.gpkg")               # auto: no fixed layout, needs a mapping
    g.iloc[:1].to_file(tmp_path / "tracks.gpkg", layer="other", driver="GPKG")
    with pytest.raises(InputError, match="layers") as e:
        ais.read(tmp_path / "tracks.gpkg", fmt="table", columns=cols)
    assert e.value.field == "layer"
    assert len(ais.read(tmp_path / "tracks.gpkg", fmt="table", columns=cols, layer="other").positions) == 1
    g.to_crs(3857).to_file(tmp_path / "m.gpkg", driver="GPKG")
    with pytest.raises(InputError, match="WGS 84"):
        ais.read(tmp_path / "m.gpkg", fmt="table", columns=cols)


def test_compressed_inputs(tmp_path):
    import gzip
    import zipfile
    lines = [tag(type1(), s="R", c=T0), tag(type1(mmsi=MARIA), s="R", c=T0 + 1)]
    text = "\n".join(lines) + "\n"
    (tmp_path / "log.nmea.gz").write_bytes(gzip.compress(text.encode()))
    d = ais.read(tmp_path / "log.nmea.gz")
    assert d.positions["mmsi"].tolist() == [ANGARA, MARIA] and d.qa["lines"] == 2
    with zipfile.ZipFile(tmp_path / "dma.zip", "w") as zf:
        zf.write(FIXTURES / "dma_sample.csv", "aisdk-2023-08-01.csv")
    z = ais.read(tmp_path / "dma.zip")
    plain = ais.read(FIXTURES / "dma_sample.csv", source="dma.zip")
    assert z.positions.equals(plain.positions) and z.vessels.equals(plain.vessels)
    assert z.rejects["locator"].tolist() == ["dma.zip:row 4", "dma.zip:row 5", "dma.zip:row 7"]
    with zipfile.ZipFile(tmp_path / "two.zip", "w") as zf:
        zf.writestr("a.nmea", text)
        zf.writestr("b.nmea", text)
    with pytest.raises(InputError, match="holds 2 files"):
        ais.read(tmp_path / "two.zip")
    (tmp_path / "bad.gz").write_bytes(b"not gzip")
    with pytest.raises(InputError, match="decompress"):
        ais.read(tmp_path / "bad.gz", fmt="nmea")


def _frames_equal(a, b):
    for name in ("positions", "vessels", "rejects"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert a.qa == b.qa


@pytest.mark.parametrize("chunksize", [1, 2, 3, 1000])
def test_chunked_reading_is_identical(tmp_path, chunksize):
    mc = ais.to_marinecadastre(scenario_positions(), VESSELS)
    mc.loc[2, "BaseDateTime"] = "garbage"
    mc.loc[5, "LAT"] = 91.0
    mc.to_csv(tmp_path / "mc.csv", index=False)
    one = ais.read(tmp_path / "mc.csv")
    assert len(one.rejects) == 2 and len(one.vessels) == 2
    _frames_equal(one, ais.read(tmp_path / "mc.csv", chunksize=chunksize))
    for f in ("dma_sample.csv", "marinetraffic_tenths.csv"):
        _frames_equal(ais.read(FIXTURES / f), ais.read(FIXTURES / f, chunksize=chunksize))
    with pytest.raises(InputError, match="chunksize"):
        ais.read(tmp_path / "mc.csv", chunksize=0)


# ---------------------------------------------------------------------------------------------
# Real-world ingestion: NMEA talkers, message types, time sources
# ---------------------------------------------------------------------------------------------

def _enc(data, talker="AI", **kw):
    return encode_dict(data, talker_id=talker, sentence_type="VDM", **kw)


def test_any_talker_and_class_b_long_range(tmp_path):
    t18 = _enc({"type": 18, "mmsi": MARIA, "lat": 42.5, "lon": 130.5, "speed": 5.5,
                "course": 100.1, "heading": 511}, talker="BS")[0]
    t19 = _enc({"type": 19, "mmsi": MARIA, "lat": 42.6, "lon": 130.6, "speed": 6.0,
                "course": 90.0, "heading": 91, "shipname": "MARIA"}, talker="AB")[0]
    t27 = _enc({"type": 27, "mmsi": ANGARA, "lat": 42.5, "lon": 130.5, "speed": 12,
                "course": 101, "status": 0})[0]
    t27na = _enc({"type": 27, "mmsi": ANGARA, "lat": 42.5, "lon": 130.5, "speed": 63,
                  "course": 511, "status": 15})[0]
    vdo = type1().replace("!AIVDM", "!AIVDO")
    vdo = vdo[:vdo.index("*") + 1] + f"{reduce(xor, vdo[1:vdo.index('*')].encode(), 0):02X}"
    lines = [tag(s, s="R", c=T0 + i) for i, s in enumerate([t18, t19, t27, t27na, vdo])]
    d = ais.read(write(tmp_path, "b.nmea", lines))
    assert len(d.rejects) == 0
    p = d.positions
    assert p["msg_type"].tolist() == [18, 19, 27, 27, 1]
    assert p["mmsi"].tolist() == [MARIA, MARIA, ANGARA, ANGARA, ANGARA]
    assert p["lat"].tolist()[:4] == pytest.approx([42.5, 42.6, 42.5, 42.5], abs=1e-3)
    assert p["sog_kn"].tolist()[:3] == pytest.approx([5.5, 6.0, 12.0])
    assert p["cog_deg"].tolist()[:3] == pytest.approx([100.1, 90.0, 101.0])
    assert pd.isna(p["heading_deg"][0]) and p["heading_deg"][1] == 91
    assert p["heading_deg"][2:4].isna().all()  # type 27 has no heading
    assert pd.isna(p["sog_kn"][3]) and pd.isna(p["cog_deg"][3])  # 63 kn / 511 not available
    assert p["nav_status"].isna().tolist() == [True, True, False, False, False]
    assert p["nav_status"][3] == 15
    assert p["ts"].iloc[4] == pd.Timestamp(T0 + 4, unit="s", tz="UTC")


def test_type19_static_part_builds_the_vessels_table(tmp_path):
    t19 = _enc({"type": 19, "mmsi": MARIA, "lat": 42.6, "lon": 130.6, "speed": 6.0,
                "course": 90.0, "heading": 91, "shipname": "MARIA", "ship_type": 70,
                "to_bow": 80, "to_stern": 20, "to_port": 7, "to_starboard": 9})[0]
    bare = _enc({"type": 19, "mmsi": ANGARA, "lat": 42.6, "lon": 130.6, "speed": 6.0,
                 "course": 90.0, "heading": 91})[0]
    d = ais.read(write(tmp_path, "c19.nmea", [tag(t19, s="R", c=T0), tag(t19, s="R", c=T0 + 60),
                                              tag(bare, s="R", c=T0 + 90)]))
    assert len(d.positions) == 3 and d.qa["static"] == 0 and d.qa["rows_read"] == 3
    v = d.vessels
    assert v["mmsi"].tolist() == [MARIA]  # a type 19 with no static content adds no vessel row
    row = v.iloc[0]
    assert (row["name"], row["ship_type"], row["length_m"], row["beam_m"]) == ("MARIA", 70, 100.0, 16.0)
    assert pd.isna(row["imo"]) and pd.isna(row["callsign"])
    assert row["first_seen"] == pd.Timestamp(T0, unit="s", tz="UTC")
    assert row["last_seen"] == pd.Timestamp(T0 + 60, unit="s", tz="UTC")


def test_type24_parts_merged_per_mmsi(tmp_path):
    a = _enc({"type": 24, "mmsi": MARIA, "partno": 0, "shipname": "MARIA"})[0]
    b = _enc({"type": 24, "mmsi": MARIA, "partno": 1, "ship_type": 37, "callsign": "UAAA",
              "to_bow": 5, "to_stern": 6, "to_port": 1, "to_starboard": 2})[0]
    b2 = _enc({"type": 24, "mmsi": ANGARA, "partno": 1, "ship_type": 70, "callsign": "UBCD7",
               "to_bow": 70, "to_stern": 52, "to_port": 9, "to_starboard": 9})[0]
    lines = [tag(a, s="R", c=T0), tag(b, s="R", c=T0 + 30), tag(b2, s="R", c=T0 + 40),
             tag(a, s="R", c=T0 + 600)]
    d = ais.read(write(tmp_path, "t24.nmea", lines))
    assert d.qa["static"] == 4 and d.qa["rows_read"] == 4 and len(d.rejects) == 0
    v = d.vessels.set_index("mmsi")
    assert len(v) == 2
    assert (v.loc[MARIA, "name"], v.loc[MARIA, "callsign"], v.loc[MARIA, "ship_type"],
            v.loc[MARIA, "length_m"], v.loc[MARIA, "beam_m"]) == ("MARIA", "UAAA", 37, 11.0, 3.0)
    assert v.loc[MARIA, "first_seen"] == pd.Timestamp(T0, unit="s", tz="UTC")
    assert v.loc[MARIA, "last_seen"] == pd.Timestamp(T0 + 600, unit="s", tz="UTC")
    assert pd.isna(v.loc[ANGARA, "name"]) and v.loc[ANGARA, "length_m"] == 122.0


def _pghp(y, mo, dd, hh, mi, ss, ms):
    body = f"PGHP,1,{y},{mo},{dd},{hh},{mi},{ss},{ms},,219,,1,"
    return f"${body}*{reduce(xor, body.encode(), 0):02X}"


def test_gatehouse_and_trailing_epoch_times(tmp_path):
    t1 = type1()
    lines = [
        _pghp(2023, 8, 1, 0, 1, 2, 500), t1,          # 1-2: Gatehouse time
        t1 + ",s1234,d-101,T12.3,x456,1690848100",    # 3: USCG trailing epoch
        t1,                                           # 4: PGHP consumed already: no time
        _pghp(2023, 8, 1, 0, 1, 2, 0)[:-2] + "00",    # 5: bad checksum
        _pghp(2023, 13, 1, 0, 1, 2, 0),               # 6: impossible date
        tag(t1 + ",s1,d-1,T1,x1,1690849999", s="R", c=T0),  # 7: tag block wins
    ]
    d = ais.read(write(tmp_path, "g.nmea", lines))
    assert d.positions["ts"].tolist() == [pd.Timestamp("2023-08-01T00:01:02.5Z"),
                                          pd.Timestamp(T0 + 100, unit="s", tz="UTC"),
                                          pd.Timestamp(T0, unit="s", tz="UTC")]
    assert dict(zip(d.rejects["locator"], d.rejects["reason"])) == {
        "g.nmea:4": "no timestamp", "g.nmea:5": "bad checksum", "g.nmea:6": "unparseable time"}
    assert d.qa["by_reason"]["Gatehouse time sentence"] == 1 and d.qa["skipped"] == 1
    assert d.qa["rows_read"] == 7
    _qa_identity(d)


def test_time_policy_receive_order(tmp_path):
    t1 = type1()
    lines = [t1, t1 + f",s1,d-1,T1,x1,{T0}", t1, type1(mmsi=MARIA)]
    p = write(tmp_path, "r.nmea", lines)
    d = ais.read(p, time_policy="receive_order")
    assert d.rejects["locator"].tolist() == ["r.nmea:1"]  # before the first timed line
    assert d.positions["ts"].tolist() == [pd.Timestamp(T0, unit="s", tz="UTC")] * 3
    assert ais.read(p).rejects["reason"].tolist() == ["no timestamp"] * 3
    with pytest.raises(InputError, match="receive_order"):
        ais.read(write(tmp_path, "none.nmea", [t1, t1]), time_policy="receive_order")
    with pytest.raises(InputError, match="time_policy"):
        ais.read(p, time_policy="guess")


def test_duplicates_across_feeds_that_round_coordinates_differently():
    """The same message in an NMEA feed (AIS resolution) and a CSV export (5 decimals) is one
    duplicate, even when the two roundings fall either side of a 4th-decimal boundary."""
    from helpers import schema

    def data(lat, source):
        pos = schema.validate(pd.DataFrame({
            "mmsi": [273000002], "ts": pd.to_datetime(["2023-07-16T18:00Z"], utc=True), "lat": [lat],
            "lon": [131.08855], "sog_kn": [0.1], "cog_deg": [None], "heading_deg": [None], "nav_status": [5],
            "source": source, "msg_type": [1]}), "positions")
        return ais.AisData(pos, schema.empty("vessels"), schema.empty("rejects"),
                           {"source": source, "rows_read": 1, "positions": 1, "static": 0, "rejected": 0,
                            "by_reason": {}, "skipped": 0, "vessels": 1, "first_ts": None, "last_ts": None})

    out = ais.clean([data(42.638015, "a.nmea"), data(42.63802, "b.csv")],
                    pd.Timestamp("2023-07-01", tz="UTC"), pd.Timestamp("2023-11-01", tz="UTC"))
    qa = out.qa.set_index("source")
    assert len(out.positions) == 1 and out.positions.iloc[0].source == "a.nmea" and out.rejects.empty
    assert qa.loc["b.csv", "duplicates"] == 1 and qa.loc["total", "duplicates"] == 1
