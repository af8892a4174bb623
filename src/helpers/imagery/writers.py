"""Writing imagery inputs: acquisitions as a STAC catalog, sightings as the analysts' CSV.

Used by the scenario simulator and the tests (the analysis only reads these files), under the
names `helpers.imagery.write_stac` and `helpers.imagery.write_sightings`. Both are
deterministic: the same table gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pystac
import shapely
import shapely.geometry
from pystac.stac_io import DefaultStacIO

from ..errors import InputError
from ..fileio import write_csv
from ..paths import display
from ..schema import validate
from .platforms import platform_family, slug
from .sightings import SIGHTINGS_CSV_COLUMNS
from .walk import walk_stac

EO_EXTENSION = "https://stac-extensions.github.io/eo/v1.1.0/schema.json"


# --------------------------------------------------------------------------------------------
# STAC
# --------------------------------------------------------------------------------------------

class _StableStacIO(DefaultStacIO):
    """Standard-library JSON with a final newline, whether or not orjson is installed."""

    def json_dumps(self, json_dict: dict[str, Any], *args: Any, **kwargs: Any) -> str:
        return json.dumps(json_dict, indent=2, ensure_ascii=False) + "\n"


def _bbox(geoms: Iterable) -> list[float]:
    b = shapely.total_bounds(np.asarray(list(geoms), dtype=object))
    return [float(v) for v in b]


def _previous_catalog_files(directory: Path) -> list[Path]:
    """Files of a catalog already written in `directory` (to replace them, not leave stale ones)."""
    root = directory / "catalog.json"
    if not root.exists():
        return []
    return list(walk_stac(root, set()))


def _remove_previous_catalog(root: Path) -> None:
    """Delete the catalog already in folder `root` (resolved), and the folders it leaves empty."""
    for old in _previous_catalog_files(root):
        old.unlink(missing_ok=True)
        for parent in old.parents:
            if parent == root or root not in parent.parents:
                break
            if parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()


def _table_to_write(acquisitions: gpd.GeoDataFrame) -> pd.DataFrame:
    """The acquisitions in EPSG:4326, validated, sorted by acq_id, with the collection keys
    `provider_` (null as "unknown") and `family_` (platform_family). Ids must be file names."""
    gdf = acquisitions
    if "footprint" in gdf.columns and isinstance(gdf, gpd.GeoDataFrame):
        if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
            gdf = gdf.set_geometry("footprint").to_crs("EPSG:4326")
    df = validate(pd.DataFrame(gdf), "acquisitions", file="<acquisitions table>")
    bad = df["acq_id"][df["acq_id"].str.contains(r"[/\\]|^\.+$", regex=True)]
    if len(bad):
        raise InputError("<acquisitions table>", "acq_id",
                         f"id {bad.iloc[0]!r} cannot be a file name",
                         "use scene ids without '/' or '\\'")
    df = df.sort_values(["acq_id"], kind="stable").reset_index(drop=True)
    df["provider_"] = df["provider"].fillna("unknown")
    df["family_"] = df["platform"].map(platform_family)
    return df


def _item(row, asset: dict | None = None) -> pystac.Item:
    """One acquisition (a row of `_table_to_write`) as a STAC Item with the eo extension, and
    its image `asset` (href, title, type, roles) as the asset "visual" when given."""
    props: dict[str, Any] = {
        "platform": row.platform,
        "constellation": row.family_,
    }
    if pd.notna(row.sensor):
        props["instruments"] = [row.sensor]
    if pd.notna(row.cloud_cover):
        props["eo:cloud_cover"] = float(row.cloud_cover)
    if pd.notna(row.gsd_m):
        props["gsd"] = float(row.gsd_m)
    if pd.notna(row.provider):
        props["providers"] = [{"name": row.provider, "roles": ["producer"]}]
    item = pystac.Item(
        id=row.acq_id,
        geometry=shapely.geometry.mapping(row.footprint),
        bbox=[float(v) for v in row.footprint.bounds],
        datetime=row.datetime.to_pydatetime(),
        properties=props,
        stac_extensions=[EO_EXTENSION],
    )
    if asset:
        item.add_asset("visual", pystac.Asset(asset["href"], title=asset.get("title"),
                                              media_type=asset.get("type"), roles=asset.get("roles")))
    return item


def _collection(provider: str, family: str, group: pd.DataFrame, license: str,
                assets: dict | None = None) -> pystac.Collection:
    """The Collection of one (provider, platform family) with an Item per acquisition."""
    times = group["datetime"]
    coll = pystac.Collection(
        id=f"{slug(provider)}-{family}",
        description=f"{family} acquisitions from {provider}",
        extent=pystac.Extent(
            pystac.SpatialExtent([_bbox(group["footprint"])]),
            pystac.TemporalExtent([[times.min().to_pydatetime(),
                                    times.max().to_pydatetime()]])),
        license=license,
        providers=(None if group["provider"].isna().all()
                   else [pystac.Provider(name=str(provider), roles=["producer"])]),
    )
    for row in group.itertuples(index=False):
        coll.add_item(_item(row, (assets or {}).get(row.acq_id)))
    return coll


def write_stac(acquisitions: gpd.GeoDataFrame, directory: str | Path, *,
               catalog_id: str = "rajin-dunai-imagery",
               description: str = ("Satellite acquisitions over Rajin (DPRK) and Dunai (Russia), "
                                   "Aug-Oct 2023, one STAC Item per scene."),
               license: str = "other", assets: dict[str, dict] | None = None) -> Path:
    """Write `acquisitions` as a self-contained STAC catalog; return the path of catalog.json.

    One Collection per (provider, platform family), one Item per acquisition, with id = acq_id.
    Output is deterministic: same table, same bytes (items sorted, no creation timestamps).
    A catalog already in `directory` is replaced (its files removed first). assets: acq_id ->
    an image asset (href: a local file, written relative to its item; title, type, roles).
    """
    df = _table_to_write(acquisitions)
    directory = Path(directory)
    root = directory.resolve()
    _remove_previous_catalog(root)

    catalog = pystac.Catalog(id=catalog_id, description=description)
    for (provider, family), group in sorted(df.groupby(["provider_", "family_"]),
                                            key=lambda kv: kv[0]):
        catalog.add_child(_collection(provider, family, group, license, assets))

    directory.mkdir(parents=True, exist_ok=True)
    catalog.normalize_hrefs(str(root))
    catalog.make_all_asset_hrefs_relative()
    catalog.save(pystac.CatalogType.SELF_CONTAINED, stac_io=_StableStacIO())
    return directory / "catalog.json"


# --------------------------------------------------------------------------------------------
# Sightings
# --------------------------------------------------------------------------------------------

def write_sightings(df: pd.DataFrame, path: str | Path) -> Path:
    """Write sightings as the analysts' CSV (`SIGHTINGS_CSV_COLUMNS`), deterministically.

    Rows sorted by datetime then sighting_id; times as ISO UTC with 'Z' (fractional seconds
    only when present); empty cells for nulls; '\\n' line ends. `match` is not written.
    """
    frame = df.copy()
    if "match" not in frame.columns:
        frame["match"] = None
    frame = validate(frame, "sightings", file=display(path))
    frame = frame.sort_values(["datetime", "sighting_id"], kind="stable")
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if (frame["datetime"].dt.microsecond != 0).any() \
        else "%Y-%m-%dT%H:%M:%SZ"
    out = frame[SIGHTINGS_CSV_COLUMNS].copy()
    out["datetime"] = frame["datetime"].dt.strftime(fmt)
    return write_csv(out, path)
