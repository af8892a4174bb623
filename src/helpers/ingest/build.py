"""`ingest`: raw AIS archives decoded once into an ingested folder (helpers.ingest.folder),
incrementally, in one process or in parallel on a Dask cluster, with progress on stderr."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from .. import ais, fileio
from ..errors import InputError
from . import folder

ENGINES = ("local", "dask")
SKIP_NAMES = ("MANIFEST", "README", "README.md", "LICENSE")
DEFAULT_BUCKETS = 16         # vessel buckets per day of a new folder
BATCH_ROWS = 2_000_000       # decoded positions held before they are merged into the partitions


@dataclass(frozen=True)
class Spec:
    """One input file: where it is, its source name in the folder, how to read it."""
    path: Path
    source: str
    fmt: str = "auto"
    options: dict = field(default_factory=dict)
    sha256: str = ""
    size: int = 0


@dataclass
class Result:
    """What one ingest did: sources added, replaced (changed sha256) and skipped (unchanged)."""
    added: list[str]
    replaced: list[str]
    unchanged: list[str]
    lines: int = 0
    positions: int = 0
    seconds: float = 0.0


def specs(inputs, fmt: str = "auto", options: dict | None = None, out=None) -> list[Spec]:
    """The input files of `inputs` (files, or folders read recursively, hidden files,
    MANIFEST/README files and anything inside the output folder `out` left out), each named by
    its file name, or by its path inside the folder given; two different files may not get the
    same name."""
    found: list[tuple[Path, str, str, dict]] = []
    out = Path(out).resolve() if out is not None else None
    for item in inputs:
        if isinstance(item, dict):
            p, f, o = Path(item["path"]), item.get("format", fmt), item.get("options", options or {})
        else:
            p, f, o = Path(item), fmt, options or {}
        if "mmsi" in o:
            raise InputError(p.name, "options.mmsi", "an MMSI filter applies to reading an ingested folder",
                             "ingest every vessel (remove the option) and give options.mmsi where "
                             "inputs.ais points at the ingested folder")
        if folder.is_ingested(p):
            raise InputError(p.name, "INPUT", "is an ingested folder already",
                             "give the raw files (an ingested folder is read by the analysis as it is)")
        if p.is_dir():
            for q in sorted(p.rglob("*")):
                rel = q.relative_to(p)
                if (q.is_file() and not any(s.startswith(".") for s in rel.parts) and q.name not in SKIP_NAMES
                        and (out is None or not q.resolve().is_relative_to(out))):
                    found.append((q.resolve(), rel.as_posix(), f, o))
        elif p.is_file():
            found.append((p.resolve(), p.name, f, o))
        else:
            raise InputError(p.name, "INPUT", f"no such file or folder '{p.name}'",
                             "check the path (relative paths are taken from the working directory)")
    out, seen = [], {}
    for p, name, f, o in found:
        sha = fileio.sha256(p)
        if name in seen and seen[name] != sha:
            raise InputError(name, "INPUT", "two different input files have this name",
                             "rename one, or ingest them into separate folders")
        if name not in seen:
            seen[name] = sha
            out.append(Spec(p, name, f, dict(o), sha, p.stat().st_size))
    return sorted(out, key=lambda s: s.source)


def decode(spec: Spec, buckets: int = DEFAULT_BUCKETS) -> dict:
    """One input read with `helpers.ais.read` and its positions prepared for the partitions (a
    worker's task): positions (Arrow, with geometry), their partition codes, vessels, rejects
    and QA; or the InputError's fields (an exception with custom arguments does not travel
    between processes)."""
    try:
        d = ais.read(spec.path, fmt=spec.fmt, source=spec.source, **spec.options)
    except InputError as exc:
        return {"error": (exc.file, exc.field, exc.problem, exc.fix)}
    qa = dict(d.qa)
    qa.setdefault("lines", qa["rows_read"])
    table, codes = folder.prepare(d.positions, buckets)
    return {"source": spec.source, "table": table, "codes": codes,
            "vessels": d.vessels, "rejects": d.rejects, "qa": qa}


class Progress:
    """Files done, lines, lines/s and an ETA (from the bytes left), one line on stderr per file."""

    def __init__(self, total_files: int, total_bytes: int, stream=None):
        self.total_files, self.total_bytes = total_files, max(total_bytes, 1)
        self.files = self.lines = self.bytes = 0
        self.stream = sys.stderr if stream is None else stream
        self.start()

    def start(self) -> None:
        """Start the clock (again): when decoding starts, after a Dask cluster has started."""
        self.t0 = time.perf_counter()

    def done(self, source: str, lines: int, size: int) -> None:
        self.files += 1
        self.lines += lines
        self.bytes += size
        dt = max(time.perf_counter() - self.t0, 1e-9)
        eta = dt * (self.total_bytes - self.bytes) / max(self.bytes, 1)
        print(f"ingest: {self.files}/{self.total_files} files, {self.lines:,} lines, "
              f"{self.lines / dt:,.0f} lines/s, ETA {_hms(eta)} ({source})", file=self.stream, flush=True)


def _hms(s: float) -> str:
    s = int(round(s))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def _decoded(todo: list[Spec], buckets: int, engine: str, address, n_workers: int, processes: bool,
             started=None):
    """Decoded inputs as they complete (any order: the folder's bytes do not depend on it);
    `started()` is called when decoding starts."""
    if engine == "local":
        if started:
            started()
        for s in todo:
            yield s, decode(s, buckets)
        return
    from distributed import as_completed

    from ..analysis.engine import dask_client
    with dask_client(address, n_workers, processes=processes) as client:
        if started:
            started()
        futures = client.map(decode, todo, buckets=buckets, pure=False)
        by_key = {f.key: s for f, s in zip(futures, todo)}
        for fut in as_completed(futures):
            res = fut.result()
            fut.release()
            yield by_key[fut.key], res


def ingest(inputs, out, *, fmt: str = "auto", options: dict | None = None, engine: str = "local",
           address: str | None = None, n_workers: int = 2, processes: bool = True,
           buckets: int | None = None, batch_rows: int = BATCH_ROWS, progress=None) -> Result:
    """Decode the raw AIS `inputs` (files or folders, or dicts {path, format, options} as in
    a parameter set's inputs.ais) into the ingested folder `out` (helpers.ingest.folder).

    Incremental: an input whose source name is in the folder with the same sha256 (and format
    and options) is skipped; one with a new sha256 (or read another way) has its rows replaced;
    the others are added. `engine="dask"` decodes the
    files in parallel on a LocalCluster of `n_workers` (or the cluster at `address`); the folder is
    byte for byte the one the local engine writes. `buckets`: vessel buckets per day (a new
    folder: default 16; an existing folder keeps its own). `progress`: a stream for the progress
    lines (default stderr; False: none). One ingest at a time writes a folder (a lock file)."""
    if engine not in ENGINES:
        raise InputError("ingest", "engine", f"unknown engine {engine!r}", f"use one of {list(ENGINES)}")
    t0 = time.perf_counter()
    all_specs = specs(inputs, fmt, options, out)
    out = Path(out)
    if out.is_dir() and not folder.holds_only_ingest_files(out):
        raise InputError(out.name, "--out", "is a folder with other files in it, not an ingested folder",
                         "give a new or empty folder (or one an earlier ingest wrote)")
    out.mkdir(parents=True, exist_ok=True)
    manifest = folder.load_manifest(out)
    if manifest["buckets"] is None:
        manifest["buckets"] = int(buckets or DEFAULT_BUCKETS)
    elif buckets is not None and manifest["buckets"] != buckets:
        raise InputError(out.name, "buckets", f"the folder was ingested with {manifest['buckets']} buckets",
                         f"pass --buckets {manifest['buckets']} or ingest into a new folder")
    have = {e["source"]: e for e in manifest["inputs"]}
    def same(s: Spec) -> bool:       # same bytes, read the same way
        e = have.get(s.source)
        return e is not None and (e["sha256"], e["format"], e["options"]) == (s.sha256, s.fmt, s.options)
    todo = [s for s in all_specs if not same(s)]
    res = Result(added=[s.source for s in todo if s.source not in have],
                 replaced=[s.source for s in todo if s.source in have],
                 unchanged=[s.source for s in all_specs if s not in todo])
    prog = None if progress is False else Progress(len(todo), sum(s.size for s in todo), progress)
    with folder.writing(out):
        _run(out, manifest, have, todo, res, prog, engine, address, n_workers, processes, batch_rows)
    res.seconds = time.perf_counter() - t0
    return res


def _run(out, manifest, have, todo, res, prog, engine, address, n_workers, processes, batch_rows) -> None:
    batch: list[tuple[Spec, dict]] = []
    rows = 0
    decoded = _decoded(todo, manifest["buckets"], engine, address, n_workers, processes,
                       started=prog.start if prog else None)
    try:
        for spec, d in decoded:
            if "error" in d:
                raise InputError(*d["error"])
            batch.append((spec, d))
            rows += d["table"].num_rows
            res.lines += int(d["qa"]["lines"])
            res.positions += d["table"].num_rows
            if prog:
                prog.done(spec.source, int(d["qa"]["lines"]), spec.size)
            if rows >= batch_rows:
                full, batch, rows = batch, [], 0
                _flush(out, manifest, have, full)
    finally:            # what was decoded is kept, even when a bad file stops the ingest
        decoded.close()
        full, batch = batch, []
        if full:
            _flush(out, manifest, have, full)
        folder.write_summary(out, manifest)


def _flush(out: Path, manifest: dict, have: dict, batch: list[tuple[Spec, dict]]) -> None:
    """Merge a batch of decoded inputs into the folder and record them in the manifest."""
    replaced = {s.source for s, _ in batch if s.source in have}
    touched = {p for s in replaced for p in have[s].get("partitions", [])}
    table = pa.concat_tables([d["table"] for _, d in batch])
    codes = np.concatenate([d["codes"] for _, d in batch])
    # every source of the batch is dropped where its rows go: rows an ingest killed before it
    # recorded them in the manifest are replaced, not doubled
    wrote = folder.merge_partitions(out, table, codes, {s.source for s, _ in batch}, touched,
                                    manifest["buckets"])
    for spec, d in batch:
        folder.write_input_tables(out, spec.source, d["vessels"], d["rejects"])
        entry = {"source": spec.source, "sha256": spec.sha256, "bytes": spec.size, "format": spec.fmt,
                 "options": spec.options, "partitions": wrote.get(spec.source, []), "qa": d["qa"]}
        have[spec.source] = entry
    manifest["inputs"] = sorted(have.values(), key=lambda e: e["source"])
    folder.save_manifest(out, manifest)
