"""Satellite imagery: STAC acquisitions, analyst sightings, their match to the vessels of
interest, and coverage of the ports.

Where each thing lives (import the public names from `helpers.imagery` itself):

- `stac`: reading imagery metadata: `read_catalog` -> `Catalog` (acquisitions, details, qa,
  duplicates, rejects; every item read is kept, a duplicate or a reject with its reason) and
  `read_acquisitions` (its acquisitions); `no_acquisitions`, `no_qa` (an analysis without
  imagery), `DETAIL_COLUMNS`. Built from:
  - `walk`: what a file or folder holds (catalogs, collections, items, ItemCollections, API
    pages with `next` links on disk, JSON arrays, .json.gz; `walk_stac` lists a catalog's files);
  - `providers`: Planet Data API v1 / v0 and Maxar Open Data tiles (GeoJSON, TSV) as STAC Items;
  - `fields`: one item, one row: a function per field (time, footprint, platform, sensor, cloud
    cover, gsd, tile, processing), pystac's migration of older STAC, `split_antimeridian`;
  - `platforms`: `platform_family`, `satellite`, `sensor_kind` (radar or optical), the default
    sensor and gsd per constellation, `RADAR_MAX_GSD_M`;
  - `duplicates`: one scene in several items, the newest processing kept (`resolve`).
- `sightings`: the analysts' sightings file (CSV or GeoJSON; its columns are described there):
  `read_sightings`, `read_sightings_checked` (good rows and rejects with reasons),
  `check_sightings` (inside the acquisition's footprint, at its time), `SIGHTINGS_CSV_COLUMNS`.
- `matching`: `match_sightings` labels sightings identified, low-confidence, other vessel,
  length mismatch, not at berth or unidentified (confidence ranked by
  `helpers.schema.CONFIDENCE_ORDER`, re-exported here).
- `coverage`: `coverage` (acquisitions covering each port's berth, clear or not; radar scenes are
  cloud-free and clear when fine enough, `radar_max_gsd_m`) and `COVERAGE_COLUMNS`.
- `search`: `search_stac` (the `imagery-search` command: a STAC API searched with pystac-client,
  pages written to a folder for `inputs.acquisitions`; needs a network, never used by a run).
- `writers`: `write_stac` and `write_sightings` (deterministic; used by the simulator and the
  tests) and `EO_EXTENSION`.

The function `coverage` shares its module's name, so `helpers.imagery.coverage` is the function;
the module's other names import as `from helpers.imagery.coverage import ...`. Notebook 20's step
(reading, matching, coverage from a parameter set) is helpers.steps.imagery.

Layer: imports only helpers.errors, paths, fileio, schema and geo (and third-party libraries).
"""

from __future__ import annotations

from ..schema import CONFIDENCE_ORDER
from .chips import Chip, raster_assets, read_chip
from .coverage import COVERAGE_COLUMNS, coverage
from .matching import match_sightings
from .platforms import RADAR_MAX_GSD_M, platform_family, sensor_kind
from .search import search_stac
from .sightings import SIGHTINGS_CSV_COLUMNS, check_sightings, read_sightings, read_sightings_checked
from .stac import (
    DETAIL_COLUMNS,
    Catalog,
    no_acquisitions,
    no_qa,
    read_acquisitions,
    read_catalog,
    split_antimeridian,
)
from .writers import EO_EXTENSION, write_sightings, write_stac

__all__ = [
    "write_stac", "read_acquisitions", "read_catalog", "Catalog", "read_sightings",
    "read_sightings_checked", "write_sightings", "check_sightings", "match_sightings", "coverage",
    "platform_family", "sensor_kind", "SIGHTINGS_CSV_COLUMNS", "CONFIDENCE_ORDER", "EO_EXTENSION",
    "COVERAGE_COLUMNS", "DETAIL_COLUMNS", "RADAR_MAX_GSD_M", "split_antimeridian",
    "no_acquisitions", "no_qa", "search_stac", "Chip", "read_chip", "raster_assets",
]
