"""AIS readers, writers and cleaning.

Readers turn one input file into the canonical `positions`, `vessels` and `rejects` tables
(helpers.schema) plus a QA dict; `clean` merges several readers' output for one analysis window.
A malformed input line or row is never fatal: it becomes a reject with a locator and a reason.

Formats (`read(path, fmt=...)`; "auto" detects all but "table" from the first lines):
- "nmea": NMEA 0183 AIS sentences from any talker (`!AIVDM`, `!AIVDO`, `!BSVDM`, `!ABVDM`, ...).
  The receive time comes, in this order of precedence, from an NMEA 4 tag block
  `\\s:RECEIVER,c:UNIXSECONDS*HH\\` before the sentence, from a trailing unix-epoch field after
  the checksum (USCG style `!AIVDM,...*hh,s...,d...,T...,x...,1690000000`), or from a Gatehouse
  `$PGHP,1,yyyy,mm,dd,hh,mi,ss,ms,...*hh` line just before the sentence. Types 1-3, 18, 19 and 27
  are positions; 5 and 24 (parts A and B, merged per MMSI) are static; type 4 (base station) is
  counted as receiver evidence (skipped, by_reason "base station report").
- "marinecadastre": NOAA MarineCadastre CSV (`MMSI,BaseDateTime,LAT,LON,...`).
- "dma": Danish Maritime Authority CSV (`# Timestamp,Type of mobile,MMSI,Latitude,...`), times
  day-first (`01/08/2023 00:00:05`, UTC); rows of base stations and aids to navigation are skipped.
- "marinetraffic": MarineTraffic-style CSV (`MMSI,LAT,LON,SPEED,COURSE,HEADING,TIMESTAMP`, optional
  SHIPNAME, IMO, CALLSIGN, SHIPTYPE, STATUS). `speed_unit="auto"|"kn"|"tenths"`: "auto" takes
  SPEED as tenths of a knot when the column's largest value exceeds 102.3 (no speed in knots can:
  102.2 is the AIS maximum and 102.3 means "not available"), else as knots.
- "table": any CSV, Parquet, GeoParquet or GeoPackage with a caller-given mapping from canonical names to the
  file's columns, `columns={"mmsi": ..., "ts": ..., "lat": ..., "lon": ..., "sog_kn": ...}`
  (optional: sog_kn, cog_deg, heading_deg, nav_status, imo, name, callsign, ship_type, length_m,
  beam_m). Without lat/lon in the mapping a GeoParquet or GeoPackage point geometry gives them. Text times are
  ISO 8601 (naive = UTC), numbers are unix seconds.
Files ending `.gz` or `.zip` (one member) are read as they are (NMEA and CSV). CSV formats take
`chunksize=N` to read N rows at a time (memory bounded by the chunk, same result as unchunked).
AIS "not available" values (lat 91, lon 181: reject; SOG 102.3, COG 360, heading 511: null) are
handled alike in every format; a CSV reject's locator is `file:row N` (N counts data rows from 1).

QA counting (`AisData.qa`): every input record lands in exactly one bucket, so
`rows_read == positions + static + rejected + skipped`. For NMEA a record is a line, except that
the fragments of an assembled multipart message count as one record (`lines` is the raw count).
"""

from __future__ import annotations

import gzip
import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from functools import reduce
from operator import xor
from pathlib import Path

import numpy as np
import pandas as pd
import pyais

from .errors import InputError
from .geo import haversine_nm
from .schema import in_vessel_time_order, utc_ns, validate

FORMATS = ("nmea", "marinecadastre", "dma", "marinetraffic", "table")
MC_COLUMNS = ["MMSI", "BaseDateTime", "LAT", "LON", "SOG", "COG", "Heading", "VesselName", "IMO",
              "CallSign", "VesselType", "Status", "Length", "Width", "Draft", "Cargo",
              "TransceiverClass"]
POSITION_TYPES = (1, 2, 3, 18, 19, 27)
STATIC_TYPE = 5
_STATIC_KEY = ["mmsi", "imo", "name", "callsign", "flag", "ship_type", "length_m", "beam_m"]
_NS = 1_000_000_000
_EPOCH = pd.Timestamp(0, tz="UTC")

R_BAD_CHECKSUM = "bad checksum"
R_BAD_TAG_CHECKSUM = "bad checksum (tag block)"
R_ORPHAN = "orphan multipart fragment"
R_UNDECODABLE = "undecodable payload"
R_MALFORMED = "malformed sentence"
R_NO_TS = "no timestamp"
R_BAD_MMSI = "invalid MMSI"
R_NOT_AVAILABLE = "position not available"
R_IMPOSSIBLE = "impossible coordinates"
R_BAD_TIME = "unparseable time"
R_WINDOW = "time outside analysis window"
R_BASE_STATION = "base station report"
R_NO_POINT = "geometry is not a point"


@dataclass
class AisData:
    """One input file read into the canonical tables, with its QA counts."""
    positions: pd.DataFrame
    vessels: pd.DataFrame
    rejects: pd.DataFrame
    qa: dict = field(default_factory=dict)


@dataclass
class Cleaned:
    """Positions of several inputs merged, de-duplicated and filtered; qa has one row per source."""
    positions: pd.DataFrame
    vessels: pd.DataFrame
    rejects: pd.DataFrame
    qa: pd.DataFrame


# ----------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------

def read(path, fmt: str = "auto", *, source: str | None = None, columns: dict | None = None,
         speed_unit: str = "auto", chunksize: int | None = None,
         time_policy: str = "reject", layer: str | None = None) -> AisData:
    """Read one AIS file of format `fmt` ("auto" detects it from the first lines).

    Options: `columns` (fmt="table": canonical name -> file column), `speed_unit`
    ("marinetraffic" SPEED: "auto", "kn" or "tenths"), `chunksize` (CSV formats: rows per chunk;
    NMEA is always streamed line by line), `time_policy` (NMEA: "reject" rejects a message without
    a time as "no timestamp"; "receive_order" gives it the time of the last timed line before it,
    still rejecting messages before the first timed line, and raises InputError if no line of the
    file has a time), `layer` (fmt="table" GeoPackage with several layers: which one).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(p.name, "path", f"no such file '{p.name}'",
                         "check the path (relative paths are taken from the working directory)")
    _check_text(p)
    if fmt == "auto":
        if columns is not None:
            fmt = "table"
        else:
            fmt = detect_format(p)
    if fmt not in FORMATS:
        raise InputError(p.name, "format", f"unknown format '{fmt}'",
                         f"pass fmt= one of {list(FORMATS)}")
    if speed_unit not in ("auto", "kn", "tenths"):
        raise InputError(p.name, "speed_unit", f"unknown speed unit '{speed_unit}'",
                         "pass speed_unit='auto', 'kn' or 'tenths'")
    if time_policy not in ("reject", "receive_order"):
        raise InputError(p.name, "time_policy", f"unknown time policy '{time_policy}'",
                         "pass time_policy='reject' or 'receive_order'")
    if chunksize is not None and (not isinstance(chunksize, int) or chunksize < 1):
        raise InputError(p.name, "chunksize", f"chunksize must be a positive integer, not "
                         f"{chunksize!r}", "pass chunksize=None or a number of rows such as 100000")
    src = source if source is not None else p.name
    if fmt == "nmea":
        return _read_nmea(p, src, time_policy)
    if fmt == "table":
        return _read_table(p, src, columns, chunksize, layer)
    flavour = {"marinecadastre": _MC, "dma": _DMA, "marinetraffic": _MT}[fmt]
    return _read_csv_flavour(p, src, flavour, chunksize, speed_unit=speed_unit)


def _member_name(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
    if len(names) != 1:
        raise InputError(path.name, "archive", f"the zip file holds {len(names)} files, not one",
                         "unpack it and read each file separately")
    return names[0]


def _open_binary(path: Path):
    """A binary file object of `path`'s content, decompressing `.gz` and single-member `.zip`."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".gz":
            fh = gzip.open(path, "rb")
            fh.peek(1)  # fail here, not mid-read, when the file is not gzip
            return fh
        if suffix == ".zip":
            member = _member_name(path)
            return zipfile.ZipFile(path).open(member)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(path.name, "compression", f"cannot decompress ({exc})",
                         "check the file is a complete gzip / zip archive") from None
    return open(path, "rb")


