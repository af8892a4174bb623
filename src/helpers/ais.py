"""AIS readers, writers and cleaning.

Readers turn one input file into the canonical `positions`, `vessels` and `rejects` tables
(helpers.schema) plus a QA dict; `clean` merges several readers' output for one analysis window.
A malformed input line or row is never fatal: it becomes a reject with a locator and a reason.

Formats (`read(path, fmt=...)`):
- "nmea": NMEA 0183 `!AIVDM`/`!AIVDO` lines, each preceded by an NMEA 4 tag block
  `\\s:RECEIVER,c:UNIXSECONDS*HH\\` (the receive time comes only from the tag block).
- "marinecadastre": NOAA MarineCadastre CSV (`MMSI,BaseDateTime,LAT,LON,...`).

QA counting (`AisData.qa`): every input record lands in exactly one bucket, so
`rows_read == positions + static + rejected + skipped`. For NMEA a record is a line, except that
the fragments of an assembled multipart message count as one record (`lines` is the raw count).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from functools import reduce
from operator import xor
from pathlib import Path

import numpy as np
import pandas as pd
import pyais

from .geo import haversine_nm
from .errors import InputError
from .schema import validate

FORMATS = ("nmea", "marinecadastre")
MC_COLUMNS = ["MMSI", "BaseDateTime", "LAT", "LON", "SOG", "COG", "Heading", "VesselName", "IMO",
              "CallSign", "VesselType", "Status", "Length", "Width", "Draft", "Cargo",
              "TransceiverClass"]
POSITION_TYPES = (1, 2, 3)
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

def read(path, fmt: str = "auto", *, source: str | None = None) -> AisData:
    """Read one AIS file of format `fmt` ("auto" detects it from the first lines)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(p.name, "path", f"no such file '{p.name}'",
                         "check the path (relative paths are taken from the working directory)")
    if fmt == "auto":
        fmt = detect_format(p)
    if fmt not in FORMATS:
        raise InputError(p.name, "format", f"unknown format '{fmt}'",
                         f"pass fmt= one of {list(FORMATS)}")
    src = source if source is not None else p.name
    return _read_nmea(p, src) if fmt == "nmea" else _read_marinecadastre(p, src)


def detect_format(path) -> str:
    """The format of `path` judged from its first non-blank lines; InputError if none fits."""
    p = Path(path)
    lines = []
    with open(p, encoding="utf-8-sig", errors="replace") as fh:
        for line in fh:
            s = line.strip()
            if s:
                lines.append(s)
            if len(lines) >= 50:
                break
    if lines and lines[0].upper().replace(" ", "").startswith("MMSI,BASEDATETIME,"):
        return "marinecadastre"
    for s in lines:
        if s.startswith("\\"):
            end = s.find("\\", 1)
            s = s[end + 1:] if end > 0 else ""
        if s[:1] == "!" and s[3:6] in ("VDM", "VDO"):
            return "nmea"
    raise InputError(p.name, "format", "content matches no known AIS format",
                     f"pass fmt= one of {list(FORMATS)}")


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

    def __init__(self, name: str, source: str):
        self.name, self.source = name, source
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
        body, star, cs = sent[1:].rpartition("*")
        if not star or not _nmea_checksum_ok(body, cs[:2]):
            return self.reject(lineno, R_BAD_CHECKSUM, s)
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

    def orphans(self, parts):
        for lineno, s, _msg, _ts in parts:
            self.reject(lineno, R_ORPHAN, s)

    def message(self, msg, ts, lines):
        lineno = lines[0][0]
        raw = lines[0][1] if len(lines) == 1 else "\n".join(x[1] for x in lines)
        if ts is None:
            return self.reject(lineno, R_NO_TS, raw)
        mtype = msg.ais_id
        if mtype not in POSITION_TYPES and mtype != STATIC_TYPE:
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
        lat, lon = d.lat, d.lon
        if lat is None or lon is None or d.course is None or d.heading is None:
            return self.reject(lineno, R_UNDECODABLE, raw)
        if lat == 91.0 or lon == 181.0:
            return self.reject(lineno, R_NOT_AVAILABLE, raw)
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            return self.reject(lineno, R_IMPOSSIBLE, raw)
        sog, cog, hdg = d.speed, d.course, d.heading
        p = self.pos
        p["mmsi"].append(mmsi)
        p["ts"].append(ts)
        p["lat"].append(lat)
        p["lon"].append(lon)
        p["sog_kn"].append(sog if sog is not None and sog <= 102.2 else np.nan)
        p["cog_deg"].append(cog if cog < 360.0 else np.nan)
        p["heading_deg"].append(float(hdg) if hdg < 360 else np.nan)
        p["nav_status"].append(int(d.status))
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

    def finish(self) -> AisData:
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


