"""rajin-dunai: the importable code behind the notebooks (`pip install -e .`).

Layers, bottom to top; a module imports only from layers below its own (checked in the tests):

1. `errors` (InputError), `paths` (every project path), `fileio` (atomic writes, sha256, UTC)
2. `schema` (the canonical tables), `geo` (land, port fences, sea routes, distances),
   `reference` (the vessels of interest: by name, MMSI or IMO)
3. the domain, pure functions on tables (no parameter set, no run folders):
   - `ais`       readers of raw AIS (NMEA, provider CSVs, any table), cleaning, QA
   - `imagery`   STAC acquisitions, analyst sightings, matching, coverage
   - `analysis`  port calls, dark periods, visits/legs/round trips and their bounds,
                 containers, claims, screening, the pandas/Dask engine, validation
   - `figures`   the house style, a colour palette object, one module per figure, alt text
   - `public_record` the ledger of published, dated observations (data/public_record/): its
                 checked readers, its dated calls, its sightings, its totals against the sources' own
   - `report`    the journalists' report: a jinja2 template and its CSS, the sections as data
                 from a run's tables, headless Chromium to measure the page
   - `sim`       the simulator of the reference scenario and the example datasets
                 (nothing in the analysis imports it)
4. `store` (processed tables on disk, validated, with provenance), `provenance` (run records,
   MANIFEST checks), `ingest` (raw AIS decoded once into partitioned GeoParquet, read back with
   filters pushed down)
5. `params` (a parameter file, checked: `Params`)
6. `steps`: one module per notebook, the only code that reads a parameter set; each notebook
   calls `steps.start(...)` and one step
7. `pipeline` (runs the notebooks with papermill), `__main__` (the command line)

The stable entry points: `ais.read`, `ais.clean`, `imagery.read_acquisitions` (and
`imagery.read_catalog`, the same with its QA), `imagery.read_sightings`,
`analysis.port_calls.port_calls`, `analysis.gaps.dark_periods`, `analysis.trips.reconstruct`,
`pipeline.run`; README lists the command-line verbs.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

__all__ = ["ais", "analysis", "errors", "fileio", "figures", "geo", "imagery", "ingest", "params", "paths",
           "pipeline", "provenance", "public_record", "reference", "report", "schema", "sim", "steps", "store"]


def __getattr__(name: str):
    """`helpers.<module>` imports the module on first use (importing helpers stays cheap)."""
    if name in __all__:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
