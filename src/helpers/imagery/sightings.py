"""The analysts' sightings: reading and checking them, with rejects and their reasons.

Sightings are the analysts' annotations of vessels in the acquisitions' scenes, one row (CSV) or
one Point feature (GeoJSON FeatureCollection, lon/lat from the geometry) per detection, with

  sighting_id    unique id (text)
  acq_id         the scene's id, as in the STAC item
  datetime       UTC time with a zone, e.g. 2023-09-07T02:15:49Z (the scene's time)
  port           the port the detection is at (as named in the port geofences)
  lat, lon       WGS84 degrees (CSV columns; in GeoJSON the Point geometry)
  length_m       measured length (optional)
  heading_deg    heading, 0-360 (optional)
  vessel         the analyst's identification, empty if none
  id_confidence  high / medium / low / none (empty = none)
  containers     containers counted on the quay next to the ship (optional, whole number)
  analyst_note   free text (optional)

`read_sightings_checked` returns the good rows and the rejects (with a locator and the reasons);
`check_sightings` keeps sightings inside their acquisition's footprint and at its time.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InputError
from ..paths import display
from ..schema import CONFIDENCE_ORDER, validate
from .fields import TZ_SUFFIX

SIGHTINGS_CSV_COLUMNS = [
    "sighting_id", "acq_id", "datetime", "port", "lat", "lon", "length_m", "heading_deg",
    "vessel", "id_confidence", "containers", "analyst_note",
]
_REQUIRED_SIGHTING_COLUMNS = [
    "sighting_id", "acq_id", "datetime", "port", "lat", "lon", "vessel", "id_confidence",
]


# --------------------------------------------------------------------------------------------
# Reasons and rejects
# --------------------------------------------------------------------------------------------

def _csv_line(values) -> str:
    """Values as one CSV line (nulls as empty cells)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(["" if pd.isna(v) else v for v in values])
    return buf.getvalue()


def _raw_lines(frame: pd.DataFrame) -> pd.Series:
    """Each row as one CSV line (for the `raw` column of rejects)."""
    return pd.Series([_csv_line(v) for v in frame.itertuples(index=False)], index=frame.index,
                     dtype=object)


def _join_reasons(parts: list[pd.Series], index: pd.Index) -> pd.Series:
    if not parts:
        return pd.Series("", index=index, dtype=object)
    table = pd.concat(parts, axis=1)
    return table.apply(lambda r: "; ".join(x for x in r if x), axis=1).astype(object)


def _reason(mask, text, index) -> pd.Series:
    return pd.Series(np.where(mask, text, ""), index=index, dtype=object)


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------

