"""The ingested folder on disk: partitioned GeoParquet positions, per-input vessels and rejects,
the QA ledger and the manifest; written deterministically, read with filters pushed down.

Layout (every name stable: the same inputs give the same files, byte for byte)::

    DIR/manifest.json                       format, buckets, one entry per input (sorted by source):
                                            source, sha256, bytes, format, options, partitions, qa
    DIR/ledger.csv                          the QA ledger: one row per input (lines, rows in, kept
                                            positions, static, skipped, rejected, by reason)
    DIR/positions/day=YYYY-MM-DD/bucket=NN/part.parquet
                                            GeoParquet (WKB points, OGC:CRS84), the canonical
                                            positions columns, rows sorted by (mmsi, ts, source)
    DIR/vessels.parquet                     every input's static records merged (ais.merge_vessels)
    DIR/inputs/<sha256 of the source name, 16 hex>.vessels.parquet, .rejects.parquet
                                            one input's static records and its rejects

A position's bucket is `helpers.analysis.engine.bucket_of(mmsi, buckets)`. Rows of one input
keep the order its reader gave them, so a partition's bytes do not depend on the order in which
inputs were added (a fresh ingest and an incremental one write the same files).
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from .. import ais, fileio
from ..ais.records import AisData
from ..analysis.engine import bucket_of
from ..errors import InputError
from ..schema import utc_ns, validate

FORMAT = "rajin-dunai ingest 1"
MANIFEST = "manifest.json"
LEDGER = "ledger.csv"
POS_COLUMNS = ["mmsi", "ts", "lat", "lon", "sog_kn", "cog_deg", "heading_deg", "nav_status",
               "source", "msg_type"]
R_FILTERED = "outside the read filter (ingested folder: time window or mmsi list)"
_GEO = json.dumps({"version": "1.0.0", "primary_column": "geometry",
                   "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"]}}},
                  sort_keys=True).encode()
POS_SCHEMA = pa.schema([("mmsi", pa.int64()), ("ts", pa.timestamp("ns", tz="UTC")), ("lat", pa.float64()),
                        ("lon", pa.float64()), ("sog_kn", pa.float64()), ("cog_deg", pa.float64()),
                        ("heading_deg", pa.float64()), ("nav_status", pa.int64()), ("source", pa.string()),
                        ("msg_type", pa.int64()), ("geometry", pa.binary())], metadata={b"geo": _GEO})
_PARTITIONING = ds.partitioning(pa.schema([("day", pa.string()), ("bucket", pa.int32())]),
                                flavor="hive")


def is_ingested(path) -> bool:
    """True when `path` is a folder written by `helpers.ingest.ingest` (it holds manifest.json)."""
    p = Path(path)
    return p.is_dir() and (p / MANIFEST).is_file()


def holds_only_ingest_files(path) -> bool:
    """True when every entry of folder `path` is one an ingest writes (a new folder, an ingested
    one, or one an ingest was killed while creating)."""
    names = {"positions", "inputs", MANIFEST, LEDGER, "vessels.parquet", ".ingest.lock"}
    return all(c.name in names or c.name.endswith(".tmp") for c in Path(path).iterdir())


# --------------------------------------------------------------------------------------------
# Manifest and ledger
# --------------------------------------------------------------------------------------------

def load_manifest(root: Path) -> dict:
    """The folder's manifest (a new, empty one when the folder holds none)."""
    f = Path(root) / MANIFEST
    if not f.is_file():
        return {"format": FORMAT, "buckets": None, "inputs": []}
    try:
        m = json.loads(f.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(f.name), "(file)", f"not a readable manifest ({exc})",
                         "ingest into a new folder (the old one was damaged)") from None
    if m.get("format") != FORMAT:
        raise InputError(f.name, "format", f"is {m.get('format')!r}, not {FORMAT!r}",
                         "ingest into a new folder with this version of helpers")
    return m


def _json_default(v):
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    raise TypeError(f"not JSON: {type(v).__name__}")


