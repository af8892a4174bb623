"""What the tabular readers share: field parsers, the raw canonical frame, and its checks.

A provider layout (helpers.ais.providers) or a caller's column mapping (helpers.ais.table)
turns each chunk of a table into one "raw canonical" frame (`raw_frame`, columns `RAW_COLS`);
`chunk_tables` checks it row by row into positions, static spans and rejects, and
`finish_chunks` joins the chunks into an AisData. A reject's locator is `file:row N` (N counts
data rows from 1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .records import (
    NS,
    R_BAD_MMSI,
    R_BAD_TIME,
    R_IMPOSSIBLE,
    R_NO_POINT,
    R_NOT_AVAILABLE,
    STATIC_KEY,
    AisData,
    assemble,
)

RAW_COLS = ["mmsi", "ts", "lat", "lon", "sog", "cog", "heading", "status", "imo", "name",
            "callsign", "ship_type", "length", "beam", "skip", "raw"]
NULL_TEXT = frozenset({"", "UNKNOWN", "UNDEFINED", "N/A", "NAN", "NONE", "NULL"})
NO_POINT = "\0nopoint"  # the `raw` of a row whose geometry is not a point


def numbers(s: pd.Series) -> pd.Series:
    """Floats of a column (text stripped first); what is not a number becomes NaN."""
    if s.dtype == object or pd.api.types.is_string_dtype(s):
        s = s.astype(str).str.strip()
    return pd.to_numeric(s, errors="coerce").astype("float64")


def texts(s: pd.Series, nulls=NULL_TEXT) -> pd.Series:
    """Stripped text; empty text and the placeholders in `nulls` become None."""
    t = s.astype(object).where(s.notna(), "").astype(str).str.strip()
    return t.astype(object).where(~t.str.upper().isin(nulls), None)


def coded(s: pd.Series, codes: dict) -> pd.Series:
    """AIS codes from text labels (case-insensitive) or numbers."""
    t = s.astype(str).str.strip()
    return t.str.lower().map(codes).astype("float64").fillna(numbers(t))


def utc_times(s: pd.Series, fmt: str = "ISO8601") -> pd.Series:
    """UTC times of a column: datetimes (naive = UTC), unix seconds, or text in `fmt`."""
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s.dt.tz_convert("UTC")
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.tz_localize("UTC")
    if pd.api.types.is_numeric_dtype(s):
        return pd.to_datetime(s.astype("float64") * NS, unit="ns", utc=True, errors="coerce")
    t = s.astype(object).where(s.notna(), "").astype(str).str.strip()
    out = pd.to_datetime(t, format=fmt, utc=True, errors="coerce")
    if fmt == "ISO8601":
        secs = pd.to_numeric(t, errors="coerce")
        if secs.notna().any():
            out = out.where(secs.isna(), pd.to_datetime(secs * NS, unit="ns", utc=True,
                                                         errors="coerce"))
    return out


def join_raw(df: pd.DataFrame, cols) -> list[str]:
    """Each row's values in `cols`, comma-joined: the `raw` text of a reject."""
    if not len(df):
        return []
    return df[list(cols)].astype(object).where(df[list(cols)].notna(), "").astype(str) \
        .agg(",".join, axis=1).tolist()


def raw_frame(n, index, **cols) -> pd.DataFrame:
    """A raw canonical frame on `index`: the given columns, the others empty."""
    out = pd.DataFrame(index=index)
    for c in RAW_COLS:
        v = cols.get(c)
        out[c] = v if v is not None else (np.nan if c not in ("name", "callsign", "skip")
                                          else None)
    return out


def chunk_tables(c: pd.DataFrame, name: str, source: str, row0: int):
    """Positions, static spans, rejects, by_reason and skipped count of one raw canonical chunk."""
    mmsi, lat, lon, ts = c["mmsi"], c["lat"], c["lon"], c["ts"]
    reason = pd.Series(pd.NA, index=c.index, dtype="object")
    bad_mmsi = ~(mmsi.between(100_000_000, 999_999_999) & (mmsi % 1 == 0))
    not_avail = (lat == 91) | (lon == 181)
    impossible = ~(lat.between(-90, 90) & lon.between(-180, 180))
    # first matching reason wins: assign in reverse priority
    reason[impossible] = R_IMPOSSIBLE
    reason[c["lat"].isna() & c["lon"].isna() & c["raw"].eq(NO_POINT)] = R_NO_POINT
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
    for k, v in c["skip"][skip].value_counts().items():
        by_reason[str(k)] = by_reason.get(str(k), 0) + int(v)
    return positions, spans, rejects, by_reason, int(skip.sum())


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
    return assemble(positions, spans, rejects, source=source, rows_read=rows_read, static=0,
                    skipped=skipped, by_reason=by_reason)