def _geojson_sightings(path: Path, shown: str) -> pd.DataFrame:
    """A GeoJSON FeatureCollection of Point sightings as the CSV's string table (lon/lat from
    the geometry, the other columns from the properties)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(shown, "(file)", f"is not JSON ({exc})",
                         "write a GeoJSON FeatureCollection of Point features") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InputError(shown, "type", "is not a GeoJSON FeatureCollection",
                         "write {\"type\": \"FeatureCollection\", \"features\": [...]}")
    rows = []
    for k, feat in enumerate(doc.get("features") or [], start=1):
        geom = (feat or {}).get("geometry") or {}
        props = dict((feat or {}).get("properties") or {})
        if geom.get("type") != "Point" or len(geom.get("coordinates") or []) < 2:
            raise InputError(shown, "geometry", f"feature {k} is not a Point",
                             "give each sighting a Point geometry [lon, lat]")
        props["lon"], props["lat"] = geom["coordinates"][0], geom["coordinates"][1]
        rows.append({c: "" if props.get(c) is None else str(props[c]) for c in props})
    if not rows:
        return pd.DataFrame(columns=SIGHTINGS_CSV_COLUMNS, dtype=str)
    return pd.DataFrame(rows).fillna("")


def _read_text_table(path: Path, shown: str) -> pd.DataFrame:
    """The file (CSV, or GeoJSON by its suffix) as a table of strings with every column of
    SIGHTINGS_CSV_COLUMNS (absent optional ones empty). A missing required column raises."""
    if not path.is_file():
        raise InputError(shown, "path", "is a directory, not a file" if path.is_dir() else
                         "does not exist", "give the path of the sightings CSV or GeoJSON file")
    if path.suffix.lower() in (".geojson", ".json"):
        raw = _geojson_sightings(path, shown)
    else:
        try:
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False,
                              encoding="utf-8-sig")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise InputError(shown, "(file)", f"is not a readable CSV ({exc})",
                             f"write a UTF-8 CSV with columns {SIGHTINGS_CSV_COLUMNS}") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in _REQUIRED_SIGHTING_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(shown, ", ".join(missing), "missing column(s)",
                         f"add them; the sightings CSV has columns {SIGHTINGS_CSV_COLUMNS}")
    for col in SIGHTINGS_CSV_COLUMNS:
        if col not in raw.columns:
            raw[col] = ""
    return raw


def _id_reasons(s: pd.DataFrame) -> list[pd.Series]:
    """Empty sighting_id, acq_id or port; a sighting_id already used by an earlier row."""
    idx = s.index
    parts = [_reason(s[col] == "", f"empty {col}", idx) for col in ("sighting_id", "acq_id", "port")]
    dup = s["sighting_id"].duplicated(keep="first") & (s["sighting_id"] != "")
    parts.append(_reason(dup, "duplicate sighting_id " + s["sighting_id"], idx))
    return parts


def _time_reasons(s: pd.DataFrame) -> tuple[list[pd.Series], pd.Series]:
    """Reasons against the datetime (empty, unparseable, no zone) and the parsed UTC times."""
    idx = s.index
    when = pd.to_datetime(s["datetime"], utc=True, format="ISO8601", errors="coerce")
    no_tz = (s["datetime"] != "") & ~s["datetime"].str.contains(TZ_SUFFIX, regex=True)
    parts = [
        _reason(s["datetime"] == "", "empty datetime", idx),
        _reason((s["datetime"] != "") & when.isna(),
                "unparseable datetime '" + s["datetime"] + "'", idx),
        _reason(no_tz & when.notna(),
                "datetime '" + s["datetime"] + "' has no time zone (write UTC with Z)", idx),
    ]
    return parts, when


def _number_reasons(s: pd.DataFrame) -> tuple[list[pd.Series], dict[str, pd.Series]]:
    """Reasons against the numeric columns (empty lat/lon, not a number, out of range,
    fractional containers) and their values (NaN where empty or bad)."""
    idx = s.index
    parts: list[pd.Series] = []
    nums: dict[str, pd.Series] = {}
    limits = {"lat": (-90, 90), "lon": (-180, 180), "length_m": (0, 500),
              "heading_deg": (0, 360), "containers": (0, 10**6)}
    for col, (lo, hi) in limits.items():
        v = pd.to_numeric(s[col], errors="coerce")
        nums[col] = v
        empty = s[col] == ""
        if col in ("lat", "lon"):
            parts.append(_reason(empty, f"empty {col}", idx))
        parts.append(_reason(~empty & v.isna(), f"{col} '" + s[col] + "' is not a number", idx))
        parts.append(_reason(v.notna() & ((v < lo) | (v > hi)),
                             f"{col} " + s[col] + f" outside {lo}..{hi}", idx))
    parts.append(_reason(nums["containers"].notna() & (nums["containers"] % 1 != 0),
                         "containers '" + s["containers"] + "' is not a whole number", idx))
    return parts, nums


def _confidence_reasons(s: pd.DataFrame) -> tuple[list[pd.Series], pd.Series]:
    """The reason against an unknown id_confidence, and the confidences (empty = "none")."""
    conf = s["id_confidence"].str.lower().replace("", "none")
    parts = [_reason(~conf.isin(CONFIDENCE_ORDER),
                     "unknown id_confidence '" + s["id_confidence"] + "' (expected "
                     + "/".join(reversed(CONFIDENCE_ORDER)) + ")", s.index)]
    return parts, conf


def read_sightings_checked(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the analysts' sightings CSV; return (sightings, rejects).

    A missing column raises InputError; a bad row (unparseable or zone-less datetime, lat/lon
    out of range, unknown id_confidence, bad number, empty id, duplicate sighting_id) becomes a
    reject with locator "<file name>:row N" (N counts data rows from 1, header not counted).
    Optional columns (length_m, heading_deg, containers, analyst_note) may be absent.
    Empty id_confidence means "none". `match` is null.
    """
    path = Path(path)
    shown = display(path)
    raw = _read_text_table(path, shown)
    s = raw[SIGHTINGS_CSV_COLUMNS].apply(lambda c: c.str.strip())
    idx = s.index
    time_parts, when = _time_reasons(s)
    number_parts, nums = _number_reasons(s)
    confidence_parts, conf = _confidence_reasons(s)
    reason = _join_reasons([*_id_reasons(s), *time_parts, *number_parts, *confidence_parts], idx)
    bad = reason != ""
    rejects = pd.DataFrame({
        "source": path.name,
        "locator": [f"{path.name}:row {i + 1}" for i in idx[bad]],
        "reason": reason[bad].to_numpy(),
        "raw": _raw_lines(raw.loc[bad, SIGHTINGS_CSV_COLUMNS]).to_numpy(),
    })
    rejects = validate(rejects, "rejects", file=shown)

    ok = ~bad
    kept = pd.DataFrame({
        "sighting_id": s.loc[ok, "sighting_id"],
        "acq_id": s.loc[ok, "acq_id"],
        "datetime": when[ok],
        "port": s.loc[ok, "port"],
        "lat": nums["lat"][ok],
        "lon": nums["lon"][ok],
        "length_m": nums["length_m"][ok],
        "heading_deg": nums["heading_deg"][ok],
        "vessel": s.loc[ok, "vessel"].replace("", None),
        "id_confidence": conf[ok],
        "containers": nums["containers"][ok].astype("Int64"),
        "analyst_note": s.loc[ok, "analyst_note"].replace("", None),
        "match": pd.Series(None, index=idx[ok], dtype=object),
    })
    kept = kept.sort_values(["datetime", "sighting_id"], kind="stable")
    return validate(kept, "sightings", file=shown), rejects


