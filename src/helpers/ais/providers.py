"""The named CSV layouts of AIS providers' exports, as data: one `Layout` per provider.

A layout says how to recognise a provider's header and which of its columns hold which field;
`prepare` turns a chunk of such a file into the raw canonical frame (helpers.ais.tabular) that
helpers.ais.table checks and assembles. Adding a provider's export (Spire, exactEarth, GFW,
AISHub ...) is adding a `Layout` to `LAYOUTS`: detection, reading, chunking, rejects and QA come
with it.

- "marinecadastre": NOAA MarineCadastre CSV (`MMSI,BaseDateTime,LAT,LON,...`).
- "dma": Danish Maritime Authority CSV (`# Timestamp,Type of mobile,MMSI,Latitude,...`), times
  day-first (`01/08/2023 00:00:05`, UTC); rows of base stations and aids to navigation are skipped.
- "marinetraffic": MarineTraffic-style CSV (`MMSI,LAT,LON,SPEED,COURSE,HEADING,TIMESTAMP`, optional
  SHIPNAME, IMO, CALLSIGN, SHIPTYPE, STATUS). `speed_unit="auto"|"kn"|"tenths"`: "auto" takes
  SPEED as tenths of a knot when the column's largest value exceeds 102.3 (no speed in knots can:
  102.2 is the AIS maximum and 102.3 means "not available"), else as knots.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import tabular
from .records import R_BASE_STATION

MC_COLUMNS = ["MMSI", "BaseDateTime", "LAT", "LON", "SOG", "COG", "Heading", "VesselName", "IMO",
              "CallSign", "VesselType", "Status", "Length", "Width", "Draft", "Cargo",
              "TransceiverClass"]
DMA_COLUMNS = ["# Timestamp", "Type of mobile", "MMSI", "Latitude", "Longitude",
               "Navigational status", "ROT", "SOG", "COG", "Heading", "IMO", "Callsign", "Name",
               "Ship type", "Cargo type", "Width", "Length", "Type of position fixing device",
               "Draught", "Destination", "ETA", "Data source type", "A", "B", "C", "D"]

# DMA writes navigational status and ship type as text; these are the AIS codes they stand for.
DMA_NAV_STATUS = {
    "under way using engine": 0, "at anchor": 1, "not under command": 2,
    "restricted manoeuverability": 3, "restricted maneuverability": 3,
    "restricted manoeuvrability": 3, "constrained by her draught": 4, "moored": 5,
    "aground": 6, "engaged in fishing": 7, "under way sailing": 8,
    "reserved for future amendment [hsc]": 9, "reserved for future amendment [wig]": 10,
    "power-driven vessel towing astern": 11,
    "power-driven vessel pushing ahead or towing alongside": 12, "ais-sart": 14,
    "unknown value": 15}
DMA_SHIP_TYPE = {
    "wig": 20, "fishing": 30, "towing": 31, "towing long/wide": 32, "dredging": 33, "diving": 34,
    "military": 35, "sailing": 36, "pleasure": 37, "hsc": 40, "pilot": 50, "sar": 51, "tug": 52,
    "port tender": 53, "anti-pollution": 54, "law enforcement": 55, "medical": 58,
    "not party to conflict": 59, "passenger": 60, "cargo": 70, "tanker": 80, "other": 90}

NUMERIC_FIELDS = ("mmsi", "lat", "lon", "sog", "cog", "heading", "length", "beam")


@dataclass(frozen=True)
class Layout:
    """How to recognise one provider's CSV export and read its columns.

    - `fmt`: the name `helpers.ais.read(fmt=...)` takes.
    - `required`: upper-case header names the file must have; `first`: what the header must
      start with, if anything (both decide detection).
    - `columns`: raw canonical field (mmsi, ts, lat, lon, sog, cog, heading, status, imo, name,
      callsign, ship_type, length, beam) -> upper-case header name. A field not mapped, or a
      column the file lacks, reads as empty.
    - `time_format`: the format of the `ts` text ("ISO8601" also takes unix seconds).
    - `codes`: field -> {lower-case text label: AIS code}, for fields written as text labels
      (numbers are read as codes too).
    - `imo_prefix`: IMO numbers may be written "IMO9179842".
    - `null_text`: values of name and callsign read as missing.
    - `skip_rows`: (upper-case header name, {lower-case value: reason}): rows skipped (counted
      under the reason, not rejected), e.g. base stations.
    - `raw_columns`: the columns, in this order, of a reject's raw text (a column the file lacks
      is empty); None: every column of the file.
    - `speed_units`: the speed column may be in knots or tenths of a knot (the `speed_unit`
      option of read; see the module docstring).
    """
    fmt: str
    required: tuple[str, ...]
    first: str | None
    columns: dict[str, str]
    time_format: str = "ISO8601"
    codes: dict[str, dict[str, int]] = field(default_factory=dict)
    imo_prefix: bool = False
    null_text: frozenset[str] = tabular.NULL_TEXT
    skip_rows: tuple[str, dict[str, str]] | None = None
    raw_columns: tuple[str, ...] | None = None
    speed_units: bool = False

    def matches(self, head: list[str]) -> bool:
        """Whether a header (upper-case names, in order) is this layout's."""
        if self.first is not None and head[:len(self.first.split(","))] != self.first.split(","):
            return False
        return all(c in head for c in self.required)


