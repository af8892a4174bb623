"""Reading STAC: catalogs, collections, items and ItemCollections into the acquisitions table.

Acquisitions are STAC Items (one per scene) from any provider (Sentinel-1 without cloud cover,
Sentinel-2, Landsat, PlanetScope, SkySat, Maxar ...), read from catalogs, collections, items,
ItemCollections (GeoJSON FeatureCollections) or lists of them by `read_acquisitions` into the
canonical "acquisitions" table. Provider scene ids are kept verbatim as `acq_id`. Older STAC
(0.8, 0.9, 1.0 without stac_extensions) is upgraded with pystac first, so eo:gsd, eo:platform and
eo:instrument read as gsd, platform and instruments. A footprint that crosses the antimeridian
(longitudes jumping across +-180) is split into a valid MultiPolygon. A malformed item raises
InputError naming the file, the field and the fix.

How a file becomes rows: `walk_stac` yields every STAC document reachable from a file (local
links only); `item_record` turns one Item into one row, one function per field it reads, each
with the properties it looks at and the error it raises: `_item_datetime`, `_item_footprint`,
`_item_platform`, `_item_sensor`, `_item_provider`, `_item_cloud_cover` and `_item_gsd`.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.affinity
import shapely.geometry
from pystac.serialization import identify_stac_object, migrate_to_latest

from ..errors import InputError
from ..paths import display
from ..schema import columns, validate

# an RFC 3339 time ends in its zone: Z or an offset such as +09:00
TZ_SUFFIX = r"(?:[zZ]|[+-]\d{2}:?\d{2})$"
_STAC_TYPES = {"Feature", "Collection", "Catalog", "FeatureCollection"}


def slug(text: str) -> str:
    """Lower-case letters and digits, other runs as one '-': 'PS2.SD' -> 'ps2-sd'."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "unknown"


def platform_family(platform: str) -> str:
    """The constellation a platform belongs to: 'Sentinel-2A' -> 'sentinel-2'."""
    name = slug(platform)
    if re.match(r"^(planetscope|ps\d|psb|dove)", name):
        return "planetscope"
    if name.startswith("skysat"):
        return "skysat"
    return re.sub(r"(\d)[a-z]$", r"\1", name)


# --------------------------------------------------------------------------------------------
# Files and links
# --------------------------------------------------------------------------------------------

def _load_json(path: Path) -> dict:
    if not path.exists():
        raise InputError(display(path), "path", "does not exist",
                         "check the path (catalog.json, a directory, or STAC Item files)")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(display(path), "(file)", f"is not JSON ({exc})",
                         "give a STAC Item, Collection or Catalog JSON file") from None
    if not isinstance(doc, dict) or doc.get("type") not in _STAC_TYPES or (
            doc.get("type") != "FeatureCollection" and "stac_version" not in doc):
        raise InputError(display(path), "type", "is not a STAC Item, Collection or Catalog",
                         "give STAC JSON (with 'type' and 'stac_version')")
    return doc


def walk_stac(path: Path, seen: set[Path], context: dict | None = None
              ) -> Iterator[tuple[Path, dict, dict]]:
    """Yield (file, item-or-container dict, context) for every STAC file reachable from `path`.

    Items yield their own dict; catalogs and collections yield themselves and then their
    children/items (relative links only). `context` carries the parent collection's providers.
    Files already in `seen` are skipped (and every file walked is added to it).
    """
    path = path.resolve()
    if path in seen:
        return
    seen.add(path)
    doc = _load_json(path)
    yield path, doc, context or {}
    if doc["type"] in ("Catalog", "Collection"):
        ctx = dict(context or {})
        if doc["type"] == "Collection" and doc.get("providers"):
            ctx["providers"] = doc["providers"]
        for link in doc.get("links", []):
            if link.get("rel") not in ("child", "item"):
                continue
            href = str(link.get("href", ""))
            if re.match(r"^[a-z][a-z0-9+.-]*://", href, re.I):
                raise InputError(display(path), "links", f"remote link {href!r}",
                                 "download the catalog and read the local copy")
            target = (path.parent / href)
            if not target.exists():
                raise InputError(display(path), "links", f"linked file {href!r} is missing",
                                 "restore the file or remove the link")
            yield from walk_stac(target, seen, ctx)


