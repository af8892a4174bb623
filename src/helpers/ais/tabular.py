"""What the tabular readers share: field parsers, units, the raw canonical frame, and its checks.

A provider layout, column synonyms or a caller's mapping (helpers.ais.columns) turn each chunk of
a table into one "raw canonical" frame (`raw_frame`, columns `RAW_COLS`); `chunk_tables` checks
it row by row into positions, static spans and rejects, and `finish_chunks` joins the chunks into
an AisData. A reject's locator is `file:row N` (N counts data rows from 1).

Units are options with inference where it is unambiguous (`TimeStats`, `speed_unit_of`):
- time (`time_format`): "iso" (ISO 8601, naive = UTC; a number in an ISO column is unix
  seconds), "dayfirst" / "monthfirst" (`31/12/2023 23:59[:59]`, `/`, `-` or `.`), "unix_s",
  "unix_ms", a strftime pattern, or "auto": all numbers -> unix seconds, or milliseconds above
  1e11; day/month/year text with a first field above 12 somewhere -> day-first, a second field
  above 12 -> month-first, neither -> ambiguous (InputError naming `time_format`); compact
  `YYYYMMDD_HHMMSS` -> that; ISO otherwise.
- speed (`speed_unit`): "kn", "tenths", or "auto": tenths when the column's name says so
  ("x10", "tenth"), when a value exceeds 102.3 (no speed in knots can: 102.2 is the AIS
  maximum and 102.3 "not available"), or when the layout documents tenths and every value is a
  whole number; knots otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from .providers import NULL_TEXT
from .records import (
    NS,
    POSITION_TYPES,
    R_BAD_MMSI,
    R_BAD_TIME,
    R_BASE_STATION,
    R_IMPOSSIBLE,
    R_NO_POINT,
    R_NO_TS,
    R_NOT_AVAILABLE,
    STATIC_KEY,
    STATIC_TYPES,
    AisData,
    assemble,
)

RAW_COLS = ["mmsi", "ts", "ts_missing", "lat", "lon", "sog", "cog", "heading", "status", "imo",
            "name", "callsign", "ship_type", "length", "beam", "msg_type", "skip", "reason", "raw"]
NO_POINT = "\0nopoint"  # the `raw` of a row whose geometry is not a point
TIME_FORMATS = ("auto", "iso", "dayfirst", "monthfirst", "unix_s", "unix_ms")
SPEED_UNITS = ("auto", "kn", "tenths")
_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(.*)$")
_COMPACT = re.compile(r"^\s*\d{8}[_T ]?\d{6}\s*$")
_ZONE_WORD = re.compile(r"\s*(UTC|GMT)\s*$", re.IGNORECASE)


def numbers(s: pd.Series, decimal: str = ".") -> pd.Series:
    """Floats of a column (text stripped first; `decimal=","` reads "57,8794" as 57.8794); what
    is not a number becomes NaN."""
    if s.dtype == object or pd.api.types.is_string_dtype(s):
        s = s.astype(str).str.strip()
        if decimal == ",":
            s = s.str.replace(",", ".", regex=False)
    return pd.to_numeric(s, errors="coerce").astype("float64")


def texts(s: pd.Series, nulls=NULL_TEXT) -> pd.Series:
    """Stripped text; empty text and the placeholders in `nulls` become None."""
    t = s.astype(object).where(s.notna(), "").astype(str).str.strip()
    return t.astype(object).where(~t.str.upper().isin(nulls), None)


def coded(s: pd.Series, codes: dict, decimal: str = ".") -> pd.Series:
    """AIS codes from text labels (case-insensitive) or numbers."""
    t = s.astype(str).str.strip()
    return t.str.lower().map(codes).astype("float64").fillna(numbers(t, decimal))


def is_missing(s: pd.Series) -> pd.Series:
    """Cells that hold no value: NaN/None, empty text or a null literal (NULL, NA, None ...)."""
    if not (s.dtype == object or pd.api.types.is_string_dtype(s)):
        return s.isna()
    t = s.astype(object).where(s.notna(), "").astype(str).str.strip().str.upper()
    return t.isin(NULL_TEXT)


# ----------------------------------------------------------------------------------------------
# Times
# ----------------------------------------------------------------------------------------------

def _epoch(x: pd.Series, unit: str) -> pd.Series:
    x = x.astype("float64")
    if unit == "auto":  # per value: milliseconds above 1e11 (seconds that large are year 5138)
        x = x.where(x.abs() < 1e11, x / 1000.0)
    elif unit == "unix_ms":
        x = x / 1000.0
    return pd.to_datetime(x * NS, unit="ns", utc=True, errors="coerce")


def _dmy_to_iso(t: pd.Series, dayfirst: bool) -> pd.Series:
    parts = t.str.extract(_DMY)
    day, month = (parts[0], parts[1]) if dayfirst else (parts[1], parts[0])
    iso = parts[2] + "-" + month.str.zfill(2) + "-" + day.str.zfill(2) + parts[3].fillna("")
    return iso.where(parts[0].notna(), "not a date")


def utc_times(s: pd.Series, fmt: str = "iso") -> pd.Series:
    """UTC times of a column in format `fmt` (see the module docstring; not "auto"):
    datetimes (naive = UTC), numbers, or text."""
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s.dt.tz_convert("UTC")
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.tz_localize("UTC")
    if pd.api.types.is_numeric_dtype(s):
        return _epoch(s, "unix_ms" if fmt == "unix_ms" else "unix_s" if fmt == "unix_s" else "auto")
    t = s.astype(object).where(s.notna(), "").astype(str).str.strip()
    if fmt in ("unix_s", "unix_ms"):
        return _epoch(pd.to_numeric(t, errors="coerce"), fmt)
    if fmt in ("dayfirst", "monthfirst"):
        t, fmt = _dmy_to_iso(t, fmt == "dayfirst"), "iso"
    if fmt == "compact":
        return pd.to_datetime(t.str.replace(r"[_T ]", "", regex=True), format="%Y%m%d%H%M%S",
                              utc=True, errors="coerce")
    if fmt != "iso":
        return pd.to_datetime(t, format=fmt, utc=True, errors="coerce")
    t = t.str.replace(_ZONE_WORD, "", regex=True)
    out = pd.to_datetime(t, format="ISO8601", utc=True, errors="coerce")
    secs = pd.to_numeric(t, errors="coerce")
    if secs.notna().any():
        out = out.where(secs.isna(), _epoch(secs, "auto"))
    return out


@dataclass
class TimeStats:
    """What `infer` needs to know about a whole time column, gathered chunk by chunk."""
    values: int = 0
    numeric: int = 0
    top: float = 0.0
    dmy: int = 0
    first_gt12: str | None = None
    second_gt12: str | None = None
    compact: int = 0
    example: str | None = None

    def add(self, s: pd.Series) -> None:
        if pd.api.types.is_datetime64_any_dtype(s) or isinstance(s.dtype, pd.DatetimeTZDtype):
            self.values += int(s.notna().sum())
            return
        t = s[~is_missing(s)].astype(str).str.strip()
        if not len(t):
            return
        self.values += len(t)
        self.example = self.example or t.iloc[0]
        x = pd.to_numeric(t, errors="coerce")
        self.numeric += int(x.notna().sum())
        if x.notna().any():
            self.top = max(self.top, float(x.abs().max()))
        parts = t.str.extract(_DMY).dropna(subset=[0])
        if len(parts):
            self.dmy += len(parts)
            a, b = parts[0].astype(int), parts[1].astype(int)
            if self.first_gt12 is None and (a > 12).any():
                self.first_gt12 = t[parts.index[(a > 12).to_numpy()][0]]
            if self.second_gt12 is None and (b > 12).any():
                self.second_gt12 = t[parts.index[(b > 12).to_numpy()][0]]
        self.compact += int(t.str.match(_COMPACT).sum())

    def infer(self, name: str, column: str) -> str:
        """The time format of the column (InputError when day and month cannot be told apart)."""
        if self.values and self.numeric == self.values:
            return "unix_ms" if self.top >= 1e11 else "unix_s"
        if self.dmy:
            if self.first_gt12 and self.second_gt12:
                raise InputError(name, column, f"dates are written both day-first "
                                 f"('{self.first_gt12}') and month-first ('{self.second_gt12}')",
                                 "pass time_format='dayfirst' or 'monthfirst' (options: "
                                 "{time_format: ...}); rows in the other order are rejected")
            if self.first_gt12:
                return "dayfirst"
            if self.second_gt12:
                return "monthfirst"
            raise InputError(name, column, f"day and month cannot be told apart (no day above "
                             f"12 in {self.dmy:,} dates such as '{self.example}')",
                             "pass time_format='dayfirst' (31/12/2023) or 'monthfirst' "
                             "(12/31/2023) (options: {time_format: ...})")
        if self.values and self.compact == self.values:
            return "compact"
        return "iso"


# ----------------------------------------------------------------------------------------------
# Speeds
# ----------------------------------------------------------------------------------------------

@dataclass
class SpeedStats:
    """The largest speed and whether every speed is a whole number, over a whole column."""
    top: float = -np.inf
    whole: bool = True
    values: int = 0

    def add(self, x: pd.Series) -> None:
        x = x.dropna()
        if len(x):
            self.values += len(x)
            self.top = max(self.top, float(x.max()))
            self.whole = self.whole and bool((x % 1 == 0).all())


def speed_unit_of(stats: SpeedStats, by_name: bool, documented: str) -> str:
    """"tenths" or "kn" for speed_unit="auto" (see the module docstring)."""
    if by_name or stats.top > 102.3:
        return "tenths"
    if documented == "tenths" and stats.values and stats.whole:
        return "tenths"
    return "kn"


# ----------------------------------------------------------------------------------------------
# The raw canonical frame and its checks
# ----------------------------------------------------------------------------------------------

def join_raw(df: pd.DataFrame, cols) -> list[str]:
    """Each row's values in `cols`, comma-joined: the `raw` text of a reject."""
    if not len(df):
        return []
    cols = list(cols)
    if df.columns.has_duplicates or len(set(cols)) < len(cols):     # rare: the row-wise join
        return df[cols].astype(object).where(df[cols].notna(), "").astype(str) \
            .agg(",".join, axis=1).tolist()
    # column by column (each value as str(), empty when missing), then joined in one pass
    text = [df[c].astype(object).where(df[c].notna(), "").astype(str) for c in cols]
    return (text[0].str.cat(text[1:], sep=",") if len(text) > 1 else text[0]).tolist()


