"""Satellite imagery: STAC acquisitions, analyst sightings, and coverage of the ports.

Acquisitions: STAC Items (one per scene) from any provider (Sentinel-1 without cloud cover,
Sentinel-2, Landsat, PlanetScope, SkySat, Maxar ...), read from catalogs, collections, items,
ItemCollections (GeoJSON FeatureCollections) or lists of them by `read_acquisitions` into the
canonical "acquisitions" table. Provider scene ids are kept verbatim as `acq_id`. Older STAC
(0.8, 0.9, 1.0 without stac_extensions) is upgraded with pystac first, so eo:gsd, eo:platform and
eo:instrument read as gsd, platform and instruments. A footprint that crosses the antimeridian
(longitudes jumping across +-180) is split into a valid MultiPolygon. A malformed item raises
InputError naming the file, the field and the fix. `write_stac` writes a self-contained catalog.

Sightings: the analysts' annotations of vessels in those scenes, one row (CSV) or one Point
feature (GeoJSON FeatureCollection, lon/lat from the geometry) per detection, with

  sighting_id    unique id (text)
  acq_id         the scene's id, as in the STAC item
  datetime       UTC time with a zone, e.g. 2023-09-07T02:15:49Z (the scene's time)
  port           the port the detection is at (as named in the port geofences)
  lat, lon       WGS84 degrees (CSV columns; in GeoJSON the Point geometry)
  length_m       measured length (optional)
  heading_deg    heading, 0-360 (optional)
  vessel         the analyst's identification, empty if none
  id_confidence  high / medium / low / none (empty = none)
  containers     containers counted on the quay next to the ship (optional, whole number)
  analyst_note   free text (optional)

`read_sightings_checked` returns the good rows and the rejects (with a locator); `check_sightings`
keeps sightings inside their acquisition's footprint and at its time; `match_sightings` labels
them in `match`: identified (analyst identification at the minimum confidence, at a berth of the
named port, length within the tolerance), low-confidence, other vessel, length mismatch, not at
berth, or unidentified (kept and reported as such).

Coverage: `coverage` lists, per port and day, the acquisitions whose footprint covers the berth,
with gsd, cloud cover, whether clear enough to see a ship, and whether the whole fence is inside.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InputError
from ..paths import display
from ..schema import CONFIDENCE_ORDER
from .matching import match_sightings
from .sightings import SIGHTINGS_CSV_COLUMNS, check_sightings, read_sightings, read_sightings_checked
from .stac import platform_family, read_acquisitions, split_antimeridian
from .writers import EO_EXTENSION, write_sightings, write_stac

# --------------------------------------------------------------------------------------------
# Coverage
# --------------------------------------------------------------------------------------------

COVERAGE_COLUMNS = ["port", "date", "acq_id", "platform", "datetime", "gsd_m", "cloud_cover",
                    "clear", "whole_fence"]


def coverage(acquisitions: gpd.GeoDataFrame, ports: pd.DataFrame, *,
             max_cloud: float = 20.0) -> pd.DataFrame:
    """One row per (port, acquisition) whose footprint covers the port's berth point.

    Columns (COVERAGE_COLUMNS): port, date (UTC calendar date), acq_id, platform, datetime,
    gsd_m, cloud_cover, clear (cloud_cover <= max_cloud; unknown cloud cover is not clear),
    whole_fence (the footprint holds the port's whole geofence; false without geometries).
    Sorted by port, datetime, acq_id.
    """
    missing = [c for c in ("port", "berth_lon", "berth_lat") if c not in ports.columns]
    if missing:
        raise InputError("<ports>", ", ".join(missing), "missing column(s) of the ports table",
                         "give port, berth_lon, berth_lat (WGS84 degrees)")
    fp = np.asarray(acquisitions["footprint"], dtype=object)
    n_acq, n_ports = len(fp), len(ports)
    lon = ports["berth_lon"].to_numpy(float)
    lat = ports["berth_lat"].to_numpy(float)
    # broadcast: every port against every footprint in one vectorised call
    hit = shapely.intersects_xy(np.tile(fp, n_ports), np.repeat(lon, n_acq),
                                np.repeat(lat, n_acq)).reshape(n_ports, n_acq)
    p_i, a_i = np.nonzero(hit)
    acq = acquisitions.iloc[a_i]
    when = pd.to_datetime(acq["datetime"].to_numpy(), utc=True)
    cloud = acq["cloud_cover"].to_numpy(float)
    if isinstance(ports, gpd.GeoDataFrame) and len(p_i):
        fences = np.asarray(ports.geometry.values, dtype=object)[p_i]
        whole = shapely.contains(fp[a_i], fences)
    else:
        whole = np.zeros(len(p_i), dtype=bool)
    out = pd.DataFrame({
        "port": ports["port"].to_numpy(object)[p_i],
        "date": when.date,
        "acq_id": acq["acq_id"].to_numpy(object),
        "platform": acq["platform"].to_numpy(object),
        "datetime": when,
        "gsd_m": acq["gsd_m"].to_numpy(float),
        "cloud_cover": cloud,
        "clear": np.nan_to_num(cloud, nan=np.inf) <= max_cloud,
        "whole_fence": np.asarray(whole, dtype=bool),
    })
    return out.sort_values(["port", "datetime", "acq_id"], kind="stable").reset_index(drop=True)


__all__ = [
    "write_stac", "read_acquisitions", "read_sightings", "read_sightings_checked",
    "write_sightings", "check_sightings", "match_sightings", "coverage", "platform_family",
    "SIGHTINGS_CSV_COLUMNS", "CONFIDENCE_ORDER", "EO_EXTENSION", "COVERAGE_COLUMNS",
    "split_antimeridian",
]


def no_acquisitions() -> gpd.GeoDataFrame:
    """An empty acquisitions table (for an analysis without imagery)."""
    from ..schema import columns
    df = gpd.GeoDataFrame({c: pd.Series(dtype="str") for c in columns("acquisitions") if c != "footprint"},
                          geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    df = df.rename_geometry("footprint")
    df["datetime"] = pd.Series(dtype="datetime64[ns, UTC]")
    for c in ("cloud_cover", "gsd_m"):
        df[c] = pd.Series(dtype="float64")
    return df


def load(acquisitions_path, sightings_path, ports, *, vessels_of_interest: list[str],
         min_confidence: str = "medium", max_cloud: float = 20.0,
         lengths: dict[str, float] | None = None, length_tolerance_m: float | None = None):
    """Everything notebook 20 needs, from optional inputs: (acquisitions, sightings, rejects,
    coverage). Without imagery (both paths None) the tables are empty and the analysis runs on
    AIS alone; sightings without acquisitions cannot be checked, so that is an error."""
    from ..schema import empty

    if acquisitions_path is None:
        if sightings_path is not None:
            raise InputError(display(sightings_path), "inputs.acquisitions",
                             "sightings given without the acquisitions they were made on",
                             "give inputs.acquisitions (a STAC catalog) or set inputs.sightings to null")
        acq = no_acquisitions()
    else:
        acq = read_acquisitions(acquisitions_path)
    if sightings_path is None:
        sightings, rejects = empty("sightings"), empty("rejects")
    else:
        raw, rejects = read_sightings_checked(sightings_path)
        sightings, more = check_sightings(raw, acq)
        rejects = pd.concat([rejects, more], ignore_index=True) if len(more) else rejects
    sightings = match_sightings(sightings, vessels_of_interest=vessels_of_interest,
                                min_confidence=min_confidence, lengths=lengths,
                                length_tolerance_m=length_tolerance_m,
                                ports=ports if isinstance(ports, gpd.GeoDataFrame) else None)
    cover = coverage(acq, ports, max_cloud=max_cloud) if len(acq) else \
        pd.DataFrame(columns=COVERAGE_COLUMNS)
    return acq, sightings, rejects, cover
