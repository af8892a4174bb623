"""The named layouts of AIS providers' exports and the column synonyms, as data.

A `Layout` says how to recognise one provider's header (its exact column names, case-insensitive)
and which of its columns hold which field. A file whose header is no named layout's is read by
column synonyms (`SYNONYMS`): `helpers.ais.columns` maps each canonical field to the first header
column whose name, lower-cased and stripped of everything but letters and digits, is one of the
field's synonyms (in the order given). An explicit `columns=` mapping overrides either, field by
field. Adding a provider is adding a `Layout` to `LAYOUTS`; detection, reading, chunking, rejects
and QA come with it.

Raw canonical fields (what a layout maps): mmsi, ts, lat, lon, sog, cog, heading, status, imo,
name, callsign, ship_type, length, beam, msg_type, and bow/stern/port/starboard (antenna
distances: length = bow + stern, beam = port + starboard when no length/beam column), ts_ms
(milliseconds added to ts), ts_date (a date column the time-of-day column `ts` is joined to).

Where each named layout's header comes from, and whether a real file tests it, is in each
layout's `doc` and `tested` (README "AIS formats" lists them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .records import R_BASE_STATION

NULL_TEXT = frozenset({"", "UNKNOWN", "UNDEFINED", "N/A", "NA", "NAN", "NONE", "NULL", "-"})

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
# Global Fishing Watch writes the message type as "AIS.1", "AIS.18", ...
GFW_TYPES = {f"ais.{n}": n for n in range(1, 28)}
# aisstream.io names the message type (MessageType) instead of numbering it.
AISSTREAM_TYPES = {"positionreport": 1, "standardclassbpositionreport": 18,
                   "extendedclassbpositionreport": 19, "longrangeaisbroadcastmessage": 27,
                   "shipstaticdata": 5, "staticdatareport": 24, "basestationreport": 4}

# canonical (raw) field -> normalized synonyms, best first (see the module docstring)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "mmsi": ("mmsi", "ssvid", "userid", "mmsinumber", "vesselmmsi", "shipmmsi", "shipid"),
    "ts": ("timestamp", "basedatetime", "timestamputc", "datetimeutc", "datetime", "time",
           "timeutc", "utctime", "msgtime", "aispostimestamp", "postime", "positiontime",
           "timestampms", "epochms", "epoch", "unixtime"),
    "lat": ("lat", "latitude", "latdeg", "latdd"),
    "lon": ("lon", "long", "longitude", "lng", "londeg", "londd"),
    "sog": ("sog", "speed", "speedoverground", "speedknots", "sogknots", "speedkn", "sogkn",
            "speedknotsx10", "speedx10", "sogx10", "speedtenths", "sogtenths"),
    "cog": ("cog", "course", "courseoverground", "coursedeg", "cogdeg"),
    "heading": ("heading", "trueheading", "hdg", "headingdeg"),
    "status": ("navstatus", "navigationalstatus", "navigationstatus", "navstat", "status"),
    "imo": ("imo", "imonr", "imonumber", "imono"),
    "name": ("vesselname", "shipname", "name"),
    "callsign": ("callsign",),
    "ship_type": ("shiptype", "vesseltype", "shiptypecode"),
    "length": ("length", "lengthm", "loa", "shiplength"),
    "beam": ("width", "beam", "breadth", "widthm"),
    "msg_type": ("msgtype", "messagetype", "aismessagetype"),
}
# a time-of-day column next to a date column: the time is the two joined ("Date", "Time (UTC)")
TIME_OF_DAY = ("time", "timeutc", "utctime")
DATE_ONLY = ("date", "dateutc", "utcdate")
# a speed column whose name holds one of these is in tenths of a knot ("SPEED (KNOTSx10)")
TENTHS_MARKERS = ("x10", "tenth")


@dataclass(frozen=True)
class Layout:
    """How to recognise one provider's export and read its columns.

    - `fmt`: the name `helpers.ais.read(fmt=...)` takes (`aliases`: other names for it).
    - `required`: upper-case header names the file must have; `first`: what the header must
      start with, if anything (both decide detection: an exact header match, no synonyms).
    - `columns`: raw canonical field -> upper-case header name. A field not mapped, or a column
      the file lacks, reads as empty.
    - `time_format`: "auto", "iso", "dayfirst", "monthfirst", "unix_s", "unix_ms", or a strftime
      pattern (the `time_format` option of read overrides it).
    - `speed_unit`: "kn", or "tenths" when the provider documents tenths of a knot ("auto" then
      still reads a column with decimals, or a `speed_unit="kn"`, as knots).
    - `codes`: field -> {lower-case text label: AIS code}, for fields written as text labels
      (numbers are read as codes too).
    - `imo_prefix`: IMO numbers may be written "IMO9179842".
    - `skip_rows`: (upper-case header name, {lower-case value: reason}): rows skipped (counted
      under the reason, not rejected), e.g. base stations.
    - `raw_columns`: the columns, in this order, of a reject's raw text (a column the file lacks
      is empty); None: every column of the file.
    - `doc`: where the header comes from; `tested`: the real file under tests/fixtures/real that
      tests it, or None.
    """
    fmt: str
    required: tuple[str, ...]
    first: str | None
    columns: dict[str, str]
    time_format: str = "iso"
    speed_unit: str = "kn"
    codes: dict[str, dict[str, int]] = field(default_factory=dict)
    imo_prefix: bool = False
    null_text: frozenset[str] = NULL_TEXT
    skip_rows: tuple[str, dict[str, str]] | None = None
    raw_columns: tuple[str, ...] | None = None
    aliases: tuple[str, ...] = ()
    doc: str = ""
    tested: str | None = None

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
    imo_prefix=True, null_text=frozenset({""}), raw_columns=tuple(MC_COLUMNS), aliases=("noaa",),
    doc="NOAA MarineCadastre daily files (marinecadastre.gov AIS data dictionary)",
    tested="real/ais/marinecadastre_noaa_AIS_2023_01_11_head.csv")
DMA = Layout(
    "dma", ("# TIMESTAMP", "MMSI", "LATITUDE", "LONGITUDE"), "# TIMESTAMP",
    columns={"mmsi": "MMSI", "ts": "# TIMESTAMP", "lat": "LATITUDE", "lon": "LONGITUDE",
             "sog": "SOG", "cog": "COG", "heading": "HEADING", "status": "NAVIGATIONAL STATUS",
             "imo": "IMO", "name": "NAME", "callsign": "CALLSIGN", "ship_type": "SHIP TYPE",
             "length": "LENGTH", "beam": "WIDTH"},
    time_format="%d/%m/%Y %H:%M:%S", codes={"status": DMA_NAV_STATUS, "ship_type": DMA_SHIP_TYPE},
    skip_rows=("TYPE OF MOBILE", {"base station": R_BASE_STATION,
                                  "aton": "aid to navigation report"}),
    doc="Danish Maritime Authority daily CSV (web.ais.dk/aisdata), times day-first UTC",
    tested="real/ais/dma_aisdk_ferry_20221015_head.csv")
MARINETRAFFIC = Layout(
    "marinetraffic", ("MMSI", "LAT", "LON", "SPEED", "COURSE", "HEADING", "TIMESTAMP"), None,
    columns={"mmsi": "MMSI", "ts": "TIMESTAMP", "lat": "LAT", "lon": "LON", "sog": "SPEED",
             "cog": "COURSE", "heading": "HEADING", "status": "STATUS", "imo": "IMO",
             "name": "SHIPNAME", "callsign": "CALLSIGN", "ship_type": "SHIPTYPE",
             "length": "LENGTH", "beam": "WIDTH"},
    speed_unit="tenths", imo_prefix=True,
    doc="MarineTraffic API vessel positions / historical track (PS01, PS02, PS06, PS07: "
        "SPEED 'in knots x10', TIMESTAMP UTC), as CSV or JSON",
    tested="real/ais/marinetraffic_api_ps01_vessel_track.json, "
           "real/ais/marinetraffic_api_ps02_ps06_positions.json")
EXACTEARTH = Layout(
    "exactearth", ("MMSI", "MESSAGE_ID", "TIME", "MILLISECOND", "LONGITUDE", "LATITUDE"),
    "MMSI,MESSAGE_ID",
    columns={"mmsi": "MMSI", "msg_type": "MESSAGE_ID", "ts": "TIME", "ts_ms": "MILLISECOND",
             "lat": "LATITUDE", "lon": "LONGITUDE", "sog": "SOG", "cog": "COG",
             "heading": "HEADING", "status": "NAVIGATIONAL_STATUS", "imo": "IMO",
             "name": "VESSEL_NAME", "callsign": "CALL_SIGN", "ship_type": "SHIP_TYPE",
             "bow": "DIMENSION_TO_BOW", "stern": "DIMENSION_TO_STERN",
             "port": "DIMENSION_TO_PORT", "starboard": "DIMENSION_TO_STARBOARD"},
    time_format="%Y%m%d_%H%M%S", aliases=("spire",),
    doc="exactEarth (now Spire Maritime) decoded-message CSV, one row per AIS message, 139 "
        "columns; time = Time (YYYYMMDD_HHMMSS) + Millisecond",
    tested="real/ais/spire_exactearth_decoded_20210701_head.csv")
GFW = Layout(
    "gfw", ("SSVID", "TIMESTAMP", "LAT", "LON"), None,
    columns={"mmsi": "SSVID", "ts": "TIMESTAMP", "lat": "LAT", "lon": "LON",
             "sog": "SPEED_KNOTS", "cog": "COURSE", "heading": "HEADING", "msg_type": "TYPE",
             "name": "SHIPNAME", "callsign": "CALLSIGN", "imo": "IMO"},
    time_format="auto", codes={"msg_type": GFW_TYPES},
    doc="Global Fishing Watch pipeline messages (BigQuery `messages` tables: ssvid, timestamp, "
        "lat, lon, speed_knots, course, type 'AIS.n'; GlobalFishingWatch/pipe-gaps "
        "sample-messages-schema.json)",
    tested="real/ais/gfw_pipe_gaps_messages_ssvid_243042594_head.json")
AISHUB = Layout(
    "aishub", ("MMSI", "TIME", "LONGITUDE", "LATITUDE", "COG", "SOG", "HEADING", "NAVSTAT"), None,
    columns={"mmsi": "MMSI", "ts": "TIME", "lat": "LATITUDE", "lon": "LONGITUDE", "sog": "SOG",
             "cog": "COG", "heading": "HEADING", "status": "NAVSTAT", "imo": "IMO",
             "name": "NAME", "callsign": "CALLSIGN", "ship_type": "TYPE", "bow": "A",
             "stern": "B", "port": "C", "starboard": "D"},
    time_format="auto",
    doc="AISHub web service, human-readable format (format=1; JSON `[{ERROR, USERNAME, FORMAT, "
        "RECORDS}, [records]]` or CSV) with the field names of AISHub's API page "
        "(www.aishub.net/api); no real file found",
    tested=None)
AISSTREAM = Layout(
    "aisstream", ("MESSAGETYPE", "METADATA.MMSI", "METADATA.TIME_UTC"), None,
    columns={"mmsi": "METADATA.MMSI", "ts": "METADATA.TIME_UTC", "msg_type": "MESSAGETYPE",
             "lat": "METADATA.LATITUDE", "lon": "METADATA.LONGITUDE", "name": "METADATA.SHIPNAME",
             "sog": "*.SOG", "cog": "*.COG", "heading": "*.TRUEHEADING",
             "status": "*.NAVIGATIONALSTATUS", "imo": "*.IMONUMBER", "callsign": "*.CALLSIGN",
             "ship_type": "*.TYPE", "bow": "*.DIMENSION.A", "stern": "*.DIMENSION.B",
             "port": "*.DIMENSION.C", "starboard": "*.DIMENSION.D"},
    codes={"msg_type": AISSTREAM_TYPES},
    doc="aisstream.io websocket messages saved one JSON object a line ({MessageType, MetaData, "
        "Message: {<type>: {...}}}; Message fields as in aisstream/ais-message-models "
        "type-definition.yaml, MetaData as in aisstream's example messages); no real file found",
    tested=None)

# detection tries them in this order (the first whose header matches wins)
LAYOUTS = (MARINECADASTRE, DMA, EXACTEARTH, MARINETRAFFIC, GFW, AISHUB, AISSTREAM)


def layout(fmt: str) -> Layout:
    """The layout named `fmt` or one of its aliases (KeyError if none is)."""
    for lay in LAYOUTS:
        if fmt == lay.fmt or fmt in lay.aliases:
            return lay
    raise KeyError(fmt)


def match(head: list[str]) -> Layout | None:
    """The first layout whose header matches `head` (upper-case names), or None."""
    for lay in LAYOUTS:
        if lay.matches(head):
            return lay
    return None