def save_manifest(root: Path, manifest: dict) -> None:
    manifest = {**manifest, "inputs": sorted(manifest["inputs"], key=lambda e: e["source"])}
    fileio.write_text(Path(root) / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True,
                                                        default=_json_default) + "\n")


def ledger(manifest: dict) -> pd.DataFrame:
    """The QA ledger: per input, lines and rows in, kept (positions + static), skipped (blank
    lines, comments, GPS sentences, base stations ...) and rejected, with the reasons (rows in =
    kept + skipped + rejected)."""
    def reasons(d: dict) -> str:
        return "; ".join(f"{k}: {v}" for k, v in sorted(d.items()))
    rows = []
    for e in manifest["inputs"]:
        q = e["qa"]
        rejected = q.get("rejected_by_reason", {})
        skipped = {k: v for k, v in q.get("by_reason", {}).items() if k not in rejected}
        rows.append({"source": e["source"], "sha256": e["sha256"], "format": q.get("layout", e["format"]),
                     "lines": q.get("lines", q["rows_read"]), "rows_read": q["rows_read"],
                     "kept": q["positions"] + q["static"], "positions": q["positions"], "static": q["static"],
                     "skipped": q["skipped"], "rejected": q["rejected"], "rejected_by_reason": reasons(rejected),
                     "skipped_by_reason": reasons(skipped), "first_ts": q.get("first_ts"),
                     "last_ts": q.get("last_ts")})
    cols = ["source", "sha256", "format", "lines", "rows_read", "kept", "positions", "static", "skipped",
            "rejected", "rejected_by_reason", "skipped_by_reason", "first_ts", "last_ts"]
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

def input_stem(source: str) -> str:
    """The file stem of an input's own tables: a hash of its source name (stable, path-safe)."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def partition_codes(mmsi: np.ndarray, ts_ns: np.ndarray, buckets: int) -> np.ndarray:
    """The partition of each position as one integer: UTC day (days since 1970) x buckets + bucket."""
    day = np.asarray(ts_ns).astype("datetime64[D]").astype(np.int64)
    return day * buckets + bucket_of(mmsi, buckets)


def partition_name(code: int, buckets: int) -> str:
    """'day=YYYY-MM-DD/bucket=NN' of a partition code."""
    return f"day={np.datetime64(int(code) // buckets, 'D')}/bucket={int(code) % buckets:02d}"


def wkb_points(x: np.ndarray, y: np.ndarray) -> pa.ChunkedArray:
    """ISO WKB little-endian 2D points (the bytes shapely.to_wkb writes for them), built from
    the coordinate arrays at once."""
    n = len(x)
    rec = np.empty(n, dtype=np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")]))
    rec["order"], rec["type"], rec["x"], rec["y"] = 1, 1, x, y
    chunks, step = [], 50_000_000           # int32 offsets: at most 2 GiB of WKB per chunk
    for a in range(0, n, step):
        part = rec[a:a + step]
        offsets = np.arange(len(part) + 1, dtype=np.int32) * rec.itemsize
        chunks.append(pa.Array.from_buffers(pa.binary(), len(part),
                                            [None, pa.py_buffer(offsets), pa.py_buffer(part.tobytes())]))
    return pa.chunked_array(chunks, type=pa.binary())


def _write_table(df: pd.DataFrame, path: Path) -> None:
    """A small table (vessels, rejects) as Parquet, no time in its metadata."""
    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    fileio.atomic_write(path, lambda p: pq.write_table(table, p, compression="zstd"))


def positions_table(pos: pd.DataFrame) -> pa.Table:
    """Validated positions as an Arrow table of POS_SCHEMA, with their WKB point geometry."""
    cols = {}
    for f in POS_SCHEMA:
        if f.name == "geometry":
            cols[f.name] = wkb_points(pos["lon"].to_numpy(float), pos["lat"].to_numpy(float))
        elif f.name == "ts":
            cols[f.name] = pa.array(utc_ns(pos["ts"]), type=pa.timestamp("ns")).cast(f.type)
        else:
            cols[f.name] = pa.array(pos[f.name].to_numpy(dtype=object) if f.name in ("nav_status", "msg_type")
                                    else pos[f.name].to_numpy(), type=f.type, from_pandas=True)
    return pa.table(cols, schema=POS_SCHEMA)


def _sorted(table: pa.Table) -> pa.Table:
    """Rows by (mmsi, ts, source); a stable sort, so one input's rows keep their order."""
    idx = pc.sort_indices(table, sort_keys=[("mmsi", "ascending"), ("ts", "ascending"),
                                            ("source", "ascending")])
    return table.take(idx)