def _read_nmea(path: Path, source: str) -> AisData:
    reader = _NmeaReader(path.name, source)
    lines = 0
    with open(path, encoding="utf-8", errors="replace", newline=None) as fh:
        for lineno, raw in enumerate(fh, 1):
            reader.line(lineno, raw)
            lines = lineno
    data = reader.finish()
    data.qa["lines"] = lines
    return data


def _read_marinecadastre(path: Path, source: str) -> AisData:
    name = path.name
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [c.strip() for c in df.columns]
    missing = [c for c in MC_COLUMNS[:4] if c not in df.columns]
    if missing:
        raise InputError(name, ", ".join(missing), "missing MarineCadastre column(s)",
                         f"the header must be {','.join(MC_COLUMNS)}")
    for c in MC_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    n = len(df)
    num = {c: pd.to_numeric(df[c].str.strip(), errors="coerce")
           for c in ("MMSI", "LAT", "LON", "SOG", "COG", "Heading", "Status", "VesselType",
                     "Length", "Width")}
    ts = pd.to_datetime(df["BaseDateTime"].str.strip(), format="ISO8601", utc=True,
                        errors="coerce")
    mmsi, lat, lon = num["MMSI"], num["LAT"], num["LON"]
    reason = pd.Series(pd.NA, index=df.index, dtype="object")
    bad_mmsi = ~(mmsi.between(100_000_000, 999_999_999) & (mmsi % 1 == 0))
    not_avail = (lat == 91) | (lon == 181)
    impossible = ~(lat.between(-90, 90) & lon.between(-180, 180))
    # first matching reason wins: assign in reverse priority
    reason[impossible] = R_IMPOSSIBLE
    reason[not_avail] = R_NOT_AVAILABLE
    reason[bad_mmsi] = R_BAD_MMSI
    reason[ts.isna()] = R_BAD_TIME
    bad = reason.notna().to_numpy()
    ok = ~bad

    def nullify(s, lo, hi):
        return s.where(s.between(lo, hi)).astype("float64")

    positions = pd.DataFrame({
        "mmsi": mmsi[ok].astype("int64"),
        "ts": ts[ok],
        "lat": lat[ok].astype("float64"),
        "lon": lon[ok].astype("float64"),
        "sog_kn": nullify(num["SOG"][ok], 0, 102.2),
        "cog_deg": nullify(num["COG"][ok], 0, 359.9),
        "heading_deg": nullify(num["Heading"][ok], 0, 359),
        "nav_status": num["Status"][ok].where(num["Status"][ok].between(0, 15)).astype("Int64"),
        "source": source,
        "msg_type": pd.array([pd.NA] * int(ok.sum()), dtype="Int64"),
    })
    imo = pd.to_numeric(df["IMO"].str.strip().str.upper().str.removeprefix("IMO"),
                        errors="coerce")
    static = pd.DataFrame({
        "mmsi": positions["mmsi"],
        "imo": imo[ok].where(imo[ok] > 0).astype("Int64"),
        "name": df["VesselName"][ok].str.strip().replace("", None),
        "callsign": df["CallSign"][ok].str.strip().replace("", None),
        "flag": None,
        "ship_type": num["VesselType"][ok].astype("Int64"),
        "length_m": num["Length"][ok].where(num["Length"][ok] > 0).astype("float64"),
        "beam_m": num["Width"][ok].where(num["Width"][ok] > 0).astype("float64"),
        "ts": positions["ts"],
    })
    has_static = static[["imo", "name", "callsign", "ship_type", "length_m", "beam_m"]] \
        .notna().any(axis=1)
    vessels = (static[has_static]
               .groupby(_STATIC_KEY, dropna=False, sort=True)["ts"]
               .agg(first_seen="min", last_seen="max").reset_index())
    vessels["source"] = source
    bad_idx = np.flatnonzero(bad)
    raw = df.iloc[bad_idx][MC_COLUMNS].agg(",".join, axis=1) if len(bad_idx) else []
    rejects = pd.DataFrame({
        "source": source,
        "locator": [f"{name}:row {i + 1}" for i in bad_idx],
        "reason": reason.to_numpy()[bad_idx].astype(str),
        "raw": list(raw),
    })
    by_reason = rejects["reason"].value_counts().to_dict()
    return _finish(positions, vessels, rejects, source=source, rows_read=n, static=0,
                   skipped=0, by_reason={str(k): int(v) for k, v in by_reason.items()})


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


