"""Tables read in chunks: delimited text (any delimiter, quoting, null literals, decimal comma)
and JSON records, in a provider's named layout or through column synonyms; Parquet, GeoParquet
and GeoPackage through column synonyms. An explicit `columns=` mapping (canonical name -> file
column) overrides the layout or the synonyms field by field (helpers.ais.columns).

CSV is read `chunksize=N` rows at a time when asked (memory bounded by the chunk, same result as
unchunked; the units are inferred from the whole file first). AIS "not available" values (lat
91, lon 181: reject; SOG 102.3, COG 360, heading 511: null) are handled alike everywhere.
Every reader's QA gains `layout`, `columns` (canonical name -> the file column(s) read),
`units` (the speed unit and time format used) and `dialect`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from . import jsonrec, tabular
from .columns import Mapping, check_explicit, header_key, resolve
from .files import csv_chunks, is_geopackage, is_parquet
from .providers import NULL_TEXT, Layout, layout, match
from .records import AisData
from .sniff import Dialect, sniff

NUMERIC = ("mmsi", "lat", "lon", "cog", "heading", "length", "beam", "bow", "stern", "port",
           "starboard", "ts_ms")


# ----------------------------------------------------------------------------------------------
# From a chunk of text cells to the raw canonical frame
# ----------------------------------------------------------------------------------------------

def _get(df: pd.DataFrame, m: Mapping, raw: str) -> pd.Series | None:
    """The column(s) of field `raw`; several are coalesced (first non-empty value wins)."""
    cols = m.fields.get(raw)
    if not cols:
        return None
    s = df[cols[0]]
    for c in cols[1:]:
        s = s.where(~tabular.is_missing(s), df[c])
    return s


def _time_text(df: pd.DataFrame, m: Mapping) -> pd.Series:
    """The time column; joined to the date column when the time is a time of day."""
    s = _get(df, m, "ts")
    if "ts_date" in m.fields:
        day = _get(df, m, "ts_date")
        s = (day.astype(str).str.strip() + " " + s.astype(str).str.strip()) \
            .where(~tabular.is_missing(day) & ~tabular.is_missing(s), "")
    return s


def build(df: pd.DataFrame, m: Mapping, units: dict, decimal: str, raw, reason=None,
          point=None) -> pd.DataFrame:
    """The raw canonical frame of chunk `df` read through mapping `m` with `units` ({"speed":
    "kn"|"tenths", "time": format}); `raw`: each row's reject text; `reason`: a reject reason
    forced per row (or None); `point`: (lon, lat, is_point) from a geometry column, or None."""
    lay: Layout | None = m.lay
    codes = lay.codes if lay is not None else {}
    nulls = lay.null_text if lay is not None else NULL_TEXT
    vals: dict = {}
    for f in NUMERIC + ("sog", "status", "ship_type", "msg_type", "imo"):
        s = _get(df, m, f)
        if s is None:
            continue
        if f == "imo" and lay is not None and lay.imo_prefix:
            s = s.astype(str).str.strip().str.upper().str.removeprefix("IMO")
        vals[f] = tabular.coded(s, codes[f], decimal) if f in codes \
            else tabular.numbers(s, decimal)
    if units.get("speed") == "tenths" and "sog" in vals:
        vals["sog"] = vals["sog"] / 10.0
    for f, a, b in (("length", "bow", "stern"), ("beam", "port", "starboard")):
        if f not in vals and a in vals and b in vals:
            vals[f] = vals[a] + vals[b]
    for f in ("bow", "stern", "port", "starboard"):
        vals.pop(f, None)
    ts_text = _time_text(df, m)
    ts = tabular.utc_times(ts_text, units["time"])
    if "ts_ms" in vals:
        ts = ts + pd.to_timedelta(vals.pop("ts_ms").fillna(0), unit="ms")
    skip = None
    if lay is not None and lay.skip_rows is not None:
        header, reasons = lay.skip_rows
        col = next((c for c in df.columns if header_key(c) == header), None)
        kind = (df[col] if col is not None else pd.Series("", index=df.index)) \
            .astype(str).str.strip().str.lower()
        skip = pd.Series(None, index=df.index, dtype=object)
        for value, why in reasons.items():
            skip[kind == value] = why
    if point is not None:
        vals["lon"], vals["lat"], is_point = point
        raw = pd.Series(raw, index=df.index, dtype=object).where(is_point, tabular.NO_POINT)
    return tabular.raw_frame(
        len(df), df.index, ts=ts, ts_missing=tabular.is_missing(ts_text),
        name=None if _get(df, m, "name") is None else tabular.texts(_get(df, m, "name"), nulls),
        callsign=None if _get(df, m, "callsign") is None
        else tabular.texts(_get(df, m, "callsign"), nulls),
        skip=skip, reason=None if reason is None else pd.Series(reason, index=df.index,
                                                                  dtype=object),
        raw=raw, **vals)


# ----------------------------------------------------------------------------------------------
# Units: decided once per file, from the whole columns
# ----------------------------------------------------------------------------------------------

def _plan(m: Mapping, speed_unit: str, time_format: str) -> tuple[str, str]:
    """(time format, speed unit) before looking at the data: "auto" where it must be inferred.
    A named layout's documented time format stands unless `time_format` is given; its speed
    unit stands unless `speed_unit` is given or the layout documents tenths (then "auto" still
    reads decimals as knots)."""
    lay = m.lay
    tfmt = time_format if time_format != "auto" else (lay.time_format if lay else "auto")
    speed = speed_unit
    if "sog" not in m.fields:
        speed = "none"
    elif speed == "auto" and lay is not None and lay.speed_unit != "tenths":
        speed = lay.speed_unit
    return tfmt, speed


def _units(name: str, m: Mapping, frames, speed_unit: str, time_format: str) -> dict:
    """{"speed": "kn"|"tenths"|"none", "time": format} for the file whose columns `frames`
    yields (iterated only when something must be inferred)."""
    tfmt, speed = _plan(m, speed_unit, time_format)
    tstats, sstats = tabular.TimeStats(), tabular.SpeedStats()
    if tfmt == "auto" or speed == "auto":
        for df in frames:
            if tfmt == "auto":
                tstats.add(_time_text(df, m))
            if speed == "auto":
                sstats.add(tabular.numbers(_get(df, m, "sog")))
    if tfmt == "auto":
        tfmt = tstats.infer(name, m.report["ts"])
    if speed == "auto":
        speed = tabular.speed_unit_of(sstats, m.tenths_by_name(),
                                      m.lay.speed_unit if m.lay is not None else "kn")
    return {"speed": speed, "time": tfmt}


def _needs_pass(m: Mapping, speed_unit: str, time_format: str) -> bool:
    return "auto" in _plan(m, speed_unit, time_format)


def _qa(data: AisData, m: Mapping, units: dict, dialect: dict) -> AisData:
    data.qa.update(layout=m.layout, columns=m.report, units=units, dialect=dialect)
    return data


# ----------------------------------------------------------------------------------------------
# Delimited text and JSON
# ----------------------------------------------------------------------------------------------

def _layout_for(name: str, fmt: str, keys: list[str], explicit) -> Layout | None:
    """The named layout to read with: `fmt`'s (its header checked), the header's for "auto",
    none for "table"."""
    if fmt == "table":
        return None
    if fmt == "auto":
        return match(keys)
    lay = layout(fmt)
    given = set(check_explicit(name, explicit))
    inverse = {h: f for f, h in lay.columns.items()}
    missing = [c for c in lay.required if c not in keys and inverse.get(c) not in given]
    if missing:
        raise InputError(name, ", ".join(missing), f"missing {lay.fmt} column(s)",
                         f"the header must hold {', '.join(lay.required)} (or read the file "
                         "with fmt='auto', which also knows column synonyms)")
    return lay


def read_text(path: Path, source: str, fmt: str, columns, chunksize, *, speed_unit="auto",
              time_format="auto", dialect: Dialect | None = None) -> AisData:
    """Read delimited text or JSON records at `path` (see the module docstring)."""
    name = path.name
    d = dialect or sniff(path)
    if d is None:
        raise InputError(name, "(file)", "the file has no header line",
                         "check the export; remove it from the inputs if it has no data")
    if d.kind == "json":
        return _read_json(path, source, fmt, columns, speed_unit, time_format)
    kw = {"sep": d.delimiter, "quotechar": d.quotechar}
    chunks = csv_chunks(path, chunksize, **kw)
    first = next(chunks)
    first.columns = [str(c).strip() for c in first.columns]
    header = list(first.columns)
    lay = _layout_for(name, fmt, [header_key(c) for c in header], columns)
    m = resolve(name, header, lay, columns)
    if _needs_pass(m, speed_unit, time_format):
        cols = sorted({c for f in ("ts", "ts_date", "sog") for c in m.fields.get(f, [])},
                      key=header.index)
        frames = [first] if chunksize is None else (
            f.rename(columns=str.strip) for f in csv_chunks(
                path, chunksize, usecols=lambda c: c.strip() in cols, **kw))
        units = _units(name, m, frames, speed_unit, time_format)
    else:
        units = _units(name, m, [], speed_unit, time_format)
    parts, row0 = [], 0
    for df in _chain(first, chunks):
        df.columns = [str(c).strip() for c in df.columns]
        if lay is not None and lay.raw_columns is not None:
            for c in lay.raw_columns:
                if c not in df.columns and c.upper() not in {header_key(x) for x in df.columns}:
                    df[c] = ""
            keys = {header_key(x): x for x in df.columns}
            raw = tabular.join_raw(df, [keys[c.upper()] for c in lay.raw_columns])
        else:
            raw = tabular.join_raw(df, df.columns)
        frame = build(df, m, units, d.decimal, raw)
        parts.append(tabular.chunk_tables(frame, name, source, row0))
        row0 += len(df)
    return _qa(tabular.finish_chunks(parts, source, row0), m, units, d.describe())


def _chain(first, rest):
    yield first
    yield from rest


def _read_json(path: Path, source: str, fmt: str, columns, speed_unit, time_format) -> AisData:
    name = path.name
    recs = jsonrec.load(path)
    df = recs.frame
    header = list(df.columns)
    lay = _layout_for(name, fmt, [header_key(c) for c in header], columns)
    m = resolve(name, header, lay, columns, nested=True)
    units = _units(name, m, [df], speed_unit, time_format)
    frame = build(df, m, units, ".", recs.raw, recs.reason)
    data = tabular.finish_chunks([tabular.chunk_tables(frame, name, source, 0)], source, len(df))
    if recs.blank:  # blank lines of a JSON-lines file: read and skipped
        data.qa["rows_read"] += recs.blank
        data.qa["skipped"] += recs.blank
        data.qa["by_reason"] = dict(sorted({**data.qa["by_reason"], "blank line": recs.blank}
                                           .items()))
    dialect = {"container": "json"} if recs.meta is None else {"container": "json (AISHub)"}
    return _qa(data, m, units, dialect)


# ----------------------------------------------------------------------------------------------
# Parquet, GeoParquet, GeoPackage
# ----------------------------------------------------------------------------------------------

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
    return fields, "geometry", gen()


def _parquet_file(path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(path.name, "(file)", f"cannot be read as Parquet ({exc})",
                         "check the file is complete (download or export it again)") from None
    meta = pf.schema_arrow.metadata or {}
    geom, geo = None, {}
    if b"geo" in meta:
        g = json.loads(meta[b"geo"])
        geom = g.get("primary_column", "geometry")
        geo = g.get("columns", {}).get(geom, {})
    return pf, geom, geo


def _points(df: pd.DataFrame, geom: str):
    import shapely
    g = shapely.from_wkb(df[geom].to_numpy())
    is_point = shapely.get_type_id(g) == 0
    return (pd.Series(np.where(is_point, shapely.get_x(g), np.nan), index=df.index),
            pd.Series(np.where(is_point, shapely.get_y(g), np.nan), index=df.index), is_point)


def read_table(path: Path, source: str, columns: dict | None, chunksize, layer=None, *,
               speed_unit="auto", time_format="auto") -> AisData:
    """Read a Parquet, GeoParquet or GeoPackage file through column synonyms and `columns`
    (lat/lon from the point geometry when no column holds them), `chunksize` rows at a time."""
    name = path.name
    if is_geopackage(path):
        names, geom, batches = _gpkg_batches(path, layer, chunksize)
        kind = "geopackage"
        has_geom = True
    else:
        pf, geom, geo = _parquet_file(path)
        names = [n for n in pf.schema_arrow.names if n != geom]
        kind = "geoparquet" if geom else "parquet"
        has_geom = geom is not None and geom in pf.schema_arrow.names
    m = resolve(name, names, None, columns, need_position=False)
    use_geom = "lat" not in m.fields or "lon" not in m.fields
    if use_geom:
        if not has_geom:
            raise InputError(name, "lat, lon", "no lat/lon column and no GeoParquet geometry",
                             "map lat and lon in columns=, or write the file as GeoParquet")
        m.fields.pop("lat", None)
        m.fields.pop("lon", None)
        if kind == "geoparquet":
            crs = geo.get("crs")
            code = (crs or {}).get("id", {}).get("code") if isinstance(crs, dict) else None
            if crs is not None and code not in (4326, "CRS84", "4326"):
                raise InputError(name, geom, "geometry is not in WGS 84 longitude/latitude",
                                 "reproject to EPSG:4326 before reading")
    wanted = list(dict.fromkeys(c for cols in m.fields.values() for c in cols))
    if kind != "geopackage":
        read = wanted + ([geom] if use_geom else [])
        batches = (b.to_pandas() for b in pf.iter_batches(batch_size=chunksize or 65_536,
                                                           columns=read))
    if _needs_pass(m, speed_unit, time_format):
        if kind == "geopackage":
            batches = list(batches)
            units = _units(name, m, batches, speed_unit, time_format)
        else:
            cols = [c for f in ("ts", "ts_date", "sog") for c in m.fields.get(f, [])]
            units = _units(name, m, (b.to_pandas() for b in pf.iter_batches(
                batch_size=chunksize or 65_536, columns=cols)), speed_unit, time_format)
    else:
        units = _units(name, m, [], speed_unit, time_format)
    parts, row0 = [], 0
    for df in batches:
        df = df.reset_index(drop=True)
        raw = tabular.join_raw(df, wanted)
        frame = build(df, m, units, ".", raw, point=_points(df, geom) if use_geom else None)
        parts.append(tabular.chunk_tables(frame, name, source, row0))
        row0 += len(df)
    if use_geom:
        m.fields["lat"] = m.fields["lon"] = [f"{geom} (point)"]
    return _qa(tabular.finish_chunks(parts, source, row0), m, units, {"container": kind})


def is_binary_table(path: Path) -> bool:
    """Whether `path` is a Parquet or GeoPackage file (read by `read_table`)."""
    return is_parquet(path) or is_geopackage(path)