def _migrated(item: dict) -> dict:
    """The item upgraded to the current STAC version by pystac (0.8/0.9 names such as
    eo:gsd, eo:platform, eo:instrument become gsd, platform, instruments); as is if it fails."""
    doc = copy.deepcopy(item)
    doc.setdefault("stac_version", "1.0.0")
    doc.setdefault("links", [])
    doc.setdefault("assets", {})
    try:
        return migrate_to_latest(doc, identify_stac_object(doc))
    except Exception:  # noqa: BLE001 - an unusual item is read with the raw property names
        return doc


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
    polys = list(shapely.get_parts(geom))
    out = []
    for poly in polys:
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


# --------------------------------------------------------------------------------------------
# One item, one record: a function per field
# --------------------------------------------------------------------------------------------

def _item_datetime(props: dict, file: str, where: str) -> pd.Timestamp:
    """properties.datetime (else start_datetime), RFC 3339 with a zone, as UTC. Required."""
    stamp = props.get("datetime") or props.get("start_datetime")
    if not stamp:
        raise InputError(file, "datetime", f"{where} has no datetime",
                         "set properties.datetime to the acquisition time (RFC 3339, UTC)")
    stamp = str(stamp)
    if not re.search(TZ_SUFFIX, stamp):
        raise InputError(file, "datetime", f"{where} datetime {stamp!r} has no time zone",
                         "write the time in UTC with a trailing 'Z'")
    try:
        return pd.Timestamp(stamp).tz_convert("UTC")
    except ValueError:
        raise InputError(file, "datetime", f"{where} datetime {stamp!r} is not a date",
                         "write RFC 3339, e.g. 2023-09-01T01:23:45Z") from None


def _item_footprint(item: dict, file: str, where: str):
    """The item's geometry as a valid lon/lat (Multi)Polygon, split at the antimeridian.
    Required."""
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


def _item_platform(props: dict, file: str, where: str) -> str:
    """platform, else eo:platform, constellation, eo:constellation. Required."""
    platform = (props.get("platform") or props.get("eo:platform") or props.get("constellation")
                or props.get("eo:constellation"))
    if not platform:
        raise InputError(file, "platform", f"{where} has no platform",
                         "set properties.platform (e.g. 'sentinel-2a')")
    return str(platform)


def _item_sensor(props: dict, file: str, where: str) -> str:
    """instruments (else eo:instrument), a list or one name, joined with ','. Required."""
    instruments = props.get("instruments") or props.get("eo:instrument") or []
    if isinstance(instruments, str):
        instruments = [instruments]
    if not instruments:
        raise InputError(file, "instruments", f"{where} has no instruments",
                         "set properties.instruments (e.g. ['msi'])")
    return ",".join(str(i) for i in instruments)


def _item_provider(props: dict, context: dict) -> str | None:
    """The first named provider of the item, else of its collection; None without one."""
    providers = props.get("providers") or context.get("providers") or []
    return next((p.get("name") for p in providers if isinstance(p, dict) and p.get("name")),
                None)


def _item_number(props: dict, field: str, keys: tuple[str, ...], hi: float, file: str,
                 where: str) -> float:
    """The first of `keys` present, as a number in 0..hi; NaN when none is present."""
    raw = next((props[k] for k in keys if props.get(k) is not None), None)
    try:
        v = np.nan if raw is None else float(raw)
    except (TypeError, ValueError):
        v = -1.0
    if not np.isnan(v) and not 0 <= v <= hi:
        raise InputError(file, field, f"{where} {field} {raw!r} is not a number in 0..{hi}",
                         f"write properties.{field} as a number (cloud cover in percent)")
    return v


def _item_cloud_cover(props: dict, file: str, where: str) -> float:
    """eo:cloud_cover (else cloud_cover), percent 0..100; NaN (unknown) when absent."""
    return _item_number(props, "eo:cloud_cover", ("eo:cloud_cover", "cloud_cover"), 100,
                        file, where)


def _item_gsd(props: dict, file: str, where: str) -> float:
    """gsd (else eo:gsd), metres 0..100 000; NaN (unknown) when absent."""
    return _item_number(props, "gsd", ("gsd", "eo:gsd"), 10**5, file, where)


