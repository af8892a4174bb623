"""One STAC Item, one row: a function per field, each naming the properties it reads.

`item_record(item, file, context)` turns one Item (a dict, any STAC version) into one row of the
acquisitions table plus its details (family, radar or optical, tile, processing, where each
value came from). A field an item cannot give raises InputError (file, field, problem, fix);
the reader (helpers.imagery.stac) keeps such an item out as a *reject* with that reason.

Versions: an item is upgraded with pystac's own migration (`identify_stac_object`,
`migrate_to_latest`): 0.6-0.9 names such as eo:platform, eo:instrument, eo:gsd become platform,
instruments, gsd. An item without `stac_version` takes its page's or embedded collection's
version, else is read as 0.6.0 (sat-api and early Earth Search wrote none). A 0.8/0.9
collection's `properties` ("commons") fill the properties its items leave out.

Fields (first source that gives a value wins):

- time: `datetime` when it lies within `start_datetime`..`end_datetime` (or those are absent);
  else (null, or outside the interval: CNES GEODES writes its ingestion time there) the middle of
  `start_datetime`..`end_datetime`. An item spanning more than `COMPOSITE_MAX_HOURS` (24 h) is a
  composite or mosaic (Planet NICFI, Copernicus global mosaics), not one acquisition: rejected.
  A time without a zone is rejected.
- footprint: `geometry`, a valid lon/lat (Multi)Polygon, split at the antimeridian. Required.
- platform: `platform`, `eo:platform`, `constellation`, `eo:constellation`,
  `platformShortName`; else "unknown". Kept as written; `platform_family` normalises it.
- sensor: `instruments` (list or one name, joined with ','), `eo:instrument`, `instrument`;
  else the family's `DEFAULT_SENSOR`; else null.
- cloud_cover, percent: `eo:cloud_cover`, `tile:clouds_percent` (Maxar), `cloud_cover`; a
  negative value means unknown (legacy Earth Search writes -1) and reads as null; a value that is
  not a number in 0..100 rejects the item. Planet's own fraction (0-1) and nested
  `cloud_cover.estimated` are converted by helpers.imagery.providers before they get here.
- gsd_m, metres: `gsd`, `eo:gsd`, `sar:resolution_range`, `sar:pixel_spacing_range`, the finest
  band or asset `gsd` / `raster:bands` `spatial_resolution`; else the family's `DEFAULT_GSD_M`;
  else null.
- provider: the first named provider of the item, else of its collection; else null.
- processing (to choose among processings of one scene, helpers.imagery.duplicates):
  version `processing:version`, `s2:processing_baseline`, `sentinel:processing_baseline` or the
  N#### of a Sentinel-2 product name; processed `processing:datetime`, `s2:generation_time`,
  `s1:processing_datetime` or the product name's generation time; `updated`; `created`.
- tile: `grid:code` ('MGRS-' and a leading 'T' dropped), `s2:mgrs_tile`, the `mgrs:*` or
  `sentinel:*` zone/band/square, the tile of a Sentinel-2 product name, `landsat:wrs_path`/
  `landsat:wrs_row`, Maxar's `quadkey`.
"""

from __future__ import annotations

import copy
import re
import warnings

import numpy as np
import pandas as pd
import shapely
import shapely.affinity
import shapely.geometry
from pystac.serialization import identify_stac_object, migrate_to_latest

from ..errors import InputError
from .platforms import (
    DEFAULT_GSD_M,
    DEFAULT_SENSOR,
    platform_family,
    satellite,
    sensor_kind,
)

TZ_SUFFIX = r"(?:[zZ]|[+-]\d{2}:?\d{2})$"      # an RFC 3339 time ends in its zone
COMPOSITE_MAX_HOURS = 24
ASSUMED_VERSION = "0.6.0"                        # for items without stac_version
# a Sentinel-2 product name: S2B_MSIL2A_<sensing>_N0511_R095_T20EPT_<generation>
_S2_PRODUCT = re.compile(r"S2[A-D]_MSI[A-Z0-9]{3}_\d{8}T\d{6}_N(\d{4})_R\d{3}_T(\d{2}[A-Z]{3})_"
                         r"(\d{8}T\d{6})")


