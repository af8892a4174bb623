"""Image chips: a small crop of a raster scene around a berth or a point, north up, in metres.

`read_chip(href, lon, lat, half_m)` opens a GeoTIFF / COG (a local path, or the href of a STAC
item's asset resolved by `raster_assets`) with rasterio and reads only the window around the
point (a windowed read: a chip of a 1 GB scene reads a few hundred KB). The chip is returned in
a projected CRS with north up, so a card can draw it with a scale bar in metres:

- a projected raster whose pixel grid is north-up (no rotation, rows running south) is read as
  it is, in its own CRS;
- a rotated or south-up grid is warped north-up in its own CRS (rasterio's WarpedVRT);
- a raster in geographic coordinates (degrees) is warped to the UTM zone of the point, at the
  raster's resolution in metres.

A raster without a CRS can only be read with the point in the raster's own coordinates
(`point_crs=None`). Nothing is downloaded: an asset that is a URL raises InputError unless
`allow_remote=True` (then GDAL reads the window over HTTP).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..paths import display
from .walk import walk_stac

RASTER_MEDIA = ("image/tiff", "image/x.geotiff", "image/vnd.stac.geotiff", "application/x-geotiff")
RASTER_SUFFIXES = (".tif", ".tiff")
ROLE_ORDER = ("visual", "data", "overview")   # preferred asset roles, best first


@dataclass
class Chip:
    """A north-up crop. `rgb`: (rows, cols, 3) uint8 for display; `data`: the bands as read
    (bands, rows, cols); `extent`: (left, right, bottom, top) in `crs` (metres); `centre`: the
    requested point in `crs`; `res_m`: pixel size; `meta`: source, tags, window, the raster's
    bounds in `crs` (left, bottom, right, top), reprojection."""
    rgb: np.ndarray
    data: np.ndarray
    extent: tuple[float, float, float, float]
    crs: str
    centre: tuple[float, float]
    res_m: float
    meta: dict = field(default_factory=dict)

    @property
    def simulated(self) -> bool:
        """The raster says it is simulated (tag SIMULATED, or its description says so)."""
        tags = self.meta.get("tags", {})
        text = " ".join(str(tags.get(k, "")) for k in ("SIMULATED", "TIFFTAG_IMAGEDESCRIPTION"))
        return str(tags.get("SIMULATED", "")).lower() in ("yes", "true", "1") or "SIMULATED" in text

    def xy(self, lon, lat):
        """Longitudes and latitudes (EPSG:4326) in the chip's CRS."""
        from pyproj import Transformer
        t = Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        return t.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))


def _is_url(href: str) -> bool:
    return "://" in href and not href.startswith("file://")