def _check_text(path: Path) -> None:
    """InputError for an empty file, and for a text input that is UTF-16/32 or binary (NUL
    bytes in its first 4 KB): read as UTF-8 it would become silently skipped garbage."""
    if path.stat().st_size == 0:
        raise InputError(path.name, "(file)", "the file is empty (0 bytes)",
                         "check the download or export; remove it from the inputs if it has no data")
    if _is_parquet(path) or _is_geopackage(path):
        return
    with _open_binary(path) as fh:
        head = fh.read(4096)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
        kind = "UTF-16/32 text" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "binary data"
        raise InputError(path.name, "encoding", f"the file holds {kind} (NUL bytes), not text",
                         "save it as UTF-8 text (from Excel: 'CSV UTF-8'), or pass the right file")


def _open_text(path: Path, encoding: str = "utf-8"):
    return io.TextIOWrapper(_open_binary(path), encoding=encoding, errors="replace", newline=None)


def _is_geopackage(path: Path) -> bool:
    if path.suffix.lower() in (".gz", ".zip"):
        return False
    with open(path, "rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def _gpkg_batches(path: Path, layer: str | None, chunksize: int | None):
    """GeoPackage features in chunks (pyogrio), geometry as WKB, WGS 84 checked."""
    import pyogrio
    import shapely
    try:
        layers = [str(x) for x in pyogrio.list_layers(path)[:, 0]]
        pyogrio.read_info(path, layer=layers[0])
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, IndexError) as exc:
        raise InputError(path.name, "(file)", f"cannot be read as a GeoPackage ({exc})",
                         "check the file is complete (download or export it again)") from None
    if layer is None and len(layers) > 1:
        raise InputError(path.name, "layer", f"the GeoPackage has layers {layers}",
                         "pass options: {layer: <name>}")
    layer = layer or layers[0]
    if layer not in layers:
        raise InputError(path.name, "layer", f"no layer '{layer}'", f"use one of {layers}")
    info = pyogrio.read_info(path, layer=layer)
    crs = info.get("crs")
    if crs not in (None, "EPSG:4326", "OGC:CRS84"):
        raise InputError(path.name, "geometry", f"geometry is in {crs}, not WGS 84 lon/lat",
                         "reproject to EPSG:4326 before reading")
    n, step = int(info["features"]), chunksize or 65_536
    fields = [str(f) for f in info["fields"]]

    def gen():
        for k in range(0, max(n, 1), step):  # an empty layer still yields one (empty) chunk
            gdf = pyogrio.read_dataframe(path, layer=layer, skip_features=k, max_features=step)
            df = pd.DataFrame(gdf.drop(columns="geometry"))
            df["geometry"] = shapely.to_wkb(gdf.geometry.to_numpy())
            yield df
    return fields + ["geometry"], "geometry", gen()


def _is_parquet(path: Path) -> bool:
    if path.suffix.lower() in (".gz", ".zip"):
        return False
    with open(path, "rb") as fh:
        return fh.read(4) == b"PAR1"


def _header_key(line: str) -> list[str]:
    return [c.strip().strip('"').upper() for c in line.split(",")]


def detect_format(path) -> str:
    """The format of `path` judged from its first non-blank lines; InputError if none fits."""
    p = Path(path)
    known = [f for f in FORMATS if f != "table"]
    if _is_parquet(p) or _is_geopackage(p):
        raise InputError(p.name, "format", "a Parquet or GeoPackage file has no fixed AIS layout",
                         "pass fmt='table' and columns={'mmsi': ..., 'ts': ..., ...}")
    lines = []
    with _open_text(p, "utf-8-sig") as fh:
        for line in fh:
            s = line.strip()
            if s:
                lines.append(s)
            if len(lines) >= 50:
                break
    if lines:
        head = _header_key(lines[0])
        for flavour in (_MC, _DMA, _MT):
            if flavour.matches(head):
                return flavour.fmt
    for s in lines:
        if s.startswith("\\"):
            end = s.find("\\", 1)
            s = s[end + 1:] if end > 0 else ""
        if s[:1] == "!" and s[3:6] in ("VDM", "VDO"):
            return "nmea"
    raise InputError(p.name, "format", "content matches no known AIS format",
                     f"pass fmt= one of {known} (or fmt='table' with a columns= mapping)")


def _nmea_checksum_ok(body: str, expected: str) -> bool:
    try:
        return reduce(xor, body.encode("ascii", "replace"), 0) == int(expected, 16)
    except ValueError:
        return False


def _parse_tag_block(tag: str):
    """(ok, unix_ns or None, station or None, group tuple or None) of a tag block's text."""
    body, star, cs = tag.rpartition("*")
    if not star or not _nmea_checksum_ok(body, cs):
        return False, None, None, None
    ts = station = group = None
    for item in body.split(","):
        k, _, v = item.partition(":")
        if k == "c":
            try:
                ts = int(v) * _NS if v.isdigit() else int(round(float(v) * _NS))
            except ValueError:
                ts = None
            if ts is not None and ts > 10**11 * _NS:  # milliseconds, as some feeds write
                ts //= 1000
        elif k == "s":
            station = v
        elif k == "g":
            group = v
    return True, ts, station, group


def _clean_text(s) -> str | None:
    if s is None:
        return None
    s = str(s).replace("@", " ").strip()
    return s or None