def migrated(item: dict, version: str | None) -> tuple[dict, bool]:
    """The item upgraded by pystac to the current STAC version, and whether that worked (an
    item pystac cannot migrate is read with its own property names)."""
    doc = copy.deepcopy(item)
    doc["stac_version"] = doc.get("stac_version") or version or ASSUMED_VERSION
    doc.setdefault("links", [])
    doc.setdefault("assets", {})
    if not isinstance(doc["links"], list):
        doc["links"] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")     # e.g. storage extension assets not migrated
            return migrate_to_latest(doc, identify_stac_object(doc)), True
    except Exception:  # noqa: BLE001 - pystac raises several types for unusual items
        return doc, False


# --------------------------------------------------------------------------------------------
# Footprints
# --------------------------------------------------------------------------------------------

def _west_shifted(ring) -> np.ndarray:
    """A ring's coordinates with negative longitudes moved east by 360 degrees."""
    c = shapely.get_coordinates(ring)
    c[:, 0] = np.where(c[:, 0] < 0, c[:, 0] + 360, c[:, 0])
    return c


def split_antimeridian(geom):
    """A lon/lat footprint that jumps across +-180 as a valid MultiPolygon of its two halves.

    A ring whose consecutive longitudes differ by more than 180 degrees crosses the antimeridian:
    its negative longitudes are shifted by 360, and the shape is cut at 180. Others unchanged.
    """
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return geom
    out = []
    for poly in shapely.get_parts(geom):
        xy = shapely.get_coordinates(poly.exterior)
        if len(xy) < 2 or np.abs(np.diff(xy[:, 0])).max() <= 180:
            out.append(poly)
            continue
        shifted = shapely.Polygon(_west_shifted(poly.exterior),
                                  [_west_shifted(r) for r in poly.interiors])
        east = shapely.intersection(shifted, shapely.box(-180, -90, 180, 90))
        west = shapely.affinity.translate(
            shapely.intersection(shifted, shapely.box(180, -90, 540, 90)), xoff=-360)
        out.extend(p for p in shapely.get_parts([east, west]) if p.geom_type == "Polygon" and not p.is_empty)
    return shapely.MultiPolygon(out) if len(out) > 1 else out[0]


def item_footprint(item: dict, file: str, where: str):
    """The item's geometry as a valid lon/lat (Multi)Polygon, split at the antimeridian."""
    if not item.get("geometry"):
        raise InputError(file, "geometry", f"{where} has no geometry",
                         "give the scene footprint as a GeoJSON polygon")
    try:
        footprint = split_antimeridian(shapely.geometry.shape(item["geometry"]))
    except Exception as exc:  # shapely raises several types for bad GeoJSON
        raise InputError(file, "geometry", f"{where} geometry is invalid ({exc})",
                         "give the scene footprint as a GeoJSON polygon") from None
    if footprint.geom_type not in ("Polygon", "MultiPolygon") or not footprint.is_valid:
        raise InputError(file, "geometry",
                         f"{where} footprint is not a valid polygon ({shapely.is_valid_reason(footprint)})",
                         "give the scene footprint as a simple GeoJSON Polygon or MultiPolygon")
    x0, y0, x1, y1 = footprint.bounds
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        raise InputError(file, "geometry", f"{where} footprint bounds {footprint.bounds} are not "
                         "longitude/latitude", "give the footprint in WGS 84 degrees "
                         "(lon -180..180, lat -90..90), as STAC requires")
    return footprint


# --------------------------------------------------------------------------------------------
# Times
# --------------------------------------------------------------------------------------------

def parse_time(stamp, file: str, where: str, field: str = "datetime") -> pd.Timestamp:
    """An RFC 3339 time with a zone (a space for 'T' accepted) as a UTC Timestamp."""
    stamp = str(stamp).strip()
    if not re.search(TZ_SUFFIX, stamp):
        raise InputError(file, field, f"{where} {field} {stamp!r} has no time zone",
                         "write the time in UTC with a trailing 'Z'")
    try:
        return pd.Timestamp(stamp).tz_convert("UTC")
    except ValueError:
        raise InputError(file, field, f"{where} {field} {stamp!r} is not a date",
                         "write RFC 3339, e.g. 2023-09-01T01:23:45Z") from None


def _optional_time(props: dict, keys: tuple[str, ...]) -> pd.Timestamp | None:
    """The first of `keys` that parses as a zoned time, else None (never raises)."""
    for k in keys:
        v = props.get(k)
        if v:
            try:
                return parse_time(v, "", "", k)
            except InputError:
                continue
    return None


