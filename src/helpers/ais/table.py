"""Tables read in chunks: a provider's named CSV layout, or any CSV, Parquet, GeoParquet or
GeoPackage with a caller-given column mapping.

- A provider layout (helpers.ais.providers) is read by `read_layout`.
- "table": any CSV, Parquet, GeoParquet or GeoPackage with a caller-given mapping from canonical
  names to the file's columns, `columns={"mmsi": ..., "ts": ..., "lat": ..., "lon": ..., "sog_kn": ...}`
  (optional: sog_kn, cog_deg, heading_deg, nav_status, imo, name, callsign, ship_type, length_m,
  beam_m). Without lat/lon in the mapping a GeoParquet or GeoPackage point geometry gives them.
  Text times are ISO 8601 (naive = UTC), numbers are unix seconds.
CSV is read `chunksize=N` rows at a time when asked (memory bounded by the chunk, same result
as unchunked); AIS "not available" values (lat 91, lon 181: reject; SOG 102.3, COG 360, heading
511: null) are handled alike in every layout (helpers.ais.tabular).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from . import providers, tabular
from .files import csv_chunks, header_map, is_geopackage, is_parquet
from .records import AisData

TABLE_KEYS = ("mmsi", "ts", "lat", "lon", "sog_kn", "cog_deg", "heading_deg", "nav_status", "imo",
              "name", "callsign", "ship_type", "length_m", "beam_m")
_TABLE_TO_RAW = {"sog_kn": "sog", "cog_deg": "cog", "heading_deg": "heading",
                 "nav_status": "status", "length_m": "length", "beam_m": "beam"}


# ----------------------------------------------------------------------------------------------
# Provider layouts
# ----------------------------------------------------------------------------------------------

def _speed_unit(path: Path, speed_col: str, chunksize) -> str:
    """"tenths" when the SPEED column's largest value exceeds 102.3, else "kn" (see
    helpers.ais.providers)."""
    top = -np.inf
    for chunk in csv_chunks(path, chunksize, usecols=lambda c: c.strip() == speed_col):
        if chunk.shape[1]:
            top = max(top, tabular.numbers(chunk.iloc[:, 0]).max(skipna=True) if len(chunk) else -np.inf)
    return "tenths" if top > 102.3 else "kn"


def read_layout(path: Path, source: str, lay: providers.Layout, chunksize,
                speed_unit: str = "auto") -> AisData:
    """Read a CSV export in the provider layout `lay`, `chunksize` rows at a time (None: at once)."""
    name = path.name
    parts, row0 = [], 0
    for df in csv_chunks(path, chunksize):
        col = header_map(df)
        missing = [c for c in lay.required if c not in col]
        if missing:
            raise InputError(name, ", ".join(missing), f"missing {lay.fmt} column(s)",
                             f"the header must hold {', '.join(lay.required)}")
        if lay.speed_units and speed_unit == "auto":
            speed_unit = _speed_unit(path, col[lay.columns["sog"]], chunksize)
        parts.append(tabular.chunk_tables(providers.prepare(lay, df, col, speed_unit), name, source,
                                          row0))
        row0 += len(df)
    return tabular.finish_chunks(parts, source, row0)


# ----------------------------------------------------------------------------------------------
# Caller-mapped tables: CSV, Parquet, GeoParquet, GeoPackage
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
    return fields + ["geometry"], "geometry", gen()


def _geo_column(pf) -> tuple[str | None, dict]:
    meta = pf.schema_arrow.metadata or {}
    if b"geo" not in meta:
        return None, {}
    geo = json.loads(meta[b"geo"])
    col = geo.get("primary_column", "geometry")
    return col, geo.get("columns", {}).get(col, {})


def _check_mapping(name: str, columns) -> None:
    if not isinstance(columns, dict) or not columns:
        raise InputError(name, "columns", "fmt='table' needs a column mapping",
                         "pass columns={'mmsi': ..., 'ts': ..., 'lat': ..., 'lon': ...}")
    unknown = [k for k in columns if k not in TABLE_KEYS]
    if unknown:
        raise InputError(name, ", ".join(unknown), "unknown canonical name(s) in columns=",
                         f"use names from {list(TABLE_KEYS)}")


def _parquet_batches(path: Path, columns: dict, chunksize):
    """(geometry column or None, whether lat/lon come from it, batches) of a (Geo)Parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    name = path.name
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
    return geom, use_geom, batches


def _mapped_frame(df: pd.DataFrame, columns: dict, raw_cols: list, geom: str | None) -> pd.DataFrame:
    """The raw canonical frame of one chunk read through a column mapping; lat/lon from the
    point geometry in column `geom` when given (rows whose geometry is not a point: no position)."""
    get = {k: df[v] for k, v in columns.items()}
    raw = pd.Series(tabular.join_raw(df, raw_cols), index=df.index, dtype=object)
    if geom is not None:
        import shapely
        g = shapely.from_wkb(df[geom].to_numpy())
        is_point = shapely.get_type_id(g) == 0
        xs, ys = shapely.get_x(g), shapely.get_y(g)
        get["lon"] = pd.Series(np.where(is_point, xs, np.nan), index=df.index)
        get["lat"] = pd.Series(np.where(is_point, ys, np.nan), index=df.index)
        raw = raw.where(is_point, tabular.NO_POINT)
    kw = {_TABLE_TO_RAW.get(k, k): v for k, v in get.items()}
    for k in ("mmsi", "lat", "lon", "sog", "cog", "heading", "status", "imo", "ship_type",
              "length", "beam"):
        if k in kw:
            kw[k] = tabular.numbers(kw[k])
    for k in ("name", "callsign"):
        if k in kw:
            kw[k] = tabular.texts(kw[k])
    kw["ts"] = tabular.utc_times(kw["ts"])
    return tabular.raw_frame(len(df), df.index, raw=raw, **kw)


def read_table(path: Path, source: str, columns: dict | None, chunksize, layer=None) -> AisData:
    """Read a CSV, Parquet, GeoParquet or GeoPackage through the mapping `columns` (canonical
    name -> file column; see the module docstring), `chunksize` rows at a time."""
    name = path.name
    _check_mapping(name, columns)
    gpkg = is_geopackage(path)
    parquet = is_parquet(path) or gpkg
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
        geom, use_geom, batches = _parquet_batches(path, columns, chunksize)
    else:
        use_geom, geom = False, None
        batches = csv_chunks(path, chunksize)
    parts, row0 = [], 0
    for df in batches:
        if not parquet:
            header_map(df)
            absent = [c for c in columns.values() if c not in df.columns]
            if absent:
                raise InputError(name, ", ".join(absent), "mapped column(s) not in the file",
                                 f"the file's columns are {list(df.columns)}")
        df = df.reset_index(drop=True)
        raw_cols = list(dict.fromkeys(columns.values())) if parquet else list(df.columns)
        frame = _mapped_frame(df, columns, raw_cols, geom if use_geom else None)
        parts.append(tabular.chunk_tables(frame, name, source, row0))
        row0 += len(df)
    return tabular.finish_chunks(parts, source, row0)
