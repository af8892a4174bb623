"""Any AIS export: delimiter, quoting, null literals and decimal comma sniffed from the header;
columns found by synonyms (a permutation or renaming by synonyms reads identically); units as
options with inference; explicit `columns=` overriding a layout; JSON lines and AISHub answers;
the QA helpers (`lost_share`, `loss_warnings`, `inputs_table`) and a cheap `detect_format`.

The files here are written by the tests (synthetic); the real exports are in
test_real_exports.py."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import ais
from helpers.errors import InputError
from tests.factories import ANGARA, MARIA, assert_qa_identity

REAL_KYSTVERKET = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "ais" / \
    "kystverket_semicolon_test_ais.csv"


def write(tmp_path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def test_semicolon_export_quoted_null_literals_tenths_column(tmp_path):
    # the export of the issue: `;`, quoted strings, NULL literals, SPEED_KNOTSx10, TIMESTAMP_UTC
    p = write(tmp_path, "export.csv", "\r\n".join([
        '"MMSI";"SHIPNAME";"LAT";"LON";"SPEED_KNOTSx10";"COURSE";"TIMESTAMP_UTC"',
        f'{ANGARA};"ANGARA";42.5;130.5;113;87.4;"2023-08-01 00:00:05"',
        f'{MARIA};NULL;42.6;130.6;95;NULL;"2023-08-01 00:10:00"',
        f'{MARIA};"MARIA; THE SECOND";42.7;130.7;NULL;45;NULL', ""]))
    assert ais.detect_format(p) == "table"
    d = ais.read(p)
    assert d.qa["dialect"] == {"container": "csv", "delimiter": "semicolon", "decimal": ".",
                               "nulls": ["NULL"]}
    assert d.qa["columns"] == {"mmsi": "MMSI", "ts": "TIMESTAMP_UTC", "lat": "LAT", "lon": "LON",
                               "sog_kn": "SPEED_KNOTSx10", "cog_deg": "COURSE",
                               "name": "SHIPNAME"}
    assert d.qa["units"] == {"speed": "tenths", "time": "iso"}   # by the column's name
    assert d.positions["sog_kn"].tolist() == [11.3, 9.5]
    assert pd.isna(d.positions["cog_deg"].iloc[1])
    assert d.positions["ts"].tolist() == [ts("2023-08-01T00:00:05"), ts("2023-08-01T00:10:00")]
    assert dict(zip(d.rejects["locator"], d.rejects["reason"])) == {"export.csv:row 3": "no timestamp"}
    assert d.vessels["name"].tolist() == ["ANGARA"]
    assert_qa_identity(d)
    assert ais.read(p, speed_unit="kn").positions["sog_kn"].isna().tolist() == [True, False]


def test_tab_separated_decimal_comma_and_pipe_with_bom_crlf(tmp_path):
    tab = write(tmp_path, "dk.tsv", "Timestamp\tMMSI\tLatitude\tLongitude\tSOG\n"
                "2023-08-01 00:00:00\t273123450\t57,8794\t17,9125\t10,5\n")
    d = ais.read(tab)
    assert d.qa["dialect"]["delimiter"] == "tab" and d.qa["dialect"]["decimal"] == ","
    assert d.positions[["lat", "lon", "sog_kn"]].values.tolist() == [[57.8794, 17.9125, 10.5]]
    pipe = write(tmp_path, "p.txt", "\ufeffvessel_mmsi|lat|lng|epoch_ms\r\n"
                 f"{ANGARA}|42.5|130.5|1690848000000\r\n", "utf-8")
    # "vessel_mmsi" is a synonym; epoch in milliseconds is inferred from its size
    d = ais.read(pipe)
    assert d.qa["columns"] == {"mmsi": "vessel_mmsi", "ts": "epoch_ms", "lat": "lat", "lon": "lng"}
    assert d.qa["units"] == {"speed": "none", "time": "unix_ms"}
    assert d.positions["ts"].tolist() == [ts("2023-08-01T00:00:00")]
    commas = write(tmp_path, "c.csv", "mmsi,lat,lon,time\n"
                   f'{ANGARA},"42,5","130,5",2023-08-01T00:00:00Z\n')
    # a comma-separated file never has a decimal comma: "42,5" is no number
    with pytest.raises(InputError, match="'impossible coordinates'"):
        ais.read(commas)


@pytest.mark.parametrize("times, fmt", [
    (["1690848000", "1690848060"], "unix_s"),
    (["1690848000000", "1690848060000"], "unix_ms"),
    (["01/08/2023 00:00", "31/08/2023 00:01"], "dayfirst"),
    (["08/01/2023 00:00", "08/31/2023 00:01"], "monthfirst"),
    (["2023-08-01T00:00:00", "2023-08-31 00:01:00+00:00"], "iso"),
])
def test_time_format_inferred(tmp_path, times, fmt):
    p = write(tmp_path, "t.csv", "mmsi,lat,lon,time\n" + "".join(
        f"{ANGARA},42.5,130.5,{t}\n" for t in times))
    d = ais.read(p)
    assert d.qa["units"]["time"] == fmt
    assert d.positions["ts"].iloc[0] == ts("2023-08-01T00:00:00")


def test_ambiguous_day_month_names_the_option(tmp_path):
    p = write(tmp_path, "t.csv", f"mmsi,lat,lon,time\n{ANGARA},42.5,130.5,01/02/2023 10:00\n"
              f"{ANGARA},42.5,130.5,03/02/2023 10:00\n")
    with pytest.raises(InputError) as e:
        ais.read(p)
    assert e.value.field == "time" and "time_format='dayfirst'" in e.value.fix
    assert e.value.problem == ("day and month cannot be told apart (no day above 12 in 2 dates "
                               "such as '01/02/2023 10:00')")
    assert ais.read(p, time_format="dayfirst").positions["ts"].iloc[0] == ts("2023-02-01T10:00")
    assert ais.read(p, time_format="monthfirst").positions["ts"].iloc[0] == ts("2023-01-02T10:00")
    both = write(tmp_path, "b.csv", f"mmsi,lat,lon,time\n{ANGARA},42.5,130.5,31/01/2023 10:00\n"
                 f"{ANGARA},42.5,130.5,01/31/2023 10:00\n")
    with pytest.raises(InputError, match="both day-first"):
        ais.read(both)


def test_speed_unit_inferred_from_values_in_a_synonyms_table(tmp_path):
    p = write(tmp_path, "s.csv", f"mmsi,lat,lon,time,speed\n{ANGARA},42.5,130.5,1690848000,113\n"
              f"{ANGARA},42.5,130.5,1690848060,1023\n")
    d = ais.read(p)
    assert d.qa["units"]["speed"] == "tenths" and d.positions["sog_kn"].iloc[0] == 11.3
    assert pd.isna(d.positions["sog_kn"].iloc[1])                       # 102.3: not available


def test_explicit_columns_override_a_named_layout_field_by_field():
    p = REAL_KYSTVERKET.parent / "marinecadastre_noaa_AIS_2023_01_11_head.csv"
    d = ais.read(p, columns={"heading_deg": "COG"})
    assert d.qa["layout"] == "marinecadastre" and d.qa["columns"]["heading_deg"] == "COG"
    assert d.positions["heading_deg"].fillna(-1).tolist()[:3] == [-1, 272.7, 0.9]  # COG 360: none
    assert ais.read(p).positions["heading_deg"].fillna(-1).tolist()[:3] == [95.0, 270.0, 336.0]


# the Kystverket columns and other names for them that the synonyms know
RENAMES = {
    "mmsi": ["mmsi", "MMSI", "ssvid", "User ID"],
    "imo_nr": ["imo_nr", "IMO", "IMO number"],
    "length": ["length", "LOA", "Length (m)"],
    "date_time_utc": ["date_time_utc", "TIMESTAMP_UTC", "# Timestamp", "BaseDateTime", "time"],
    "lon": ["lon", "LONGITUDE", "long", "lng"],
    "lat": ["lat", "LATITUDE", "Lat"],
    "sog": ["sog", "SPEED", "speedOverGround", "speed_knots"],
    "cog": ["cog", "COURSE", "courseOverGround"],
    "true_heading": ["true_heading", "HEADING", "hdg"],
    "nav_status": ["nav_status", "navigationalStatus", "NAVSTATUS"],
    "message_nr": ["message_nr"],
}


def _base():
    with open(REAL_KYSTVERKET, encoding="utf-8") as fh:
        return list(csv.reader(fh, delimiter=";"))


BASE = ais.read(REAL_KYSTVERKET)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(order=st.permutations(list(RENAMES)), pick=st.lists(st.integers(0, 4), min_size=11,
                                                           max_size=11),
       delimiter=st.sampled_from([",", ";", "\t", "|"]), quote=st.booleans())
def test_permuted_and_renamed_header_maps_identically(tmp_path_factory, order, pick, delimiter,
                                                      quote):
    rows = _base()
    names = {c: RENAMES[c][pick[i] % len(RENAMES[c])] for i, c in enumerate(RENAMES)}
    idx = [rows[0].index(c) for c in order]
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL if quote else csv.QUOTE_MINIMAL,
                   lineterminator="\n")
    w.writerow([names[c] for c in order])
    for r in rows[1:]:
        w.writerow([r[i] for i in idx])
    p = tmp_path_factory.mktemp("perm") / "k.csv"
    p.write_text(out.getvalue(), encoding="utf-8")
    d = ais.read(p, source=REAL_KYSTVERKET.name)
    pd.testing.assert_frame_equal(d.positions, BASE.positions)
    pd.testing.assert_frame_equal(d.vessels, BASE.vessels)
    canon = {v: k for k, v in BASE.qa["columns"].items()}              # file column -> canonical
    assert d.qa["columns"] == {canon[c]: names[c] for c in BASE.qa["columns"].values()}


def test_aisstream_json_lines(tmp_path):
    meta = {"MMSI": ANGARA, "ShipName": "ANGARA              ", "latitude": 42.5,
            "longitude": 130.5, "time_utc": "2023-08-01 00:00:05.123456789 +0000 UTC"}
    pos = {"MessageType": "PositionReport", "MetaData": meta, "Message": {"PositionReport": {
        "UserID": ANGARA, "Latitude": 42.5, "Longitude": 130.5, "Sog": 11.3, "Cog": 87.4,
        "TrueHeading": 88, "NavigationalStatus": 0}}}
    b = {"MessageType": "StandardClassBPositionReport",
         "MetaData": {**meta, "MMSI": MARIA, "ShipName": "MARIA", "time_utc":
                      "2023-08-01 00:01:00.5 +0000 UTC"},
         "Message": {"StandardClassBPositionReport": {"UserID": MARIA, "Latitude": 42.6,
                                                      "Longitude": 130.6, "Sog": 5.0, "Cog": 10.0,
                                                      "TrueHeading": 511}}}
    static = {"MessageType": "ShipStaticData", "MetaData": meta, "Message": {"ShipStaticData": {
        "UserID": ANGARA, "Name": "ANGARA", "CallSign": "UBCD7", "ImoNumber": 9179842, "Type": 70,
        "Dimension": {"A": 100, "B": 22, "C": 9, "D": 9}}}}
    base = {"MessageType": "BaseStationReport", "MetaData": {**meta, "MMSI": 2734500},
            "Message": {"BaseStationReport": {"UserID": 2734500}}}
    lines = [json.dumps(x) for x in (pos, b, static, base)] + ["", '{"MessageType": "Posit']
    p = write(tmp_path, "stream.jsonl", "\n".join(lines) + "\n")
    assert ais.detect_format(p) == "aisstream"
    d = ais.read(p)
    assert (d.qa["rows_read"], d.qa["positions"], d.qa["static"], d.qa["rejected"],
            d.qa["skipped"]) == (6, 2, 1, 1, 2)
    assert d.qa["rejected_by_reason"] == {"malformed record": 1}
    assert d.qa["columns"]["sog_kn"] == ("Message.PositionReport.Sog | "
                                         "Message.StandardClassBPositionReport.Sog")
    assert d.positions["ts"].tolist() == [ts("2023-08-01T00:00:05.123456789"),
                                          ts("2023-08-01T00:01:00.5")]
    assert d.positions["sog_kn"].tolist() == [11.3, 5.0] and d.positions["msg_type"].tolist() == [1, 18]
    v = d.vessels.set_index(["mmsi", "imo"])
    row = v.loc[(ANGARA, 9179842)]
    assert (row["name"], row["callsign"], row["ship_type"], row["length_m"], row["beam_m"]) == \
        ("ANGARA", "UBCD7", 70, 122.0, 18.0)


def test_aishub_answer(tmp_path):
    rec = {"MMSI": ANGARA, "TIME": "2023-08-01 00:00:05 GMT", "LONGITUDE": 130.5,
           "LATITUDE": 42.5, "COG": 87.4, "SOG": 11.3, "HEADING": 88, "ROT": 0, "NAVSTAT": 0,
           "IMO": 9179842, "NAME": "ANGARA", "CALLSIGN": "UBCD7", "TYPE": 70, "A": 100, "B": 22,
           "C": 9, "D": 9, "DRAUGHT": 6.1, "DEST": "RAJIN", "ETA": "08-02 12:00"}
    meta = {"ERROR": False, "USERNAME": "X", "FORMAT": "HUMAN", "RECORDS": 1}
    p = write(tmp_path, "hub.json", json.dumps([meta, [rec]]))
    assert ais.detect_format(p) == "aishub"
    d = ais.read(p)
    assert d.qa["dialect"] == {"container": "json (AISHub)"} and len(d.positions) == 1
    assert d.positions["ts"].iloc[0] == ts("2023-08-01T00:00:05")
    assert d.vessels["length_m"].tolist() == [122.0]
    encoded = write(tmp_path, "enc.json", json.dumps([{**meta, "FORMAT": "AIS"}, [rec]]))
    with pytest.raises(InputError, match="format=1") as e:
        ais.read(encoded)
    assert e.value.field == "FORMAT"


def test_loss_warnings_and_inputs_table():
    a = {"source": "a.csv", "rows_read": 100, "skipped": 0, "rejected": 5, "positions": 95,
         "static": 0, "rejected_by_reason": {"invalid MMSI": 5}, "layout": "table",
         "columns": {"mmsi": "MMSI", "ts": "time"}, "units": {"speed": "kn", "time": "iso"},
         "dialect": {"container": "csv", "delimiter": "comma", "decimal": ".", "nulls": []}}
    b = {**a, "source": "b.csv", "rejected": 6, "positions": 94,
         "rejected_by_reason": {"invalid MMSI": 2, "unparseable time": 4}}
    assert ais.lost_share(a) == 0.05 and ais.lost_share({**a, "rows_read": 0, "rejected": 0}) == 0
    assert ais.loss_warnings([a, b]) == [
        "b.csv: 6.0% of its 100 data rows were rejected (4 unparseable time, 2 invalid MMSI), "
        "more than 5%; each is in rejects.parquet with its reason and locator"]
    assert ais.loss_warnings([a, b], threshold=0.1) == []
    t = ais.inputs_table([a, b])
    assert t.columns.tolist() == ["source", "layout", "dialect", "speed", "time", "columns",
                                  "rows_read", "rejected", "lost_share"]
    assert t.iloc[0].to_dict() == {
        "source": "a.csv", "layout": "table",
        "dialect": "container csv, delimiter comma, decimal .", "speed": "kn", "time": "iso",
        "columns": "mmsi = MMSI, ts = time", "rows_read": 100, "rejected": 5, "lost_share": 0.05}


def test_clean_keeps_each_readers_qa():
    d = ais.read(REAL_KYSTVERKET)
    c = ais.clean([d], "2022-09-01T00:00:00Z", "2022-09-02T00:00:00Z")
    assert c.inputs == [d.qa] and c.inputs[0]["columns"]["ts"] == "date_time_utc"


def test_detect_format_reads_the_first_lines_only(tmp_path):
    body = "".join(f"{ANGARA},2023-08-01T00:00:{i % 60:02d},42.5,130.5\n" for i in range(20000))
    blob = gzip.compress(("MMSI,BaseDateTime,LAT,LON\n" + body).encode())
    p = tmp_path / "cut.csv.gz"
    p.write_bytes(blob[: len(blob) // 2])       # a truncated download: only its head is readable
    assert ais.detect_format(p) == "marinecadastre"
    with pytest.raises((InputError, EOFError)):
        ais.read(p)
    nothing = write(tmp_path, "n.csv", "a,b,c\n1,2,3\n")
    with pytest.raises(InputError) as e:
        ais.detect_format(nothing)
    assert e.value.field == "format" and "lacks mmsi, ts, lat, lon" in e.value.problem
    for f in ais.FORMATS[:-1]:
        assert f"'{f}'" in e.value.fix


def test_date_and_time_of_day_columns_are_joined(tmp_path):
    # the VesselFinder-style track: "Date" and "Time (UTC)" in two columns
    p = write(tmp_path, "vf.csv", "MMSI,North,East,Latitude,Longitude,Date,Time (UTC),Speed\n"
              f"{ANGARA},,,54.56874,1.16308,2020-03-21,20:44,10.6\n"
              f"{ANGARA},,,54.53024,1.1949,2020-03-21,20:59,10.3\n")
    d = ais.read(p, chunksize=1)
    assert d.qa["columns"]["ts"] == "Date + Time (UTC)" and d.qa["units"]["time"] == "iso"
    assert d.positions["ts"].tolist() == [ts("2020-03-21T20:44"), ts("2020-03-21T20:59")]