def item_time(props: dict, file: str, where: str) -> tuple[pd.Timestamp, str]:
    """The acquisition time and which property gave it (module docstring). Required."""
    stamp, start, end = props.get("datetime"), props.get("start_datetime"), props.get("end_datetime")
    t = parse_time(stamp, file, where) if stamp else None
    s = parse_time(start, file, where, "start_datetime") if start else None
    e = parse_time(end, file, where, "end_datetime") if end else None
    if s is not None and e is not None:
        if e < s:
            raise InputError(file, "end_datetime", f"{where} ends ({end}) before it starts ({start})",
                             "give start_datetime <= end_datetime")
        if e - s > pd.Timedelta(hours=COMPOSITE_MAX_HOURS):
            raise InputError(file, "start_datetime", f"{where} spans {start} to {end}: a composite "
                             "or mosaic, not one acquisition",
                             "give the scenes it was made from, one item each")
        if t is None or not s <= t <= e:
            return (s + (e - s) / 2).floor("us"), "start/end middle"
        return t, "datetime"
    if t is not None:
        return t, "datetime"
    if s is not None:
        return s, "start_datetime"
    raise InputError(file, "datetime", f"{where} has no datetime",
                     "set properties.datetime to the acquisition time (RFC 3339, UTC)")


# --------------------------------------------------------------------------------------------
# Platform, sensor, cloud, gsd, provider
# --------------------------------------------------------------------------------------------

def _first(props: dict, keys: tuple[str, ...]):
    return next((props[k] for k in keys if props.get(k) not in (None, "", [])), None)


def item_platform(props: dict) -> str:
    """platform, eo:platform, constellation, eo:constellation, platformShortName; 'unknown'."""
    found = _first(props, ("platform", "eo:platform", "constellation", "eo:constellation",
                           "platformShortName"))
    return str(found) if found is not None else "unknown"


def item_instruments(props: dict) -> list[str]:
    """instruments, eo:instrument or instrument, as a list of names ([] when none)."""
    found = _first(props, ("instruments", "eo:instrument", "instrument"))
    if found is None:
        return []
    return [str(i) for i in (found if isinstance(found, list) else [found])]


def _number(raw, field: str, hi: float, file: str, where: str, fix: str) -> float:
    try:
        v = float(raw)
    except (TypeError, ValueError):
        v = np.nan
    if np.isnan(v) or v > hi:
        raise InputError(file, field, f"{where} {field} {raw!r} is not a number in 0..{hi:g}", fix)
    return v


def item_cloud_cover(props: dict, file: str, where: str) -> tuple[float, str | None]:
    """Cloud cover in percent and its property; (NaN, None) when absent or negative."""
    key = next((k for k in ("eo:cloud_cover", "tile:clouds_percent", "cloud_cover")
                if props.get(k) is not None), None)
    if key is None:
        return np.nan, None
    v = _number(props[key], key, 100, file, where,
                f"write properties.{key} as a number (cloud cover in percent)")
    return (np.nan, None) if v < 0 else (v, key)


def _band_gsds(item: dict) -> list[float]:
    """Every positive gsd of the item's bands and assets (eo:bands, raster:bands)."""
    out = []
    bands = list((item.get("properties") or {}).get("eo:bands") or [])
    for asset in (item.get("assets") or {}).values():
        if isinstance(asset, dict):
            out.append(asset.get("gsd"))
            bands += list(asset.get("eo:bands") or []) + list(asset.get("raster:bands") or [])
    for b in bands:
        if isinstance(b, dict):
            out += [b.get("gsd"), b.get("spatial_resolution")]
    return [float(v) for v in out if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0]


def item_gsd(item: dict, family: str, file: str, where: str) -> tuple[float, str | None]:
    """Ground sample distance in metres and where it came from (module docstring)."""
    props = item.get("properties") or {}
    for key in ("gsd", "eo:gsd", "sar:resolution_range", "sar:pixel_spacing_range"):
        if props.get(key) is not None:
            v = _number(props[key], key, 10**5, file, where, f"write properties.{key} in metres")
            if v > 0:
                return v, key
    bands = _band_gsds(item)
    if bands:
        return min(bands), "bands"
    if family in DEFAULT_GSD_M:
        return DEFAULT_GSD_M[family], "default"
    return np.nan, None


def item_provider(props: dict, context: dict) -> str | None:
    """The first named provider of the item, else of its collection; None without one."""
    providers = props.get("providers") or context.get("providers") or []
    return next((p.get("name") for p in providers if isinstance(p, dict) and p.get("name")),
                None)