MARINECADASTRE = Layout(
    "marinecadastre", ("MMSI", "BASEDATETIME", "LAT", "LON"), "MMSI,BASEDATETIME",
    columns={"mmsi": "MMSI", "ts": "BASEDATETIME", "lat": "LAT", "lon": "LON", "sog": "SOG",
             "cog": "COG", "heading": "HEADING", "status": "STATUS", "imo": "IMO",
             "name": "VESSELNAME", "callsign": "CALLSIGN", "ship_type": "VESSELTYPE",
             "length": "LENGTH", "beam": "WIDTH"},
    imo_prefix=True, null_text=frozenset({""}), raw_columns=tuple(MC_COLUMNS))
DMA = Layout(
    "dma", ("# TIMESTAMP", "MMSI", "LATITUDE", "LONGITUDE"), "# TIMESTAMP",
    columns={"mmsi": "MMSI", "ts": "# TIMESTAMP", "lat": "LATITUDE", "lon": "LONGITUDE",
             "sog": "SOG", "cog": "COG", "heading": "HEADING", "status": "NAVIGATIONAL STATUS",
             "imo": "IMO", "name": "NAME", "callsign": "CALLSIGN", "ship_type": "SHIP TYPE",
             "length": "LENGTH", "beam": "WIDTH"},
    time_format="%d/%m/%Y %H:%M:%S", codes={"status": DMA_NAV_STATUS, "ship_type": DMA_SHIP_TYPE},
    skip_rows=("TYPE OF MOBILE", {"base station": R_BASE_STATION, "aton": "aid to navigation report"}))
MARINETRAFFIC = Layout(
    "marinetraffic", ("MMSI", "LAT", "LON", "SPEED", "COURSE", "HEADING", "TIMESTAMP"), None,
    columns={"mmsi": "MMSI", "ts": "TIMESTAMP", "lat": "LAT", "lon": "LON", "sog": "SPEED",
             "cog": "COURSE", "heading": "HEADING", "status": "STATUS", "imo": "IMO",
             "name": "SHIPNAME", "callsign": "CALLSIGN", "ship_type": "SHIPTYPE",
             "length": "LENGTH", "beam": "WIDTH"},
    imo_prefix=True, speed_units=True)

LAYOUTS = (MARINECADASTRE, DMA, MARINETRAFFIC)  # detection tries them in this order


def layout(fmt: str) -> Layout:
    """The layout named `fmt` (KeyError if none is)."""
    for lay in LAYOUTS:
        if lay.fmt == fmt:
            return lay
    raise KeyError(fmt)


def prepare(lay: Layout, df: pd.DataFrame, col: dict[str, str], speed_unit: str) -> pd.DataFrame:
    """The raw canonical frame of one chunk `df` of a file in layout `lay`.

    `col` maps the file's upper-case header names to its column names; `speed_unit` is "kn" or
    "tenths" (used when the layout has `speed_units`). Columns of `raw_columns` the file lacks
    are added to `df` and `col` as empty text."""
    if lay.raw_columns is not None:
        for c in lay.raw_columns:
            if c.upper() not in col:
                df[c] = ""
                col[c.upper()] = c

    def get(header: str | None) -> pd.Series:
        return df[col[header]] if header in col else pd.Series("", index=df.index)

    def get_field(name: str) -> pd.Series:
        return get(lay.columns.get(name))

    def code(name: str) -> pd.Series:
        s = get_field(name)
        return tabular.coded(s, lay.codes[name]) if name in lay.codes else tabular.numbers(s)

    values = {name: tabular.numbers(get_field(name)) for name in NUMERIC_FIELDS}
    if lay.speed_units and speed_unit == "tenths":
        values["sog"] = values["sog"] / 10.0
    imo = get_field("imo")
    if lay.imo_prefix:
        imo = imo.astype(str).str.strip().str.upper().str.removeprefix("IMO")
    skip = None
    if lay.skip_rows is not None:
        header, reasons = lay.skip_rows
        kind = get(header).astype(str).str.strip().str.lower()
        skip = pd.Series(None, index=df.index, dtype=object)
        for value, reason in reasons.items():
            skip[kind == value] = reason
    raw_cols = df.columns if lay.raw_columns is None else [col[c.upper()] for c in lay.raw_columns]
    return tabular.raw_frame(
        len(df), df.index, ts=tabular.utc_times(get_field("ts"), lay.time_format),
        status=code("status"), imo=tabular.numbers(imo),
        name=tabular.texts(get_field("name"), lay.null_text),
        callsign=tabular.texts(get_field("callsign"), lay.null_text), ship_type=code("ship_type"),
        skip=skip, raw=tabular.join_raw(df, raw_cols), **values)
