"""The NMEA 0183 AIS reader: sentences from any talker (`!AIVDM`, `!AIVDO`, `!BSVDM`, `!ABVDM`, ...).

The receive time comes, in this order of precedence, from an NMEA 4 tag block
`\\s:RECEIVER,c:UNIXSECONDS*HH\\` before the sentence, from a trailing unix-epoch field after
the checksum (USCG style `!AIVDM,...*hh,s...,d...,T...,x...,1690000000`), or from a Gatehouse
`$PGHP,1,yyyy,mm,dd,hh,mi,ss,ms,...*hh` line just before the sentence. Types 1-3, 18, 19 and 27
are positions; 5 and 24 (parts A and B, merged per MMSI) are static; type 4 (base station) is
counted as receiver evidence (skipped, by_reason "base station report").

`read_nmea` reads blocks of lines (`_BatchReader`): helpers.ais.fastnmea scans, times and decodes
the common sentences (types 1-3, 18, 19, 27, 5, 24 at their exact lengths, with multipart
assembly, tag blocks, `$PGHP` and trailing epochs) with numpy for the whole block; any other line
goes through the line-by-line code (`_NmeaReader`, pyais), which `read_nmea_lines` runs alone
and which the tests hold the batch reader equal to. The frames are built once at the end.
For QA a record is a line, except that the fragments of an assembled multipart message
count as one record (`qa["lines"]` is the raw count).
"""

from __future__ import annotations

from bisect import bisect_right
from functools import reduce
from operator import xor
from pathlib import Path

import numpy as np
import pandas as pd
import pyais
from pyais.constants import ShipType

from ..errors import InputError
from . import fastnmea
from .files import open_binary, open_text
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
        vessels = pd.DataFrame([k for k in keys], columns=STATIC_KEY)
        vessels["first_seen"] = _ns_to_utc([self.static[k][0] for k in keys])
        vessels["last_seen"] = _ns_to_utc([self.static[k][1] for k in keys])
        vessels["source"] = self.source
        rejects = pd.DataFrame({"source": self.source, "locator": self.rej_loc,
                                "reason": self.rej_reason, "raw": self.rej_raw})
        return assemble(positions, vessels, rejects, source=self.source, rows_read=self.n_records,
                        static=self.n_static, skipped=self.n_skipped, by_reason=self.by_reason)


def _ns_to_utc(values) -> pd.DatetimeIndex:
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