# --------------------------------------------------------------------------------------------
# Tile and processing (to recognise one scene processed twice)
# --------------------------------------------------------------------------------------------

def _product_names(item: dict) -> list[str]:
    props = item.get("properties") or {}
    return [str(v) for v in (item.get("id"), props.get("s2:product_uri"),
                             props.get("sentinel:product_id"), props.get("identifier")) if v]


def item_tile(item: dict) -> str | None:
    """The item's tile or grid cell, normalised ('MGRS-20EPT', 'T20EPT' -> '20EPT')."""
    props = item.get("properties") or {}
    code = props.get("grid:code") or props.get("s2:mgrs_tile")
    if code:
        return re.sub(r"^(?:MGRS-)?T?(?=\d{1,2}[A-Z]{3}$)", "", str(code))
    for pre in ("mgrs", "sentinel"):
        z, b, sq = (props.get(f"{pre}:{k}") for k in ("utm_zone", "latitude_band", "grid_square"))
        if z and b and sq:
            return f"{int(z):02d}{b}{sq}"
    for name in _product_names(item):
        if m := _S2_PRODUCT.search(name):
            return m.group(2)
    if props.get("landsat:wrs_path") and props.get("landsat:wrs_row"):
        return f"wrs-{props['landsat:wrs_path']}/{props['landsat:wrs_row']}"
    if props.get("quadkey"):
        return f"{props.get('utm_zone', '')}/{props['quadkey']}"
    return None


def item_processing(item: dict) -> dict:
    """processing_version, processed, updated, created (module docstring); None when absent."""
    props = item.get("properties") or {}
    version = _first(props, ("processing:version", "s2:processing_baseline",
                             "sentinel:processing_baseline"))
    processed = _optional_time(props, ("processing:datetime", "s2:generation_time",
                                       "s1:processing_datetime"))
    for name in _product_names(item):
        if m := _S2_PRODUCT.search(name):
            version = version or f"{m.group(1)[:2]}.{m.group(1)[2:]}"
            processed = processed or pd.Timestamp(m.group(3), tz="UTC")
            break
    return {"processing_version": None if version is None else str(version),
            "processed": processed, "updated": _optional_time(props, ("updated",)),
            "created": _optional_time(props, ("created",))}


# --------------------------------------------------------------------------------------------
# The record
# --------------------------------------------------------------------------------------------

def _commons(item: dict, context: dict) -> dict:
    """The item with its collection's 0.8/0.9 common properties filling the ones it lacks."""
    common = context.get("commons") or {}
    if not common:
        return item
    return {**item, "properties": {**common, **(item.get("properties") or {})}}


def item_record(item: dict, file: str, context: dict) -> dict:
    """One STAC Item (a dict) as one row: the acquisitions columns and the details columns
    (helpers.imagery.stac.DETAIL_COLUMNS). Raises InputError when the item cannot be a row."""
    item_id = item.get("id")
    if item_id in (None, ""):
        raise InputError(file, "id", "an item has no id", "give every STAC Item its scene id")
    found_version = item.get("stac_version") or context.get("stac_version")
    item, ok = migrated(_commons(item, context), found_version)
    props = item.get("properties") or {}
    where = f"item {item_id!r}"
    when, time_source = item_time(props, file, where)
    footprint = item_footprint(item, file, where)
    platform = item_platform(props)
    family = platform_family(None if platform == "unknown" else platform, props.get("constellation"))
    instruments = item_instruments(props)
    kind = sensor_kind(family, instruments, props)
    sensor = ",".join(instruments) if instruments else DEFAULT_SENSOR.get(family)
    cloud, cloud_source = item_cloud_cover(props, file, where)
    gsd, gsd_source = item_gsd(item, family, file, where)
    return {
        "acq_id": str(item_id), "platform": platform, "sensor": sensor, "datetime": when,
        "cloud_cover": cloud, "gsd_m": gsd, "provider": item_provider(props, context),
        "footprint": footprint,
        "family": family, "satellite": satellite(None if platform == "unknown" else platform),
        "sensor_kind": kind,
        "instrument_mode": props.get("sar:instrument_mode") if kind == "radar" else None,
        "collection": item.get("collection") or props.get("collection"),
        "tile": item_tile(item), **item_processing(item),
        "time_source": time_source, "cloud_source": cloud_source, "gsd_source": gsd_source,
        "sensor_source": ("item" if instruments else "default" if sensor else None),
        "stac_version": found_version, "migrated": ok,
    }
