"""Tests of the NMEA reader (helpers.ais.nmea): exact values, tag blocks, $PGHP and trailing epoch
times, multipart messages, message types, rejects and the QA counts (no network)."""

from __future__ import annotations

from functools import reduce
from operator import xor

import pandas as pd
import pytest
from pyais import encode_dict

from helpers import ais
from helpers.errors import InputError
from tests.factories import ANGARA, MARIA, T0_UNIX, assert_qa_identity, tag_block, type1, write_text_lines


def type5(mmsi=ANGARA, seq=3) -> list[str]:
    return encode_dict({"type": 5, "mmsi": mmsi, "imo": 9179842, "callsign": "UBCD7",
                        "shipname": "ANGARA", "ship_type": 70, "to_bow": 70, "to_stern": 52,
                        "to_port": 9, "to_starboard": 9},
                       talker_id="AI", sentence_type="VDM", seq_id=seq)


def test_type1_decodes_exact_values(tmp_path):
    p = write_text_lines(tmp_path, "one.nmea", [tag_block(type1(), s="RCV1", c=T0_UNIX + 61)])
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
    d = ais.read(write_text_lines(tmp_path, "na.nmea", [tag_block(s, s="R", c=T0_UNIX)]))
    r = d.positions.iloc[0]
    assert pd.isna(r["sog_kn"]) and pd.isna(r["cog_deg"]) and pd.isna(r["heading_deg"])


def test_type5_assembled_with_interleaved_line(tmp_path):
    p1, p2 = type5(seq=3)
    lines = [tag_block(p1, g="1-2-7", s="RCV1", c=T0_UNIX), tag_block(type1(mmsi=MARIA), s="RCV1", c=T0_UNIX),
             tag_block(p2, g="2-2-7", s="RCV1", c=T0_UNIX), tag_block(p1, g="1-2-8", s="RCV1", c=T0_UNIX + 600),
             tag_block(p2, g="2-2-8", s="RCV1", c=T0_UNIX + 600)]
    d = ais.read(write_text_lines(tmp_path, "static.nmea", lines))
    assert len(d.rejects) == 0 and d.qa["static"] == 2 and d.qa["positions"] == 1
    assert len(d.vessels) == 1
    v = d.vessels.iloc[0]
    assert (v["mmsi"], v["imo"], v["name"], v["callsign"]) == (ANGARA, 9179842, "ANGARA", "UBCD7")
    assert (v["ship_type"], v["length_m"], v["beam_m"]) == (70, 122.0, 18.0)
    assert v["first_seen"] == pd.Timestamp(T0_UNIX, unit="s", tz="UTC")
    assert v["last_seen"] == pd.Timestamp(T0_UNIX + 600, unit="s", tz="UTC")
    assert d.positions["mmsi"].tolist() == [MARIA]
    assert d.qa["rows_read"] == 3 and d.qa["lines"] == 5


def test_malformed_lines_rejected_or_skipped(tmp_path):
    good = tag_block(type1(), s="R", c=T0_UNIX)
    bad_checksum = good[:-2] + ("00" if not good.endswith("00") else "01")
    p1, p2 = type5(seq=4)
    lines = [
        good,                                            # 1
        bad_checksum,                                    # 2 bad checksum
        tag_block(p2, g="2-2-9", s="R", c=T0_UNIX),                 # 3 orphan (no first part)
        type1(),                                         # 4 no tag block -> no timestamp
        tag_block(type1(lat=91, lon=181), s="R", c=T0_UNIX),        # 5 position not available
        tag_block(type1(mmsi=12345), s="R", c=T0_UNIX),             # 6 invalid MMSI
        "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A",  # 7 skipped
        "# receiver log, station R",                     # 8 skipped
        "",                                              # 9 skipped
        tag_block(type1(lat=-95.0), s="R", c=T0_UNIX),              # 10 impossible coordinates
        tag_block(p1, g="1-2-5", s="R", c=T0_UNIX),                 # 11 orphan (never completed)
    ]
    d = ais.read(write_text_lines(tmp_path, "bad.nmea", lines))
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
    good = tag_block(type1(), s="R", c=T0_UNIX)
    broken = good.replace("c:", "c:1", 1)  # tag block text changed, checksum not
    t4 = encode_dict({"type": 4, "mmsi": 2734500, "year": 2023, "month": 8, "day": 1},
                     talker_id="AI", sentence_type="VDM")[0]
    t21 = encode_dict({"type": 21, "mmsi": 992731234, "name": "BUOY"},
                      talker_id="AI", sentence_type="VDM")[0]
    d = ais.read(write_text_lines(tmp_path, "x.nmea", [broken, tag_block(t4, s="R", c=T0_UNIX), t4,
                                            tag_block(t21, s="R", c=T0_UNIX), good]))
    assert d.rejects["reason"].tolist() == ["bad checksum (tag block)"] and len(d.positions) == 1
    # type 4 (base station) is receiver evidence, with or without a time; not a position
    assert d.qa["by_reason"]["base station report"] == 2
    assert d.qa["by_reason"]["unsupported message type 21"] == 1 and d.qa["skipped"] == 3


def test_undecodable_payload_never_stops_the_file(tmp_path):
    short = "!AIVDM,1,1,,A,13u?etP,0*"
    short += f"{reduce(xor, short[1:-1].encode(), 0):02X}"
    lines = [tag_block(short, s="R", c=T0_UNIX), "garbage \\ line", tag_block(type1(), s="R", c=T0_UNIX)]
    d = ais.read(write_text_lines(tmp_path, "u.nmea", lines), fmt="nmea")
    assert d.rejects["reason"].tolist() == ["undecodable payload"]
    assert len(d.positions) == 1


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
    lines = [tag_block(s, s="R", c=T0_UNIX + i) for i, s in enumerate([t18, t19, t27, t27na, vdo])]
    d = ais.read(write_text_lines(tmp_path, "b.nmea", lines))
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
    assert p["ts"].iloc[4] == pd.Timestamp(T0_UNIX + 4, unit="s", tz="UTC")


