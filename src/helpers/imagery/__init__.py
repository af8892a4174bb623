"""Satellite imagery: STAC acquisitions, analyst sightings, their match to the vessels of
interest, and coverage of the ports.

Where each thing lives (import the public names from `helpers.imagery` itself):

- `stac`: reading any STAC into the canonical "acquisitions" table: `read_acquisitions` walks
  catalogs, collections, items and ItemCollections, upgrades older STAC with pystac, reads one
  record per item (one function per field) and splits footprints at the antimeridian
  (`split_antimeridian`); `platform_family` names a platform's constellation;
  `no_acquisitions` is an empty table (an analysis without imagery).
- `sightings`: the analysts' sightings file (CSV or GeoJSON; its columns are described there):
  `read_sightings`, `read_sightings_checked` (good rows and rejects with reasons),
  `check_sightings` (inside the acquisition's footprint, at its time), `SIGHTINGS_CSV_COLUMNS`.
- `matching`: `match_sightings` labels sightings identified, low-confidence, other vessel,
  length mismatch, not at berth or unidentified (confidence ranked by
  `helpers.schema.CONFIDENCE_ORDER`, re-exported here).
- `coverage`: `coverage` (acquisitions covering each port's berth, clear or not) and
  `COVERAGE_COLUMNS`.
- `writers`: `write_stac` and `write_sightings` (deterministic; used by the simulator and the
  tests) and `EO_EXTENSION`.

The function `coverage` shares its module's name, so `helpers.imagery.coverage` is the function;
the module's other names import as `from helpers.imagery.coverage import ...`. Notebook 20's step
(reading, matching, coverage from a parameter set) is helpers.steps.imagery.

Layer: imports only helpers.errors, paths, fileio, schema and geo (and third-party libraries).
"""

from __future__ import annotations

from ..schema import CONFIDENCE_ORDER
from .coverage import COVERAGE_COLUMNS, coverage
from .matching import match_sightings
from .sightings import SIGHTINGS_CSV_COLUMNS, check_sightings, read_sightings, read_sightings_checked
from .stac import no_acquisitions, platform_family, read_acquisitions, split_antimeridian
from .writers import EO_EXTENSION, write_sightings, write_stac

__all__ = [
    "write_stac", "read_acquisitions", "read_sightings", "read_sightings_checked",
    "write_sightings", "check_sightings", "match_sightings", "coverage", "platform_family",
    "SIGHTINGS_CSV_COLUMNS", "CONFIDENCE_ORDER", "EO_EXTENSION", "COVERAGE_COLUMNS",
    "split_antimeridian", "no_acquisitions",
]