class _NmeaReader:
    """Line-by-line NMEA decoding into column lists; frames are built once at the end."""

    def __init__(self, name: str, source: str, time_policy: str = "reject"):
        self.name, self.source, self.time_policy = name, source, time_policy
        self.pghp_ts = None   # time of a Gatehouse $PGHP line, for the next AIS sentence
        self.last_ts = None   # last time seen on any line (time_policy="receive_order")
        self.t24: dict[int, dict] = {}  # mmsi -> {"a": (ts, name), "b": (ts, fields), span}
        self.pos = {k: [] for k in ("mmsi", "ts", "lat", "lon", "sog_kn", "cog_deg",
                                    "heading_deg", "nav_status", "msg_type")}
        self.static: dict[tuple, list] = {}  # static record -> [first_ns, last_ns]
        self.rej_loc, self.rej_reason, self.rej_raw = [], [], []
        self.by_reason: dict[str, int] = {}
        self.n_static = self.n_skipped = self.n_records = 0
        self.pending: dict[tuple, list] = {}  # (seq_id, channel) -> [frag_cnt, parts]

    def reject(self, lineno, reason, raw):
        self.rej_loc.append(f"{self.name}:{lineno}")
        self.rej_reason.append(reason)
        self.rej_raw.append(raw)
        self.by_reason[reason] = self.by_reason.get(reason, 0) + 1
        self.n_records += 1

    def skip(self, reason):
        self.n_skipped += 1
        self.n_records += 1
        self.by_reason[reason] = self.by_reason.get(reason, 0) + 1

    def line(self, lineno: int, raw: str):
        s = raw.strip()
        if not s:
            return self.skip("blank line")
        if s[0] == "#":
            return self.skip("comment")
        if s.startswith("$PGHP,"):
            return self.gatehouse(lineno, s)
        ts = None
        if s[0] == "\\":
            end = s.find("\\", 1)
            if end < 0:
                return self.reject(lineno, "malformed tag block", s)
            sent = s[end + 1:]
            if not (sent[:1] == "!" and sent[3:6] in ("VDM", "VDO")):
                return self.skip("non-AIS sentence")
            ok, ts, _station, _group = _parse_tag_block(s[1:end])
            if not ok:
                return self.reject(lineno, R_BAD_TAG_CHECKSUM, s)
        else:
            sent = s
            if not (sent[:1] == "!" and sent[3:6] in ("VDM", "VDO")):
                return self.skip("non-AIS sentence")
        pghp_ts, self.pghp_ts = self.pghp_ts, None  # a $PGHP time is for this sentence only
        star = sent.find("*")
        if star < 0 or not _nmea_checksum_ok(sent[1:star], sent[star + 1:star + 3]):
            return self.reject(lineno, R_BAD_CHECKSUM, s)
        sent, trailer = sent[:star + 3], sent[star + 3:]
        if ts is None and trailer.startswith(","):
            ts = _epoch_ns(trailer.rsplit(",", 1)[-1])
        if ts is None:
            ts = pghp_ts
        if ts is not None:
            self.last_ts = ts
        elif self.time_policy == "receive_order":
            ts = self.last_ts
        try:
            msg = pyais.NMEAMessage(sent.encode("ascii"))
        except Exception:  # pyais raises several exception types for malformed sentences
            return self.reject(lineno, R_MALFORMED, s)
        if msg.frag_cnt == 1:
            return self.message(msg, ts, [(lineno, s)])
        key = (msg.seq_id, msg.channel)
        entry = self.pending.get(key)
        if msg.frag_num == 1:
            if entry is not None:
                self.orphans(entry[1])
            self.pending[key] = [msg.frag_cnt, [(lineno, s, msg, ts)]]
            return None
        if entry is None or entry[0] != msg.frag_cnt or len(entry[1]) + 1 != msg.frag_num:
            return self.reject(lineno, R_ORPHAN, s)
        entry[1].append((lineno, s, msg, ts))
        if len(entry[1]) == msg.frag_cnt:
            del self.pending[key]
            parts = entry[1]
            t = next((p[3] for p in parts if p[3] is not None), None)
            try:
                full = pyais.NMEAMessage.assemble_from_iterable([p[2] for p in parts])
            except Exception:
                return self.reject(parts[0][0], R_UNDECODABLE, "\n".join(p[1] for p in parts))
            self.message(full, t, [(p[0], p[1]) for p in parts])
        return None

    def gatehouse(self, lineno, s):
        """A Gatehouse `$PGHP,1,yyyy,mm,dd,hh,mi,ss,ms,...*hh` line: the next sentence's time."""
        star = s.find("*")
        if star < 0 or not _nmea_checksum_ok(s[1:star], s[star + 1:star + 3]):
            return self.reject(lineno, R_BAD_CHECKSUM, s)
        f = s[:star].split(",")
        if len(f) < 9 or f[1] != "1":
            return self.skip("non-AIS sentence")
        try:
            t = pd.Timestamp(year=int(f[2]), month=int(f[3]), day=int(f[4]), hour=int(f[5]),
                             minute=int(f[6]), second=int(f[7]),
                             microsecond=int(f[8] or 0) * 1000, tz="UTC")
        except ValueError:
            return self.reject(lineno, R_BAD_TIME, s)
        self.pghp_ts = t.value
        return self.skip("Gatehouse time sentence")

    def orphans(self, parts):
        for lineno, s, _msg, _ts in parts:
            self.reject(lineno, R_ORPHAN, s)

    def message(self, msg, ts, lines):
        lineno = lines[0][0]
        raw = lines[0][1] if len(lines) == 1 else "\n".join(x[1] for x in lines)
        mtype = msg.ais_id
        if not 1 <= (mtype or 0) <= 27:  # no such AIS message: characters outside the alphabet
            return self.reject(lineno, R_UNDECODABLE, raw)
        if mtype == 4:  # a base station: evidence the receiver hears, not a vessel position
            return self.skip(R_BASE_STATION)
        if ts is None:
            return self.reject(lineno, R_NO_TS, raw)
        if mtype not in POSITION_TYPES and mtype not in (STATIC_TYPE, 24):
            return self.skip(f"unsupported message type {mtype}")
        try:
            d = msg.decode()
            mmsi = d.mmsi
        except Exception:
            return self.reject(lineno, R_UNDECODABLE, raw)
        if mmsi is None:
            return self.reject(lineno, R_UNDECODABLE, raw)
        if not 100_000_000 <= mmsi <= 999_999_999:
            return self.reject(lineno, R_BAD_MMSI, raw)
        if mtype == STATIC_TYPE:
            return self.static_record(d, ts, lineno, raw)
        if mtype == 24:
            return self.type24(d, ts, lineno, raw)
        lat, lon = d.lat, d.lon
        heading = 511 if mtype == 27 else d.heading  # type 27 has no heading
        if lat is None or lon is None or d.course is None or heading is None:
            return self.reject(lineno, R_UNDECODABLE, raw)
        if lat == 91.0 or lon == 181.0:
            return self.reject(lineno, R_NOT_AVAILABLE, raw)
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            return self.reject(lineno, R_IMPOSSIBLE, raw)
        sog, cog, hdg = d.speed, d.course, heading
        if mtype == 27 and sog is not None and sog >= 63:  # 6-bit knots, 63 = not available
            sog = None
        status = getattr(d, "status", None)  # types 18 and 19 carry no navigational status
        if mtype == 19:  # extended Class B: also carries name, type and dimensions
            self.type19_static(d, ts)
        p = self.pos
        p["mmsi"].append(mmsi)
        p["ts"].append(ts)
        p["lat"].append(lat)
        p["lon"].append(lon)
        p["sog_kn"].append(sog if sog is not None and sog <= 102.2 else np.nan)
        p["cog_deg"].append(cog if cog < 360.0 else np.nan)
        p["heading_deg"].append(float(hdg) if hdg < 360 else np.nan)
        p["nav_status"].append(pd.NA if status is None else int(status))
        p["msg_type"].append(mtype)
        self.n_records += 1
        return None

    def static_record(self, d, ts, lineno, raw):
        try:
            length = (d.to_bow or 0) + (d.to_stern or 0)
            beam = (d.to_port or 0) + (d.to_starboard or 0)
            key = (d.mmsi, d.imo or None, _clean_text(d.shipname), _clean_text(d.callsign), None,
                   int(d.ship_type) if d.ship_type is not None else None,
                   float(length) if length else None, float(beam) if beam else None)
        except Exception:
            return self.reject(lineno, R_UNDECODABLE, raw)
        span = self.static.get(key)
        if span is None:
            self.static[key] = [ts, ts]
        else:
            span[0] = min(span[0], ts)
            span[1] = max(span[1], ts)
        self.n_static += 1
        self.n_records += 1
        return None

    def type19_static(self, d, ts):
        """The static part of a type-19 report joins the vessels table. The row itself is
        counted once, as a position, so the QA identity still holds."""
        length = (d.to_bow or 0) + (d.to_stern or 0)
        beam = (d.to_port or 0) + (d.to_starboard or 0)
        ship_type = int(d.ship_type) if d.ship_type else None
        name = _clean_text(d.shipname)
        if name is None and ship_type is None and not length and not beam:
            return
        key = (d.mmsi, None, name, None, None, ship_type,
               float(length) if length else None, float(beam) if beam else None)
        span = self.static.setdefault(key, [ts, ts])
        span[0], span[1] = min(span[0], ts), max(span[1], ts)

    def type24(self, d, ts, lineno, raw):
        """Type 24 part A (name) or B (type, callsign, dimensions), kept per MMSI for finish()."""
        try:
            if d.partno == 0:
                rec = {"name": _clean_text(d.shipname)}
            else:
                length = (d.to_bow or 0) + (d.to_stern or 0)
                beam = (d.to_port or 0) + (d.to_starboard or 0)
                rec = {"callsign": _clean_text(d.callsign),
                       "ship_type": int(d.ship_type) if d.ship_type is not None else None,
                       "length_m": float(length) if length else None,
                       "beam_m": float(beam) if beam else None}
        except Exception:
            return self.reject(lineno, R_UNDECODABLE, raw)
        v = self.t24.setdefault(d.mmsi, {"first": ts, "last": ts})
        v["first"], v["last"] = min(v["first"], ts), max(v["last"], ts)
        part = "a" if d.partno == 0 else "b"
        if part not in v or ts >= v[part][0]:
            v[part] = (ts, rec)  # the latest part A and part B win
        self.n_static += 1
        self.n_records += 1
        return None

    def merge_type24(self):
        """One static record per MMSI from its latest type-24 part A and part B."""
        for mmsi, v in self.t24.items():
            a = v["a"][1] if "a" in v else {}
            b = v["b"][1] if "b" in v else {}
            key = (mmsi, None, a.get("name"), b.get("callsign"), None, b.get("ship_type"),
                   b.get("length_m"), b.get("beam_m"))
            span = self.static.setdefault(key, [v["first"], v["last"]])
            span[0], span[1] = min(span[0], v["first"]), max(span[1], v["last"])
        self.t24 = {}

    def finish(self) -> AisData:
        if self.time_policy == "receive_order" and self.last_ts is None:
            raise InputError(self.name, "time", "no line of the file has a receive time, so "
                             "time_policy='receive_order' has nothing to order by",
                             "use a log with tag blocks, trailing epoch times or $PGHP lines")
        self.merge_type24()
        for _key, (_cnt, parts) in sorted(self.pending.items(), key=lambda kv: kv[1][1][0][0]):
            self.orphans(parts)
        self.pending = {}
        p = self.pos
        positions = pd.DataFrame({
            "mmsi": np.asarray(p["mmsi"], dtype="int64"),
            "ts": _ns_to_utc(p["ts"]),
            "lat": np.asarray(p["lat"], dtype="float64"),
            "lon": np.asarray(p["lon"], dtype="float64"),
            "sog_kn": np.asarray(p["sog_kn"], dtype="float64"),
            "cog_deg": np.asarray(p["cog_deg"], dtype="float64"),
            "heading_deg": np.asarray(p["heading_deg"], dtype="float64"),
            "nav_status": pd.array(p["nav_status"], dtype="Int64"),
            "source": self.source,
            "msg_type": pd.array(p["msg_type"], dtype="Int64"),
        })
        keys = list(self.static)
        vessels = pd.DataFrame([k for k in keys], columns=_STATIC_KEY)
        vessels["first_seen"] = _ns_to_utc([self.static[k][0] for k in keys])
        vessels["last_seen"] = _ns_to_utc([self.static[k][1] for k in keys])
        vessels["source"] = self.source
        rejects = pd.DataFrame({"source": self.source, "locator": self.rej_loc,
                                "reason": self.rej_reason, "raw": self.rej_raw})
        return _finish(positions, vessels, rejects, source=self.source, rows_read=self.n_records,
                       static=self.n_static, skipped=self.n_skipped, by_reason=self.by_reason)