def raw_frame(n, index, **cols) -> pd.DataFrame:
    """A raw canonical frame on `index`: the given columns, the others empty."""
    out = pd.DataFrame(index=index)
    for c in RAW_COLS:
        v = cols.get(c)
        if v is None:
            v = (None if c in ("name", "callsign", "skip", "reason") else
                 False if c == "ts_missing" else np.nan)
        out[c] = v
    return out


def chunk_tables(c: pd.DataFrame, name: str, source: str, row0: int):
    """Positions, static spans, rejects, by_reason, skipped and static counts of one raw
    canonical chunk. A row of message type 5 or 24 is a static record (counted as static, not
    as a position); type 4 is skipped as a base station, other non-position types as unsupported."""
    mmsi, lat, lon, ts = c["mmsi"], c["lat"], c["lon"], c["ts"]
    mtype = c["msg_type"]
    skip = c["skip"].astype(object)
    skip = skip.where(skip.notna() | ~(mtype == 4), R_BASE_STATION)
    other = mtype.notna() & ~mtype.isin(POSITION_TYPES + STATIC_TYPES + (4,))
    skip = skip.where(skip.notna() | ~other,
                      "unsupported message type " + mtype.fillna(0).astype(int).astype(str))
    is_static = mtype.isin(STATIC_TYPES).to_numpy()
    reason = pd.Series(pd.NA, index=c.index, dtype="object")
    bad_mmsi = ~(mmsi.between(100_000_000, 999_999_999) & (mmsi % 1 == 0))
    not_avail = (lat == 91) | (lon == 181)
    impossible = ~(lat.between(-90, 90) & lon.between(-180, 180))
    # first matching reason wins: assign in reverse priority
    reason[impossible & ~is_static] = R_IMPOSSIBLE
    reason[c["lat"].isna() & c["lon"].isna() & c["raw"].eq(NO_POINT)] = R_NO_POINT
    reason[not_avail & ~is_static] = R_NOT_AVAILABLE
    reason[bad_mmsi] = R_BAD_MMSI
    reason[ts.isna()] = R_BAD_TIME
    reason[ts.isna() & c["ts_missing"].astype(bool)] = R_NO_TS
    reason = reason.where(c["reason"].isna(), c["reason"])
    skipped = skip.notna() & c["reason"].isna()
    reason[skipped] = pd.NA
    bad = reason.notna().to_numpy()
    ok_any = ~bad & ~skipped.to_numpy()
    ok = ok_any & ~is_static

    def nullify(s, lo, hi):
        return s[ok].where(s[ok].between(lo, hi)).astype("float64")

    def whole(s, rows):
        s = s[rows]
        return s.where(s % 1 == 0).astype("Int64")

    positions = pd.DataFrame({
        "mmsi": mmsi[ok].astype("int64"),
        "ts": ts[ok],
        "lat": lat[ok].astype("float64"),
        "lon": lon[ok].astype("float64"),
        "sog_kn": nullify(c["sog"], 0, 102.2),
        "cog_deg": nullify(c["cog"], 0, 359.9),
        "heading_deg": nullify(c["heading"], 0, 359),
        "nav_status": whole(c["status"].where(c["status"].between(0, 15)), ok),
        "source": source,
        "msg_type": whole(mtype, ok),
    })
    imo = c["imo"].where(c["imo"] > 0)
    static = pd.DataFrame({
        "mmsi": mmsi[ok_any].astype("int64"),
        "imo": whole(imo, ok_any),
        "name": c["name"][ok_any],
        "callsign": c["callsign"][ok_any],
        "flag": None,
        "ship_type": whole(c["ship_type"], ok_any),
        "length_m": c["length"][ok_any].where(c["length"][ok_any] > 0).astype("float64"),
        "beam_m": c["beam"][ok_any].where(c["beam"][ok_any] > 0).astype("float64"),
        "ts": ts[ok_any],
    })
    has_static = static[["imo", "name", "callsign", "ship_type", "length_m", "beam_m"]] \
        .notna().any(axis=1)
    spans = (static[has_static]
             .groupby(STATIC_KEY, dropna=False, sort=True)["ts"]
             .agg(first_seen="min", last_seen="max").reset_index())
    bad_idx = np.flatnonzero(bad)
    raw = c["raw"].to_numpy()[bad_idx]
    rejects = pd.DataFrame({
        "source": source,
        "locator": [f"{name}:row {row0 + i + 1}" for i in bad_idx],
        "reason": reason.to_numpy()[bad_idx].astype(str),
        "raw": [None if r == NO_POINT else r for r in raw],
    })
    by_reason = {str(k): int(v) for k, v in rejects["reason"].value_counts().items()}
    for k, v in skip[skipped].value_counts().items():
        by_reason[str(k)] = by_reason.get(str(k), 0) + int(v)
    n_static = int((ok_any & is_static).sum())
    return positions, spans, rejects, by_reason, int(skipped.sum()), n_static