def prepare(pos: pd.DataFrame, buckets: int) -> tuple[pa.Table, np.ndarray]:
    """Validated positions as what `merge_partitions` takes (work a Dask worker does): the
    Arrow table with geometry and each row's partition code."""
    return positions_table(pos), partition_codes(pos["mmsi"].to_numpy(), utc_ns(pos["ts"]), buckets)


def merge_partitions(root: Path, table: pa.Table, codes: np.ndarray, drop_sources: set[str],
                     touched: set[str], buckets: int) -> dict[str, list[str]]:
    """Write new positions (`prepare`d) into their partitions, removing the rows of
    `drop_sources` from every partition in `touched` (those a replaced input had written).
    Returns, per source of the new rows, the partitions it wrote to."""
    root = Path(root)
    order = np.argsort(codes, kind="stable")
    table, codes = table.take(pa.array(order)), np.asarray(codes)[order]
    bounds = np.r_[0, np.flatnonzero(np.diff(codes)) + 1, len(codes)]
    slices = {partition_name(codes[a], buckets): (a, b) for a, b in zip(bounds[:-1], bounds[1:]) if b > a}
    wrote: dict[str, set] = {}
    drop = pa.array(sorted(drop_sources), type=pa.string())
    for part in sorted(set(slices) | set(touched)):
        f = root / "positions" / part / "part.parquet"
        parts = []
        if f.is_file():
            old = pq.read_table(f, schema=POS_SCHEMA)
            parts.append(old.filter(pc.invert(pc.is_in(old["source"], value_set=drop))) if len(drop) else old)
        if part in slices:
            a, b = slices[part]
            rows = table.slice(a, b - a)
            parts.append(rows)
            for s in pc.unique(rows["source"]).to_pylist():
                wrote.setdefault(s, set()).add(part)
        parts = [p for p in parts if p.num_rows]
        if not parts:
            if f.exists():
                f.unlink()
                for d in (f.parent, f.parent.parent):
                    if d.is_dir() and not any(d.iterdir()):
                        d.rmdir()
            continue
        merged = _sorted(pa.concat_tables(parts))
        fileio.atomic_write(f, lambda p, t=merged: pq.write_table(t, p, compression="zstd",
                                                                   row_group_size=1_000_000))
    return {s: sorted(v) for s, v in wrote.items()}


def write_input_tables(root: Path, source: str, vessels: pd.DataFrame, rejects: pd.DataFrame) -> None:
    stem = input_stem(source)
    _write_table(vessels, Path(root) / "inputs" / f"{stem}.vessels.parquet")
    _write_table(rejects, Path(root) / "inputs" / f"{stem}.rejects.parquet")


def write_summary(root: Path, manifest: dict) -> None:
    """manifest.json, ledger.csv and the merged vessels.parquet, from the manifest's inputs."""
    root = Path(root)
    save_manifest(root, manifest)
    manifest = load_manifest(root)
    fileio.write_csv(ledger(manifest), root / LEDGER)
    vessels = ais.merge_vessels([read_input_table(root, e, "vessels") for e in manifest["inputs"]])
    _write_table(vessels, root / "vessels.parquet")


LOCK = ".ingest.lock"


@contextmanager
def writing(root: Path):
    """Hold the folder's lock file while an ingest writes it (an InputError if it is held)."""
    lock = Path(root) / LOCK
    try:
        os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        raise InputError(Path(root).name, LOCK, "another ingest is writing this folder, or one was "
                         "killed while writing it", f"wait for it to end; if none is running, delete "
                         f"{LOCK} in the folder and run the ingest again (what it had recorded is kept, "
                         "the rest is decoded again)") from None
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------