def _ns_to_utc(values) -> pd.DatetimeIndex:
    return pd.to_datetime(np.asarray(values, dtype="int64"), unit="ns", utc=True)


def _vessels_frame(vessels: pd.DataFrame) -> pd.DataFrame:
    for col in ("imo", "ship_type"):
        vessels[col] = pd.array(vessels[col], dtype="Int64")
    for col in ("length_m", "beam_m"):
        vessels[col] = pd.to_numeric(vessels[col]).astype("float64")
    for col in ("name", "callsign", "flag"):
        vessels[col] = vessels[col].astype(object).where(vessels[col].notna(), None)
    vessels = validate(vessels, "vessels")
    return vessels.sort_values(["mmsi", "first_seen", "last_seen"], kind="stable",
                               ignore_index=True)


def _finish(positions, vessels, rejects, *, source, rows_read, static, skipped, by_reason):
    positions = validate(positions, "positions")
    vessels = _vessels_frame(vessels)
    rejects = validate(rejects, "rejects")
    stamps = pd.concat([positions["ts"], vessels["first_seen"], vessels["last_seen"]]).dropna()
    qa = {
        "source": source,
        "rows_read": int(rows_read),
        "positions": len(positions),
        "static": int(static),
        "rejected": len(rejects),
        "by_reason": dict(sorted(by_reason.items())),
        "skipped": int(skipped),
        "vessels": int(pd.concat([positions["mmsi"], vessels["mmsi"]]).nunique()),
        "first_ts": stamps.min() if len(stamps) else None,
        "last_ts": stamps.max() if len(stamps) else None,
    }
    total = qa["positions"] + qa["static"] + qa["rejected"] + qa["skipped"]
    assert qa["rows_read"] == total, f"QA identity broken for {source}: {qa}"
    return AisData(positions, vessels, rejects, qa)


def _epoch_ns(text: str):
    """Unix seconds (or milliseconds, when too large for seconds) as ns; None if not a number."""
    text = text.strip()
    try:
        t = int(text) * _NS if text.isdigit() else int(round(float(text) * _NS))
    except (ValueError, OverflowError):
        return None
    if t <= 0:
        return None
    return t // 1000 if t > 10**11 * _NS else t


def _read_nmea(path: Path, source: str, time_policy: str = "reject") -> AisData:
    reader = _NmeaReader(path.name, source, time_policy)
    lines = 0
    with _open_text(path) as fh:
        for lineno, raw in enumerate(fh, 1):
            reader.line(lineno, raw)
            lines = lineno
    data = reader.finish()
    data.qa["lines"] = lines
    return data


# ----------------------------------------------------------------------------------------------
# Tables: CSV flavours and caller-mapped CSV / Parquet / GeoParquet, read in chunks
# ----------------------------------------------------------------------------------------------

# Every flavour turns a chunk into this "raw canonical" frame; _table_part does the rest.
_RAW_COLS = ["mmsi", "ts", "lat", "lon", "sog", "cog", "heading", "status", "imo", "name",
             "callsign", "ship_type", "length", "beam", "skip", "raw"]
TABLE_KEYS = ("mmsi", "ts", "lat", "lon", "sog_kn", "cog_deg", "heading_deg", "nav_status", "imo",
              "name", "callsign", "ship_type", "length_m", "beam_m")
_TABLE_TO_RAW = {"sog_kn": "sog", "cog_deg": "cog", "heading_deg": "heading",
                 "nav_status": "status", "length_m": "length", "beam_m": "beam"}
_NULL_TEXT = {"", "UNKNOWN", "UNDEFINED", "N/A", "NAN", "NONE", "NULL"}

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


def _num(s: pd.Series) -> pd.Series:
    if s.dtype == object or pd.api.types.is_string_dtype(s):
        s = s.astype(str).str.strip()
    return pd.to_numeric(s, errors="coerce").astype("float64")


def _text(s: pd.Series, nulls=_NULL_TEXT) -> pd.Series:
    """Stripped text; empty text and the placeholders in `nulls` become None."""
    t = s.astype(object).where(s.notna(), "").astype(str).str.strip()
    return t.astype(object).where(~t.str.upper().isin(nulls), None)


def _coded(s: pd.Series, codes: dict) -> pd.Series:
    """AIS codes from text labels (case-insensitive) or numbers."""
    t = s.astype(str).str.strip()
    return t.str.lower().map(codes).astype("float64").fillna(_num(t))


def _utc_times(s: pd.Series, fmt: str = "ISO8601") -> pd.Series:
    """UTC times of a column: datetimes (naive = UTC), unix seconds, or text in `fmt`."""
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s.dt.tz_convert("UTC")
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.tz_localize("UTC")
    if pd.api.types.is_numeric_dtype(s):
        return pd.to_datetime(s.astype("float64") * _NS, unit="ns", utc=True, errors="coerce")
    t = s.astype(object).where(s.notna(), "").astype(str).str.strip()
    out = pd.to_datetime(t, format=fmt, utc=True, errors="coerce")
    if fmt == "ISO8601":
        secs = pd.to_numeric(t, errors="coerce")
        if secs.notna().any():
            out = out.where(secs.isna(), pd.to_datetime(secs * _NS, unit="ns", utc=True,
                                                         errors="coerce"))
    return out


def _join_raw(df: pd.DataFrame, cols) -> list[str]:
    if not len(df):
        return []
    return df[list(cols)].astype(object).where(df[list(cols)].notna(), "").astype(str) \
        .agg(",".join, axis=1).tolist()


def _raw_frame(n, index, **cols) -> pd.DataFrame:
    out = pd.DataFrame(index=index)
    for c in _RAW_COLS:
        v = cols.get(c)
        out[c] = v if v is not None else (np.nan if c not in ("name", "callsign", "skip")
                                          else None)
    return out


@dataclass
class _Flavour:
    fmt: str
    required: tuple[str, ...]     # upper-case header names the file must have
    first: str | None             # what the header must start with, if anything
    prepare: object               # (chunk, col, options) -> raw canonical frame

    def matches(self, head: list[str]) -> bool:
        if self.first is not None and head[:len(self.first.split(","))] != self.first.split(","):
            return False
        return all(c in head for c in self.required)


def _prepare_mc(df, col, opts):
    for c in MC_COLUMNS:
        if c.upper() not in col:
            df[c] = ""
            col[c.upper()] = c
    g = lambda c: df[col[c.upper()]]  # noqa: E731
    imo = _num(g("IMO").astype(str).str.strip().str.upper().str.removeprefix("IMO"))
    return _raw_frame(
        len(df), df.index, mmsi=_num(g("MMSI")), ts=_utc_times(g("BaseDateTime")),
        lat=_num(g("LAT")), lon=_num(g("LON")), sog=_num(g("SOG")), cog=_num(g("COG")),
        heading=_num(g("Heading")), status=_num(g("Status")), imo=imo,
        name=_text(g("VesselName"), {""}), callsign=_text(g("CallSign"), {""}),
        ship_type=_num(g("VesselType")), length=_num(g("Length")), beam=_num(g("Width")),
        raw=_join_raw(df, [col[c.upper()] for c in MC_COLUMNS]))


def _prepare_dma(df, col, opts):
    g = lambda c: df[col[c]] if c in col else pd.Series("", index=df.index)  # noqa: E731
    mobile = g("TYPE OF MOBILE").astype(str).str.strip().str.lower()
    skip = pd.Series(None, index=df.index, dtype=object)
    skip[mobile == "base station"] = R_BASE_STATION
    skip[mobile == "aton"] = "aid to navigation report"
    return _raw_frame(
        len(df), df.index, mmsi=_num(g("MMSI")),
        ts=_utc_times(g(_DMA.required[0]), "%d/%m/%Y %H:%M:%S"),
        lat=_num(g("LATITUDE")), lon=_num(g("LONGITUDE")), sog=_num(g("SOG")),
        cog=_num(g("COG")), heading=_num(g("HEADING")),
        status=_coded(g("NAVIGATIONAL STATUS"), DMA_NAV_STATUS), imo=_num(g("IMO")),
        name=_text(g("NAME")), callsign=_text(g("CALLSIGN")),
        ship_type=_coded(g("SHIP TYPE"), DMA_SHIP_TYPE), length=_num(g("LENGTH")),
        beam=_num(g("WIDTH")), skip=skip, raw=_join_raw(df, df.columns))