def test_type19_static_part_builds_the_vessels_table(tmp_path):
    t19 = _enc({"type": 19, "mmsi": MARIA, "lat": 42.6, "lon": 130.6, "speed": 6.0,
                "course": 90.0, "heading": 91, "shipname": "MARIA", "ship_type": 70,
                "to_bow": 80, "to_stern": 20, "to_port": 7, "to_starboard": 9})[0]
    bare = _enc({"type": 19, "mmsi": ANGARA, "lat": 42.6, "lon": 130.6, "speed": 6.0,
                 "course": 90.0, "heading": 91})[0]
    d = ais.read(write_text_lines(tmp_path, "c19.nmea", [tag_block(t19, s="R", c=T0_UNIX),
                                                         tag_block(t19, s="R", c=T0_UNIX + 60),
                                                         tag_block(bare, s="R", c=T0_UNIX + 90)]))
    assert len(d.positions) == 3 and d.qa["static"] == 0 and d.qa["rows_read"] == 3
    v = d.vessels
    assert v["mmsi"].tolist() == [MARIA]  # a type 19 with no static content adds no vessel row
    row = v.iloc[0]
    assert (row["name"], row["ship_type"], row["length_m"], row["beam_m"]) == ("MARIA", 70, 100.0, 16.0)
    assert pd.isna(row["imo"]) and pd.isna(row["callsign"])
    assert row["first_seen"] == pd.Timestamp(T0_UNIX, unit="s", tz="UTC")
    assert row["last_seen"] == pd.Timestamp(T0_UNIX + 60, unit="s", tz="UTC")


def test_type24_parts_merged_per_mmsi(tmp_path):
    a = _enc({"type": 24, "mmsi": MARIA, "partno": 0, "shipname": "MARIA"})[0]
    b = _enc({"type": 24, "mmsi": MARIA, "partno": 1, "ship_type": 37, "callsign": "UAAA",
              "to_bow": 5, "to_stern": 6, "to_port": 1, "to_starboard": 2})[0]
    b2 = _enc({"type": 24, "mmsi": ANGARA, "partno": 1, "ship_type": 70, "callsign": "UBCD7",
               "to_bow": 70, "to_stern": 52, "to_port": 9, "to_starboard": 9})[0]
    lines = [tag_block(a, s="R", c=T0_UNIX), tag_block(b, s="R", c=T0_UNIX + 30), tag_block(b2, s="R", c=T0_UNIX + 40),
             tag_block(a, s="R", c=T0_UNIX + 600)]
    d = ais.read(write_text_lines(tmp_path, "t24.nmea", lines))
    assert d.qa["static"] == 4 and d.qa["rows_read"] == 4 and len(d.rejects) == 0
    v = d.vessels.set_index("mmsi")
    assert len(v) == 2
    assert (v.loc[MARIA, "name"], v.loc[MARIA, "callsign"], v.loc[MARIA, "ship_type"],
            v.loc[MARIA, "length_m"], v.loc[MARIA, "beam_m"]) == ("MARIA", "UAAA", 37, 11.0, 3.0)
    assert v.loc[MARIA, "first_seen"] == pd.Timestamp(T0_UNIX, unit="s", tz="UTC")
    assert v.loc[MARIA, "last_seen"] == pd.Timestamp(T0_UNIX + 600, unit="s", tz="UTC")
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
        tag_block(t1 + ",s1,d-1,T1,x1,1690849999", s="R", c=T0_UNIX),  # 7: tag block wins
    ]
    d = ais.read(write_text_lines(tmp_path, "g.nmea", lines))
    assert d.positions["ts"].tolist() == [pd.Timestamp("2023-08-01T00:01:02.5Z"),
                                          pd.Timestamp(T0_UNIX + 100, unit="s", tz="UTC"),
                                          pd.Timestamp(T0_UNIX, unit="s", tz="UTC")]
    assert dict(zip(d.rejects["locator"], d.rejects["reason"])) == {
        "g.nmea:4": "no timestamp", "g.nmea:5": "bad checksum", "g.nmea:6": "unparseable time"}
    assert d.qa["by_reason"]["Gatehouse time sentence"] == 1 and d.qa["skipped"] == 1
    assert d.qa["rows_read"] == 7
    assert_qa_identity(d)


def test_time_policy_receive_order(tmp_path):
    t1 = type1()
    lines = [t1, t1 + f",s1,d-1,T1,x1,{T0_UNIX}", t1, type1(mmsi=MARIA)]
    p = write_text_lines(tmp_path, "r.nmea", lines)
    d = ais.read(p, time_policy="receive_order")
    assert d.rejects["locator"].tolist() == ["r.nmea:1"]  # before the first timed line
    assert d.positions["ts"].tolist() == [pd.Timestamp(T0_UNIX, unit="s", tz="UTC")] * 3
    assert ais.read(p).rejects["reason"].tolist() == ["no timestamp"] * 3
    with pytest.raises(InputError, match="receive_order"):
        ais.read(write_text_lines(tmp_path, "none.nmea", [t1, t1]), time_policy="receive_order")
    with pytest.raises(InputError, match="time_policy"):
        ais.read(p, time_policy="guess")
