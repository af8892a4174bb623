"""Land: the coastline clip and the locator land (loading, checks), and what is measured on the
land a caller passes in: on land, distance to shore, crossing land.

Every measuring function takes the land explicitly (the run's coastline: the parameter set's
``inputs.coastline``, read with `load_land`); nothing falls back to the bundled clip. A land
set is turned once into a cached model keyed by its content: the union of its polygons, a
buffered copy for route clearance, and the shore cut into short pieces in a transverse
Mercator centred on the land's bounds (`measure.local_crs`), so metric work is right at any
latitude.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from shapely.geometry import LineString
from shapely.ops import substring

from .. import paths
from ..errors import InputError
from .measure import EARTH_RADIUS_M, GEOD, METRES_PER_NM, local_crs
from .shore import ShoreIndex

CLEARANCE_DEG = 0.0015                 # simplified routes keep this far from land (~120-165 m)
BERTH_ALLOWANCE_M = 200.0              # crosses_land ignores this much at each end of a line
SHORE_MAX_SEGMENT_DEG = 0.05           # longer shore segments are split before projecting
MAX_SCALE_ERROR = 1e-3                 # beyond this projected scale error, distances are geodesic
X_EXACT_M = EARTH_RADIUS_M * math.sqrt(2 * MAX_SCALE_ERROR)   # ~285 km from the central meridian
COASTLINE_COMMAND = "python -m helpers coastline --bbox W S E N --out FILE"
LOCATOR_COMMAND = "python -m helpers locator --bbox W S E N --out FILE"


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------

def _coast_fix(what: str) -> str:
    return (f"{what} with `{COASTLINE_COMMAND}` (`make coastline` for the bundled region) and "
            "set inputs.coastline to it")


def load_land(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """The land polygons of a coastline clip (columns gshhs_id, level, geometry; EPSG:4326).

    `path`: the parameter set's ``inputs.coastline``; None reads the bundled clip
    ``data/reference/coastline.gpkg`` (the reference scenario's region). The file is read once
    per path and modification time; a copy is returned, with ``attrs["file"]`` naming the file
    (errors about the land name it). Raises InputError if it is missing or unusable (not a
    GeoPackage, no land polygons, not lon/lat, other geometries, invalid polygons)."""
    p = paths.resolve(path) if path is not None else paths.REFERENCE / "coastline.gpkg"
    if not p.exists():
        raise InputError(paths.display(p), "file", "the coastline file does not exist",
                         _coast_fix("make it") + " (or pass the right path)")
    return _read_land(str(p), p.stat().st_mtime_ns).copy()


@lru_cache(maxsize=8)
def _read_land(p: str, mtime_ns: int) -> gpd.GeoDataFrame:
    name = paths.display(p)
    try:
        gdf = gpd.read_file(p)
    except Exception as exc:  # noqa: BLE001 - any reader failure is a bad input file
        raise InputError(name, "file", f"cannot be read as a GeoPackage ({exc})",
                         _coast_fix("regenerate it")) from exc
    if gdf.empty or gdf.geometry is None or gdf.geometry.is_empty.all():
        raise InputError(name, "geometry", "no land polygons", _coast_fix("make a clip that holds land"))
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise InputError(name, "geometry", f"CRS is {gdf.crs}, expected lon/lat (EPSG:4326)",
                         _coast_fix("write it in EPSG:4326, e.g. make it"))
    types = set(gdf.geom_type.dropna())
    if not types <= {"Polygon", "MultiPolygon"}:
        raise InputError(name, "geometry", f"unexpected geometry types {sorted(types)}: a "
                         "coastline holds land polygons", "keep only (multi)polygons of land, or "
                         + _coast_fix("make the clip"))
    if not gdf.geometry.is_valid.all():
        raise InputError(name, "geometry", "invalid polygons",
                         _coast_fix("regenerate it (it writes valid geometries)"))
    gdf.attrs["file"] = name
    return gdf


REGION_LAYERS = {"land": {"Polygon", "MultiPolygon"}, "borders": {"LineString", "MultiLineString"}}


def load_region_land(path: str | Path | None = None, layer: str = "land") -> gpd.GeoDataFrame:
    """Coarse land (layer "land": gshhs_id, level, geometry) or country borders (layer
    "borders": border_id, geometry) of the wider region, for the locator inset only.

    `path`: the parameter set's ``inputs.region_land``; None reads the bundled
    ``data/reference/region_land.gpkg`` (GSHHG low resolution, 30-50 N, 120-145 E; see its
    PROVENANCE file). Never use it for routing or distances: that is `load_land`. Raises
    InputError if the file is missing or unusable."""
    if layer not in REGION_LAYERS:
        raise ValueError(f"layer must be one of {sorted(REGION_LAYERS)}, not {layer!r}")
    p = paths.resolve(path) if path is not None else paths.REFERENCE / "region_land.gpkg"
    if not p.exists():
        raise InputError(paths.display(p), "file", "the region land file does not exist",
                         f"make it with `{LOCATOR_COMMAND}` (`make locator` for the bundled "
                         "region), pass the right path, or set inputs.region_land to null (the "
                         "locator then shows no land)")
    return _read_region(str(p), p.stat().st_mtime_ns, layer).copy()


@lru_cache(maxsize=8)
def _read_region(p: str, mtime_ns: int, layer: str) -> gpd.GeoDataFrame:
    name = paths.display(p)
    fix = f"regenerate it with `{LOCATOR_COMMAND}`"
    try:
        gdf = gpd.read_file(p, layer=layer)
    except Exception as exc:  # noqa: BLE001 - any reader failure is a bad input file
        raise InputError(name, layer, f"cannot be read as a GeoPackage layer ({exc})", fix) from exc
    if gdf.empty or gdf.geometry is None:
        raise InputError(name, layer, "no geometries", fix)
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise InputError(name, layer, f"CRS is {gdf.crs}, expected EPSG:4326", fix)
    types = set(gdf.geom_type)
    if not types <= REGION_LAYERS[layer]:
        raise InputError(name, layer, f"unexpected geometry types {sorted(types)}", fix)
    if not gdf.geometry.is_valid.all():
        raise InputError(name, layer, "invalid geometries", fix)
    gdf.attrs["file"] = name
    return gdf


def land_file(land) -> str:
    """The file a land set was read from (for error messages), or "the coastline"."""
    return getattr(land, "attrs", {}).get("file", "the coastline")


def suggest_bbox(lon, lat, margin: float = 0.5) -> tuple[float, float, float, float]:
    """A (W, S, E, N) box covering the points plus `margin` degrees, rounded outward to 0.1."""
    lon, lat = np.asarray(lon, dtype=float).ravel(), np.asarray(lat, dtype=float).ravel()
    w = max(-180.0, math.floor((lon.min() - margin) * 10) / 10)
    e = min(180.0, math.ceil((lon.max() + margin) * 10) / 10)
    s = max(-90.0, math.floor((lat.min() - margin) * 10) / 10)
    n = min(90.0, math.ceil((lat.max() + margin) * 10) / 10)
    return w, s, e, n


def coastline_command(bbox, out: str = "FILE") -> str:
    """The command that makes a coastline clip of `bbox`."""
    w, s, e, n = (f"{v:g}" for v in bbox)
    return f"python -m helpers coastline --bbox {w} {s} {e} {n} --out {out}"


# --------------------------------------------------------------------------------------------
# Land model (cached per land set)
# --------------------------------------------------------------------------------------------

@dataclass
class LandModel:
    union: object                  # shapely (Multi)Polygon, prepared, lon/lat
    buffered: object               # union buffered by CLEARANCE_DEG, prepared
    bounds: tuple[float, float, float, float]
    crs: str                       # local transverse Mercator centred on the bounds
    to_local: pyproj.Transformer
    from_local: pyproj.Transformer
    shore_tree: shapely.STRtree    # boundary pieces in local metres
    shore_pieces: np.ndarray
    shore_index: ShoreIndex | None = None   # their segments, for many points (built when first used)


def land_key(land) -> str:
    """A content hash of a land GeoDataFrame / GeoSeries / geometry (for caches)."""
    if land is None:
        raise ValueError("no land given: pass the run's coastline (helpers.geo.load_land(<inputs.coastline>))")
    if isinstance(land, (gpd.GeoDataFrame, gpd.GeoSeries)):
        geoms = np.asarray(land.geometry.values if isinstance(land, gpd.GeoDataFrame) else land.values)
    else:
        geoms = np.asarray([land])
    h = hashlib.sha1()
    for w in shapely.to_wkb(geoms):
        h.update(w)
    return h.hexdigest()


_MODELS: dict[str, LandModel] = {}


def model(land, caller: str = "this function") -> tuple[str, LandModel]:
    """The cached land model of `land` (a GeoDataFrame, GeoSeries or shapely geometry of land
    polygons in lon/lat) and its key. `land` is required: pass the run's coastline."""
    if land is None:
        raise ValueError(f"{caller} needs the land: pass the run's coastline "
                         "(helpers.geo.load_land(<inputs.coastline>))")
    key = land_key(land)
    if key not in _MODELS:
        geoms = land.geometry.values if isinstance(land, gpd.GeoDataFrame) else (
            land.values if isinstance(land, gpd.GeoSeries) else [land])
        union = shapely.union_all(np.asarray(geoms))
        if union.is_empty:
            raise InputError(land_file(land), "geometry", "no land polygons",
                             _coast_fix("make a clip that holds land"))
        buffered = shapely.buffer(union, CLEARANCE_DEG, quad_segs=4)
        shapely.prepare(union)
        shapely.prepare(buffered)
        bounds = tuple(union.bounds)
        crs = local_crs(bounds)
        to_local = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        from_local = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        # shore as short pieces in metres, so nearest-distance queries stay cheap; long
        # segments (the clip's straight edges) are split first, so that a piece's chord in the
        # projection stays on the line drawn in lon/lat
        rings = shapely.segmentize(shapely.get_rings(shapely.get_parts(union)),
                                   SHORE_MAX_SEGMENT_DEG)
        pieces = []
        for ring in rings:
            xy = shapely.get_coordinates(ring)
            mx, my = to_local.transform(xy[:, 0], xy[:, 1])
            pts = np.column_stack([mx, my])
            for i in range(0, len(pts) - 1, 32):
                pieces.append(shapely.linestrings(pts[i:i + 33]))
        pieces = np.asarray(pieces, dtype=object)
        _MODELS[key] = LandModel(union, buffered, bounds, crs, to_local, from_local,
                                 shapely.STRtree(pieces), pieces)
    return key, _MODELS[key]


# --------------------------------------------------------------------------------------------
# Measuring on the land
# --------------------------------------------------------------------------------------------

def on_land(lon, lat, land) -> np.ndarray:
    """True where (lon, lat) lies on `land` (inside or on the boundary); vectorised."""
    _, m = model(land, "on_land")
    lon, lat = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(shapely.intersects_xy(m.union, lon, lat))


def shore_distance_m(lon, lat, m: LandModel) -> np.ndarray:
    """Metres from each (lon, lat) (1-d arrays) to the nearest shore of model `m`, on land too.

    Nearest shore segment in the model's transverse Mercator (`shore.ShoreIndex`: a k-d tree
    picks the candidates, GEOS measures them; the points it leaves open go through the STRtree
    of shore pieces, `shore_distance_m_tree`, which gives the same numbers); the projected
    distance is used where the projection's scale error stays under MAX_SCALE_ERROR (within
    X_EXACT_M of its central meridian), else the geodesic distance (WGS84) to the nearest shore
    point found."""
    if m.shore_index is None:
        m.shore_index = ShoreIndex(m.shore_pieces)
    x, y = m.to_local.transform(lon, lat)
    dist, seg, pts = m.shore_index.nearest(x, y)
    found = seg >= 0
    if not found.all():
        rest = np.flatnonzero(~found)
        dist[rest] = shore_distance_m_tree(lon[rest], lat[rest], m)
    qi = np.flatnonzero(found)
    far = np.abs(x[qi]) + dist[qi] > X_EXACT_M
    if far.any():
        q = qi[far]
        foot = shapely.get_coordinates(shapely.get_point(
            shapely.shortest_line(m.shore_index.segments[seg[q]], pts[q]), 0))
        dist[q] = _geodesic_m(lon[q], lat[q], foot, m)
    return dist


def _geodesic_m(lon, lat, foot_xy, m: LandModel) -> np.ndarray:
    flon, flat = m.from_local.transform(foot_xy[:, 0], foot_xy[:, 1])
    _, _, d = GEOD.inv(lon, lat, flon, flat)
    return d


def shore_distance_m_tree(lon, lat, m: LandModel) -> np.ndarray:
    """`shore_distance_m` by the STRtree of shore pieces alone (nearest piece per point): the
    fallback of the fast path, and its reference in the tests."""
    x, y = m.to_local.transform(lon, lat)
    pts = shapely.points(x, y)
    (qi, pi), dist = m.shore_tree.query_nearest(pts, return_distance=True, all_matches=False)
    out = np.full(len(lon), np.nan)
    out[qi] = dist
    far = np.abs(x[qi]) + dist > X_EXACT_M
    if far.any():
        foot = shapely.get_coordinates(shapely.get_point(
            shapely.shortest_line(m.shore_pieces[pi[far]], pts[qi[far]]), 0))
        out[qi[far]] = _geodesic_m(lon[qi[far]], lat[qi[far]], foot, m)
    return out


def distance_to_shore_nm(lon, lat, land) -> np.ndarray:
    """Distance in nautical miles from each (lon, lat) to the nearest coast of `land`; 0 on land.

    Correct at any latitude (a transverse Mercator centred on the land, geodesic where its scale
    error would exceed 0.1%); vectorised, ~100k points in about a second. Points outside the
    coastline clip get the distance to the nearest coast inside it (and the clip's straight edges
    count as coast: give a clip that covers the area with a margin)."""
    _, m = model(land, "distance_to_shore_nm")
    lon, lat = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    shape = lon.shape
    lon, lat = lon.ravel(), lat.ravel()
    out = shore_distance_m(lon, lat, m) / METRES_PER_NM
    out[shapely.intersects_xy(m.union, lon, lat)] = 0.0
    return out.reshape(shape)


def crosses_land(line: LineString, land, allowance_m: float = BERTH_ALLOWANCE_M) -> bool:
    """True if any part of `line` lies on `land`, ignoring the first and last `allowance_m`
    metres (a berth point may sit on the digitised quay line or just inside it)."""
    _, m = model(land, "crosses_land")
    return crosses(line, m, allowance_m, allowance_m)


def crosses(line: LineString, m: LandModel, skip_start_m: float, skip_end_m: float) -> bool:
    """True if `line` meets the land of model `m` beyond its first `skip_start_m` and before its
    last `skip_end_m` metres."""
    xy = np.asarray(line.coords)
    if skip_start_m <= 0 and skip_end_m <= 0:
        return bool(shapely.intersects(m.union, line))
    mx, my = m.to_local.transform(xy[:, 0], xy[:, 1])
    lm = LineString(np.column_stack([mx, my]))
    if lm.length <= skip_start_m + skip_end_m:
        return False
    part = substring(lm, skip_start_m, lm.length - skip_end_m)
    pxy = np.asarray(part.coords)
    lon, lat = m.from_local.transform(pxy[:, 0], pxy[:, 1])
    return bool(shapely.intersects(m.union, LineString(np.column_stack([lon, lat]))))