def utm_crs(lon: float, lat: float) -> str:
    """The WGS 84 UTM zone of a point, as 'EPSG:326zz' (north) or 'EPSG:327zz' (south)."""
    zone = int((lon + 180.0) // 6.0) % 60 + 1
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


def _to_uint8(data: np.ndarray, nodata) -> np.ndarray:
    """Display bands: 3 bands (or the first band, grey) as uint8; other types stretched 2-98%."""
    bands = data[:3] if data.shape[0] >= 3 else np.repeat(data[:1], 3, axis=0)
    if bands.dtype == np.uint8:
        out = bands
    else:
        valid = bands if nodata is None else bands[bands != nodata]
        lo, hi = (np.percentile(valid, [2, 98]) if valid.size else (0.0, 1.0))
        out = np.clip((bands.astype(float) - lo) / ((hi - lo) or 1.0) * 255, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.moveaxis(out, 0, -1))


def _read_window(ds, x: float, y: float, half: float, fill) -> tuple[np.ndarray, tuple, tuple]:
    """The pixels of `ds` (north-up) within `half` of (x, y), padded with `fill` outside the
    raster; returns (data, extent, window as (col, row, width, height))."""
    t = ds.transform
    col0 = math.floor((x - half - t.c) / t.a)
    col1 = math.ceil((x + half - t.c) / t.a)
    row0 = math.floor((y + half - t.f) / t.e)
    row1 = math.ceil((y - half - t.f) / t.e)
    w, h = col1 - col0, row1 - row0
    out = np.full((ds.count, h, w), fill, dtype=ds.dtypes[0])
    c0, c1 = max(col0, 0), min(col1, ds.width)
    r0, r1 = max(row0, 0), min(row1, ds.height)
    if c1 > c0 and r1 > r0:
        from rasterio.windows import Window
        out[:, r0 - row0:r1 - row0, c0 - col0:c1 - col0] = ds.read(window=Window(c0, r0, c1 - c0, r1 - r0))
    left, top = t.c + col0 * t.a, t.f + row0 * t.e
    return out, (left, left + w * t.a, top + h * t.e, top), (col0, row0, w, h)


def read_chip(href: str | Path, lon: float, lat: float, half_m: float = 150.0, *,
              point_crs: str | None = "EPSG:4326", allow_remote: bool = False) -> Chip:
    """Read the chip of `half_m` metres around (`lon`, `lat`) (module docstring).

    href: a local path or URL of a GeoTIFF / COG. point_crs: the CRS of the point (None: the
    raster's own coordinates, for rasters without a CRS). Pixels outside the raster are the
    raster's nodata (0 when it has none) and flagged in meta['outside_share'].
    """
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.vrt import WarpedVRT

    href = str(href)
    shown = href if _is_url(href) else display(href)
    if _is_url(href) and not allow_remote:
        raise InputError(shown, "href", "is a URL; nothing is downloaded",
                         "download the scene and point the STAC asset at the local copy")
    if not _is_url(href) and not Path(href.removeprefix("file://")).is_file():
        raise InputError(shown, "href", "raster file not found", "check the asset's href")
    try:
        src = rasterio.open(href.removeprefix("file://"))
    except rasterio.errors.RasterioIOError as exc:
        raise InputError(shown, "href", f"not a raster rasterio can read ({exc})",
                         "give a GeoTIFF or Cloud-Optimised GeoTIFF") from exc
    with src:
        if src.crs is None and point_crs is not None:
            raise InputError(shown, "crs", "the raster has no coordinate reference system",
                             "georeference it, or give the point in its own coordinates (point_crs=None)")
        t = src.transform
        north_up = t.b == 0 and t.d == 0 and t.a > 0 and t.e < 0
        geographic = src.crs is not None and src.crs.is_geographic
        dst_crs = utm_crs(lon, lat) if geographic else src.crs
        if point_crs is None:
            x, y = float(lon), float(lat)
        else:
            from pyproj import Transformer
            x, y = Transformer.from_crs(point_crs, dst_crs, always_xy=True).transform(lon, lat)
        if north_up and not geographic:
            ds, warped = src, None
        else:
            warped = WarpedVRT(src, crs=dst_crs, resampling=Resampling.nearest) if src.crs \
                else WarpedVRT(src, resampling=Resampling.nearest)
            ds = warped
        try:
            fill = src.nodata if src.nodata is not None else 0
            data, extent, window = _read_window(ds, x, y, half_m, fill)
            res = abs(ds.transform.a)
            bounds = tuple(float(v) for v in ds.bounds)
        finally:
            if warped is not None:
                warped.close()
        inside = np.ones(data.shape[1:], dtype=bool) if src.nodata is None else (data != src.nodata).any(axis=0)
        meta = dict(source=shown, driver=src.driver, tags=dict(src.tags()),
                    src_crs=None if src.crs is None else src.crs.to_string(), window=window,
                    raster_bounds=bounds,
                    reprojected=bool(geographic), north_up_warped=bool(not north_up),
                    nodata=src.nodata, outside_share=float(1 - inside.mean()) if inside.size else 1.0)
        crs = dst_crs.to_string() if hasattr(dst_crs, "to_string") else (dst_crs or "")
    return Chip(rgb=_to_uint8(data, src.nodata), data=data, extent=extent, crs=crs,
                centre=(float(x), float(y)), res_m=float(res), meta=meta)


def _raster_asset(assets: dict) -> dict | None:
    """The item's image asset: GeoTIFF by media type or file suffix, by role visual > data."""
    found = []
    for key, a in sorted((assets or {}).items()):
        if not isinstance(a, dict) or not a.get("href"):
            continue
        media = str(a.get("type", "")).split(";")[0].strip().lower()
        if media in RASTER_MEDIA or str(a["href"]).lower().endswith(RASTER_SUFFIXES):
            roles = a.get("roles") or []
            rank = 0 if key == "visual" else \
                min([ROLE_ORDER.index(r) for r in roles if r in ROLE_ORDER] or [len(ROLE_ORDER)])
            if "thumbnail" not in roles:
                found.append((rank, key, a))
    return min(found, key=lambda f: (f[0], f[1]))[2] if found else None


def raster_assets(catalog: str | Path) -> dict[str, dict]:
    """acq_id -> {href, title, roles} of each STAC item under `catalog` (a catalog.json, a folder
    holding one, an Item or an ItemCollection file) that has a GeoTIFF asset (the `visual` one when
    there is one); relative hrefs resolved against the file that names them."""
    root = Path(catalog)
    if root.is_dir():
        root = root / "catalog.json"
    out = {}
    for f in walk_stac(root, set()):
        doc = json.loads(f.read_text(encoding="utf-8"))
        docs = doc.get("features", []) if isinstance(doc, dict) and doc.get("type") == "FeatureCollection" \
            else [doc]
        for item in docs:
            if not isinstance(item, dict) or item.get("type") != "Feature" or not item.get("id"):
                continue
            a = _raster_asset(item.get("assets"))
            if a is None:
                continue
            href = str(a["href"])
            if not _is_url(href):
                href = str((f.parent / href.removeprefix("file://")).resolve())
            out[str(item["id"])] = dict(href=href, title=a.get("title"), roles=list(a.get("roles") or []))
    return out