def clean(datasets: list[AisData], start, end, max_implied_speed_kn: float = 40.0) -> Cleaned:
    """Merge several inputs: keep the window [start, end), drop cross-feed duplicates, reject
    implausible jumps. Every position read ends kept, rejected or counted as a duplicate."""
    start, end = _utc(start), _utc(end)
    pos = pd.concat([d.positions for d in datasets], ignore_index=True) if datasets else \
        validate(pd.DataFrame({c: [] for c in _POS_COLS}), "positions")
    pos = validate(pos, "positions")
    pos = pos.sort_values(["mmsi", "ts"], kind="stable", ignore_index=True)

    outside = ((pos["ts"] < start) | (pos["ts"] >= end)).to_numpy()
    rej_parts = [d.rejects for d in datasets]
    rej_parts.append(_position_rejects(pos[outside], [R_WINDOW] * int(outside.sum())))
    clean_rej_src = list(pos.loc[outside, "source"])
    pos = pos[~outside].reset_index(drop=True)

    key = pd.DataFrame({"mmsi": pos["mmsi"], "ts": pos["ts"],
                        "lat": pos["lat"].round(4), "lon": pos["lon"].round(4)})
    dup = key.duplicated(keep="first").to_numpy()
    dup_src = pos.loc[dup, "source"].value_counts()
    pos = pos[~dup].reset_index(drop=True)

    t_s = ((pos["ts"] - _EPOCH) / pd.Timedelta(seconds=1)).to_numpy(dtype="float64")
    jump, spd = _jump_mask(pos["mmsi"].to_numpy(), t_s, pos["lat"].to_numpy(),
                           pos["lon"].to_numpy(), max_implied_speed_kn)
    reasons = [f"implausible jump: implied speed {s:.1f} kn" for s in spd[jump]]
    rej_parts.append(_position_rejects(pos[jump], reasons))
    clean_rej_src += list(pos.loc[jump, "source"])
    kept = validate(pos[~jump], "positions")

    rejects = validate(pd.concat(rej_parts, ignore_index=True), "rejects")
    vessels = _merge_vessels([d.vessels for d in datasets])
    qa = _clean_qa(datasets, kept, rejects, pd.Series(clean_rej_src, dtype=object), dup_src)
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


def _clean_qa(datasets, kept, rejects, clean_rej_src, dup_src) -> pd.DataFrame:
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
             "duplicates", "static", "skipped", "vessels", "first_ts", "last_ts"]]
    for c in ("first_ts", "last_ts"):
        qa[c] = pd.to_datetime(qa[c], utc=True)
    ok_pos = qa["positions_read"] == qa["kept"] + qa["rejected_positions"] + qa["duplicates"]
    ok_all = qa["rows_read"] == (qa["kept"] + qa["rejected"] + qa["duplicates"] + qa["static"]
                                 + qa["skipped"])
    assert ok_pos.all() and ok_all.all(), f"clean() QA identity broken:\n{qa}"
    return qa