def _prepare_mt(df, col, opts):
    g = lambda c: df[col[c]] if c in col else pd.Series("", index=df.index)  # noqa: E731
    sog = _num(g("SPEED"))
    if opts["speed_unit"] == "tenths":
        sog = sog / 10.0
    imo = _num(g("IMO").astype(str).str.strip().str.upper().str.removeprefix("IMO"))
    return _raw_frame(
        len(df), df.index, mmsi=_num(g("MMSI")), ts=_utc_times(g("TIMESTAMP")),
        lat=_num(g("LAT")), lon=_num(g("LON")), sog=sog, cog=_num(g("COURSE")),
        heading=_num(g("HEADING")), status=_num(g("STATUS")), imo=imo,
        name=_text(g("SHIPNAME")), callsign=_text(g("CALLSIGN")), ship_type=_num(g("SHIPTYPE")),
        length=_num(g("LENGTH")), beam=_num(g("WIDTH")), raw=_join_raw(df, df.columns))


_MC = _Flavour("marinecadastre", ("MMSI", "BASEDATETIME", "LAT", "LON"), "MMSI,BASEDATETIME",
               _prepare_mc)
_DMA = _Flavour("dma", ("# TIMESTAMP", "MMSI", "LATITUDE", "LONGITUDE"), "# TIMESTAMP",
                _prepare_dma)
_MT = _Flavour("marinetraffic", ("MMSI", "LAT", "LON", "SPEED", "COURSE", "HEADING", "TIMESTAMP"),
               None, _prepare_mt)


def _table_part(c: pd.DataFrame, name: str, source: str, row0: int):
    """Positions, static spans, rejects, by_reason and skipped count of one raw canonical chunk."""
    mmsi, lat, lon, ts = c["mmsi"], c["lat"], c["lon"], c["ts"]
    reason = pd.Series(pd.NA, index=c.index, dtype="object")
    bad_mmsi = ~(mmsi.between(100_000_000, 999_999_999) & (mmsi % 1 == 0))
    not_avail = (lat == 91) | (lon == 181)
    impossible = ~(lat.between(-90, 90) & lon.between(-180, 180))
    # first matching reason wins: assign in reverse priority
    reason[impossible] = R_IMPOSSIBLE
    reason[c["lat"].isna() & c["lon"].isna() & c["raw"].eq("\0nopoint")] = R_NO_POINT
    reason[not_avail] = R_NOT_AVAILABLE
    reason[bad_mmsi] = R_BAD_MMSI
    reason[ts.isna()] = R_BAD_TIME
    skip = c["skip"].notna()
    reason[skip] = pd.NA
    bad = reason.notna().to_numpy()
    ok = ~bad & ~skip.to_numpy()

    def nullify(s, lo, hi):
        return s[ok].where(s[ok].between(lo, hi)).astype("float64")

    def whole(s):
        s = s[ok]
        return s.where(s % 1 == 0).astype("Int64")

    positions = pd.DataFrame({
        "mmsi": mmsi[ok].astype("int64"),
        "ts": ts[ok],
        "lat": lat[ok].astype("float64"),
        "lon": lon[ok].astype("float64"),
        "sog_kn": nullify(c["sog"], 0, 102.2),
        "cog_deg": nullify(c["cog"], 0, 359.9),
        "heading_deg": nullify(c["heading"], 0, 359),
        "nav_status": whole(c["status"].where(c["status"].between(0, 15))),
        "source": source,
        "msg_type": pd.array([pd.NA] * int(ok.sum()), dtype="Int64"),
    })
    imo = c["imo"].where(c["imo"] > 0)
    static = pd.DataFrame({
        "mmsi": positions["mmsi"],
        "imo": whole(imo),
        "name": c["name"][ok],
        "callsign": c["callsign"][ok],
        "flag": None,
        "ship_type": whole(c["ship_type"]),
        "length_m": c["length"][ok].where(c["length"][ok] > 0).astype("float64"),
        "beam_m": c["beam"][ok].where(c["beam"][ok] > 0).astype("float64"),
        "ts": positions["ts"],
    })
    has_static = static[["imo", "name", "callsign", "ship_type", "length_m", "beam_m"]] \
        .notna().any(axis=1)
    spans = (static[has_static]
             .groupby(_STATIC_KEY, dropna=False, sort=True)["ts"]
             .agg(first_seen="min", last_seen="max").reset_index())
    bad_idx = np.flatnonzero(bad)
    raw = c["raw"].to_numpy()[bad_idx]
    rejects = pd.DataFrame({
        "source": source,
        "locator": [f"{name}:row {row0 + i + 1}" for i in bad_idx],
        "reason": reason.to_numpy()[bad_idx].astype(str),
        "raw": [None if r == "\0nopoint" else r for r in raw],
    })
    by_reason = {str(k): int(v) for k, v in rejects["reason"].value_counts().items()}
    for k, v in c["skip"][skip].value_counts().items():
        by_reason[str(k)] = by_reason.get(str(k), 0) + int(v)
    return positions, spans, rejects, by_reason, int(skip.sum())


def _table_finish(parts, source: str, rows_read: int) -> AisData:
    if not parts:
        parts = [_table_part(_raw_frame(0, pd.RangeIndex(0), ts=pd.Series(
            [], dtype="datetime64[ns, UTC]"), raw=pd.Series([], dtype=object)), "", source, 0)]
    positions = pd.concat([p[0] for p in parts], ignore_index=True)
    spans = pd.concat([p[1] for p in parts], ignore_index=True)
    if len(parts) > 1:  # spans of a static record split over chunks
        spans = (spans.groupby(_STATIC_KEY, dropna=False, sort=True)
                 .agg(first_seen=("first_seen", "min"), last_seen=("last_seen", "max"))
                 .reset_index())
    spans["source"] = source
    rejects = pd.concat([p[2] for p in parts], ignore_index=True)
    by_reason: dict[str, int] = {}
    for p in parts:
        for k, v in p[3].items():
            by_reason[k] = by_reason.get(k, 0) + v
    skipped = sum(p[4] for p in parts)
    return _finish(positions, spans, rejects, source=source, rows_read=rows_read, static=0,
                   skipped=skipped, by_reason=by_reason)


def _csv_chunks(path: Path, chunksize, **kw):
    """DataFrames of `path`'s rows as text (one frame, or one per chunk); a file pandas cannot
    split into rows raises InputError naming the line."""
    try:
        with _open_text(path, "utf-8-sig") as fh:
            got = pd.read_csv(fh, dtype=str, keep_default_na=False, chunksize=chunksize, **kw)
            if chunksize is None:
                yield got
            else:
                with got:
                    yield from got
    except pd.errors.EmptyDataError:
        raise InputError(path.name, "(file)", "the file has no header line",
                         "check the export; remove it from the inputs if it has no data") from None
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m:
            want, line, saw = m.groups()
            raise InputError(path.name, f"(line {line})", f"line {line} has {saw} fields where "
                             f"the header has {want}", "remove the extra comma, or quote the text "
                             "field that holds it") from None
        raise InputError(path.name, "(file)", f"cannot be split into rows ({exc})",
                         "close the quote that is never closed (the file may be truncated), "
                         "or re-export it") from None


def _header_map(path: Path, df: pd.DataFrame) -> dict[str, str]:
    df.columns = [str(c).strip() for c in df.columns]
    return {c.strip('"').upper(): c for c in df.columns}


def _mt_speed_unit(path: Path, speed_col: str, chunksize) -> str:
    """"tenths" when the SPEED column's largest value exceeds 102.3, else "kn" (see module doc)."""
    top = -np.inf
    for chunk in _csv_chunks(path, chunksize, usecols=lambda c: c.strip() == speed_col):
        if chunk.shape[1]:
            top = max(top, _num(chunk.iloc[:, 0]).max(skipna=True) if len(chunk) else -np.inf)
    return "tenths" if top > 102.3 else "kn"


def _read_csv_flavour(path: Path, source: str, flavour: _Flavour, chunksize,
                      speed_unit: str = "auto") -> AisData:
    name = path.name
    parts, row0 = [], 0
    opts = {"speed_unit": speed_unit}
    for df in _csv_chunks(path, chunksize):
        col = _header_map(path, df)
        missing = [c for c in flavour.required if c not in col]
        if missing:
            raise InputError(name, ", ".join(missing), f"missing {flavour.fmt} column(s)",
                             f"the header must hold {', '.join(flavour.required)}")
        if flavour is _MT and opts["speed_unit"] == "auto":
            opts["speed_unit"] = _mt_speed_unit(path, col["SPEED"], chunksize)
        parts.append(_table_part(flavour.prepare(df, col, opts), name, source, row0))
        row0 += len(df)
    return _table_finish(parts, source, row0)