def _line_info(s: str):
    """What `_NmeaReader.line` makes of the stripped line `s` before its state is involved:
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


_SHIP_TYPE = [int(ShipType.from_value(v)) for v in range(256)]
_SHIP_TYPE_NP = np.array(_SHIP_TYPE, dtype=np.int64)
_ORDER = 16  # order key of line i: i * _ORDER (+ one per further row the line makes)


class _BatchReader(_NmeaReader):
    """The NMEA reader over blocks of lines (helpers.ais.fastnmea): the common sentences are
    parsed, timed and decoded with numpy for the whole block; every other line, multipart
    assembly that is not plain, and payload not of its type's exact length goes through the
    line-by-line reader's own code (pyais). Every row carries an order key (its line), so
    positions, rejects and static records come out in the order the line-by-line reader
    makes them."""

    def __init__(self, name, source, time_policy="reject"):
        super().__init__(name, source, time_policy)
        self.key = 0
        self.pos_key: list[int] = []
        self.rej_key: list[int] = []
        self.events: list[tuple] = []  # (key, kind 0 static / 1 type 24 / 2 static span, args)
        self.fast_pos: list[dict] = []
        self.pghp_pending = None  # a $PGHP time not yet used, carried between blocks
        self.lines_done = 0

    # ----- rows with order keys
    def reject(self, lineno, reason, raw):
        super().reject(lineno, reason, raw)
        self.rej_key.append(self.key)
        self.key += 1

    def _add_static(self, key, ts):
        self.events.append((self.key, 0, (key, ts)))

    def _add_t24(self, mmsi, part, rec, ts):
        self.events.append((self.key, 1, (mmsi, part, rec, ts)))

    def slow_message(self, key, msg, ts, lines):
        self.key = key
        n = len(self.pos["mmsi"])
        self.message(msg, ts, lines)
        if len(self.pos["mmsi"]) > n:
            self.pos_key.append(key)

    def count_skips(self, reason, n):
        if n:
            self.n_skipped += n
            self.n_records += n
            self.by_reason[reason] = self.by_reason.get(reason, 0) + n

    # ----- one block
    def block(self, buf: np.ndarray, starts: np.ndarray, ends: np.ndarray):
        n = len(starts)
        if not n:
            return
        line0 = self.lines_done
        self.lines_done += n
        sc = fastnmea.scan(buf, starts, ends)
        kind = sc["kind"]
        self.count_skips("blank line", int(np.count_nonzero(kind == fastnmea.K_BLANK)))
        self.count_skips("comment", int(np.count_nonzero(kind == fastnmea.K_COMMENT)))
        self.count_skips("non-AIS sentence", int(np.count_nonzero(kind == fastnmea.K_NONAIS)))
        fast = kind == fastnmea.K_AIS
        cons = fast.copy()          # AIS sentences: each uses up a pending $PGHP time
        csok = fast.copy()          # ... with a correct checksum
        own_ok = sc["own_ok"].copy()
        own_ts = sc["own_ts"].copy()
        pg_ok = np.zeros(n, dtype=bool)
        pg_ts = np.zeros(n, dtype=np.int64)
        other = {}
        for i in np.flatnonzero(kind == fastnmea.K_OTHER).tolist():
            s = bytes(buf[starts[i]:ends[i]]).decode("utf-8", "replace").strip()
            info = _line_info(s)
            other[i] = (s, info)
            code = info[0]
            if code == "pghp":
                pg_ok[i], pg_ts[i] = True, info[1]
            elif code == "badcs":
                cons[i] = True
            elif code == "ais":
                cons[i] = csok[i] = True
                if info[1] is not None:
                    own_ok[i], own_ts[i] = True, info[1]

        # receive times: own, else a $PGHP line since the previous AIS sentence, else (policy)
        # the last time seen
        idx = np.arange(1, n + 1)
        base = 0 if self.pghp_pending is not None else -1
        last_pg = np.maximum.accumulate(np.concatenate([[base], np.where(pg_ok, idx, -1)]))
        last_cons = np.maximum.accumulate(np.concatenate([[-1], np.where(cons, idx, -1)]))
        pg_vals = np.concatenate([[self.pghp_pending or 0], pg_ts])
        pg_avail = cons & (last_pg[1:] > last_cons[:-1]) & (last_pg[1:] >= 0)
        ts_ok = (own_ok | pg_avail) & csok
        ts = np.where(own_ok, own_ts, pg_vals[np.maximum(last_pg[1:], 0)])
        self.pghp_pending = int(pg_vals[last_pg[-1]]) if last_pg[-1] > last_cons[-1] and \
            last_pg[-1] >= 0 else None
        sets = np.flatnonzero(ts_ok)
        prev_last = self.last_ts
        if len(sets):
            self.last_ts = int(ts[sets[-1]])
        if self.time_policy == "receive_order":
            lastset = np.maximum.accumulate(np.concatenate([
                [0 if prev_last is not None else -1], np.where(ts_ok, idx, -1)]))[1:]
            vals = np.concatenate([[prev_last or 0], ts])
            fill_in = csok & ~ts_ok & (lastset >= 0)
            ts = np.where(fill_in, vals[np.maximum(lastset, 0)], ts)
            ts_ok = ts_ok | fill_in

        mtype = sc["mtype"]
        single = fast & (sc["frag_cnt"] == 1)
        nbits = sc["pay_len"] * 6 - sc["fill"]
        decodable = single & ts_ok & fastnmea.exact_length(mtype, nbits)
        pair_a, pair_b = _pairs(sc, fast & ~single, kind == fastnmea.K_OTHER)
        in_pair = np.zeros(n, dtype=bool)
        in_pair[pair_a] = in_pair[pair_b] = True
        loop = sorted(set(other) | set(np.flatnonzero(fast & ~single & ~in_pair).tolist())
                      | set(np.flatnonzero(single & ~decodable).tolist()))
        # where each key's plain pairs start: a pair orphans what was pending under its key
        pair_starts: dict = {}
        for i in pair_a.tolist():
            seq, ch = int(sc["seq"][i]), int(sc["chan"][i])
            pair_starts.setdefault((None if seq < 0 else seq, chr(ch) if ch else ""), []).append(i)

        def settle(pkey, upto):
            """Orphan the entry pending under `pkey` if a plain pair of that key came after it
            and before line `upto` (the pair's first line orphaned it)."""
            entry = self.pending.get(pkey)
            starts_ = pair_starts.get(pkey)
            if entry is None or not starts_:
                return
            k = bisect_right(starts_, entry[2])
            if k < len(starts_) and starts_[k] < upto:
                self.key = (line0 + starts_[k]) * _ORDER
                self.orphans([mat(x) for x in entry[1]])
                del self.pending[pkey]

        def text_of(i):
            return bytes(buf[starts[i]:ends[i]]).decode("ascii")

        def sentence_of(i):
            return bytes(buf[sc["s0"][i]:sc["star"][i] + 3])

        def mat(part):
            """A part read in this block, as text and bytes that outlive the block."""
            if not isinstance(part[4], int):
                return part
            i = part[4]
            p0 = pay[i]
            return (part[0], text_of(i), None, part[3], (bytes(buf[p0:p0 + pay_len[i]]), fill[i],
                                                          sentence_of(i)))

        # lines the vectorised pass does not finish: in order (multipart assembly needs it)
        assembled, live = [], []
        tsl = ts.tolist()
        tsokl = ts_ok.tolist()
        cntl, numl, seql, chl = (sc[k].tolist() for k in ("frag_cnt", "frag_num", "seq", "chan"))
        pay, pay_len, fill, mtl = (sc[k].tolist() for k in ("pay", "pay_len", "fill", "mtype"))
        for i in loop:
            lineno = line0 + i + 1
            self.key = (line0 + i) * _ORDER
            t = tsl[i] if tsokl[i] else None
            if i in other:
                s, info = other[i]
                code = info[0]
                if code == "skip":
                    self.skip(info[1])
                    continue
                if code == "reject":
                    self.reject(lineno, info[1], s)
                    continue
                if code == "pghp":
                    self.skip("Gatehouse time sentence")
                    continue
                if code == "badcs":
                    self.reject(lineno, R_BAD_CHECKSUM, s)
                    continue
                try:
                    msg = pyais.NMEAMessage(info[2].encode("ascii"))
                except Exception:  # pyais raises several exception types for malformed sentences
                    self.reject(lineno, R_MALFORMED, s)
                    continue
                part = (lineno, s, msg, t, None)
                cnt, num, pkey = msg.frag_cnt, msg.frag_num, (msg.seq_id, msg.channel)
            else:
                cnt = cntl[i]
                if cnt == 1:
                    self.slow_message(self.key, pyais.NMEAMessage(sentence_of(i)), t,
                                      [(lineno, text_of(i))])
                    continue
                num = numl[i]
                seq, ch = seql[i], chl[i]
                pkey = (None if seq < 0 else seq, chr(ch) if ch else "")
                part = (lineno, None, None, t, i)  # made text only if it is needed
            if cnt == 1:
                self.slow_message(self.key, msg, t, [(lineno, s)])
                continue
            settle(pkey, i)
            self.key = (line0 + i) * _ORDER
            entry = self.pending.get(pkey)
            if num == 1:
                if entry is not None:
                    self.orphans([mat(x) for x in entry[1]])
                self.pending[pkey] = [cnt, [part], i]
                continue
            if entry is None or entry[0] != cnt or len(entry[1]) + 1 != num:
                self.reject(lineno, R_ORPHAN, mat(part)[1])
                continue
            entry[1].append(part)
            if len(entry[1]) == cnt:
                del self.pending[pkey]
                parts = entry[1]
                if all(isinstance(x[4], int) for x in parts):
                    nbits = sum(pay_len[x[4]] for x in parts) * 6 - fill[parts[-1][4]]
                    t0 = next((x[3] for x in parts if x[3] is not None), None)
                    if t0 is not None and nbits in fastnmea.EXACT_BITS.get(mtl[parts[0][4]], ()):
                        live.append((self.key, t0, parts[0][0], [x[4] for x in parts]))
                        continue
                self.complete([mat(x) for x in parts], assembled)
        for pkey in list(self.pending):
            settle(pkey, n)
        for entry in self.pending.values():  # parts waiting for the next block
            entry[1] = [mat(x) for x in entry[1]]
            entry[2] = -1
        pk, pt, pl, pidx = self.plain_pairs(sc, pair_a, pair_b, ts, ts_ok, line0, assembled, mat)
        self.decode_fast(buf, sc, np.flatnonzero(decodable), ts, line0, text_of)
        width = max([len(a[3]) for a in live] + [2])
        idx = np.full((len(live), width), -1, dtype=np.int64)
        for j, a in enumerate(live):
            idx[j, :len(a[3])] = a[3]
        pidx = np.concatenate([pidx, np.full((len(pidx), width - 2), -1, dtype=np.int64)], axis=1)
        self.decode_live(buf, sc, np.concatenate([[a[0] for a in live], pk]).astype(np.int64),
                         np.concatenate([[a[1] for a in live], pt]).astype(np.int64),
                         np.concatenate([[a[2] for a in live], pl]).astype(np.int64),
                         np.concatenate([idx, pidx]), text_of, sentence_of)
        self.decode_assembled(assembled)

    def plain_pairs(self, sc, pair_a, pair_b, ts, ts_ok, line0, assembled, mat):
        """Two-part messages whose parts follow each other under their key (no state needed):
        (keys, times, first line numbers, (m, 2) lines) of those decoded here."""
        nbits = (sc["pay_len"][pair_a] + sc["pay_len"][pair_b]) * 6 - sc["fill"][pair_b]
        t_ok = ts_ok[pair_a] | ts_ok[pair_b]
        t = np.where(ts_ok[pair_a], ts[pair_a], ts[pair_b])
        exact = t_ok & fastnmea.exact_length(sc["mtype"][pair_a], nbits)
        keys = (line0 + pair_b) * _ORDER
        linenos = line0 + pair_a + 1
        out = (keys[exact], t[exact], linenos[exact], np.stack([pair_a[exact], pair_b[exact]], axis=1))
        keys, linenos, tl = keys.tolist(), linenos.tolist(), t.tolist()
        for k in np.flatnonzero(~exact).tolist():
            a, b = int(pair_a[k]), int(pair_b[k])
            self.key = keys[k]
            ta = tl[k] if ts_ok[a] else None
            tb = int(ts[b]) if ts_ok[b] else None
            pa, pb = mat((linenos[k], None, None, ta, a)), mat((line0 + b + 1, None, None, tb, b))
            self.complete([pa, pb], assembled)
        return out

    def complete(self, parts, assembled):
        """A multipart message whose parts have all arrived (key: its last line)."""
        t = next((p[3] for p in parts if p[3] is not None), None)
        lines = [(p[0], p[1]) for p in parts]
        if all(p[4] is not None for p in parts):
            payload = b"".join(p[4][0] for p in parts)
            nbits = len(payload) * 6 - parts[-1][4][1]
            mt = int(fastnmea.ARMOUR[payload[0]])
            if t is not None and nbits in fastnmea.EXACT_BITS.get(mt, ()):
                assembled.append((self.key, t, lines, payload, mt, parts))
                return
        msgs = [p[2] if p[2] is not None else pyais.NMEAMessage(p[4][2]) for p in parts]
        try:
            full = pyais.NMEAMessage.assemble_from_iterable(msgs)
        except Exception:
            self.reject(parts[0][0], R_UNDECODABLE, "\n".join(p[1] for p in parts))
            return
        self.slow_message(self.key, full, t, lines)

    def orphans(self, parts):
        for lineno, s, *_ in parts:
            self.reject(lineno, R_ORPHAN, s)

    def decode_fast(self, buf, sc, rows, ts, line0, text_of):
        """Single-sentence messages of the fast types at their exact lengths, from the block."""
        if not len(rows):
            return
        bp = np.concatenate([buf, np.zeros(128, dtype=np.uint8)])
        nbits = (sc["pay_len"] * 6 - sc["fill"])[rows]

        def raw(j):
            return text_of(rows[j])

        def make_msg(j):
            i = rows[j]
            return pyais.NMEAMessage(bytes(buf[sc["s0"][i]:sc["star"][i] + 3]))

        def chars(sel, nchars):
            return fastnmea.gather(bp, sc["pay"][rows[sel]], nchars)

        self.decode_rows(sc["mtype"][rows], nbits, chars, (line0 + rows) * _ORDER, ts[rows],
                         line0 + rows + 1, raw, make_msg)

    def decode_live(self, buf, sc, keys, times, linenos, idx, text_of, sentence_of):
        """Assembled multipart messages whose parts are all in this block (`idx`: their lines,
        -1 after the last): gathered from it."""
        m, width = idx.shape
        if not m:
            return
        lens = np.where(idx >= 0, sc["pay_len"][idx], 0)
        pays = sc["pay"][idx]
        ends_ = np.cumsum(lens, axis=1)
        bp = np.concatenate([buf, np.zeros(128, dtype=np.uint8)])

        def chars(sel, nchars):
            c = np.arange(nchars)[None, :]
            src = np.zeros((len(sel), nchars), dtype=np.int64)
            for k in range(width):
                lo = (ends_[sel, k] - lens[sel, k])[:, None]
                inside = (c >= lo) & (c < ends_[sel, k][:, None])
                src = np.where(inside, pays[sel, k][:, None] + c - lo, src)
            return fastnmea.ARMOUR[bp[src]] & 63

        def raw(j):
            return "\n".join(text_of(i) for i in idx[j] if i >= 0)

        def make_msg(j):
            return pyais.NMEAMessage.assemble_from_iterable(
                [pyais.NMEAMessage(sentence_of(i)) for i in idx[j] if i >= 0])

        mt = sc["mtype"][idx[:, 0]]
        nbits = lens.sum(axis=1) * 6 - sc["fill"][idx[np.arange(m), (idx >= 0).sum(axis=1) - 1]]
        self.decode_rows(mt, nbits, chars, keys, times, linenos, raw, make_msg)

    def decode_assembled(self, assembled):
        """Assembled multipart messages of the fast types at their exact lengths."""
        if not assembled:
            return
        payloads = [a[3] for a in assembled]
        offs = np.cumsum([0] + [len(p) for p in payloads])
        bp = np.concatenate([np.frombuffer(b"".join(payloads), dtype=np.uint8),
                             np.zeros(128, dtype=np.uint8)])
        mt = np.array([a[4] for a in assembled], dtype=np.int64)
        nbits = np.array([len(a[3]) * 6 - a[5][-1][4][1] for a in assembled], dtype=np.int64)

        def raw(j):
            return "\n".join(x[1] for x in assembled[j][2])

        def make_msg(j):
            return pyais.NMEAMessage.assemble_from_iterable(
                [pyais.NMEAMessage(p[4][2]) for p in assembled[j][5]])

        def chars(sel, nchars):
            return fastnmea.gather(bp, offs[:-1][sel], nchars)

        self.decode_rows(mt, nbits, chars, np.array([a[0] for a in assembled], dtype=np.int64),
                         np.array([a[1] for a in assembled], dtype=np.int64),
                         np.array([a[2][0][0] for a in assembled], dtype=np.int64), raw, make_msg)

    def decode_rows(self, mt, nbits, chars, keys, ts, linenos, raw, make_msg):
        """Messages of the fast types (all timed): positions, rejects and static records."""
        m = len(mt)
        mmsi = np.zeros(m, dtype=np.int64)
        groups = {}
        for name, sel, nchars in (("pos", np.isin(mt, (1, 2, 3, 18, 27)), 28),
                                  ("t19", mt == 19, 52), ("t5", mt == 5, 71), ("t24", mt == 24, 28)):
            sel = np.flatnonzero(sel)
            if len(sel):
                w = fastnmea.words(chars(sel, nchars))
                mmsi[sel] = fastnmea.field(w, 8, 30)
                groups[name] = (sel, w)
        slow = np.zeros(m, dtype=bool)
        if "t24" in groups:
            sel, w = groups["t24"]
            partno = fastnmea.field(w, 38, 2)
            aux = (mmsi[sel] >= 980_000_000) & (mmsi[sel] <= 989_999_999)
            slow[sel] = (partno > 1) | ((partno == 1) & (aux | (nbits[sel] != 168)))
        keysl, tsl, linl = keys.tolist(), ts.tolist(), linenos.tolist()
        for j in np.flatnonzero(slow).tolist():
            try:
                msg = make_msg(j)
            except Exception:
                self.key = keysl[j]
                self.reject(linl[j], R_UNDECODABLE, raw(j))
                continue
            self.slow_message(keysl[j], msg, tsl[j], [(linl[j], raw(j))])
        bad = ~slow & ((mmsi < 100_000_000) | (mmsi > 999_999_999))
        for j in np.flatnonzero(bad).tolist():
            self.key = keysl[j]
            self.reject(linl[j], R_BAD_MMSI, raw(j))
        ok = ~slow & ~bad
        self.positions_of(groups, ok, mt, mmsi, keys, ts, linenos, raw)
        if "t5" in groups and ok[groups["t5"][0]].any():
            sel, w = groups["t5"]
            d = fastnmea.decode_type5(w)
            rows = np.flatnonzero(ok[sel])
            # the same record repeats: one event per distinct record, at its first key, with
            # its first and last time (what the static table keeps of it in any order)
            length = (d["to_bow"] + d["to_stern"])[rows]
            beam = (d["to_port"] + d["to_starboard"])[rows]
            st = _SHIP_TYPE_NP[d["ship_type"][rows]]
            packed = np.concatenate([
                np.stack([mmsi[sel[rows]], d["imo"][rows], st, length, beam], axis=1).view(np.uint8)
                .reshape(len(rows), -1), d["name"][rows], d["callsign"][rows]], axis=1)
            _u, first, inv = np.unique(packed, axis=0, return_index=True, return_inverse=True)
            inv = inv.reshape(-1)
            g = len(first)
            kmin = np.full(g, np.iinfo(np.int64).max)
            tmin = np.full(g, np.iinfo(np.int64).max)
            tmax = np.full(g, np.iinfo(np.int64).min)
            np.minimum.at(kmin, inv, keys[sel[rows]])
            np.minimum.at(tmin, inv, ts[sel[rows]])
            np.maximum.at(tmax, inv, ts[sel[rows]])
            for q, k in enumerate(first.tolist()):
                r = rows[k]
                rec = (int(mmsi[sel[r]]), int(d["imo"][r]) or None, _text(d["name"][r]),
                       _text(d["callsign"][r]), None, int(st[k]),
                       float(length[k]) if length[k] else None, float(beam[k]) if beam[k] else None)
                self.events.append((int(kmin[q]), 2, (rec, int(tmin[q]), int(tmax[q]))))
            self.n_static += len(rows)
            self.n_records += len(rows)
        if "t24" in groups:
            sel, w = groups["t24"]
            d = fastnmea.decode_type24(w)
            partno = fastnmea.field(w, 38, 2)
            for k in np.flatnonzero(ok[sel]).tolist():
                j = sel[k]
                if partno[k] == 0:
                    rec = {"name": _text(d["name"][k])}
                else:
                    length = int(d["to_bow"][k] + d["to_stern"][k])
                    beam = int(d["to_port"][k] + d["to_starboard"][k])
                    rec = {"callsign": _text(d["callsign"][k]), "ship_type": int(d["ship_type"][k]),
                           "length_m": float(length) if length else None,
                           "beam_m": float(beam) if beam else None}
                self.key = keysl[j]
                self._add_t24(int(mmsi[j]), "a" if partno[k] == 0 else "b", rec, tsl[j])
                self.n_static += 1
                self.n_records += 1

    def positions_of(self, groups, ok, mt, mmsi, keys, ts, linenos, raw):
        parts = [(n, groups[n]) for n in ("pos", "t19") if n in groups]
        for name, (sel, w) in parts:
            sel = sel[ok[sel]]
            w = w[ok[np.asarray(groups[name][0])]]
            if not len(sel):
                continue
            d = fastnmea.decode_positions(mt[sel], w)
            lat, lon = d["lat"], d["lon"]
            na = (lat == 91.0) | (lon == 181.0)
            imp = ~na & ~((lat >= -90.0) & (lat <= 90.0) & (lon >= -180.0) & (lon <= 180.0))
            for k in np.flatnonzero(na | imp).tolist():
                j = sel[k]
                self.key = int(keys[j])
                self.reject(int(linenos[j]), R_NOT_AVAILABLE if na[k] else R_IMPOSSIBLE, raw(j))
            good = ~(na | imp)
            t = mt[sel][good]
            speed = d["speed"][good]
            speed = np.where((t == 27) & (speed >= 63), np.nan, speed)
            course = d["course"][good]
            hdg = d["heading"][good]
            status = d["status"][good]
            self.fast_pos.append({
                "key": keys[sel][good], "mmsi": mmsi[sel][good], "ts": ts[sel][good],
                "lat": lat[good], "lon": lon[good],
                "sog_kn": np.where(speed <= 102.2, speed, np.nan),
                "cog_deg": np.where(course < 360.0, course, np.nan),
                "heading_deg": np.where((t != 27) & (hdg < 360), hdg.astype(np.float64), np.nan),
                "nav_status": status, "msg_type": t})
            self.n_records += int(good.sum())
            if name == "t19":
                s19 = fastnmea.decode_type19_static(w[good])
                for k, j in enumerate(sel[good].tolist()):
                    length = int(s19["to_bow"][k] + s19["to_stern"][k])
                    beam = int(s19["to_port"][k] + s19["to_starboard"][k])
                    ship_type = _SHIP_TYPE[s19["ship_type"][k]] or None
                    nm = _text(s19["name"][k])
                    if nm is None and ship_type is None and not length and not beam:
                        continue
                    self.key = int(keys[j])
                    self._add_static((int(mmsi[j]), None, nm, None, None, ship_type,
                                      float(length) if length else None,
                                      float(beam) if beam else None), int(ts[j]))

    def finish(self) -> AisData:
        if self.time_policy == "receive_order" and self.last_ts is None:
            raise InputError(self.name, "time", "no line of the file has a receive time, so "
                             "time_policy='receive_order' has nothing to order by",
                             "use a log with tag blocks, trailing epoch times or $PGHP lines")
        self.key = self.lines_done * _ORDER
        for _key, entry in sorted(self.pending.items(), key=lambda kv: kv[1][1][0][0]):
            self.orphans(entry[1])
        self.pending = {}
        self.events.sort(key=lambda e: e[0])
        for _k, kind, args in self.events:
            if kind == 0:
                _NmeaReader._add_static(self, *args)
            elif kind == 2:  # a record seen from args[1] to args[2]
                _NmeaReader._add_static(self, args[0], args[1])
                _NmeaReader._add_static(self, args[0], args[2])
            else:
                _NmeaReader._add_t24(self, *args)
        self.merge_type24()
        p = self.pos
        slow = {"key": np.asarray(self.pos_key, dtype=np.int64),
                "mmsi": np.asarray(p["mmsi"], dtype=np.int64), "ts": np.asarray(p["ts"], dtype=np.int64),
                "lat": np.asarray(p["lat"], dtype=np.float64), "lon": np.asarray(p["lon"], dtype=np.float64),
                "sog_kn": np.asarray(p["sog_kn"], dtype=np.float64),
                "cog_deg": np.asarray(p["cog_deg"], dtype=np.float64),
                "heading_deg": np.asarray(p["heading_deg"], dtype=np.float64),
                "nav_status": np.asarray([-1 if v is pd.NA else v for v in p["nav_status"]],
                                         dtype=np.int64),
                "msg_type": np.asarray(p["msg_type"], dtype=np.int64)}
        chunks = [slow] + self.fast_pos
        cols = {c: np.concatenate([ch[c] for ch in chunks]) for c in slow}
        order = np.argsort(cols["key"], kind="stable")
        positions = pd.DataFrame({
            "mmsi": cols["mmsi"][order],
            "ts": _ns_to_utc(cols["ts"][order]),
            "lat": cols["lat"][order], "lon": cols["lon"][order],
            "sog_kn": cols["sog_kn"][order], "cog_deg": cols["cog_deg"][order],
            "heading_deg": cols["heading_deg"][order],
            "nav_status": pd.arrays.IntegerArray(np.maximum(cols["nav_status"][order], 0),
                                                 cols["nav_status"][order] < 0),
            "source": self.source,
            "msg_type": pd.array(cols["msg_type"][order], dtype="Int64"),
        })
        keys = list(self.static)
        vessels = pd.DataFrame([k for k in keys], columns=STATIC_KEY)
        vessels["first_seen"] = _ns_to_utc([self.static[k][0] for k in keys])
        vessels["last_seen"] = _ns_to_utc([self.static[k][1] for k in keys])
        vessels["source"] = self.source
        ro = np.argsort(np.asarray(self.rej_key, dtype=np.int64), kind="stable").tolist()
        rejects = pd.DataFrame({"source": self.source, "locator": [self.rej_loc[i] for i in ro],
                                "reason": [self.rej_reason[i] for i in ro],
                                "raw": [self.rej_raw[i] for i in ro]})
        return assemble(positions, vessels, rejects, source=self.source, rows_read=self.n_records,
                        static=self.n_static, skipped=self.n_skipped, by_reason=self.by_reason)


def _pairs(sc: dict, frag: np.ndarray, other: np.ndarray):
    """(first, second) lines of the plain two-part messages: a fragment 1 of 2 whose next
    fragment under the same (sequence id, channel) is its fragment 2 of 2, with no line left to
    the line-by-line path between them. Such a pair completes whatever came before."""
    idx = np.flatnonzero(frag)
    if len(idx) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    key = (sc["seq"][idx] + 1) * 256 + sc["chan"][idx]
    order = np.lexsort((idx, key))
    i, k = idx[order], key[order]
    a, b = i[:-1], i[1:]
    other_before = np.concatenate([[0], np.cumsum(other)])
    ok = (k[:-1] == k[1:]) & (sc["frag_cnt"][a] == 2) & (sc["frag_num"][a] == 1) \
        & (sc["frag_cnt"][b] == 2) & (sc["frag_num"][b] == 2) & (other_before[b] == other_before[a + 1])
    a, b = a[ok], b[ok]
    o = np.argsort(a)
    return a[o], b[o]


def _text(chars: np.ndarray):
    """A decoded 6-bit text field as the reader keeps it: stripped, None when empty."""
    return chars.tobytes().decode("ascii").strip() or None


BLOCK_BYTES = 8 << 20  # about 100,000 lines a block: memory stays bounded by the block size


def read_nmea_fast(path: Path, source: str, time_policy: str = "reject",
                   block_bytes: int = BLOCK_BYTES) -> AisData:
    """read_nmea over blocks of `block_bytes` (same tables, rejects and QA as the line-by-line
    reader)."""
    reader = _BatchReader(path.name, source, time_policy)
    carry = b""
    with open_binary(path) as fh:
        while True:
            data = fh.read(block_bytes)
            final = not data
            block = carry + data
            buf = np.frombuffer(block, dtype=np.uint8)
            starts, ends, consumed = fastnmea.split_lines(buf, final)
            reader.block(buf, starts, ends)
            carry = block[consumed:]
            if final:
                break
    data = reader.finish()
    data.qa["lines"] = reader.lines_done
    return data


def read_nmea(path: Path, source: str, time_policy: str = "reject") -> AisData:
    """Read an NMEA log into AisData (in blocks, helpers.ais.fastnmea); `qa["lines"]` is the raw
    line count. Same tables, rejects and QA as `read_nmea_lines`."""
    return read_nmea_fast(path, source, time_policy)


def read_nmea_lines(path: Path, source: str, time_policy: str = "reject") -> AisData:
    """Read an NMEA log line by line, every sentence through pyais (the reference the batch
    reader is tested against); `qa["lines"]` is the raw line count."""
    reader = _NmeaReader(path.name, source, time_policy)
    lines = 0
    with open_text(path) as fh:
        for lineno, raw in enumerate(fh, 1):
            reader.line(lineno, raw)
            lines = lineno
    data = reader.finish()
    data.qa["lines"] = lines
    return data
