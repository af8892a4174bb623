"""Reading imagery metadata into the acquisitions table, with a QA account of every item.

`read_catalog(path_or_paths) -> Catalog` reads what public catalogs give (helpers.imagery.walk):
STAC Catalogs, Collections, Items, ItemCollections, bare JSON arrays of Items and STAC API search
pages (their `next` links followed when they name files on disk, never fetched), STAC 0.6 to
1.1 (upgraded with pystac's migration), Planet Data API v1 records and v0 pages, Maxar Open
Data tile GeoJSON and TSV, `.json.gz`. `read_acquisitions(path_or_paths)` is its
`.acquisitions`.

Every item read ends in exactly one of three ways, counted per source file in `Catalog.qa`
(items_read = kept + duplicates + rejected):

- kept: one row of the canonical "acquisitions" table (helpers.schema; provider scene ids kept
  verbatim as `acq_id`), and one row of `Catalog.details` (DETAIL_COLUMNS: platform family,
  radar or optical, SAR mode, collection, tile, processing, where each value came from, file);
  fields an item leaves out become nulls or documented defaults (helpers.imagery.fields,
  helpers.imagery.platforms);
- duplicate: the same scene as a kept item (same id, or same satellite, second and tile or
  footprint), processed less recently (helpers.imagery.duplicates): `Catalog.duplicates`;
- rejected, with the reason: an item without a usable time or footprint, a composite spanning
  more than a day, a cloud cover that is not a percentage ...: `Catalog.rejects` (the canonical
  "rejects" table: source, locator `file:item id`, reason).

Only when nothing at all can be kept does reading stop, with InputError naming the file, the
field and the fix (the first reject's, or the link that was not followed). A file given by name
that is not readable metadata stops it too; inside a folder such a file is skipped with a note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..errors import InputError
from ..paths import display
from ..schema import columns, empty, validate
from . import duplicates as dup
from .fields import item_record, split_antimeridian
from .platforms import platform_family, slug
from .walk import Walk, walk_stac

__all__ = ["Catalog", "read_catalog", "read_acquisitions", "no_acquisitions", "DETAIL_COLUMNS",
           "split_antimeridian", "platform_family", "slug", "walk_stac"]

DETAIL_COLUMNS = ["acq_id", "family", "satellite", "sensor_kind", "instrument_mode", "collection",
                  "tile", "processing_version", "processed", "updated", "created", "time_source",
                  "cloud_source", "gsd_source", "sensor_source", "stac_version", "file", "source"]
NOT_STAC = {"planet-v1-item", "planet-v1-page", "planet-v0-page", "maxar-tiles", "maxar-tsv"}


@dataclass
class Catalog:
    """What `read_catalog` read: the acquisitions, their details, the QA per source file, the
    duplicates left out and the items rejected (module docstring)."""
    acquisitions: gpd.GeoDataFrame
    details: pd.DataFrame
    qa: pd.DataFrame
    duplicates: pd.DataFrame
    rejects: pd.DataFrame


def _pre_1_0(version) -> bool:
    """An item pystac upgraded from before STAC 1.0.0 (no version: 0.6)."""
    v = str(version or "")
    return not v or not v.startswith(("1.", "2.")) or v.startswith("1.0.0-")


def _read_items(walk: Walk) -> tuple[list[dict], list[dict]]:
    """Each item found as a record, or a reject with its reason and error."""
    records, rejects, index = [], [], {}
    for found in walk.items:
        index[found.file] = index.get(found.file, 0) + 1
        item = found.item
        version = item.get("stac_version") or found.context.get("stac_version")
        locator = f"{found.file}:{item.get('id') or '#' + str(index[found.file])}"
        try:
            if "_bad" in item:
                raise InputError(found.file, "features", item["_bad"], "give GeoJSON Feature objects")
            rec = item_record(item, found.file, found.context)
        except InputError as exc:
            rejects.append({"source": found.source, "locator": locator, "reason": exc.problem,
                            "raw": None, "error": exc, "version": version})
            continue
        ok = rec.pop("migrated")
        rec.update(file=found.file, source=found.source, pre_1_0=bool(ok and _pre_1_0(version)))
        records.append(rec)
    return records, rejects


def _nothing_kept(walk: Walk, rejects: list[dict], shown: str) -> InputError:
    """The error when no item could be kept: the first reject's, else the first link not
    followed, else 'holds no items'."""
    if rejects:
        first = rejects[0]["error"]
        more = f" (and {len(rejects) - 1} more item(s) rejected)" if len(rejects) > 1 else ""
        return InputError(first.file, first.field, first.problem + more, first.fix)
    for row in walk.sources.values():
        if row.links_not_followed:
            return InputError(row.source, "links", row.notes[0],
                              "download the catalog and read the local copy")
    return InputError(shown, "path", "holds no STAC Items", "point at a catalog or at Item files")


def _qa(walk: Walk, records: pd.DataFrame, keep, rejects: list[dict]) -> pd.DataFrame:
    """One row per source file (QA_COLUMNS in helpers.schema 'qa_imagery') and a total row."""
    rej = pd.DataFrame(rejects, columns=["source", "reason", "version"])
    kept = records[keep]
    rows = []
    for src in walk.sources.values():
        mine = records[records["source"] == src.source]
        k = kept[kept["source"] == src.source]
        r = rej[rej["source"] == src.source]
        versions = sorted({"none" if pd.isna(v) or not v else str(v)
                           for v in list(mine["stac_version"]) + list(r["version"])})
        notes = list(src.notes) + [f"rejected: {why} (x{n})" for why, n in
                                   r["reason"].value_counts().sort_index().head(3).items()]
        rows.append({
            "source": src.source, "kind": src.kind,
            "stac_versions": "not STAC" if src.kind in NOT_STAC else ";".join(versions),
            "migrated": int(mine["pre_1_0"].sum()) if src.kind not in NOT_STAC else 0,
            "items_read": len(mine) + len(r), "kept": len(k),
            "duplicates": len(mine) - len(k), "rejected": len(r),
            "links_not_followed": src.links_not_followed,
            "first_datetime": k["datetime"].min() if len(k) else pd.NaT,
            "last_datetime": k["datetime"].max() if len(k) else pd.NaT,
            "note": "; ".join(notes) or None})
    qa = pd.DataFrame(rows, columns=columns("qa_imagery"))
    total = {c: int(qa[c].sum()) for c in ("migrated", "items_read", "kept", "duplicates",
                                             "rejected", "links_not_followed")}
    total.update(source="total", kind="", note=None,
                 stac_versions=";".join(sorted({v for s in qa["stac_versions"] for v in s.split(";") if v})),
                 first_datetime=kept["datetime"].min() if len(kept) else pd.NaT,
                 last_datetime=kept["datetime"].max() if len(kept) else pd.NaT)
    qa = pd.concat([qa, pd.DataFrame([total])], ignore_index=True) if len(qa) else pd.DataFrame([total])
    assert (qa["items_read"] == qa["kept"] + qa["duplicates"] + qa["rejected"]).all(), qa
    return validate(qa, "qa_imagery")


def _paths(path_or_paths) -> list[Path]:
    if isinstance(path_or_paths, (str, Path)):
        return [Path(path_or_paths)]
    return [Path(p) for p in path_or_paths]


def read_catalog(path_or_paths: str | Path | Iterable[str | Path]) -> Catalog:
    """Read imagery metadata (module docstring) into a `Catalog`.

    Accepts a file, a folder (its catalog.json, or else every metadata file below it) or a list
    of these; an item reached twice through links is read once. Acquisitions and details are
    sorted by datetime, then acq_id.
    """
    paths = _paths(path_or_paths)
    if not paths:
        raise InputError("<no path>", "path", "no STAC file given",
                         "pass a catalog.json, a directory or STAC Item files")
    walk = Walk()
    for p in paths:
        walk.start(p)
    records, rejects = _read_items(walk)
    shown = ", ".join(display(p) for p in paths)
    if not records:
        raise _nothing_kept(walk, rejects, shown)
    df = pd.DataFrame(records)
    keep, duplicates = dup.resolve(df)
    qa = _qa(walk, df, keep, rejects)
    kept = df[keep].sort_values(["datetime", "acq_id"], kind="stable").reset_index(drop=True)
    gdf = gpd.GeoDataFrame(kept, geometry="footprint", crs="EPSG:4326")
    acq = gpd.GeoDataFrame(validate(gdf, "acquisitions", file=shown), geometry="footprint",
                           crs="EPSG:4326")
    details = kept[DETAIL_COLUMNS].astype(object).where(kept[DETAIL_COLUMNS].notna(), None)
    for c in ("processed", "updated", "created"):
        details[c] = pd.to_datetime(details[c], utc=True)
    rej = validate(pd.DataFrame(rejects, columns=columns("rejects")), "rejects") if rejects \
        else empty("rejects")
    return Catalog(acq, details, qa, duplicates, rej)


def read_acquisitions(path_or_paths: str | Path | Iterable[str | Path]) -> gpd.GeoDataFrame:
    """Read imagery metadata into the canonical "acquisitions" table (EPSG:4326): the kept
    items of `read_catalog` (its QA, duplicates and rejects are in the `Catalog`)."""
    return read_catalog(path_or_paths).acquisitions


def no_acquisitions() -> gpd.GeoDataFrame:
    """An empty acquisitions table (for an analysis without imagery)."""
    df = gpd.GeoDataFrame({c: pd.Series(dtype="str") for c in columns("acquisitions") if c != "footprint"},
                          geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    df = df.rename_geometry("footprint")
    df["datetime"] = pd.Series(dtype="datetime64[ns, UTC]")
    for c in ("cloud_cover", "gsd_m"):
        df[c] = pd.Series(dtype="float64")
    return df


def no_qa() -> pd.DataFrame:
    """An empty imagery QA table (an analysis without imagery)."""
    return empty("qa_imagery")