def _geo_column(pf) -> tuple[str | None, dict]:
    import json
    meta = pf.schema_arrow.metadata or {}
    if b"geo" not in meta:
        return None, {}
    geo = json.loads(meta[b"geo"])
    col = geo.get("primary_column", "geometry")
    return col, geo.get("columns", {}).get(col, {})


def _read_table(path: Path, source: str, columns: dict | None, chunksize, layer=None) -> AisData:
    name = path.name
    if not isinstance(columns, dict) or not columns:
        raise InputError(name, "columns", "fmt='table' needs a column mapping",
                         "pass columns={'mmsi': ..., 'ts': ..., 'lat': ..., 'lon': ...}")
    unknown = [k for k in columns if k not in TABLE_KEYS]
    if unknown:
        raise InputError(name, ", ".join(unknown), "unknown canonical name(s) in columns=",
                         f"use names from {list(TABLE_KEYS)}")
    gpkg = _is_geopackage(path)
    parquet = _is_parquet(path) or gpkg
    need = ["mmsi", "ts"] + ([] if parquet else ["lat", "lon"])
    missing = [k for k in need if k not in columns]
    if missing:
        raise InputError(name, ", ".join(missing), "columns= lacks required name(s)",
                         "map mmsi, ts, lat and lon (GeoParquet, GeoPackage: lat/lon may "
                         "come from the point geometry)")
    if gpkg:
        names, geom, batches = _gpkg_batches(path, layer, chunksize)
        use_geom = "lat" not in columns or "lon" not in columns
        absent = [c for c in columns.values() if c not in names]
        if absent:
            raise InputError(name, ", ".join(absent), "mapped column(s) not in the file",
                             f"the file's columns are {names}")
    elif parquet:
        import pyarrow as pa
        import pyarrow.parquet as pq
        try:
            pf = pq.ParquetFile(path)
        except (pa.ArrowException, OSError) as exc:
            raise InputError(name, "(file)", f"cannot be read as Parquet ({exc})",
                             "check the file is complete (download or export it again)") from None
        geom, geo_meta = _geo_column(pf)
        use_geom = "lat" not in columns or "lon" not in columns
        if use_geom:
            if geom is None or geom not in pf.schema_arrow.names:
                raise InputError(name, "lat, lon", "no lat/lon mapping and no GeoParquet geometry",
                                 "map lat and lon in columns=, or write the file as GeoParquet")
            crs = geo_meta.get("crs")
            code = (crs or {}).get("id", {}).get("code") if isinstance(crs, dict) else None
            if crs is not None and code not in (4326, "CRS84", "4326"):
                raise InputError(name, geom, "geometry is not in WGS 84 longitude/latitude",
                                 "reproject to EPSG:4326 before reading")
        wanted = [v for v in columns.values()] + ([geom] if use_geom else [])
        absent = [c for c in wanted if c not in pf.schema_arrow.names]
        if absent:
            raise InputError(name, ", ".join(absent), "mapped column(s) not in the file",
                             f"the file's columns are {pf.schema_arrow.names}")
        batches = (b.to_pandas() for b in pf.iter_batches(batch_size=chunksize or 65_536,
                                                           columns=list(dict.fromkeys(wanted))))
    else:
        use_geom, geom = False, None
        batches = _csv_chunks(path, chunksize)
    parts, row0 = [], 0
    for df in batches:
        if not parquet:
            _header_map(path, df)
            absent = [c for c in columns.values() if c not in df.columns]
            if absent:
                raise InputError(name, ", ".join(absent), "mapped column(s) not in the file",
                                 f"the file's columns are {list(df.columns)}")
        df = df.reset_index(drop=True)
        get = {k: df[v] for k, v in columns.items()}
        raw_cols = list(dict.fromkeys(columns.values())) if parquet else list(df.columns)
        raw = pd.Series(_join_raw(df, raw_cols), index=df.index, dtype=object)
        if use_geom:
            import shapely
            g = shapely.from_wkb(df[geom].to_numpy())
            is_point = shapely.get_type_id(g) == 0
            xs, ys = shapely.get_x(g), shapely.get_y(g)
            get["lon"] = pd.Series(np.where(is_point, xs, np.nan), index=df.index)
            get["lat"] = pd.Series(np.where(is_point, ys, np.nan), index=df.index)
            raw = raw.where(is_point, "\0nopoint")
        kw = {_TABLE_TO_RAW.get(k, k): v for k, v in get.items()}
        for k in ("mmsi", "lat", "lon", "sog", "cog", "heading", "status", "imo", "ship_type",
                  "length", "beam"):
            if k in kw:
                kw[k] = _num(kw[k])
        for k in ("name", "callsign"):
            if k in kw:
                kw[k] = _text(kw[k])
        kw["ts"] = _utc_times(kw["ts"])
        parts.append(_table_part(_raw_frame(len(df), df.index, raw=raw, **kw), name, source,
                                 row0))
        row0 += len(df)
    return _table_finish(parts, source, row0)


# ----------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------

