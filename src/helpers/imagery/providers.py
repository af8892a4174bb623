"""Provider metadata that is not STAC, turned into STAC 1.0 Items (dicts) that
helpers.imagery.fields reads like any other.

- Planet Data API v1 (`acquired`, `item_type`, `satellite_id`, `_links`), one record or a search
  page: id kept; datetime = `acquired`; platform = `satellite_id`; constellation from the item
  type or `provider` (PSScene/PS* -> planetscope, SkySat* -> skysat, REOrthoTile -> rapideye);
  instruments = `instrument`; gsd = `gsd` (the physical ground sample distance, not the
  product's `pixel_resolution`); eo:cloud_cover = `cloud_percent`, else `cloud_cover` x 100
  (v1 writes a fraction 0-1); updated/created = `updated`/`published`; provider "Planet".
- Planet v0 Scenes API page (`links` an object, `sat.id`, `cloud_cover.estimated`): datetime =
  `acquired`; platform = `sat.id`; constellation planetscope; eo:cloud_cover =
  `cloud_cover.estimated` (percent); gsd = `image_statistics.gsd`; provider "Planet".
- Maxar Open Data tiles (GeoJSON features or TSV rows of one tile each; no feature id): the id is
  derived from content as `<catalog_id>-<grid:code>` (e.g. '104001007D13B200-MXRA-Z16-033131010212'),
  else `<catalog_id>-Z<utm_zone>-<quadkey>`, else 'feature-' + the first 16 hex digits of the
  sha256 of the feature's canonical JSON; platform as written (WV03 ...); cloud cover
  `tile:clouds_percent`; provider "Maxar". A TSV row has no geometry: its footprint is the tile's
  `proj:bbox` (projected, in `proj:epsg`) transformed to lon/lat, the four corners of the bbox
  (a little larger than the tile's data polygon).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pyproj

from ..errors import InputError

STAC_VERSION = "1.0.0"
MAXAR_TSV_COLUMNS = {"datetime", "platform", "catalog_id", "quadkey", "proj:epsg", "proj:bbox"}


def _item(item_id, geometry, props: dict, links=None) -> dict:
    return {"type": "Feature", "stac_version": STAC_VERSION, "id": item_id, "geometry": geometry,
            "properties": {k: v for k, v in props.items() if v is not None},
            "links": links or [], "assets": {}}


def is_planet_v1(feature: dict) -> bool:
    props = feature.get("properties") or {}
    return "_links" in feature or ("acquired" in props and "item_type" in props)


def is_planet_v0(feature: dict) -> bool:
    props = feature.get("properties") or {}
    return "acquired" in props and isinstance(props.get("sat"), dict)


def is_maxar_tile(feature: dict) -> bool:
    props = feature.get("properties") or {}
    return "stac_version" not in feature and "catalog_id" in props and "quadkey" in props


def _planet_constellation(props: dict) -> str | None:
    kind = str(props.get("item_type") or "").lower()
    provider = str(props.get("provider") or "").lower()
    if kind.startswith("ps") or provider == "planetscope":
        return "planetscope"
    if kind.startswith("skysat") or provider == "skysat":
        return "skysat"
    if kind.startswith("reortho") or provider == "rapideye":
        return "rapideye"
    return provider or None


def planet_v1_item(feature: dict) -> dict:
    """A Planet Data API v1 record as a STAC Item (module docstring)."""
    p = feature.get("properties") or {}
    cloud = p.get("cloud_percent")
    if cloud is None and isinstance(p.get("cloud_cover"), (int, float)):
        cloud = round(float(p["cloud_cover"]) * 100, 6)
    return _item(feature.get("id"), feature.get("geometry"), {
        "datetime": p.get("acquired"), "platform": p.get("satellite_id"),
        "constellation": _planet_constellation(p),
        "instruments": [p["instrument"]] if p.get("instrument") else None,
        "gsd": p.get("gsd"), "eo:cloud_cover": cloud, "updated": p.get("updated"),
        "created": p.get("published"), "providers": [{"name": "Planet"}],
    })


def planet_v0_item(feature: dict) -> dict:
    """A Planet v0 Scenes API feature as a STAC Item (module docstring)."""
    p = feature.get("properties") or {}
    cloud = (p.get("cloud_cover") or {}).get("estimated") if isinstance(p.get("cloud_cover"), dict) else None
    return _item(feature.get("id"), feature.get("geometry"), {
        "datetime": p.get("acquired"), "platform": (p.get("sat") or {}).get("id"),
        "constellation": "planetscope", "eo:cloud_cover": cloud,
        "gsd": (p.get("image_statistics") or {}).get("gsd"), "providers": [{"name": "Planet"}],
    })


def maxar_id(props: dict, feature: dict) -> str:
    """The derived id of a Maxar Open Data tile (module docstring)."""
    if props.get("catalog_id") and props.get("grid:code"):
        return f"{props['catalog_id']}-{props['grid:code']}"
    if props.get("catalog_id") and props.get("quadkey"):
        return f"{props['catalog_id']}-Z{props.get('utm_zone', '')}-{props['quadkey']}"
    text = json.dumps(feature, sort_keys=True, separators=(",", ":"))
    return "feature-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def maxar_tile_item(feature: dict) -> dict:
    """A Maxar Open Data tile feature as a STAC Item (module docstring)."""
    p = dict(feature.get("properties") or {})
    for k in ("visual", "ms_analytic", "pan_analytic", "data-mask", "proj:geometry"):
        p.pop(k, None)
    p["providers"] = [{"name": "Maxar"}]
    return _item(feature.get("id") or maxar_id(p, feature), feature.get("geometry"), p)


def _number(text: str):
    try:
        v = float(text)
    except ValueError:
        return text
    return int(v) if v.is_integer() and "." not in text else v


def maxar_tsv_items(text: str, file: str) -> list[dict]:
    """The rows of a Maxar Open Data tile index (TSV) as STAC Items (module docstring)."""
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    items = []
    for row in rows:
        props = {k: _number(v) if k not in ("catalog_id", "quadkey", "datetime", "platform",
                                              "grid:code") else v
                 for k, v in row.items() if k and v not in (None, "")}
        geometry = None
        try:
            x0, y0, x1, y1 = (float(v) for v in str(row["proj:bbox"]).split(","))
            to_lonlat = pyproj.Transformer.from_crs(int(row["proj:epsg"]), 4326, always_xy=True)
            lon, lat = to_lonlat.transform([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0])
            geometry = {"type": "Polygon", "coordinates": [[[a, b] for a, b in zip(lon, lat)]]}
        except (KeyError, ValueError, TypeError, pyproj.exceptions.CRSError):
            pass                                  # no footprint: fields.item_footprint rejects it
        feature = {"type": "Feature", "properties": props, "geometry": geometry}
        items.append(maxar_tile_item(feature))
    if not rows:
        raise InputError(file, "(file)", "a Maxar tile index without rows",
                         "give the .tsv with its header and one row per tile")
    return items
