"""The NMEA 0183 AIS reader: sentences from any talker (`!AIVDM`, `!AIVDO`, `!BSVDM`, `!ABVDM`, ...).

The receive time comes, in this order of precedence, from an NMEA 4 tag block
`\\s:RECEIVER,c:UNIXSECONDS*HH\\` before the sentence, from a trailing unix-epoch field after
the checksum (USCG style `!AIVDM,...*hh,s...,d...,T...,x...,1690000000`), or from a Gatehouse
`$PGHP,1,yyyy,mm,dd,hh,mi,ss,ms,...*hh` line just before the sentence. Types 1-3, 18, 19 and 27
are positions; 5 and 24 (parts A and B, merged per MMSI) are static; type 4 (base station) is
counted as receiver evidence (skipped, by_reason "base station report").

Decoding is line by line (`NmeaReader.line`, pyais per sentence) into column lists; the frames
are built once at the end. `read_nmea_lines` runs it alone; `helpers.ais.nmea_batch.read_nmea`
(what `helpers.ais.read` uses) reads blocks of lines with numpy and hands every line it does not
decode itself to this code; the tests hold the two equal.
For QA a record is a line, except that the fragments of an assembled multipart message
count as one record (`qa["lines"]` is the raw count).
"""

from __future__ import annotations

from functools import reduce
from operator import xor
from pathlib import Path

import numpy as np
import pandas as pd
import pyais

from ..errors import InputError
from .files import open_text
from .records import (
    NS,
    POSITION_TYPES,
    R_BAD_CHECKSUM,
    R_BAD_MMSI,
    R_BAD_TAG_CHECKSUM,
    R_BAD_TIME,
    R_BASE_STATION,
    R_IMPOSSIBLE,
    R_MALFORMED,
    R_NO_TS,
    R_NOT_AVAILABLE,
    R_ORPHAN,
    R_UNDECODABLE,
    STATIC_KEY,
    AisData,
    assemble,
)

STATIC_TYPE = 5


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
                ts = int(v) * NS if v.isdigit() else int(round(float(v) * NS))
            except ValueError:
                ts = None
            if ts is not None and ts > 10**11 * NS:  # milliseconds, as some feeds write
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


class NmeaReader:
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
        self._add_static(key, ts)
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
        self._add_static(key, ts)

    def _add_static(self, key, ts):
        """A static record seen at `ts`: its first and last time."""
        span = self.static.get(key)
        if span is None:
            self.static[key] = [ts, ts]
        else:
            span[0] = min(span[0], ts)
            span[1] = max(span[1], ts)

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
        self._add_t24(d.mmsi, "a" if d.partno == 0 else "b", rec, ts)
        self.n_static += 1
        self.n_records += 1
        return None

    def _add_t24(self, mmsi, part, rec, ts):
        v = self.t24.setdefault(mmsi, {"first": ts, "last": ts})
        v["first"], v["last"] = min(v["first"], ts), max(v["last"], ts)
        if part not in v or ts >= v[part][0]:
            v[part] = (ts, rec)  # the latest part A and part B win

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
            "ts": ns_to_utc(p["ts"]),
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
        vessels = pd.DataFrame([k for k in keys], columns=STATIC_KEY)
        vessels["first_seen"] = ns_to_utc([self.static[k][0] for k in keys])
        vessels["last_seen"] = ns_to_utc([self.static[k][1] for k in keys])
        vessels["source"] = self.source
        rejects = pd.DataFrame({"source": self.source, "locator": self.rej_loc,
                                "reason": self.rej_reason, "raw": self.rej_raw})
        return assemble(positions, vessels, rejects, source=self.source, rows_read=self.n_records,
                        static=self.n_static, skipped=self.n_skipped, by_reason=self.by_reason)


def ns_to_utc(values) -> pd.DatetimeIndex:
    return pd.to_datetime(np.asarray(values, dtype="int64"), unit="ns", utc=True)


def _epoch_ns(text: str):
    """Unix seconds (or milliseconds, when too large for seconds) as ns; None if not a number."""
    text = text.strip()
    try:
        t = int(text) * NS if text.isdigit() else int(round(float(text) * NS))
    except (ValueError, OverflowError):
        return None
    if t <= 0:
        return None
    return t // 1000 if t > 10**11 * NS else t


def line_info(s: str):
    """What `NmeaReader.line` makes of the stripped line `s` before its state is involved:
    ("skip", reason), ("reject", reason), ("pghp", ns) (time for the next sentence), ("badcs",)
    (an AIS sentence with a wrong checksum) or ("ais", own ns or None, sentence)."""
    if not s:
        return ("skip", "blank line")
    if s[0] == "#":
        return ("skip", "comment")
    if s.startswith("$PGHP,"):
        star = s.find("*")
        if star < 0 or not _nmea_checksum_ok(s[1:star], s[star + 1:star + 3]):
            return ("reject", R_BAD_CHECKSUM)
        f = s[:star].split(",")
        if len(f) < 9 or f[1] != "1":
            return ("skip", "non-AIS sentence")
        try:
            t = pd.Timestamp(year=int(f[2]), month=int(f[3]), day=int(f[4]), hour=int(f[5]),
                             minute=int(f[6]), second=int(f[7]),
                             microsecond=int(f[8] or 0) * 1000, tz="UTC")
        except ValueError:
            return ("reject", R_BAD_TIME)
        return ("pghp", t.value)
    ts = None
    if s[0] == "\\":
        end = s.find("\\", 1)
        if end < 0:
            return ("reject", "malformed tag block")
        sent = s[end + 1:]
        if not (sent[:1] == "!" and sent[3:6] in ("VDM", "VDO")):
            return ("skip", "non-AIS sentence")
        ok, ts, _station, _group = _parse_tag_block(s[1:end])
        if not ok:
            return ("reject", R_BAD_TAG_CHECKSUM)
    else:
        sent = s
        if not (sent[:1] == "!" and sent[3:6] in ("VDM", "VDO")):
            return ("skip", "non-AIS sentence")
    star = sent.find("*")
    if star < 0 or not _nmea_checksum_ok(sent[1:star], sent[star + 1:star + 3]):
        return ("badcs",)
    sent, trailer = sent[:star + 3], sent[star + 3:]
    if ts is None and trailer.startswith(","):
        ts = _epoch_ns(trailer.rsplit(",", 1)[-1])
    return ("ais", ts, sent)


def read_nmea_lines(path: Path, source: str, time_policy: str = "reject") -> AisData:
    """Read an NMEA log line by line, every sentence through pyais (the reference the batch
    reader is tested against); `qa["lines"]` is the raw line count."""
    reader = NmeaReader(path.name, source, time_policy)
    lines = 0
    with open_text(path) as fh:
        for lineno, raw in enumerate(fh, 1):
            reader.line(lineno, raw)
            lines = lineno
    data = reader.finish()
    data.qa["lines"] = lines
    return data
