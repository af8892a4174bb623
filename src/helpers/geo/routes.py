"""Sea routes: shortest paths over water on a grid built from the land a caller passes in.

The land's bounding box (the coastline clip) is divided into cells of `grid_steps(bounds)`
degrees: ``GRID_DLAT`` (0.004 deg, about 445 m) north-south and, east-west, ``GRID_DLON``
(0.005 deg at the bundled clip's mid latitude 42.5 N, about 410 m) scaled by
cos(42.5 deg) / cos(mid latitude) and rounded to 0.0001 deg, so cells stay about 410 x 445 m at
any latitude (the bundled clip keeps exactly 0.005 x 0.004). A cell is water only if no land
touches it, so every step between two neighbouring water cells stays off land. Cells next to
land cost a little more (``NEAR_LAND_COST``), which keeps routes off the shore. Dijkstra on the
8-connected grid (diagonals only where both side cells are water, edge weight = geodesic step
length) gives a staircase path; it is then pulled taut: each vertex is joined to the furthest
later vertex it can see without coming within ``CLEARANCE_DEG`` of land. Start and end points
(berths, possibly a little inside a quay) are joined to the nearest usable water cell. The grid
and graph are built once per land set (about a second for the bundled clip) and cached.

A route, once found, is kept on disk (`build/cache/sea_routes/`, or $HELPERS_ROUTE_CACHE; "off"
keeps nothing) under a hash of its ends, the land's content, this package's source and the
versions of the libraries it uses, and read back exactly (float64 coordinates) by any later run
or process: a run's notebooks and the tests' many runs do not search the grid again. Deleting
the folder only costs time.

A route end outside the clip is an InputError naming the coastline file and the command that
makes a clip covering both ends (`python -m helpers coastline --bbox W S E N --out FILE`).
"""

from __future__ import annotations

import hashlib
import io
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyproj
import scipy
import shapely
from scipy import ndimage, sparse
from scipy.sparse import csgraph
from shapely.geometry import LineString

from .. import fileio, paths
from ..errors import InputError
from .land import (
    _MODELS,
    BERTH_ALLOWANCE_M,
    LandModel,
    coastline_command,
    crosses,
    land_file,
    land_key,
    model,
    suggest_bbox,
)
from .measure import GEOD, haversine_nm

GRID_DLON = 0.005                      # routing grid cell, degrees of longitude at GRID_LAT ...
GRID_DLAT = 0.004                      # ... and of latitude (~445 m everywhere)
GRID_LAT = 42.5                        # the latitude where GRID_DLON is ~410 m (bundled clip)
NEAR_LAND_COST = 1.3                   # cost factor of water cells next to a land cell


def grid_steps(bounds) -> tuple[float, float]:
    """(dlon, dlat) of the routing grid over land with `bounds` (lon_min, lat_min, lon_max,
    lat_max): cells of about 410 x 445 m at the bounds' mid latitude."""
    lat_c = (bounds[1] + bounds[3]) / 2
    ratio = math.cos(math.radians(GRID_LAT)) / max(math.cos(math.radians(lat_c)), 0.05)
    return round(GRID_DLON * ratio, 4), GRID_DLAT