def finish_chunks(parts, source: str, rows_read: int) -> AisData:
    """One AisData from the `chunk_tables` results of a file's chunks (none: empty tables)."""
    if not parts:
        parts = [chunk_tables(raw_frame(0, pd.RangeIndex(0), ts=pd.Series(
            [], dtype="datetime64[ns, UTC]"), raw=pd.Series([], dtype=object)), "", source, 0)]
    positions = pd.concat([p[0] for p in parts], ignore_index=True)
    spans = pd.concat([p[1] for p in parts], ignore_index=True)
    if len(parts) > 1:  # spans of a static record split over chunks
        spans = (spans.groupby(STATIC_KEY, dropna=False, sort=True)
                 .agg(first_seen=("first_seen", "min"), last_seen=("last_seen", "max"))
                 .reset_index())
    spans["source"] = source
    rejects = pd.concat([p[2] for p in parts], ignore_index=True)
    by_reason: dict[str, int] = {}
    for p in parts:
        for k, v in p[3].items():
            by_reason[k] = by_reason.get(k, 0) + v
    skipped = sum(p[4] for p in parts)
    static = sum(p[5] for p in parts)
    return assemble(positions, spans, rejects, source=source, rows_read=rows_read, static=static,
                    skipped=skipped, by_reason=by_reason)