def item_record(item: dict, file: str, context: dict) -> dict:
    """One STAC Item (as a dict) as one row of the acquisitions table, plus `_file` (where it
    was read). `context` is the walk's (the parent collection's providers)."""
    item_id = item.get("id")
    if not item_id:
        raise InputError(file, "id", "an item has no id", "give every STAC Item its scene id")
    item = _migrated(item)
    props = item.get("properties") or {}
    where = f"item {item_id!r}"
    when = _item_datetime(props, file, where)
    footprint = _item_footprint(item, file, where)
    platform = _item_platform(props, file, where)
    sensor = _item_sensor(props, file, where)
    provider = _item_provider(props, context)
    cloud_cover = _item_cloud_cover(props, file, where)
    gsd = _item_gsd(props, file, where)
    return {
        "acq_id": str(item_id), "platform": platform,
        "sensor": sensor, "datetime": when,
        "cloud_cover": cloud_cover, "gsd_m": gsd,
        "provider": provider, "footprint": footprint, "_file": file,
    }


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------

def _start_files(path: Path) -> tuple[list[Path], bool]:
    """Where to start walking `path`, and whether a non-STAC file there is an error: a
    directory's catalog.json (strict), else every *.json below it (others skipped)."""
    if path.is_dir():
        if (path / "catalog.json").exists():
            return [path / "catalog.json"], True
        return sorted(path.rglob("*.json")), False
    return [path], True


def _records(paths: list[Path]) -> list[dict]:
    """Every item reachable from `paths` as a record (items reached twice read once)."""
    seen: set[Path] = set()
    records: list[dict] = []
    for path in paths:
        starts, strict = _start_files(path)
        for start in starts:
            try:
                walked = list(walk_stac(start, seen))
            except InputError as exc:
                if not strict and exc.field in ("type", "(file)"):
                    continue  # other JSON files in a walked directory
                raise
            for file, doc, ctx in walked:
                items = doc.get("features", []) if doc["type"] == "FeatureCollection" else (
                    [doc] if doc["type"] == "Feature" else [])
                records.extend(item_record(it, display(file), ctx) for it in items)
    return records


def _refuse_duplicate_ids(df: pd.DataFrame) -> None:
    """InputError when one scene id is in more than one item."""
    dup = df[df["acq_id"].duplicated(keep=False)]
    if len(dup):
        first = dup.iloc[0]
        raise InputError(first["_file"], "id",
                         f"scene id {first['acq_id']!r} appears in more than one item "
                         f"({', '.join(sorted(set(dup['_file'])))})",
                         "remove the duplicate item")


def read_acquisitions(path_or_paths: str | Path | Iterable[str | Path]) -> gpd.GeoDataFrame:
    """Read STAC acquisitions into the canonical "acquisitions" table (EPSG:4326).

    Accepts a catalog.json, a Collection, an Item, an ItemCollection, a directory (its
    catalog.json, or else every STAC *.json below it), or a list of these. Items reached twice
    are read once. Sorted by datetime, then acq_id.
    """
    if isinstance(path_or_paths, (str, Path)):
        paths = [Path(path_or_paths)]
    else:
        paths = [Path(p) for p in path_or_paths]
    if not paths:
        raise InputError("<no path>", "path", "no STAC file given",
                         "pass a catalog.json, a directory or STAC Item files")
    records = _records(paths)
    shown = ", ".join(display(p) for p in paths)
    if not records:
        raise InputError(shown, "path", "holds no STAC Items",
                         "point at a catalog or at Item files")
    df = pd.DataFrame(records)
    _refuse_duplicate_ids(df)
    df = df.sort_values(["datetime", "acq_id"], kind="stable")
    gdf = gpd.GeoDataFrame(df, geometry="footprint", crs="EPSG:4326")
    out = validate(gdf, "acquisitions", file=shown)
    return gpd.GeoDataFrame(out, geometry="footprint", crs="EPSG:4326")


def no_acquisitions() -> gpd.GeoDataFrame:
    """An empty acquisitions table (for an analysis without imagery)."""
    df = gpd.GeoDataFrame({c: pd.Series(dtype="str") for c in columns("acquisitions") if c != "footprint"},
                          geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    df = df.rename_geometry("footprint")
    df["datetime"] = pd.Series(dtype="datetime64[ns, UTC]")
    for c in ("cloud_cover", "gsd_m"):
        df[c] = pd.Series(dtype="float64")
    return df
