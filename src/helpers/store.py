"""Reading and writing the processed tables: validated, atomic, deterministic.

A table is a Parquet file (GeoParquet for geometries). `write` validates it against its schema
(helpers.schema) and stores the run's provenance record (helpers.provenance) in the file's
key-value metadata; the write goes to a temporary file first and is renamed into place, so a
run killed half-way leaves the previous table intact. This module knows files and run records,
not parameter sets: helpers.steps decides where each table of a run goes.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq

from . import fileio
from .errors import InputError
from .provenance import METADATA_KEY
from .schema import TABLES, validate


def _with_record(path: Path, record: dict) -> None:
    """Put the run's provenance record into the Parquet file's key-value metadata."""
    table = pq.read_table(path)
    meta = dict(table.schema.metadata or {})
    meta[METADATA_KEY] = json.dumps(record, sort_keys=True).encode()
    pq.write_table(table.replace_schema_metadata(meta), path)


def write(df: pd.DataFrame, path: str | Path, record: dict, *, table: str | None = None) -> Path:
    """Validate `df` against schema `table` (default: the file's stem) and write it as Parquet
    at `path`, with the provenance `record` in the file's metadata."""
    path = Path(path)
    t = table or path.stem
    out = validate(df, t) if t in TABLES else df.reset_index(drop=True)

    def _write(p: Path) -> None:
        out.to_parquet(p, index=False)
        _with_record(p, record)
    return fileio.atomic_write(path, _write)


def read(path: str | Path, *, table: str | None = None) -> pd.DataFrame:
    """Read a processed table written by an earlier step, validated again against schema
    `table` (default: the file's stem)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path.name, "(file)", "processed table not found",
                         "run the earlier notebooks first (make analysis)")
    try:
        df = gpd.read_parquet(path)
    except (ValueError, TypeError):
        df = pd.read_parquet(path)
    t = table or path.stem
    return validate(df, t, file=path.name) if t in TABLES else df
