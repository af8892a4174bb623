"""Provenance and input integrity: what made each output, and proof the inputs are the ones listed.

- `check_inputs(files)` runs before every pipeline run: every MANIFEST that covers an input of the
  parameter set (data/raw/MANIFEST, data/reference/MANIFEST, a dataset's own MANIFEST) must
  match the files byte for byte (sha256). A changed or missing file stops the run with
  InputError naming the file and how to accept a deliberate change
  (`python -m helpers accept-inputs`, which rewrites the hashes and prints what changed).
- `record(parameters_file, parameters, files)` is the provenance of a run: each input file with
  its sha256, the parameters that shape the results (outputs directories excluded, so a run into
  another folder is identical), and the package versions. It is deterministic (no times, no
  machine paths), and `run_id` is the sha256 of its canonical JSON. `store.write` puts it in
  every processed table's Parquet metadata; the pipeline writes it as provenance.json beside the
  tables and figures; the report prints it.
This module takes file lists and parameter dicts, never a parameter set: helpers.params.Params
lists a run's input files (`input_files()`) and builds its record (`record()`).
"""

from __future__ import annotations

import hashlib
import json
import platform
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import pyarrow.parquet as pq

from . import fileio, paths
from .errors import InputError

PACKAGES = ["numpy", "pandas", "pyarrow", "shapely", "pyproj", "geopandas", "pandera", "pyais",
            "pystac", "matplotlib", "papermill", "dask"]
METADATA_KEY = b"rajin_dunai.provenance"


def _manifest_for(path: Path) -> Path | None:
    for parent in path.parents:
        m = parent / "MANIFEST"
        if m.is_file():
            return m
        if parent == paths.PROJECT_ROOT:
            return None
    return None


def read_manifest(manifest: Path) -> dict[str, str]:
    """file (relative to the MANIFEST's folder) -> sha256."""
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    if not rows or "file" not in rows[0] or "sha256" not in rows[0]:
        raise InputError(paths.display(manifest), "header", "no 'file' and 'sha256' columns",
                         "regenerate it (make scenario / python -m helpers accept-inputs)")
    f, h = rows[0].index("file"), rows[0].index("sha256")
    return {r[f]: r[h] for r in rows[1:]}


def describe(files: list[Path]) -> dict[str, str]:
    """Shown file name -> what its covering MANIFEST says it is (a `simulates` or `origin`
    column), for the files that have such a row."""
    out = {}
    for m in manifests(files):
        rows = [line.split("\t") for line in m.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
        head = rows[0]
        col = next((head.index(c) for c in ("simulates", "origin") if c in head), None)
        if col is None:
            continue
        for r in rows[1:]:
            if len(r) > col:
                out[paths.display(m.parent / r[head.index("file")])] = r[col]
    return out


def manifests(files: list[Path]) -> list[Path]:
    """The MANIFEST files covering the input `files`."""
    return sorted({m for p in files if (m := _manifest_for(p)) is not None})


def check_inputs(files: list[Path]) -> dict[str, int]:
    """Stop (InputError) when a file listed in a covering MANIFEST is missing or changed, or an
    input inside a MANIFEST's folder is not listed. Returns files checked per MANIFEST."""
    checked = {}
    used = set(files)
    fix = ("if the change is deliberate, run `python -m helpers accept-inputs` (or "
           "`make accept-inputs`) and commit the new MANIFEST; otherwise restore the file "
           "(git checkout -- data/)")
    for m in manifests(files):
        listed = read_manifest(m)
        for rel, digest in sorted(listed.items()):
            f = m.parent / rel
            shown = paths.display(f)
            if not f.is_file():
                raise InputError(shown, "(file)", f"listed in {paths.display(m)} but missing", fix)
            if fileio.sha256(f) != digest:
                raise InputError(shown, "sha256", f"differs from {paths.display(m)}: the input "
                                 "changed since the MANIFEST was written", fix)
        for f in used - {m}:                 # a folder input holds its MANIFEST, which lists the rest
            if _manifest_for(f) == m and f.relative_to(m.parent).as_posix() not in listed:
                raise InputError(paths.display(f), "(file)",
                                 f"an input not listed in {paths.display(m)}", fix)
        checked[paths.display(m)] = len(listed)
    return checked


def accept_inputs(files: list[Path]) -> list[str]:
    """Rewrite the sha256 column of every covering MANIFEST from the files as they are now
    (adding rows for new inputs, dropping rows of deleted files); returns what changed."""
    changes = []
    used = set(files)
    for m in manifests(files):
        lines = m.read_text(encoding="utf-8").splitlines()
        comments = [x for x in lines if x.startswith("#")]
        rows = [x.split("\t") for x in lines if x.strip() and not x.startswith("#")]
        head, body = rows[0], rows[1:]
        f, h = head.index("file"), head.index("sha256")
        keep = []
        for r in body:
            p = m.parent / r[f]
            if not p.is_file():
                changes.append(f"removed {paths.display(p)}")
                continue
            new = fileio.sha256(p)
            if new != r[h]:
                changes.append(f"changed {paths.display(p)}: {r[h][:12]} -> {new[:12]}")
                r[h] = new
            keep.append(r)
        listed = {r[f] for r in keep}
        for p in sorted(used - {m}):
            if _manifest_for(p) == m and p.relative_to(m.parent).as_posix() not in listed:
                r = [""] * len(head)
                r[f], r[h] = p.relative_to(m.parent).as_posix(), fileio.sha256(p)
                keep.append(r)
                changes.append(f"added {paths.display(p)}")
        keep.sort(key=lambda r: r[f])
        m.write_text("\n".join(comments + ["\t".join(head)] + ["\t".join(r) for r in keep]) + "\n",
                     encoding="utf-8")
    return changes


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def record(parameters_file: str, parameters: dict, files: list[Path]) -> dict:
    """The provenance of a run (deterministic; see the module doc): the parameter file's shown
    name, the merged parameters and the input `files` the run reads."""
    return _record(parameters_file, json.dumps(parameters, sort_keys=True, default=str),
                   tuple(str(p) for p in files))


@lru_cache(maxsize=8)
def _record(file: str, raw_json: str, files: tuple[str, ...]) -> dict:
    shaping = {k: v for k, v in json.loads(raw_json).items() if k != "outputs"}
    rec = {
        "parameters_file": file,
        "parameters": shaping,
        # ordered by the displayed name, never by machine path (same record on every machine)
        "inputs": sorted(({"file": paths.display(p), "sha256": fileio.sha256(p), "bytes": Path(p).stat().st_size}
                          for p in files), key=lambda r: (r["file"], r["sha256"])),
        "packages": versions(),
    }
    rec["run_id"] = hashlib.sha256(json.dumps(rec, sort_keys=True).encode()).hexdigest()
    return rec


def as_json(rec: dict) -> str:
    return json.dumps(rec, sort_keys=True, indent=1) + "\n"


def write(rec: dict, directories: list[Path]) -> list[Path]:
    """provenance.json of record `rec` in each of `directories` (atomic, deterministic)."""
    text = as_json(rec)
    return [fileio.write_text(Path(d) / "provenance.json", text) for d in directories]


def of_table(path: Path) -> dict | None:
    """The provenance stored in a processed Parquet table's metadata (None if absent)."""
    meta = pq.read_schema(path).metadata or {}
    return json.loads(meta[METADATA_KEY]) if METADATA_KEY in meta else None