@dataclass
class _Grid:
    lon0: float
    lat0: float
    dlon: float
    dlat: float
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
    dlon, dlat = grid_steps(m.bounds)
    nx = int(np.ceil((lon1 - lon0) / dlon))
    ny = int(np.ceil((lat1 - lat0) / dlat))
    # land-touched cells: cells whose centre is on land, plus cells any coast vertex falls in
    # (the coast is densified to a tenth of a cell first, so at most a sliver of a corner is missed)
    jj, ii = np.meshgrid(np.arange(nx), np.arange(ny))
    clon = lon0 + (jj + 0.5) * dlon
    clat = lat0 + (ii + 0.5) * dlat
    touched = shapely.intersects_xy(m.union, clon, clat)
    coast = shapely.segmentize(shapely.get_rings(shapely.get_parts(m.union)),
                               min(dlon, dlat) / 10)
    cxy = shapely.get_coordinates(coast)
    cj = np.floor((cxy[:, 0] - lon0) / dlon).astype(int)
    ci = np.floor((cxy[:, 1] - lat0) / dlat).astype(int)
    # a vertex exactly on a cell edge touches both cells
    ej = np.isclose((cxy[:, 0] - lon0) / dlon, np.round((cxy[:, 0] - lon0) / dlon))
    ei = np.isclose((cxy[:, 1] - lat0) / dlat, np.round((cxy[:, 1] - lat0) / dlat))
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
        _, _, dist = GEOD.inv(clon.ravel()[src], clat.ravel()[src],
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
    return _Grid(lon0, lat0, dlon, dlat, nx, ny, water, main, g, clon.ravel(), clat.ravel())


def _snap(pt: tuple[float, float], grid: _Grid, m: LandModel, name: str, file: str) -> int:
    """The grid cell a route starts from at `pt`: the nearest main-water cell joined to `pt`
    by a segment that is off land beyond its first BERTH_ALLOWANCE_M metres."""
    lon, lat = pt
    j = int(np.clip((lon - grid.lon0) // grid.dlon, 0, grid.nx - 1))
    i = int(np.clip((lat - grid.lat0) // grid.dlat, 0, grid.ny - 1))
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
            if not crosses(seg, m, BERTH_ALLOWANCE_M, 0.0):
                return int(c)
        return int(cand[order[0]])
    raise InputError(file, name, f"no open water near {pt}",
                     "check the point is at sea or at a berth")


def _pull_taut(xy: np.ndarray, m: LandModel) -> np.ndarray:
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
                if not crosses(line, m, BERTH_ALLOWANCE_M if i == 0 else 0.0,
                                BERTH_ALLOWANCE_M if j == n - 1 else 0.0):
                    nxt = int(j)
                    break
            elif ok:
                nxt = int(j)
                break
        keep.append(nxt)
        i = nxt
    return xy[keep]


def _check_inside(ends: dict, grid: _Grid, file: str) -> None:
    """InputError naming the coastline file and the command for a clip covering the ends, when
    an end lies outside the grid (the clip's bounds)."""
    lon1, lat1 = grid.lon0 + grid.nx * grid.dlon, grid.lat0 + grid.ny * grid.dlat
    for name, (lon, lat) in ends.items():
        if not (grid.lon0 <= lon <= lon1 and grid.lat0 <= lat <= lat1):
            xy = np.array(list(ends.values()))
            raise InputError(file, name, f"route {name} point ({lon:g}, {lat:g}) is outside the "
                             f"coastline clip (lon {grid.lon0:g} to {lon1:g}, lat {grid.lat0:g} "
                             f"to {lat1:g})", "make a coastline that covers both ends: "
                             f"`{coastline_command(suggest_bbox(xy[:, 0], xy[:, 1]))}`, then set "
                             "inputs.coastline to FILE")


@lru_cache(maxsize=1)
def _code_version() -> str:
    """What a stored route depends on besides its inputs: this package's source and libraries."""
    h = hashlib.sha256()
    for f in sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    for lib in (np, shapely, scipy, pyproj):
        h.update(f"{lib.__name__} {lib.__version__}\n".encode())
    return h.hexdigest()


def route_cache_file(start: tuple[float, float], end: tuple[float, float], land) -> Path | None:
    """Where the route from `start` to `end` over `land` is kept (None: $HELPERS_ROUTE_CACHE=off)."""
    folder = os.environ.get("HELPERS_ROUTE_CACHE", "")
    if folder == "off":
        return None
    key = hashlib.sha256(f"{_code_version()}|{land_key(land)}|{start!r}|{end!r}".encode()).hexdigest()
    return (Path(folder) if folder else paths.BUILD / "cache" / "sea_routes") / f"{key}.npy"


def sea_route(start: tuple[float, float], end: tuple[float, float], land) -> LineString:
    """The shortest path over water from `start` to `end`, both (lon, lat), as a LineString,
    over `land` (the run's coastline: helpers.geo.load_land(<inputs.coastline>)); read from the
    disk cache when this route was found before (`route_cache_file`)."""
    start = (float(start[0]), float(start[1]))
    end = (float(end[0]), float(end[1]))
    file = route_cache_file(start, end, land) if land is not None else None
    if file is not None and file.is_file():
        try:
            return LineString(np.load(file, allow_pickle=False))
        except (OSError, ValueError):        # a damaged file: search again and replace it
            pass
    route = find_sea_route(start, end, land)
    if file is not None:
        buf = io.BytesIO()
        np.save(buf, shapely.get_coordinates(route), allow_pickle=False)
        fileio.write_bytes(file, buf.getvalue())
    return route


def find_sea_route(start: tuple[float, float], end: tuple[float, float], land) -> LineString:
    """The shortest path over water from `start` to `end`, both (lon, lat), as a LineString,
    over `land` (the run's coastline: helpers.geo.load_land(<inputs.coastline>)).

    Deterministic. The path never crosses land except within BERTH_ALLOWANCE_M of its ends
    (berths on the quay line); `crosses_land(route, land)` is False. The first call per land set
    builds and caches the routing grid; later calls take a fraction of a second. An end outside
    the clip, or no way by sea inside it, is an InputError naming the coastline file and the
    command that makes a clip covering the ends.
    """
    key, m = model(land, "sea_route")
    file = land_file(land)
    grid = _grid(key)
    start = (float(start[0]), float(start[1]))
    end = (float(end[0]), float(end[1]))
    _check_inside({"start": start, "end": end}, grid, file)
    s, e = _snap(start, grid, m, "start", file), _snap(end, grid, m, "end", file)
    if s == e:
        cells = [s]
    else:
        dist, pred = csgraph.dijkstra(grid.graph, directed=True, indices=s,
                                      return_predecessors=True, min_only=False)
        if not np.isfinite(dist[e]):
            xy = np.array([start, end])
            raise InputError(file, "end", f"no sea route from {start} to {end} inside the "
                             "coastline clip", "check both points are at sea or at berths; if "
                             "the way by sea leaves the clip, make a larger one: "
                             f"`{coastline_command(suggest_bbox(xy[:, 0], xy[:, 1], 1.5))}`")
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
    if crosses(route, m, BERTH_ALLOWANCE_M, BERTH_ALLOWANCE_M):
        # cannot happen unless a land sliver cut a cell corner: keep the grid path instead
        route = LineString(xy)
    return route


