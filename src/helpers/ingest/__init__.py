"""Decode once, analyse many times: raw AIS archives into a partitioned GeoParquet folder.

`ingest(inputs, out)` reads every input file (any format `helpers.ais.read` knows, `.gz`/`.zip`
included) once and writes the folder described in `helpers.ingest.folder`: positions
partitioned by UTC day and vessel bucket, each input's vessels and rejects, the QA ledger and a
manifest with each input's sha256. Incremental (an unchanged input is skipped, a changed one
replaced), on one process or a Dask cluster (`engine="dask"`, same bytes).

`read_folder(folder, start, end, mmsi)` gives the folder back as one `AisData` per input with
the time window and MMSI list pushed down to Parquet; helpers.steps.tracks uses it when
`inputs.ais` points at an ingested folder. Layer: beside store (it reads and writes tables on
disk); it never reads a parameter set (the command line does).
"""

from .build import ENGINES, Progress, Result, Spec, decode, ingest, specs
from .folder import R_FILTERED, is_ingested, ledger, load_manifest, read_folder, read_positions

__all__ = ["ENGINES", "R_FILTERED", "Progress", "Result", "Spec", "decode", "ingest",
           "is_ingested", "ledger", "load_manifest", "read_folder", "read_positions", "specs"]
