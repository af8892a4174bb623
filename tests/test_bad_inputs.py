"""The bad-input corpus (tests/bad_inputs/, README there): every malformed input ends in exactly
one of two ways, asserted here.

- `Err`: helpers.errors.InputError (ParamsError for parameter files) naming the file, the field,
  and what to do (its `fix`).
- `Rows`: the reader keeps the good rows and quarantines the bad ones as rejects with their
  reason, and every row read is counted: rows in = kept + rejected (+ duplicates + static +
  skipped where the reader reports them). The reject reasons are asserted exactly.

No other exception may escape a reader. Parquet, GeoPackage and parameter-file cases are built
at test time in a temporary folder (`generated`); the other files are committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest

from helpers import ais, geo, imagery, params, paths, reference
from helpers.errors import InputError, ParamsError

HERE = Path(__file__).resolve().parent / "bad_inputs"
T0 = pd.Timestamp("2023-09-01T00:00:00Z")
WINDOW = ("2023-08-01T00:00:00Z", "2023-10-01T00:00:00Z")
TABLE_COLS = {"mmsi": "ship_id", "ts": "time", "lat": "y", "lon": "x", "sog_kn": "speed"}


@dataclass(frozen=True)
class Err:
    """The reader raises `cls` for this file and `field`; the fix contains `fix`."""
    field: str
    fix: str
    cls: type = InputError


@dataclass(frozen=True)
class Rows:
    """The reader reads `rows_in` records: `kept` kept, rejects with exactly these reasons."""
    rows_in: int
    kept: int
    rejected: dict = field(default_factory=dict)     # reason -> count
    skipped: int = 0
    static: int = 0
    duplicates: int = 0
    check: Callable | None = None                     # extra assertions on the result


@dataclass(frozen=True)
class Case:
    id: str
    file: str                 # name in tests/bad_inputs/, or "gen:<name>" (built at test time)
    reader: str               # key of READERS
    what: str                 # what is wrong with it (README table)
    expect: Err | Rows
    options: dict = field(default_factory=dict)
    xfail: str | None = None  # "<module>: <what goes wrong>" for a bug its owner must fix


# ---------------------------------------------------------------------------------------------
# Readers: each returns a dict of counts (Rows) or raises (Err)
# ---------------------------------------------------------------------------------------------

def _ais_counts(d: ais.AisData) -> dict:
    return {"rows_in": d.qa["rows_read"], "kept": len(d.positions), "static": d.qa["static"],
            "skipped": d.qa["skipped"], "duplicates": 0,
            "rejected": d.rejects["reason"].value_counts().to_dict(), "result": d}


def read_ais(path, **opt):
    return _ais_counts(ais.read(path, **opt))


def read_ais_clean(path, **opt):
    d = ais.read(path, **opt)
    c = ais.clean([d], *WINDOW)
    total = c.qa.set_index("source").loc["total"]
    return {"rows_in": int(total["rows_read"]), "kept": len(c.positions),
            "static": int(total["static"]), "skipped": int(total["skipped"]),
            "duplicates": int(total["duplicates"]),
            "rejected": c.rejects["reason"].value_counts().to_dict(), "result": c}


def read_sightings(path, **opt):
    kept, rejects = imagery.read_sightings_checked(path)
    with open(path, encoding="utf-8") as fh:           # rows in, counted apart from the reader
        rows_in = sum(1 for line in fh if line.strip()) - 1
    return {"rows_in": rows_in, "kept": len(kept), "static": 0, "skipped": 0, "duplicates": 0,
            "rejected": rejects["reason"].value_counts().to_dict(), "result": (kept, rejects)}


def read_catalog(path, **opt):
    cat = imagery.read_catalog(path)
    total = cat.qa.set_index("source").loc["total"]
    return {"rows_in": int(total["items_read"]), "kept": len(cat.acquisitions), "static": 0,
            "skipped": 0, "duplicates": int(total["duplicates"]),
            "rejected": cat.rejects["reason"].value_counts().to_dict(), "result": cat}


def _duplicate_kept_once(r):
    cat = r["result"]
    assert cat.duplicates[["acq_id", "rule", "file"]].values.tolist() == [
        ["BAD-S2_20230901T020000", "same id, same content", "tests/bad_inputs/stac_duplicate_ids/b.json"]]


READERS = {
    "ais.read": read_ais,
    "ais.read+clean": read_ais_clean,
    "imagery.read_acquisitions": lambda p, **o: imagery.read_acquisitions(p),
    "imagery.read_catalog": read_catalog,
    "imagery.read_sightings_checked": read_sightings,
    "geo.load_ports": lambda p, **o: geo.load_ports(p),
    "geo.load_ports+land": lambda p, **o: geo.load_ports(p, land=geo.load_land()),
    "geo.load_land": lambda p, **o: geo.load_land(p),
    "reference.read": lambda p, **o: reference.read(p),
    "params.load": lambda p, **o: params.load(p),
}


# ---------------------------------------------------------------------------------------------
# Extra checks for cases whose rows are kept
# ---------------------------------------------------------------------------------------------

def _times_are(*stamps):
    def check(r):
        got = r["result"].positions.sort_values("lat")["ts"].tolist()
        assert got == [pd.Timestamp(s) for s in stamps]
        assert str(r["result"].positions["ts"].dt.tz) == "UTC"
    return check


def _mapped(**cols):
    def check(r):
        got = r["result"].qa["columns"]
        assert {k: got[k] for k in cols} == cols, got
    return check


def _speeds_are(*kn):
    def check(r):
        assert r["result"].positions["sog_kn"].tolist() == list(kn)
    return check


def _mc_wrong_types(r):
    pos = r["result"].positions
    assert pos["sog_kn"].isna().sum() == 1               # "fast" becomes a null speed, row kept
    assert r["result"].rejects["locator"].tolist() == ["mc_wrong_types.csv:row 2",
                                                       "mc_wrong_types.csv:row 3"]


def _latin1_name(r):
    # undecodable bytes become U+FFFD: the position is kept, the name shows where bytes were lost
    assert r["result"].vessels["name"].tolist() == ["S\ufffdO JOS\ufffd"]


def _empty_tables(r):
    d = r["result"]
    assert list(d.positions.columns)[:4] == ["mmsi", "ts", "lat", "lon"] and d.positions.empty


def _sighting_locators(r):
    kept, rejects = r["result"]
    assert kept["sighting_id"].tolist() == ["S1"]
    assert rejects["locator"].tolist() == [f"sightings_bad_rows.csv:row {i}" for i in (2, 3, 4, 5, 6)]


def _dup_kept_first(r):
    c = r["result"]
    assert c.positions["ts"].tolist() == [T0, T0 + pd.Timedelta(minutes=1)]


# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------

CASES = [
    # --- raw NMEA
    Case("nmea-truncated", "nmea_truncated.nmea", "ais.read", "last line cut mid-sentence; "
         "first part of a two-part type 5 with no second part",
         Rows(4, 2, {"bad checksum": 1, "orphan multipart fragment": 1}), {"fmt": "nmea"}),
    Case("nmea-utf16", "nmea_utf16.nmea", "ais.read", "UTF-16 encoded log",
         Err("encoding", "UTF-8"), {"fmt": "nmea"}),
    Case("nmea-utf16-auto", "nmea_utf16.nmea", "ais.read", "UTF-16 log, format auto-detected",
         Err("encoding", "UTF-8")),
    Case("nmea-latin1", "nmea_latin1.nmea", "ais.read", "Latin-1 byte in a comment and inside "
         "a sentence", Rows(3, 1, {"bad checksum": 1}, skipped=1), {"fmt": "nmea"}),
    Case("nmea-empty", "nmea_empty.nmea", "ais.read", "0 bytes", Err("(file)", "remove it"),
         {"fmt": "nmea"}),
    Case("nmea-garbage", "garbage.bin", "ais.read", "random binary bytes read as NMEA",
         Err("encoding", "UTF-8"), {"fmt": "nmea"}),
    Case("garbage-auto", "garbage.bin", "ais.read", "random binary bytes, format auto-detected",
         Err("encoding", "UTF-8")),
    Case("nmea-bad-checksum", "nmea_bad_checksum.nmea", "ais.read", "sentence checksum wrong",
         Rows(2, 1, {"bad checksum": 1})),
    Case("nmea-bad-tag-checksum", "nmea_bad_tag_checksum.nmea", "ais.read",
         "tag block edited without fixing its checksum",
         Rows(2, 1, {"bad checksum (tag block)": 1})),
    Case("nmea-no-timestamps", "nmea_no_timestamps.nmea", "ais.read", "sentences with no "
         "receive time (no tag block, epoch or $PGHP): every message rejected for that",
         Err("receive time", "time_policy: receive_order"), {"fmt": "nmea"}),
    Case("nmea-no-timestamps-receive-order", "nmea_no_timestamps.nmea", "ais.read",
         "same, with time_policy='receive_order'", Err("time", "tag blocks"),
         {"fmt": "nmea", "time_policy": "receive_order"}),
    Case("nmea-impossible-coordinates", "nmea_impossible_coordinates.nmea", "ais.read",
         "lat 91 (not available), lat 95, lon -185",
         Rows(4, 1, {"position not available": 1, "impossible coordinates": 2})),
    Case("nmea-bad-mmsi", "nmea_bad_mmsi.nmea", "ais.read", "5-digit MMSI",
         Rows(2, 1, {"invalid MMSI": 1})),
    Case("nmea-orphan-fragment", "nmea_orphan_fragment.nmea", "ais.read",
         "second part of a multipart message without its first",
         Rows(2, 1, {"orphan multipart fragment": 1})),
    Case("nmea-undecodable", "nmea_undecodable.nmea", "ais.read", "valid checksum, payload "
         "of characters outside the AIS alphabet",
         Rows(2, 1, {"undecodable payload": 1})),
    Case("nmea-gatehouse-bad-date", "nmea_gatehouse_bad_date.nmea", "ais.read",
         "$PGHP time with month 13, then an untimed sentence",
         Rows(3, 1, {"unparseable time": 1, "no timestamp": 1})),
    Case("nmea-missing-path", "no_such_log.nmea", "ais.read", "path that does not exist",
         Err("path", "check the path")),
    Case("nmea-directory", "a_directory.csv", "ais.read", "a directory where a file is "
         "expected", Err("path", "check the path"), {"fmt": "nmea"}),
    Case("unknown-format", "mc_header_only.csv", "ais.read", "fmt= names no known format",
         Err("format", "nmea"), {"fmt": "nmea0183"}),
    # --- MarineCadastre CSV
    Case("mc-renamed-column", "mc_renamed_column.csv", "ais.read", "LAT renamed Latitude",
         Err("LAT", "MMSI, BASEDATETIME, LAT, LON"), {"fmt": "marinecadastre"}),
    Case("mc-renamed-column-auto", "mc_renamed_column.csv", "ais.read",
         "LAT renamed Latitude, format auto-detected: read as a table by column synonyms",
         Rows(1, 1, check=_mapped(lat="Latitude", lon="LON", ts="BaseDateTime"))),
    Case("mc-wrong-types", "mc_wrong_types.csv", "ais.read", "MMSI 'abc', LAT 'north', "
         "SOG 'fast'", Rows(4, 2, {"invalid MMSI": 1, "impossible coordinates": 1},
                            check=_mc_wrong_types)),
    Case("mc-time-zones", "mc_time_zones.csv", "ais.read", "naive, +10:00 and Z times mixed; "
         "one unparseable", Rows(4, 3, {"unparseable time": 1},
                                 check=_times_are(T0, T0, T0))),
    Case("mc-wrong-time-format", "mc_time_zones.csv", "ais.read", "ISO times read with "
         "time_format='unix_ms': no row has a time", Err("BaseDateTime", "time_format="),
         {"time_format": "unix_ms"}),
    Case("mc-unknown-time-format", "mc_time_zones.csv", "ais.read", "time_format='yesterday'",
         Err("time_format", "strftime"), {"time_format": "yesterday"}),
    Case("mc-impossible-coordinates", "mc_impossible_coordinates.csv", "ais.read",
         "LAT 91, LAT 123.4, LON -200",
         Rows(4, 1, {"position not available": 1, "impossible coordinates": 2})),
    Case("mc-truncated", "mc_truncated.csv", "ais.read", "last row cut after LAT",
         Rows(2, 1, {"impossible coordinates": 1})),
    Case("mc-ragged-row", "mc_ragged_row.csv", "ais.read", "a row with one field too many",
         Err("(line 3)", "comma")),
    Case("mc-unclosed-quote", "mc_unclosed_quote.csv", "ais.read", "a quote opened and "
         "never closed (file truncated inside a field)", Err("(file)", "quote")),
    Case("mc-utf16", "mc_utf16.csv", "ais.read", "UTF-16 export (Excel 'Unicode text')",
         Err("encoding", "UTF-8"), {"fmt": "marinecadastre"}),
    Case("mc-latin1", "mc_latin1.csv", "ais.read", "Latin-1 vessel name",
         Rows(1, 1, check=_latin1_name)),
    Case("mc-header-only", "mc_header_only.csv", "ais.read", "header, no rows",
         Rows(0, 0, check=_empty_tables)),
    Case("mc-empty", "mc_empty.csv", "ais.read", "0 bytes", Err("(file)", "remove it"),
         {"fmt": "marinecadastre"}),
    Case("mc-duplicate-rows", "mc_duplicate_rows.csv", "ais.read+clean", "the same row twice",
         Rows(3, 2, duplicates=1, check=_dup_kept_first)),
    # --- DMA CSV
    Case("dma-missing-latitude", "dma_missing_latitude.csv", "ais.read",
         "Latitude column missing", Err("LATITUDE", "LATITUDE"), {"fmt": "dma"}),
    Case("dma-bad-rows", "dma_bad_rows.csv", "ais.read", "month-first date, ISO date "
         "(DMA is day-first), Latitude 'fifty', a base station",
         Rows(5, 1, {"unparseable time": 2, "impossible coordinates": 1}, skipped=1)),
    # --- MarineTraffic CSV
    Case("mt-missing-timestamp", "mt_missing_timestamp.csv", "ais.read", "TIMESTAMP missing",
         Err("TIMESTAMP", "TIMESTAMP"), {"fmt": "marinetraffic"}),
    Case("mt-mixed-times", "mt_mixed_times.csv", "ais.read", "unix seconds, +09:00, naive "
         "and 'not a time' in one column", Rows(4, 3, {"unparseable time": 1},
                                                check=_times_are(T0, T0, T0))),
    Case("mt-semicolons", "mt_semicolons.csv", "ais.read", "semicolon-separated export "
         "(delimiter sniffed; SPEED 100 in tenths as MarineTraffic documents)",
         Rows(1, 1, check=_speeds_are(10.0)), {"fmt": "marinetraffic"}),
    Case("mt-bad-speed-unit", "mt_mixed_times.csv", "ais.read", "speed_unit='mph'",
         Err("speed_unit", "tenths"), {"fmt": "marinetraffic", "speed_unit": "mph"}),
    # --- generic table CSV with a mapping
    Case("table-bad-rows", "table_positions.csv", "ais.read", "MMSI 273210440.5, speed 'ten', "
         "empty lat; naive and epoch times", Rows(4, 2, {"invalid MMSI": 1,
                                                         "impossible coordinates": 1}),
         {"fmt": "table", "columns": TABLE_COLS}),
    Case("table-unmapped-column", "table_positions.csv", "ais.read", "mapping names a column "
         "the file lacks", Err("vessel", "the file's columns"),
         {"fmt": "table", "columns": {**TABLE_COLS, "mmsi": "vessel"}}),
    Case("table-unknown-key", "table_positions.csv", "ais.read", "mapping uses an unknown "
         "canonical name", Err("speed", "use names from"),
         {"fmt": "table", "columns": {**TABLE_COLS, "speed": "speed"}}),
    Case("table-no-mapping", "table_positions.csv", "ais.read", "fmt='table' without columns=",
         Err("columns", "columns="), {"fmt": "table"}),
    Case("table-ts-unmapped", "table_positions.csv", "ais.read", "mapping lacks ts: column "
         "'time' found by synonym", Rows(4, 2, {"invalid MMSI": 1, "impossible coordinates": 1},
                                        check=_mapped(ts="time", mmsi="ship_id")),
         {"fmt": "table", "columns": {"mmsi": "ship_id", "lat": "y", "lon": "x"}}),
    Case("table-no-lat-lon", "table_positions.csv", "ais.read", "auto: no synonym names "
         "latitude or longitude (y, x)", Err("format", "columns=")),
    # --- Parquet / GeoParquet (built at test time)
    Case("parquet-truncated", "gen:truncated.parquet", "ais.read", "Parquet file cut in half",
         Err("(file)", "complete"), {"fmt": "table", "columns": TABLE_COLS}),
    Case("parquet-wrong-types", "gen:wrong_types.parquet", "ais.read", "every column text: "
         "MMSI 'abc', time 'soon', lat 'north'",
         Rows(4, 1, {"invalid MMSI": 1, "unparseable time": 1, "impossible coordinates": 1}),
         {"fmt": "table", "columns": TABLE_COLS}),
    Case("parquet-naive-times", "gen:naive_times.parquet", "ais.read", "naive datetime64 "
         "column (taken as UTC)", Rows(2, 2, check=_times_are(T0, T0 + pd.Timedelta(minutes=1))),
         {"fmt": "table", "columns": TABLE_COLS}),
    Case("parquet-zoned-times", "gen:zoned_times.parquet", "ais.read", "datetime column in "
         "Asia/Vladivostok", Rows(2, 2, check=_times_are(T0, T0 + pd.Timedelta(minutes=1))),
         {"fmt": "table", "columns": TABLE_COLS}),
    Case("parquet-missing-column", "gen:naive_times.parquet", "ais.read", "mapping names a "
         "column the Parquet file lacks", Err("heading", "the file's columns"),
         {"fmt": "table", "columns": {**TABLE_COLS, "heading_deg": "heading"}}),
    Case("geoparquet-polygon", "gen:polygons.geoparquet", "ais.read", "GeoParquet with a "
         "polygon and a point outside the world", Rows(3, 1, {"geometry is not a point": 1,
                                                              "impossible coordinates": 1}),
         {"fmt": "table", "columns": {"mmsi": "ship_id", "ts": "time"}}),
    Case("parquet-garbage", "garbage.bin", "ais.read", "binary garbage read as a table CSV",
         Err("encoding", "UTF-8"), {"fmt": "table", "columns": TABLE_COLS}),
    # --- GeoPackage (built at test time)
    Case("gpkg-two-layers", "gen:two_layers.gpkg", "ais.read", "two layers, none chosen",
         Err("layer", "layer"), {"fmt": "table", "columns": {"mmsi": "ship_id", "ts": "time"}}),
    Case("gpkg-projected", "gen:projected.gpkg", "ais.read", "points in Web Mercator",
         Err("geometry", "EPSG:4326"), {"fmt": "table", "columns": {"mmsi": "ship_id",
                                                                    "ts": "time"}}),
    Case("gpkg-lines", "gen:lines.gpkg", "ais.read", "a line among the points; a naive time",
         Rows(2, 1, {"geometry is not a point": 1}),
         {"fmt": "table", "columns": {"mmsi": "ship_id", "ts": "time"}}),
    Case("gpkg-truncated", "gen:truncated.gpkg", "ais.read", "GeoPackage cut short",
         Err("(file)", "complete"), {"fmt": "table", "columns": {"mmsi": "ship_id",
                                                                 "ts": "time"}}),
    # --- STAC items
    Case("stac-truncated", "stac_truncated.json", "imagery.read_acquisitions", "JSON cut short",
         Err("(file)", "STAC")),
    Case("stac-utf16", "stac_utf16.json", "imagery.read_acquisitions", "UTF-16 JSON",
         Err("(file)", "STAC")),
    Case("stac-no-datetime", "stac_no_datetime.json", "imagery.read_acquisitions",
         "item without datetime", Err("datetime", "properties.datetime")),
    Case("stac-naive-datetime", "stac_naive_datetime.json", "imagery.read_acquisitions",
         "datetime without zone", Err("datetime", "UTC")),
    Case("stac-bowtie", "stac_bowtie_footprint.json", "imagery.read_acquisitions",
         "self-intersecting footprint", Err("geometry", "Polygon")),
    Case("stac-cloud-text", "stac_cloud_cover_text.json", "imagery.read_acquisitions",
         "eo:cloud_cover 'cloudy'", Err("eo:cloud_cover", "number")),
    Case("stac-impossible-footprint", "stac_impossible_footprint.json",
         "imagery.read_acquisitions", "footprint at lon 230, lat 142",
         Err("geometry", "WGS 84")),
    Case("stac-not-stac", "stac_not_stac.json", "imagery.read_acquisitions",
         "GeoJSON Feature without stac_version", Err("type", "stac_version")),
    Case("stac-duplicate-ids", "stac_duplicate_ids", "imagery.read_catalog",
         "two identical items with one scene id", Rows(2, 1, duplicates=1, check=_duplicate_kept_once)),
    Case("stac-remote-link", "stac_remote_link.json", "imagery.read_acquisitions",
         "catalog linking an https:// item", Err("links", "local copy")),
    Case("stac-missing-path", "no_such_catalog.json", "imagery.read_acquisitions",
         "path that does not exist", Err("path", "check the path")),
    # --- sightings CSV
    Case("sightings-missing-datetime", "sightings_missing_datetime.csv",
         "imagery.read_sightings_checked", "datetime column missing",
         Err("datetime", "add them")),
    Case("sightings-bad-rows", "sightings_bad_rows.csv", "imagery.read_sightings_checked",
         "naive time, lat 95, id_confidence 'sure', duplicate id, containers 'many'",
         Rows(6, 1, {"datetime '2023-09-01T02:00:00' has no time zone (write UTC with Z)": 1,
                     "lat 95.0 outside -90..90": 1,
                     "unknown id_confidence 'sure' (expected high/medium/low/none)": 1,
                     "duplicate sighting_id S1": 1,
                     "containers 'many' is not a number": 1}, check=_sighting_locators)),
    Case("sightings-empty", "sightings_empty.csv", "imagery.read_sightings_checked", "0 bytes",
         Err("(file)", "UTF-8 CSV")),
    Case("sightings-latin1", "sightings_latin1.csv", "imagery.read_sightings_checked",
         "Latin-1 analyst note", Err("(file)", "UTF-8 CSV")),
    Case("sightings-directory", "a_directory.csv", "imagery.read_sightings_checked",
         "a directory where the CSV is expected", Err("path", "sightings CSV")),
    # --- port geofences (helpers.geo.load_ports)
    Case("ports-bowtie", "ports_bowtie.geojson", "geo.load_ports", "self-intersecting fence",
         Err("geometry", "self-intersections")),
    Case("ports-duplicate-names", "ports_duplicate_names.geojson", "geo.load_ports",
         "two features named Rajin", Err("port", "one feature")),
    Case("ports-missing-role", "ports_missing_role.geojson", "geo.load_ports",
         "property 'role' missing", Err("role", "properties")),
    Case("ports-unknown-role", "ports_unknown_role.geojson", "geo.load_ports",
         "role 'harbour'", Err("role", "destination")),
    Case("ports-berth-outside", "ports_berth_outside.geojson", "geo.load_ports",
         "berth point outside its fence", Err("berth_lon/berth_lat", "inside the polygon")),
    Case("ports-berth-text", "ports_berth_text.geojson", "geo.load_ports", "berth_lat 'north'",
         Err("berth_lat", "decimal degrees")),
    Case("ports-impossible-coordinates", "ports_impossible_coordinates.geojson",
         "geo.load_ports", "fence and berth at lon 230", Err("geometry", "EPSG:4326")),
    Case("ports-projected", "ports_projected_crs.geojson", "geo.load_ports",
         "CRS EPSG:3857", Err("crs", "EPSG:4326")),
    Case("ports-point", "ports_point_geometry.geojson", "geo.load_ports",
         "a Point instead of a fence polygon", Err("geometry", "Polygon")),
    Case("ports-truncated", "ports_truncated.geojson", "geo.load_ports", "JSON cut short",
         Err("file", "JSON")),
    Case("ports-empty", "ports_empty_collection.geojson", "geo.load_ports",
         "FeatureCollection with no features", Err("features", "Feature per port")),
    Case("ports-directory", "a_directory.csv", "geo.load_ports", "a directory",
         Err("file", "GeoJSON")),
    Case("ports-missing-path", "no_such_ports.geojson", "geo.load_ports",
         "path that does not exist", Err("file", "GeoJSON")),
    # --- port geofences against the coastline (the bundled clip, 129-134.5 E, 41-44 N)
    Case("ports-outside-clip", "ports_outside_clip.geojson", "geo.load_ports+land",
         "a port (Busan, 35.1 N 129.04 E) outside the coastline clip",
         Err("berth_lon/berth_lat", "python -m helpers coastline --bbox 128.5 34.5 130.9 42.8")),
    Case("ports-berth-on-land", "ports_berth_on_land.geojson", "geo.load_ports+land",
         "berth 1.1 km inland (Rason city)", Err("berth_lon/berth_lat", "onto the water")),
    # --- coastline (helpers.geo.load_land)
    Case("land-garbage", "garbage.bin", "geo.load_land", "binary garbage as the coastline",
         Err("file", "make coastline")),
    Case("land-directory", "a_directory.csv", "geo.load_land", "a directory",
         Err("file", "make coastline")),
    Case("land-projected", "gen:land_projected.gpkg", "geo.load_land",
         "land polygons in Web Mercator", Err("geometry", "EPSG:4326")),
    Case("land-lines", "gen:land_lines.gpkg", "geo.load_land", "coast lines, no polygons",
         Err("geometry", "python -m helpers coastline --bbox W S E N")),
    Case("land-empty", "gen:land_empty.gpkg", "geo.load_land", "a layer with no features",
         Err("geometry", "python -m helpers coastline --bbox W S E N")),
    # --- vessels reference CSV (helpers.reference.read)
    Case("vessels-missing-imo", "vessels_missing_imo.csv", "reference.read",
         "imo column missing", Err("imo", "add it")),
    Case("vessels-mmsi-text", "vessels_mmsi_text.csv", "reference.read", "mmsi 'unknown'",
         Err("mmsi", "digits only")),
    Case("vessels-duplicate-mmsi", "vessels_duplicate_mmsi.csv", "reference.read",
         "two vessels with one MMSI", Err("mmsi", "one row per MMSI")),
    Case("vessels-no-name", "vessels_no_name.csv", "reference.read", "a vessel without a name",
         Err("name", "give every vessel a name")),
    Case("vessels-empty", "vessels_empty.csv", "reference.read", "0 bytes",
         Err("(file)", "UTF-8 CSV")),
    Case("vessels-utf16", "vessels_utf16.csv", "reference.read", "UTF-16 CSV",
         Err("(file)", "UTF-8 CSV")),
    Case("vessels-directory", "a_directory.csv", "reference.read", "a directory",
         Err("(file)", "inputs.vessels")),
    # --- parameter files (built at test time from notebooks/params/default.yaml)
    Case("params-unknown-key", "gen:params_unknown_key.yaml", "params.load",
         "thresholds.dark_min_hourz (typo)", Err("thresholds.dark_min_hourz", "remove it",
                                                 ParamsError)),
    Case("params-wrong-type", "gen:params_wrong_type.yaml", "params.load",
         "dark_min_hours: twelve", Err("thresholds.dark_min_hours", "type", ParamsError)),
    Case("params-bool-number", "gen:params_bool_number.yaml", "params.load",
         "dark_min_hours: true", Err("thresholds.dark_min_hours", "type", ParamsError)),
    Case("params-naive-window", "gen:params_naive_window.yaml", "params.load",
         "window.start without zone", Err("window.start", "Z (UTC)", ParamsError)),
    Case("params-reversed-window", "gen:params_reversed_window.yaml", "params.load",
         "window.end before window.start", Err("window.end", "after", ParamsError)),
    Case("params-negative-threshold", "gen:params_negative.yaml", "params.load",
         "dark_min_hours: -5", Err("thresholds.dark_min_hours", "zero or more", ParamsError)),
    Case("params-bad-auto", "gen:params_bad_auto.yaml", "params.load",
         "reception_min_per_day: automatic", Err("thresholds.reception_min_per_day", "auto", ParamsError)),
    Case("params-negative-auto-number", "gen:params_negative_auto.yaml", "params.load",
         "reception_min_per_day: -1", Err("thresholds.reception_min_per_day", "zero or more", ParamsError)),
    Case("params-bad-choice", "gen:params_bad_choice.yaml", "params.load",
         "jump_policy: drop", Err("thresholds.jump_policy", "reject", ParamsError)),
    Case("params-truncated", "gen:params_truncated.yaml", "params.load",
         "file cut inside a quoted string", Err("(YAML)", "syntax", ParamsError)),
    Case("params-python-tag", "gen:params_python_tag.yaml", "params.load",
         "!!python/object/apply tag (code injection attempt)",
         Err("(YAML)", "syntax", ParamsError)),
    Case("params-duplicate-key", "gen:params_duplicate_key.yaml", "params.load",
         "dark_min_hours given twice", Err("thresholds.dark_min_hours", "once", ParamsError)),
    Case("params-not-mapping", "gen:params_list.yaml", "params.load", "a YAML list",
         Err("(top level)", "key: value", ParamsError)),
    Case("params-empty", "gen:params_empty.yaml", "params.load", "0 bytes",
         Err("(top level)", "key: value", ParamsError)),
    Case("params-utf16", "gen:params_utf16.yaml", "params.load", "UTF-16 file",
         Err("(file)", "UTF-8", ParamsError)),
    Case("params-unknown-ais-option", "gen:params_ais_option.yaml", "params.load",
         "inputs.ais[0].options.chunk_size (typo)",
         Err("inputs.ais[0].options.chunk_size", "remove it", ParamsError)),
    Case("params-bad-vessel", "gen:params_bad_vessel.yaml", "params.load",
         "vessels_of_interest: [{mmsi: 123}]", Err("vessels_of_interest[0]", "mmsi",
                                                   ParamsError)),
    Case("params-missing-path", "no_such_params.yaml", "params.load", "path that does not exist",
         Err("(file)", "project root", ParamsError)),
    Case("params-directory", "a_directory.csv", "params.load", "a directory",
         Err("(file)", "project root", ParamsError)),
]


# ---------------------------------------------------------------------------------------------
# Files built at test time
# ---------------------------------------------------------------------------------------------

def _params_variants() -> dict[str, bytes]:
    text = (paths.PARAMS / "default.yaml").read_text(encoding="utf-8")

    def sub(old, new, count=1):
        assert old in text, old
        return text.replace(old, new, count)
    cut = text.index('source_line: "Data') + len('source_line: "Data')
    return {
        "params_unknown_key.yaml": sub("dark_min_hours:", "dark_min_hourz:"),
        "params_wrong_type.yaml": sub("dark_min_hours: 12", "dark_min_hours: twelve"),
        "params_bool_number.yaml": sub("dark_min_hours: 12", "dark_min_hours: true"),
        "params_naive_window.yaml": sub('start: "2023-07-01T00:00:00Z"',
                                        'start: "2023-07-01T00:00:00"'),
        "params_reversed_window.yaml": sub('start: "2023-07-01T00:00:00Z"',
                                           'start: "2023-12-01T00:00:00Z"'),
        "params_negative.yaml": sub("dark_min_hours: 12", "dark_min_hours: -5"),
        "params_bad_auto.yaml": sub("reception_min_per_day: auto", "reception_min_per_day: automatic"),
        "params_negative_auto.yaml": sub("reception_min_per_day: auto", "reception_min_per_day: -1"),
        "params_bad_choice.yaml": sub("jump_policy: reject", "jump_policy: drop"),
        "params_truncated.yaml": text[:cut],
        "params_python_tag.yaml": text + "evil: !!python/object/apply:os.system ['echo pwned']\n",
        "params_duplicate_key.yaml": sub("  dark_min_hours: 12", "  dark_min_hours: 12\n"
                                         "  dark_min_hours: 6"),
        "params_list.yaml": "- a\n- b\n",
        "params_empty.yaml": "",
        "params_utf16.yaml": text.encode("utf-16"),
        "params_ais_option.yaml": sub("format: nmea}", "format: nmea, options: {chunk_size: 100}}"),
        "params_bad_vessel.yaml": sub("vessels_of_interest: [ANGARA, MARIA]",
                                      "vessels_of_interest: [{mmsi: 123}]"),
    }


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """The Parquet, GeoPackage and parameter-file cases, written into a temporary folder."""
    import geopandas as gpd
    from shapely.geometry import LineString, Point, Polygon

    d = tmp_path_factory.mktemp("bad_inputs_generated")
    minute = pd.Timedelta(minutes=1)
    good = pd.DataFrame({"ship_id": [273210440, 273210440], "time": [T0, T0 + minute],
                         "y": [42.5, 42.6], "x": [131.0, 131.0], "speed": [10.0, 10.0]})
    good.to_parquet(d / "whole.parquet", index=False)
    blob = (d / "whole.parquet").read_bytes()
    (d / "truncated.parquet").write_bytes(blob[: len(blob) // 2])
    pd.DataFrame({"ship_id": ["273210440", "abc", "273210440", "273210440"],
                  "time": ["2023-09-01T00:00:00Z", "2023-09-01T00:01:00Z", "soon",
                           "2023-09-01T00:03:00Z"],
                  "y": ["42.5", "42.5", "42.5", "north"], "x": ["131"] * 4,
                  "speed": ["10", "10", "10", "10"]}).to_parquet(d / "wrong_types.parquet")
    good.assign(time=good["time"].dt.tz_localize(None)).to_parquet(d / "naive_times.parquet")
    good.assign(time=good["time"].dt.tz_convert("Asia/Vladivostok")) \
        .to_parquet(d / "zoned_times.parquet")
    pts = gpd.GeoDataFrame(
        {"ship_id": [273210440] * 3, "time": [T0, T0 + minute, T0 + 2 * minute]},
        geometry=[Point(131.0, 42.5), Polygon([(131, 42), (131.1, 42), (131.1, 42.1)]),
                  Point(200.0, 42.5)], crs="EPSG:4326")
    pts.to_parquet(d / "polygons.geoparquet")
    two = pts.iloc[[0]].copy()
    two.to_file(d / "two_layers.gpkg", layer="a", driver="GPKG")
    two.to_file(d / "two_layers.gpkg", layer="b", driver="GPKG")
    two.to_crs(3857).to_file(d / "projected.gpkg", driver="GPKG")
    lines = gpd.GeoDataFrame({"ship_id": [273210440, 273210440],
                              "time": ["2023-09-01T00:00:00", "2023-09-01T00:01:00Z"]},
                             geometry=[Point(131.0, 42.5), LineString([(131, 42), (131.1, 42.1)])],
                             crs="EPSG:4326")
    lines.to_file(d / "lines.gpkg", driver="GPKG")
    blob = (d / "lines.gpkg").read_bytes()
    (d / "truncated.gpkg").write_bytes(blob[:2048])
    coast = gpd.GeoDataFrame({"gshhs_id": ["1"], "level": [1]},
                             geometry=[Polygon([(130, 42), (131, 42), (131, 43), (130, 42)])],
                             crs="EPSG:4326")
    coast.to_crs(3857).to_file(d / "land_projected.gpkg", driver="GPKG")
    coast.assign(geometry=coast.boundary).to_file(d / "land_lines.gpkg", driver="GPKG")
    coast.iloc[:0].to_file(d / "land_empty.gpkg", driver="GPKG")
    for name, content in _params_variants().items():
        (d / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return d


def _path(case: Case, generated: Path) -> Path:
    if case.file.startswith("gen:"):
        return generated / case.file[4:]
    return HERE / case.file


def _params(cases):
    for c in cases:
        marks = [pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else []
        yield pytest.param(c, id=c.id, marks=marks)


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------

def test_corpus_is_large_and_every_committed_file_is_used():
    assert len(CASES) >= 40 and len({c.id for c in CASES}) == len(CASES)
    used = {c.file for c in CASES}
    committed = {p.name for p in HERE.iterdir()} - {"README.md", "make_corpus.py"}
    assert committed <= used, f"corpus files no case reads: {sorted(committed - used)}"
    kinds = {c.reader for c in CASES}
    assert kinds == set(READERS)


@pytest.mark.parametrize("case", list(_params(CASES)))
def test_bad_input(case: Case, generated):
    path = _path(case, generated)
    read = READERS[case.reader]
    exp = case.expect
    if isinstance(exp, Err):
        with pytest.raises(InputError) as info:
            read(path, **case.options)
        e = info.value
        assert isinstance(e, exp.cls), f"{type(e).__name__}: {e}"
        assert Path(e.file).name == path.name or path.name in e.file, e
        assert e.field == exp.field, e
        assert exp.fix.lower() in e.fix.lower(), e
        msg = str(e)
        assert path.name in msg and f"'{exp.field}'" in msg and "Fix:" in msg
        return
    got = read(path, **case.options)
    assert got["rejected"] == exp.rejected
    assert got["kept"] == exp.kept
    assert got["rows_in"] == exp.rows_in
    assert (got["skipped"], got["static"], got["duplicates"]) == \
        (exp.skipped, exp.static, exp.duplicates)
    assert got["rows_in"] == (got["kept"] + sum(got["rejected"].values()) + got["skipped"]
                              + got["static"] + got["duplicates"])
    if exp.check is not None:
        exp.check(got)


def readme_table() -> str:
    """The case table of tests/bad_inputs/README.md, generated from CASES."""
    rows = ["| case | file | reader | what is wrong | expected outcome |",
            "|---|---|---|---|---|"]
    for c in CASES:
        f = (f"`{c.file[4:]}` (built at test time)" if c.file.startswith("gen:")
             else f"`{c.file}`")
        e = c.expect
        if isinstance(e, Err):
            out = f"{e.cls.__name__}, field `{e.field}`"
        else:
            parts = [f"{e.rows_in} in = {e.kept} kept"]
            parts += [f"{n} rejected \"{r}\"" for r, n in e.rejected.items()]
            parts += [f"{n} {k}" for k, n in (("skipped", e.skipped), ("static", e.static),
                                              ("duplicates", e.duplicates)) if n]
            out = " + ".join(parts)
        if c.xfail:
            out += f" (**xfail**: {c.xfail})"
        rows.append(f"| {c.id} | {f} | `{c.reader}` | {c.what} | {out} |")
    return "\n".join(rows) + "\n"


def test_readme_table_lists_every_case():
    text = (HERE / "README.md").read_text(encoding="utf-8")
    begin, end = "<!-- cases: begin -->\n", "<!-- cases: end -->"
    table = text[text.index(begin) + len(begin):text.index(end)]
    assert table == readme_table(), ("tests/bad_inputs/README.md is out of date: run "
                                     "`.venv/bin/python -c \"import sys; sys.path.insert(0, '.'); "
                                     "from tests import test_bad_inputs as t; print(t.readme_table())\"`")
