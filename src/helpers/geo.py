"""Geography: land, port geofences, distances and sea routes over water.

Land is the committed GSHHG clip ``data/reference/coastline.gpkg`` (see its PROVENANCE file);
port geofences are our own digitised approximations in ``data/reference/ports.geojson``.

Sea routes are shortest paths over a water grid: the clip's bounding box is divided into cells of
``GRID_DLON`` x ``GRID_DLAT`` degrees (about 410 x 440 m here); a cell is water only if no land
touches it, so every step between two neighbouring water cells stays off land. Cells next to
land cost a little more (``NEAR_LAND_COST``), which keeps routes off the shore. Dijkstra on the
8-connected grid (diagonals only where both side cells are water, edge weight = geodesic step
length) gives a staircase path; it is then pulled taut: each vertex is joined to the furthest
later vertex it can see without coming within ``CLEARANCE_DEG`` of land. Start and end points
(berths, possibly a little inside a quay) are joined to the nearest usable water cell. The grid
and graph are built once per land set (about a second) and cached.

All coordinates are (lon, lat) in EPSG:4326 unless a name says otherwise.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from scipy import ndimage, sparse
from scipy.sparse import csgraph
from shapely.geometry import LineString
from shapely.ops import substring

from . import paths
from .errors import InputError

EARTH_RADIUS_NM = 6371.0088 / 1.852    # IUGG mean Earth radius in nautical miles
METRES_PER_NM = 1852.0
GRID_DLON = 0.005                      # routing grid cell, degrees of longitude (~410 m at 42.5 N)
GRID_DLAT = 0.004                      # ... degrees of latitude (~445 m)
NEAR_LAND_COST = 1.3                   # cost factor of water cells next to a land cell
CLEARANCE_DEG = 0.0015                 # simplified routes keep this far from land (~120-165 m)
BERTH_ALLOWANCE_M = 200.0              # crosses_land ignores this much at each end of a line
# Local transverse Mercator for metric work over the clip (scale error < 0.1% within it).
LOCAL_CRS = "+proj=tmerc +lat_0=42.5 +lon_0=131.75 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m"

PORT_COLUMNS = ["port", "country", "role", "berth_lon", "berth_lat", "anchorage_lon",
                "anchorage_lat", "note", "approximation"]
ROLES = {"origin", "destination", "other"}

_GEOD = pyproj.Geod(ellps="WGS84")
_TO_LOCAL = pyproj.Transformer.from_crs("EPSG:4326", LOCAL_CRS, always_xy=True)
_FROM_LOCAL = pyproj.Transformer.from_crs(LOCAL_CRS, "EPSG:4326", always_xy=True)


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------

def load_land(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """The land polygons (columns gshhs_id, level, geometry; EPSG:4326).

    `path` defaults to ``data/reference/coastline.gpkg``. The file is read once per path and
    modification time; a copy is returned. Raises InputError if it is missing or unusable.
    """
    p = paths.resolve(path) if path is not None else paths.REFERENCE / "coastline.gpkg"
    if not p.exists():
        raise InputError(paths.display(p), "file", "the coastline file does not exist",
                         "run `make coastline` (scripts/make_coastline.py) or pass the right path")
    return _read_land(str(p), p.stat().st_mtime_ns).copy()


@lru_cache(maxsize=8)
def _read_land(p: str, mtime_ns: int) -> gpd.GeoDataFrame:
    name = paths.display(p)
    try:
        gdf = gpd.read_file(p)
    except Exception as exc:  # noqa: BLE001 - any reader failure is a bad input file
        raise InputError(name, "file", f"cannot be read as a GeoPackage ({exc})",
                         "regenerate it with `make coastline`") from exc
    if gdf.empty or gdf.geometry is None:
        raise InputError(name, "geometry", "no land polygons", "regenerate it with `make coastline`")
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise InputError(name, "geometry", f"CRS is {gdf.crs}, expected EPSG:4326",
                         "regenerate it with `make coastline`")
    types = set(gdf.geom_type)
    if not types <= {"Polygon", "MultiPolygon"}:
        raise InputError(name, "geometry", f"unexpected geometry types {sorted(types)}",
                         "keep only (multi)polygons of land")
    if not gdf.geometry.is_valid.all():
        raise InputError(name, "geometry", "invalid polygons",
                         "regenerate it with `make coastline` (it writes valid geometries)")
    return gdf


REGION_LAYERS = {"land": {"Polygon", "MultiPolygon"}, "borders": {"LineString", "MultiLineString"}}


def load_region_land(path: str | Path | None = None, layer: str = "land") -> gpd.GeoDataFrame:
    """Coarse land (layer "land": gshhs_id, level, geometry) or country borders (layer
    "borders": border_id, geometry) of the wider region, for the locator inset only.

    `path` defaults to ``data/reference/region_land.gpkg`` (GSHHG low resolution, about
    30-50 N, 120-145 E; see its PROVENANCE file). Never use it for routing or distances: that
    is `load_land`. Raises InputError if the file is missing or unusable."""
    if layer not in REGION_LAYERS:
        raise ValueError(f"layer must be one of {sorted(REGION_LAYERS)}, not {layer!r}")
    p = paths.resolve(path) if path is not None else paths.REFERENCE / "region_land.gpkg"
    if not p.exists():
        raise InputError(paths.display(p), "file", "the region land file does not exist",
                         "run `python3 scripts/make_locator.py`, pass the right path, or set "
                         "inputs.region_land to null (the locator then shows no land)")
    return _read_region(str(p), p.stat().st_mtime_ns, layer).copy()


@lru_cache(maxsize=8)
def _read_region(p: str, mtime_ns: int, layer: str) -> gpd.GeoDataFrame:
    name = paths.display(p)
    fix = "regenerate it with `python3 scripts/make_locator.py`"
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
    return gdf


def load_ports(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """The port geofences, one row per port, with the columns of ``PORT_COLUMNS`` + geometry.

    `path` defaults to ``data/reference/ports.geojson``. Checks required properties, roles,
    valid polygons, unique port names, and that each berth point lies inside its polygon;
    problems raise InputError naming the file, the field and the fix.
    """
    p = paths.resolve(path) if path is not None else paths.REFERENCE / "ports.geojson"
    name = paths.display(p)
    if not p.is_file():
        raise InputError(name, "file", "the port geofence file does not exist (or is a folder)",
                         "pass the path of a GeoJSON FeatureCollection of port polygons")
    try:
        gdf = gpd.read_file(p)
    except Exception as exc:  # noqa: BLE001
        raise InputError(name, "file", f"cannot be read as GeoJSON ({exc})",
                         "fix the JSON syntax (one Feature per port)") from exc
    if gdf.empty:
        raise InputError(name, "features", "the file holds no port", "give one Feature per port")
    missing = [c for c in PORT_COLUMNS if c not in gdf.columns]
    if missing:
        raise InputError(name, missing[0], f"required properties missing: {missing}",
                         f"give every feature the properties {PORT_COLUMNS}")
    for c in PORT_COLUMNS:
        if gdf[c].isna().any():
            bad = gdf.loc[gdf[c].isna(), "port"].tolist()
            raise InputError(name, c, f"empty for feature(s) {bad}", f"fill in '{c}'")
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        raise InputError(name, "crs", f"CRS is {gdf.crs}", "use lon/lat (EPSG:4326)")
    gdf = gdf.set_crs("EPSG:4326", allow_override=True)
    dup = gdf.loc[gdf["port"].duplicated(), "port"].tolist()
    if dup:
        raise InputError(name, "port", f"duplicate port names {dup}", "give each port one feature")
    bad_role = sorted(set(gdf["role"]) - ROLES)
    if bad_role:
        raise InputError(name, "role", f"unknown roles {bad_role}", f"use one of {sorted(ROLES)}")
    num = ["berth_lon", "berth_lat", "anchorage_lon", "anchorage_lat"]
    for c in num:
        vals = pd.to_numeric(gdf[c], errors="coerce")
        if vals.isna().any():
            raise InputError(name, c, "not a number", f"write '{c}' as decimal degrees")
        gdf[c] = vals.astype(float)
    if not (gdf.geom_type == "Polygon").all():
        raise InputError(name, "geometry", "every feature must be a Polygon",
                         "draw one Polygon per port")
    b = gdf.geometry.bounds
    outside = (b["minx"] < -180) | (b["maxx"] > 180) | (b["miny"] < -90) | (b["maxy"] > 90)
    if outside.any():
        raise InputError(name, "geometry", f"coordinates outside lon -180..180, lat -90..90 for "
                         f"{gdf.loc[outside, 'port'].tolist()}",
                         "give lon/lat in degrees (EPSG:4326), longitude first")
    invalid = gdf.loc[~gdf.geometry.is_valid, "port"].tolist()
    if invalid:
        raise InputError(name, "geometry", f"invalid polygon(s) for {invalid}",
                         "redraw the polygon without self-intersections")
    inside = shapely.contains_xy(gdf.geometry.values, gdf["berth_lon"], gdf["berth_lat"])
    if not inside.all():
        bad = gdf.loc[~inside, "port"].tolist()
        raise InputError(name, "berth_lon/berth_lat", f"berth point outside the fence for {bad}",
                         "move the berth point inside the polygon (or redraw the polygon)")
    return gdf[PORT_COLUMNS + ["geometry"]].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Distances
# --------------------------------------------------------------------------------------------

def haversine_nm(lat1, lon1, lat2, lon2):
    """Great-circle distance in nautical miles (spherical Earth, mean radius); vectorised.

    Arguments are degrees, numpy arrays (broadcast) or scalars; a scalar in gives a float out.
    """
    la1, lo1, la2, lo2 = (np.radians(np.asarray(a, dtype=float)) for a in (lat1, lon1, lat2, lon2))
    h = (np.sin((la2 - la1) / 2) ** 2
         + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2)
    d = 2 * EARTH_RADIUS_NM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return float(d) if np.ndim(d) == 0 else d


def length_nm(line: LineString) -> float:
    """Geodesic (WGS84) length of a (lon, lat) line in nautical miles."""
    return float(_GEOD.geometry_length(line)) / METRES_PER_NM


# --------------------------------------------------------------------------------------------
# Land model (cached per land set)
# --------------------------------------------------------------------------------------------

@dataclass
class _Land:
    union: object                  # shapely (Multi)Polygon, prepared, lon/lat
    buffered: object               # union buffered by CLEARANCE_DEG, prepared
    bounds: tuple[float, float, float, float]
    shore_tree: shapely.STRtree    # boundary pieces in LOCAL_CRS metres
    shore_pieces: np.ndarray


def _land_key(land) -> str:
    """A content hash of a land GeoDataFrame / GeoSeries / geometry."""
    if isinstance(land, (gpd.GeoDataFrame, gpd.GeoSeries)):
        geoms = np.asarray(land.geometry.values if isinstance(land, gpd.GeoDataFrame) else land.values)
    else:
        geoms = np.asarray([land])
    h = hashlib.sha1()
    for w in shapely.to_wkb(geoms):
        h.update(w)
    return h.hexdigest()


_MODELS: dict[str, _Land] = {}


def _model(land=None) -> tuple[str, _Land]:
    """The cached land model for `land` (None = the default coastline) and its key."""
    if land is None:
        land = load_land()
    key = _land_key(land)
    if key not in _MODELS:
        geoms = land.geometry.values if isinstance(land, gpd.GeoDataFrame) else (
            land.values if isinstance(land, gpd.GeoSeries) else [land])
        union = shapely.union_all(np.asarray(geoms))
        buffered = shapely.buffer(union, CLEARANCE_DEG, quad_segs=4)
        shapely.prepare(union)
        shapely.prepare(buffered)
        # shore as short pieces in metres, so nearest-distance queries stay cheap
        rings = shapely.get_rings(shapely.get_parts(union))
        pieces = []
        for ring in rings:
            xy = shapely.get_coordinates(ring)
            mx, my = _TO_LOCAL.transform(xy[:, 0], xy[:, 1])
            pts = np.column_stack([mx, my])
            for i in range(0, len(pts) - 1, 32):
                pieces.append(shapely.linestrings(pts[i:i + 33]))
        pieces = np.asarray(pieces, dtype=object)
        _MODELS[key] = _Land(union, buffered, tuple(union.bounds), shapely.STRtree(pieces), pieces)
    return key, _MODELS[key]


def on_land(lon, lat, land=None) -> np.ndarray:
    """True where (lon, lat) lies on land (inside or on the boundary); vectorised."""
    _, m = _model(land)
    lon, lat = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(shapely.intersects_xy(m.union, lon, lat))


def distance_to_shore_nm(lon, lat, land=None) -> np.ndarray:
    """Distance in nautical miles from each (lon, lat) to the nearest coast; 0 on land.

    Vectorised (STRtree nearest query in a local metric projection); ~100k points in about a
    second. Points outside the coastline clip get the distance to the nearest coast inside it.
    """
    _, m = _model(land)
    lon, lat = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    shape = lon.shape
    lon, lat = lon.ravel(), lat.ravel()
    x, y = _TO_LOCAL.transform(lon, lat)
    pts = shapely.points(x, y)
    idx, dist = m.shore_tree.query_nearest(pts, return_distance=True, all_matches=False)
    out = np.full(lon.shape, np.nan)
    out[idx[0]] = dist
    out = out / METRES_PER_NM
    out[shapely.intersects_xy(m.union, lon, lat)] = 0.0
    return out.reshape(shape)


def crosses_land(line: LineString, land=None, allowance_m: float = BERTH_ALLOWANCE_M) -> bool:
    """True if any part of `line` lies on land, ignoring the first and last `allowance_m`
    metres (a berth point may sit on the digitised quay line or just inside it)."""
    _, m = _model(land)
    return _crosses(line, m.union, allowance_m, allowance_m)


def _crosses(line: LineString, geom, skip_start_m: float, skip_end_m: float) -> bool:
    xy = np.asarray(line.coords)
    if skip_start_m <= 0 and skip_end_m <= 0:
        return bool(shapely.intersects(geom, line))
    mx, my = _TO_LOCAL.transform(xy[:, 0], xy[:, 1])
    lm = LineString(np.column_stack([mx, my]))
    if lm.length <= skip_start_m + skip_end_m:
        return False
    part = substring(lm, skip_start_m, lm.length - skip_end_m)
    pxy = np.asarray(part.coords)
    lon, lat = _FROM_LOCAL.transform(pxy[:, 0], pxy[:, 1])
    return bool(shapely.intersects(geom, LineString(np.column_stack([lon, lat]))))


# --------------------------------------------------------------------------------------------
# Routing grid
# --------------------------------------------------------------------------------------------

@dataclass
class _Grid:
    lon0: float
    lat0: float
    nx: int
    ny: int
    water: np.ndarray         # (ny, nx) bool
    main: np.ndarray          # (ny, nx) bool: water cells in the largest connected component
    graph: sparse.csr_matrix  # weights in metres
    cell_lon: np.ndarray      # (ny*nx,) cell centre lon
    cell_lat: np.ndarray


@lru_cache(maxsize=4)
def _grid(key: str) -> _Grid:
    m = _MODELS[key]
    lon0, lat0, lon1, lat1 = m.bounds
    nx = int(np.ceil((lon1 - lon0) / GRID_DLON))
    ny = int(np.ceil((lat1 - lat0) / GRID_DLAT))
    # land-touched cells: cells whose centre is on land, plus cells any coast vertex falls in
    # (the coast is densified to a tenth of a cell first, so at most a sliver of a corner is missed)
    jj, ii = np.meshgrid(np.arange(nx), np.arange(ny))
    clon = lon0 + (jj + 0.5) * GRID_DLON
    clat = lat0 + (ii + 0.5) * GRID_DLAT
    touched = shapely.intersects_xy(m.union, clon, clat)
    coast = shapely.segmentize(shapely.get_rings(shapely.get_parts(m.union)),
                               min(GRID_DLON, GRID_DLAT) / 10)
    cxy = shapely.get_coordinates(coast)
    cj = np.floor((cxy[:, 0] - lon0) / GRID_DLON).astype(int)
    ci = np.floor((cxy[:, 1] - lat0) / GRID_DLAT).astype(int)
    # a vertex exactly on a cell edge touches both cells
    ej = np.isclose((cxy[:, 0] - lon0) / GRID_DLON, np.round((cxy[:, 0] - lon0) / GRID_DLON))
    ei = np.isclose((cxy[:, 1] - lat0) / GRID_DLAT, np.round((cxy[:, 1] - lat0) / GRID_DLAT))
    for dj, di, sel in ((0, 0, slice(None)), (-1, 0, ej), (0, -1, ei), (-1, -1, ej & ei)):
        a, b = ci[sel] + di, cj[sel] + dj
        ok = (a >= 0) & (a < ny) & (b >= 0) & (b < nx)
        touched[a[ok], b[ok]] = True
    water = ~touched

    near = ndimage.binary_dilation(touched, structure=np.ones((3, 3), bool)) & water
    factor = np.where(near, NEAR_LAND_COST, 1.0).ravel()
    ids = np.arange(nx * ny).reshape(ny, nx)

    rows, cols, wts = [], [], []
    # half the neighbourhood (E, N, NE, NW); the graph is made symmetric below
    for di, dj in ((0, 1), (1, 0), (1, 1), (1, -1)):
        def at(arr: np.ndarray, si: int, sj: int, di=di, dj=dj) -> np.ndarray:
            """arr[i + si, j + sj] for every source cell (i, j) whose neighbour is in the grid."""
            return arr[max(0, -di) + si:ny - max(0, di) + si, max(0, -dj) + sj:nx - max(0, dj) + sj]

        ok = at(water, 0, 0) & at(water, di, dj)
        if di and dj:  # diagonal: only where both side cells are water (no corner cutting)
            ok &= at(water, di, 0) & at(water, 0, dj)
        src, dst = at(ids, 0, 0)[ok], at(ids, di, dj)[ok]
        _, _, dist = _GEOD.inv(clon.ravel()[src], clat.ravel()[src],
                               clon.ravel()[dst], clat.ravel()[dst])
        rows.append(src)
        cols.append(dst)
        wts.append(dist * (factor[src] + factor[dst]) / 2)
    r, c, w = np.concatenate(rows), np.concatenate(cols), np.concatenate(wts)
    n = nx * ny
    g = sparse.coo_matrix((np.r_[w, w], (np.r_[r, c], np.r_[c, r])), shape=(n, n)).tocsr()

    ncomp, labels = csgraph.connected_components(g, directed=False)
    counts = np.bincount(labels[water.ravel()], minlength=ncomp)
    main = (labels == np.argmax(counts)).reshape(ny, nx) & water
    return _Grid(lon0, lat0, nx, ny, water, main, g, clon.ravel(), clat.ravel())


def _snap(pt: tuple[float, float], grid: _Grid, m: _Land, name: str) -> int:
    """The grid cell a route starts from at `pt`: the nearest main-water cell joined to `pt`
    by a segment that is off land beyond its first BERTH_ALLOWANCE_M metres."""
    lon, lat = pt
    if not (grid.lon0 <= lon <= grid.lon0 + grid.nx * GRID_DLON
            and grid.lat0 <= lat <= grid.lat0 + grid.ny * GRID_DLAT):
        raise InputError("coastline.gpkg", name, f"point {pt} is outside the coastline clip",
                         "route only between points inside the clip (see coastline.PROVENANCE.md)")
    j = int(np.clip((lon - grid.lon0) // GRID_DLON, 0, grid.nx - 1))
    i = int(np.clip((lat - grid.lat0) // GRID_DLAT, 0, grid.ny - 1))
    for r in (10, 30, 100):  # search windows, in cells
        i0, i1, j0, j1 = max(0, i - r), min(grid.ny, i + r + 1), max(0, j - r), min(grid.nx, j + r + 1)
        sub = grid.main[i0:i1, j0:j1]
        if not sub.any():
            continue
        ii, jj = np.nonzero(sub)
        cand = (ii + i0) * grid.nx + (jj + j0)
        d = haversine_nm(lat, lon, grid.cell_lat[cand], grid.cell_lon[cand])
        order = np.lexsort((cand, d))
        for k in order[:200]:
            c = cand[k]
            seg = LineString([pt, (grid.cell_lon[c], grid.cell_lat[c])])
            if not _crosses(seg, m.union, BERTH_ALLOWANCE_M, 0.0):
                return int(c)
        return int(cand[order[0]])
    raise InputError("coastline.gpkg", name, f"no open water near {pt}",
                     "check the point is at sea or at a berth")


def _pull_taut(xy: np.ndarray, m: _Land) -> np.ndarray:
    """Drop vertices of a grid path while no segment comes within CLEARANCE_DEG of land.

    Segments that start at the first vertex or end at the last (berth connectors) are only
    checked against land itself, beyond BERTH_ALLOWANCE_M of the berth.
    """
    n = len(xy)
    keep = [0]
    i = 0
    while i < n - 1:
        j_all = np.arange(n - 1, i, -1)
        lines = shapely.linestrings(np.stack([np.repeat(xy[i:i + 1], len(j_all), 0), xy[j_all]], 1))
        clear = ~shapely.intersects(m.buffered, lines)
        nxt = i + 1
        for j, ok, line in zip(j_all, clear, lines):
            if i == 0 or j == n - 1:
                if not _crosses(line, m.union, BERTH_ALLOWANCE_M if i == 0 else 0.0,
                                BERTH_ALLOWANCE_M if j == n - 1 else 0.0):
                    nxt = int(j)
                    break
            elif ok:
                nxt = int(j)
                break
        keep.append(nxt)
        i = nxt
    return xy[keep]


def sea_route(start: tuple[float, float], end: tuple[float, float], land=None) -> LineString:
    """The shortest path over water from `start` to `end`, both (lon, lat), as a LineString.

    Deterministic. The path never crosses land except within BERTH_ALLOWANCE_M of its ends
    (berths on the quay line); `crosses_land(route)` is False. The first call per land set
    builds and caches the routing grid; later calls take a fraction of a second.
    """
    key, m = _model(land)
    grid = _grid(key)
    start = (float(start[0]), float(start[1]))
    end = (float(end[0]), float(end[1]))
    s, e = _snap(start, grid, m, "start"), _snap(end, grid, m, "end")
    if s == e:
        cells = [s]
    else:
        dist, pred = csgraph.dijkstra(grid.graph, directed=True, indices=s,
                                      return_predecessors=True, min_only=False)
        if not np.isfinite(dist[e]):
            raise InputError("coastline.gpkg", "end", f"no sea route from {start} to {end}",
                             "check both points are at sea or at berths")
        cells = [e]
        while cells[-1] != s:
            cells.append(int(pred[cells[-1]]))
        cells.reverse()
    xy = np.column_stack([grid.cell_lon[cells], grid.cell_lat[cells]])
    xy = np.vstack([start, xy, end])
    taut = _pull_taut(xy, m)
    if len(taut) == 1:
        taut = np.vstack([taut, taut])
    route = LineString(taut)
    if _crosses(route, m.union, BERTH_ALLOWANCE_M, BERTH_ALLOWANCE_M):
        # cannot happen unless a land sliver cut a cell corner: keep the grid path instead
        route = LineString(xy)
    return route


__all__ = ["load_land", "load_ports", "haversine_nm", "sea_route", "length_nm", "crosses_land",
           "distance_to_shore_nm", "on_land", "PORT_COLUMNS"]