def read_input_table(root: Path, entry: dict, kind: str) -> pd.DataFrame:
    f = Path(root) / "inputs" / f"{input_stem(entry['source'])}.{kind}.parquet"
    if not f.is_file():
        raise InputError(f"{Path(root).name}/inputs/{f.name}", "(file)",
                         f"the {kind} of input {entry['source']} is missing",
                         "ingest the input again (python -m helpers ingest ... --out this folder)")
    return validate(pd.read_parquet(f), kind, file=f.name)


def _qa(entry: dict) -> dict:
    q = dict(entry["qa"])
    for k in ("first_ts", "last_ts"):
        q[k] = pd.Timestamp(q[k]) if q.get(k) else None
    return q


def read_positions(root, start=None, end=None, mmsi=None) -> pd.DataFrame:
    """Positions of an ingested folder, only the partitions and rows in [start, end) and (if
    given) of the MMSIs in `mmsi` read: the filters go to pyarrow (partition pruning on day and
    bucket, row-group statistics on ts and mmsi). Sorted by (mmsi, ts, source)."""
    root = Path(root)
    pos_dir = root / "positions"
    if not pos_dir.is_dir():
        return validate(pd.DataFrame({c: [] for c in POS_COLUMNS}), "positions")
    manifest = load_manifest(root)
    dataset = ds.dataset(pos_dir, format="parquet", partitioning=_PARTITIONING)
    flt = None

    def _and(a, b):
        return b if a is None else a & b
    if start is not None:
        start = fileio.utc(start)
        flt = _and(flt, (ds.field("day") >= start.strftime("%Y-%m-%d")) & (ds.field("ts") >= start))
    if end is not None:
        end = fileio.utc(end)
        flt = _and(flt, (ds.field("day") <= end.strftime("%Y-%m-%d")) & (ds.field("ts") < end))
    if mmsi is not None:
        ids = np.unique(np.asarray(list(mmsi), dtype=np.int64))
        flt = _and(flt, ds.field("bucket").isin(np.unique(bucket_of(ids, manifest["buckets"])).astype(np.int32))
                   & ds.field("mmsi").isin(ids))
    table = dataset.to_table(columns=POS_COLUMNS, filter=flt)
    df = validate(table.to_pandas(), "positions")
    return df.sort_values(["mmsi", "ts", "source"], kind="stable", ignore_index=True)


def read_folder(root, start=None, end=None, mmsi=None) -> list[AisData]:
    """An ingested folder as one AisData per input, in source order (what `ais.read` would have
    returned for each raw file), its positions filtered while reading (see `read_positions`).

    Each input's QA is the one of its ingest, except that positions left out by the filters are
    counted as skipped (reason R_FILTERED), so rows_read = positions + static + rejected +
    skipped still holds; vessels are filtered by `mmsi` too, rejects are all the input's."""
    root = Path(root)
    if not is_ingested(root):
        raise InputError(root.name, "path", "not an ingested folder (no manifest.json)",
                         "run python -m helpers ingest INPUT... --out this folder first")
    manifest = load_manifest(root)
    pos = read_positions(root, start, end, mmsi)
    by_source = pos.groupby("source", sort=False).indices
    out = []
    for e in manifest["inputs"]:
        idx = by_source.get(e["source"], np.array([], dtype=np.int64))
        p = pos.iloc[idx].reset_index(drop=True)
        v = read_input_table(root, e, "vessels")
        if mmsi is not None:
            v = v[v["mmsi"].isin(list(mmsi))].reset_index(drop=True)
        r = read_input_table(root, e, "rejects")
        qa = _qa(e)
        left_out = qa["positions"] - len(p)
        if left_out:
            qa["positions"] = len(p)
            qa["skipped"] += left_out
            qa["by_reason"] = dict(sorted({**qa.get("by_reason", {}), R_FILTERED: left_out}.items()))
        out.append(AisData(p, v, r, qa))
    return out