def read_sightings(path: str | Path) -> pd.DataFrame:
    """The good rows of the sightings CSV (see `read_sightings_checked` for the rejects)."""
    return read_sightings_checked(path)[0]


# --------------------------------------------------------------------------------------------
# Checking against the acquisitions
# --------------------------------------------------------------------------------------------

def check_sightings(sightings: pd.DataFrame, acquisitions: gpd.GeoDataFrame, *,
                    max_minutes: float = 30, source: str = "sightings"
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep sightings that fit their acquisition; return (kept, rejects).

    A sighting must name a known acq_id, lie inside (or on the edge of) that acquisition's
    footprint, and be timed within `max_minutes` of it. Rejects: locator "<source>:<sighting_id>".
    """
    acq = pd.DataFrame({"acq_id": acquisitions["acq_id"].to_numpy(),
                        "_acq_time": acquisitions["datetime"].to_numpy(),
                        "_footprint": np.asarray(acquisitions["footprint"], dtype=object)})
    s = sightings.reset_index(drop=True)
    joined = s.merge(acq, on="acq_id", how="left", validate="many_to_one")
    idx = joined.index
    known = joined["_acq_time"].notna()
    inside = np.zeros(len(joined), dtype=bool)
    if known.any():
        inside[known.to_numpy()] = shapely.intersects_xy(
            np.asarray(joined.loc[known, "_footprint"], dtype=object),
            joined.loc[known, "lon"].to_numpy(float), joined.loc[known, "lat"].to_numpy(float))
    minutes = (joined["datetime"] - pd.to_datetime(joined["_acq_time"], utc=True)
               ).abs().dt.total_seconds() / 60
    late = known & (minutes > max_minutes)
    parts = [
        _reason(~known, "unknown acquisition " + joined["acq_id"].astype(str), idx),
        _reason(known & ~inside, "outside footprint", idx),
        _reason(late, "time differs from acquisition by "
                + minutes.round().fillna(0).astype(int).astype(str) + " min", idx),
    ]
    reason = _join_reasons(parts, idx)
    bad = (reason != "").to_numpy()
    rejects = validate(pd.DataFrame({
        "source": source,
        "locator": (source + ":" + s.loc[bad, "sighting_id"].astype(str)).to_numpy(),
        "reason": reason[bad].to_numpy(),
        "raw": _raw_lines(s.loc[bad]).to_numpy(),
    }), "rejects", file=source)
    kept = s.loc[~bad].copy()
    if "match" not in kept.columns:
        kept["match"] = None
    return validate(kept, "sightings", file=source), rejects