def _epoch_seconds(ts: pd.Series) -> np.ndarray:
    t = pd.to_datetime(ts, utc=True)
    return ((t - _EPOCH) // pd.Timedelta(seconds=1)).to_numpy(dtype="int64")


def _tagged(sentence: str, **fields) -> str:
    body = ",".join(f"{k}:{v}" for k, v in fields.items())
    return f"\\{body}*{reduce(xor, body.encode('ascii'), 0):02X}\\{sentence}"


def _split_dim(total, hi: int) -> tuple[int, int]:
    if total is None or pd.isna(total) or total <= 0:
        return 0, 0
    t = min(int(round(float(total))), 2 * hi)
    return (t + 1) // 2, t // 2


def _type5(v, sec: int, station: str, seq: int, group: int) -> list[str]:
    bow, stern = _split_dim(v.get("length_m"), 511)
    port, starboard = _split_dim(v.get("beam_m"), 63)
    imo = v.get("imo")
    stype = v.get("ship_type")
    data = {"type": 5, "mmsi": int(v["mmsi"]),
            "imo": 0 if imo is None or pd.isna(imo) else int(imo),
            "callsign": "" if not isinstance(v.get("callsign"), str) else v["callsign"].upper(),
            "shipname": "" if not isinstance(v.get("name"), str) else v["name"].upper(),
            "ship_type": 0 if stype is None or pd.isna(stype) else int(stype),
            "to_bow": bow, "to_stern": stern, "to_port": port, "to_starboard": starboard}
    parts = pyais.encode_dict(data, talker_id="AI", sentence_type="VDM", radio_channel="A",
                              seq_id=seq)
    n = len(parts)
    return [_tagged(p, g=f"{i}-{n}-{group}", s=station, c=sec) for i, p in enumerate(parts, 1)]


def to_nmea(positions: pd.DataFrame, vessels: pd.DataFrame, *, receiver_col: str = "receiver",
            static_every_hours: float = 6) -> list[str]:
    """NMEA 4 lines (tag block + sentence) for `positions`, sorted by time.

    One type-1 sentence per position (channel A/B alternating in time order) and each vessel's
    type-5 static report (2 sentences, `g:` group fields) at its first position and then at the
    first position at least `static_every_hours` after the previous report. Deterministic.
    """
    if len(positions) == 0:
        return []
    secs = _epoch_seconds(positions["ts"])
    order = np.argsort(secs, kind="stable")
    cols = {c: positions[c].to_numpy() for c in
            ("mmsi", "lat", "lon", "sog_kn", "cog_deg", "heading_deg", "nav_status")}
    receivers = positions[receiver_col].astype(str).to_numpy()
    static = {}
    if vessels is not None and len(vessels):
        v = vessels.copy()
        if "last_seen" in v.columns:
            v = v.sort_values(["mmsi", "last_seen"], kind="stable")
        for rec in v.drop_duplicates("mmsi", keep="last").to_dict("records"):
            static[int(rec["mmsi"])] = rec
    every = int(round(static_every_hours * 3600))
    last_static: dict[int, int] = {}
    out: list[str] = []
    seq = group = 0
    for k, i in enumerate(order):
        mmsi, sec, station = int(cols["mmsi"][i]), int(secs[i]), receivers[i]
        if mmsi in static and (mmsi not in last_static or sec - last_static[mmsi] >= every):
            group += 1
            out.extend(_type5(static[mmsi], sec, station, seq % 10, group))
            seq += 1
            last_static[mmsi] = sec
        sog, cog, hdg, nav = (cols["sog_kn"][i], cols["cog_deg"][i], cols["heading_deg"][i],
                              cols["nav_status"][i])
        data = {"type": 1, "mmsi": mmsi,
                "status": 15 if pd.isna(nav) else int(nav),
                "speed": 102.3 if pd.isna(sog) else min(float(sog), 102.2),
                "lat": float(cols["lat"][i]), "lon": float(cols["lon"][i]),
                "course": 360.0 if pd.isna(cog) else min(round(float(cog) % 360.0, 1), 359.9),
                "heading": 511 if pd.isna(hdg) else int(round(float(hdg))) % 360,
                "second": sec % 60}
        sentence = pyais.encode_dict(data, talker_id="AI", sentence_type="VDM",
                                     radio_channel="AB"[k % 2])[0]
        out.append(_tagged(sentence, s=station, c=sec))
    return out


def write_lines(lines, path) -> Path:
    """Write `lines` with '\\n' endings, UTF-8, atomically (temporary file, then rename)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            for line in lines:
                fh.write(line)
                fh.write("\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p


def to_marinecadastre(positions: pd.DataFrame, vessels: pd.DataFrame) -> pd.DataFrame:
    """Positions (+ the latest static record per MMSI) in the MarineCadastre CSV layout."""
    pos = positions.reset_index(drop=True)
    ts = pd.to_datetime(pos["ts"], utc=True)
    out = pd.DataFrame({
        "MMSI": pos["mmsi"].astype("int64"),
        "BaseDateTime": ts.dt.strftime("%Y-%m-%dT%H:%M:%S"),
        "LAT": pos["lat"].astype("float64").round(5),
        "LON": pos["lon"].astype("float64").round(5),
        "SOG": pos["sog_kn"].astype("float64").round(1).fillna(102.3),
        "COG": pos["cog_deg"].astype("float64").round(1).fillna(360.0),
        "Heading": pos["heading_deg"].astype("float64").round(0).fillna(511).astype("int64"),
        "Status": pd.array(pos["nav_status"], dtype="Int64"),
    })
    v = vessels.copy() if vessels is not None else pd.DataFrame(columns=_STATIC_KEY)
    if "last_seen" in v.columns:
        v = v.sort_values(["mmsi", "last_seen"], kind="stable")
    v = v.drop_duplicates("mmsi", keep="last").set_index("mmsi")
    m = out["MMSI"]
    imo = pd.array(m.map(v["imo"]) if len(v) else [pd.NA] * len(m), dtype="Int64")
    out["VesselName"] = m.map(v["name"]) if len(v) else None
    out["IMO"] = ["" if pd.isna(x) else f"IMO{int(x)}" for x in imo]
    out["CallSign"] = m.map(v["callsign"]) if len(v) else None
    out["VesselType"] = pd.array(m.map(v["ship_type"]) if len(v) else [pd.NA] * len(m),
                                 dtype="Int64")
    out["Length"] = (m.map(v["length_m"]) if len(v) else np.nan)
    out["Width"] = (m.map(v["beam_m"]) if len(v) else np.nan)
    out["Draft"] = np.nan
    out["Cargo"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["TransceiverClass"] = "A"
    out = out.assign(_t=ts.to_numpy())
    out = out.sort_values(["_t", "MMSI"], kind="stable", ignore_index=True).drop(columns="_t")
    return out[MC_COLUMNS]


DMA_COLUMNS = ["# Timestamp", "Type of mobile", "MMSI", "Latitude", "Longitude",
               "Navigational status", "ROT", "SOG", "COG", "Heading", "IMO", "Callsign", "Name",
               "Ship type", "Cargo type", "Width", "Length", "Type of position fixing device",
               "Draught", "Destination", "ETA", "Data source type", "A", "B", "C", "D"]


def to_dma(positions: pd.DataFrame, vessels: pd.DataFrame) -> pd.DataFrame:
    """Positions (+ the latest static record per MMSI) in the Danish Maritime Authority CSV
    layout: day-first times, text codes for status and ship type, "Unknown" for missing text."""
    mc = to_marinecadastre(positions, vessels)
    status = {v: k.capitalize() for k, v in reversed(list(DMA_NAV_STATUS.items()))}
    ship = {v: k.capitalize() for k, v in reversed(list(DMA_SHIP_TYPE.items()))}
    ts = pd.to_datetime(mc["BaseDateTime"], utc=True)
    unknown = lambda s: s.astype(object).where(s.notna() & (s.astype(str) != ""), "Unknown")  # noqa: E731
    out = pd.DataFrame({
        "# Timestamp": ts.dt.strftime("%d/%m/%Y %H:%M:%S"),
        "Type of mobile": "Class A",
        "MMSI": mc["MMSI"],
        "Latitude": mc["LAT"].map("{:.6f}".format),
        "Longitude": mc["LON"].map("{:.6f}".format),
        "Navigational status": mc["Status"].map(status).fillna("Unknown value"),
        "ROT": "",
        "SOG": mc["SOG"],
        "COG": mc["COG"],
        "Heading": mc["Heading"],
        "IMO": unknown(mc["IMO"].str.removeprefix("IMO")),
        "Callsign": unknown(mc["CallSign"]),
        "Name": unknown(mc["VesselName"]),
        "Ship type": mc["VesselType"].map(ship).fillna("Undefined"),
        "Cargo type": "",
        "Width": mc["Width"].map(lambda x: "" if pd.isna(x) else f"{x:g}"),
        "Length": mc["Length"].map(lambda x: "" if pd.isna(x) else f"{x:g}"),
        "Type of position fixing device": "GPS",
        "Draught": "", "Destination": "", "ETA": "", "Data source type": "AIS",
        "A": "", "B": "", "C": "", "D": "",
    })
    return out[DMA_COLUMNS]


# ----------------------------------------------------------------------------------------------
# Cleaning
# ----------------------------------------------------------------------------------------------

def _utc(t) -> pd.Timestamp:
    t = pd.Timestamp(t)
    return t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC")


def _implied_speed(lat, lon, t_s, i, j):
    """Implied speed in knots from rows i to rows j (index arrays of the same shape)."""
    dist = haversine_nm(lat[i], lon[i], lat[j], lon[j])
    hours = (t_s[j] - t_s[i]) / 3600.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(hours > 0, dist / hours, np.where(dist > 1e-6, np.inf, 0.0))


def _jump_mask(mmsi, t_s, lat, lon, max_kn: float, window: int = 32):
    """Rows (sorted by mmsi, ts) rejected as implausible jumps, with their implied speed.

    Exactly the result of walking each vessel's track and comparing every position with the
    previous *kept* one, computed for all vessels at once: each pass looks at the next `window`
    rows of every vessel (a vessels x window array), keeps the rows up to the first jump,
    rejects the run of rows too fast from the last kept one, and resumes at the first row
    that fits. Work per pass is vessels x window, so a noisy track costs passes, not n^2.
    """
    n = len(mmsi)
    rejected = np.zeros(n, dtype=bool)
    speed_at = np.full(n, np.nan)
    if n < 2:
        return rejected, speed_at
    starts = np.flatnonzero(np.r_[True, mmsi[1:] != mmsi[:-1]])
    ends = np.r_[starts[1:], n]
    anchor, cursor = starts.copy(), starts + 1
    offs = np.arange(window)
    while True:
        live = cursor < ends
        anchor, cursor, ends = anchor[live], cursor[live], ends[live]
        if not len(cursor):
            break
        v = np.arange(len(cursor))
        valid = (cursor[:, None] + offs) < ends[:, None]
        rows = np.minimum(cursor[:, None] + offs, ends[:, None] - 1)
        prev = np.concatenate([anchor[:, None], rows[:, :-1]], axis=1)
        bad = (_implied_speed(lat, lon, t_s, prev, rows) > max_kn) & valid
        has_bad = bad.any(axis=1)
        f = np.where(has_bad, bad.argmax(axis=1), window)        # first jump in the window
        kept_to = np.where(f > 0, rows[v, np.maximum(f - 1, 0)], anchor)
        spd = _implied_speed(lat, lon, t_s, np.broadcast_to(kept_to[:, None], rows.shape), rows)
        fits = (spd <= max_kn) & valid & (offs > f[:, None])
        g = np.where(fits.any(axis=1), fits.argmax(axis=1), window)  # first row that fits
        hit = (offs >= f[:, None]) & (offs < g[:, None]) & valid
        rejected[rows[hit]] = True
        speed_at[rows[hit]] = spd[hit]
        resumed = g < window
        new_anchor = np.where(~has_bad, rows[:, -1],
                              np.where(resumed, rows[v, np.minimum(g, window - 1)], kept_to))
        cursor = np.where(resumed, rows[v, np.minimum(g, window - 1)] + 1, cursor + window)
        anchor = new_anchor
    return rejected, speed_at


def _position_rejects(df: pd.DataFrame, reasons) -> pd.DataFrame:
    if df.empty:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in ("source", "locator", "reason", "raw")})
    ts = df["ts"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return pd.DataFrame({
        "source": df["source"].to_numpy(),
        "locator": ("mmsi " + df["mmsi"].astype(str) + " at " + ts).to_numpy(),
        "reason": np.asarray(reasons, dtype=object),
        "raw": (df["mmsi"].astype(str) + "," + ts + "," + df["lat"].map("{:.6f}".format)
                + "," + df["lon"].map("{:.6f}".format)).to_numpy(),
    })


JUMP_POLICIES = ("reject", "keep")


def flag_jumps(positions: pd.DataFrame, max_implied_speed_kn: float, *,
               _t_ns: np.ndarray | None = None) -> pd.Series:
    """The `flag` of each position: "implausible jump: implied speed X kn" where reaching it from
    the vessel's previous plausible position needs more than `max_implied_speed_kn`, else null.

    Positions must be sorted by (mmsi, ts). One vectorised pass (see `_jump_mask`)."""
    t_s = (utc_ns(positions["ts"]).view(np.int64) if _t_ns is None else _t_ns) / 1e9
    jump, spd = _jump_mask(positions["mmsi"].to_numpy(), t_s, positions["lat"].to_numpy(float),
                           positions["lon"].to_numpy(float), max_implied_speed_kn)
    flag = np.full(len(positions), None, dtype=object)
    flag[jump] = [f"implausible jump: implied speed {v:.1f} kn" for v in spd[jump]]
    return pd.Series(flag, index=positions.index, name="flag", dtype="str")


def clean(datasets: list[AisData], start, end, max_implied_speed_kn: float = 40.0,
          jump_policy: str = "reject") -> Cleaned:
    """Merge several inputs: keep the window [start, end), drop cross-feed duplicates, flag
    implausible jumps. Every position read ends kept, rejected or counted as a duplicate.

    Each position too fast to reach from its vessel's previous plausible one gets a `flag`.
    `jump_policy` decides what the cleaning does with flagged positions, and the QA table's
    `flagged` column records how many there were either way: "reject" (default) moves them to
    the rejects with the flag as reason; "keep" keeps them in the positions, flag set, for an
    analyst who wants to look at them (later passes then use them like any other position)."""
    if jump_policy not in JUMP_POLICIES:
        raise ValueError(f"jump_policy must be one of {JUMP_POLICIES}, not {jump_policy!r}")
    start, end = _utc(start), _utc(end)
    pos = pd.concat([d.positions for d in datasets], ignore_index=True) if datasets else \
        validate(pd.DataFrame({c: [] for c in _POS_COLS}), "positions")
    pos = validate(pos, "positions")
    m, t = pos["mmsi"].to_numpy(), utc_ns(pos["ts"]).view(np.int64)
    if not in_vessel_time_order(m, t):
        order = np.lexsort((t, m))          # stable: among equal (mmsi, ts) input order is kept
        pos, m, t = pos.iloc[order].reset_index(drop=True), m[order], t[order]

    outside = (t < start.value) | (t >= end.value)
    rej_parts = [d.rejects for d in datasets]
    rej_parts.append(_position_rejects(pos[outside], [R_WINDOW] * int(outside.sum())))
    clean_rej_src = list(pos.loc[outside, "source"])
    if outside.any():
        pos, m, t = pos[~outside].reset_index(drop=True), m[~outside], t[~outside]

    # The same message heard twice: same vessel and time, positions within ~100 m (feeds round
    # coordinates differently, so exact or rounded equality would miss some). The sort is stable,
    # so the copy from the earlier input is kept.
    la, lo = pos["lat"].to_numpy(dtype=float), pos["lon"].to_numpy(dtype=float)
    dup = np.zeros(len(pos), dtype=bool)
    dup[1:] = ((m[1:] == m[:-1]) & (t[1:] == t[:-1])
               & (np.abs(la[1:] - la[:-1]) < 1e-3) & (np.abs(lo[1:] - lo[:-1]) < 1e-3))
    dup_src = pos.loc[dup, "source"].value_counts()
    pos = pos[~dup].reset_index(drop=True)

    pos["flag"] = flag_jumps(pos, max_implied_speed_kn, _t_ns=t[~dup])
    jump = pos["flag"].notna().to_numpy()
    flagged_src = pos.loc[jump, "source"].value_counts()
    if jump_policy == "reject":
        rej_parts.append(_position_rejects(pos[jump], pos.loc[jump, "flag"].to_numpy()))
        clean_rej_src += list(pos.loc[jump, "source"])
        pos = pos[~jump]
    kept = pos.reset_index(drop=True)     # rows of the validated table: no second validation

    rejects = validate(pd.concat(rej_parts, ignore_index=True), "rejects")
    vessels = _merge_vessels([d.vessels for d in datasets])
    qa = _clean_qa(datasets, kept, rejects, pd.Series(clean_rej_src, dtype=object), dup_src,
                   flagged_src)
    return Cleaned(kept, vessels, rejects, qa)


_POS_COLS = ["mmsi", "ts", "lat", "lon", "sog_kn", "cog_deg", "heading_deg", "nav_status",
             "source", "msg_type"]


def _merge_vessels(frames) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return validate(pd.DataFrame({c: [] for c in _STATIC_KEY + ["first_seen", "last_seen",
                                                                   "source"]}), "vessels")
    v = pd.concat(frames, ignore_index=True)
    merged = (v.groupby(_STATIC_KEY, dropna=False, sort=False)
              .agg(first_seen=("first_seen", "min"), last_seen=("last_seen", "max"),
                   source=("source", lambda s: ";".join(sorted(set(s)))))
              .reset_index())
    return _vessels_frame(merged)


def _clean_qa(datasets, kept, rejects, clean_rej_src, dup_src, flagged_src) -> pd.DataFrame:
    rows = {}
    for d in datasets:
        q = d.qa
        r = rows.setdefault(q["source"], {"source": q["source"], "rows_read": 0,
                                          "positions_read": 0, "static": 0, "skipped": 0})
        r["rows_read"] += q["rows_read"]
        r["positions_read"] += q["positions"]
        r["static"] += q["static"]
        r["skipped"] += q["skipped"]
    qa = pd.DataFrame(list(rows.values()),
                      columns=["source", "rows_read", "positions_read", "static", "skipped"])
    by_src = kept.groupby("source")
    qa["kept"] = qa["source"].map(by_src.size()).fillna(0).astype("int64")
    qa["rejected"] = qa["source"].map(rejects["source"].value_counts()).fillna(0).astype("int64")
    qa["rejected_positions"] = qa["source"].map(clean_rej_src.value_counts()).fillna(0) \
        .astype("int64")
    qa["duplicates"] = qa["source"].map(dup_src).fillna(0).astype("int64")
    qa["flagged"] = qa["source"].map(flagged_src).fillna(0).astype("int64")
    mm = pd.concat([kept[["source", "mmsi"]]] + [d.vessels[["source", "mmsi"]] for d in datasets])
    qa["vessels"] = qa["source"].map(mm.groupby("source")["mmsi"].nunique()).fillna(0) \
        .astype("int64")
    qa["first_ts"] = qa["source"].map(by_src["ts"].min())
    qa["last_ts"] = qa["source"].map(by_src["ts"].max())
    total = {c: qa[c].sum() for c in qa.columns if c not in ("source", "first_ts", "last_ts")}
    total.update(source="total", vessels=int(pd.concat([kept["mmsi"]] + [d.vessels["mmsi"]
                                                                        for d in datasets])
                                             .nunique()),
                 first_ts=kept["ts"].min() if len(kept) else pd.NaT,
                 last_ts=kept["ts"].max() if len(kept) else pd.NaT)
    qa = pd.concat([qa, pd.DataFrame([total])], ignore_index=True)
    qa = qa[["source", "rows_read", "positions_read", "kept", "rejected", "rejected_positions",
             "duplicates", "flagged", "static", "skipped", "vessels", "first_ts", "last_ts"]]
    for c in ("first_ts", "last_ts"):
        qa[c] = pd.to_datetime(qa[c], utc=True)
    ok_pos = qa["positions_read"] == qa["kept"] + qa["rejected_positions"] + qa["duplicates"]
    ok_all = qa["rows_read"] == (qa["kept"] + qa["rejected"] + qa["duplicates"] + qa["static"]
                                 + qa["skipped"])
    assert ok_pos.all() and ok_all.all(), f"clean() QA identity broken:\n{qa}"
    return qa
