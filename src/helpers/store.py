"""Reading and writing the processed tables: validated, atomic, deterministic.

Tables go to `<outputs.processed>/<name>.parquet` (GeoParquet for geometries). A write goes to
a temporary file first and is renamed into place, so a run killed half-way leaves the previous
table intact.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd

from . import fileio
from .errors import InputError
from .schema import TABLES, validate


def _atomic(path: Path, write) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:          # killed or failed half-way: the previous file stays as it was
        tmp.unlink(missing_ok=True)
        raise
    return path


def _with_provenance(path: Path, P) -> None:
    """Add the run's provenance (inputs with sha256, parameters, package versions) to the
    Parquet file's key-value metadata; see helpers.provenance."""
    import pyarrow.parquet as pq

    from . import provenance
    table = pq.read_table(path)
    meta = dict(table.schema.metadata or {})
    meta[provenance.METADATA_KEY] = json.dumps(provenance.record(P), sort_keys=True).encode()
    pq.write_table(table.replace_schema_metadata(meta), path)


def write(df: pd.DataFrame, name: str, P, *, table: str | None = None) -> Path:
    """Validate `df` against schema `table` (default `name`) and write it as Parquet, with the
    run's provenance in the file's metadata."""
    t = table or name
    out = validate(df, t) if t in TABLES else df.reset_index(drop=True)

    def _write(p: Path) -> None:
        out.to_parquet(p, index=False)
        _with_provenance(p, P)
    return _atomic(P.processed(f"{name}.parquet"), _write)


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    return fileio.write_csv(df, path)


def read(name: str, P, *, table: str | None = None) -> pd.DataFrame:
    """Read a processed table written by an earlier notebook, validated again."""
    path = P.processed(f"{name}.parquet")
    if not path.is_file():
        raise InputError(path.name, "(file)", "processed table not found",
                         "run the earlier notebooks first (make analysis)")
    try:
        df = gpd.read_parquet(path)
    except (ValueError, TypeError):
        df = pd.read_parquet(path)
    t = table or name
    return validate(df, t, file=path.name) if t in TABLES else df
