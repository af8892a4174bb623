"""Small file and time helpers every layer uses: atomic writes, a file's sha256, UTC times.

Bottom layer: imports no other module of the package.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd


def atomic_write(path: str | os.PathLike, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it into place: a run
    killed half-way leaves the previous file intact (and no temporary file behind); processes
    writing the same file at once each use their own temporary file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` atomically."""
    return atomic_write(path, lambda p: p.write_bytes(data))


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write `text` (UTF-8, newlines as given) to `path` atomically."""
    return write_bytes(path, text.encode("utf-8"))


def write_csv(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """A table as CSV, atomically and deterministically: no index, Unix newlines, times as
    2023-08-14T03:15:00Z."""
    return atomic_write(path, lambda p: df.to_csv(p, index=False, lineterminator="\n",
                                                  date_format="%Y-%m-%dT%H:%M:%SZ"))


def sha256(path: str | os.PathLike) -> str:
    """Hex sha256 of a file's bytes."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def utc(t):
    """Times as tz-aware UTC; naive times are taken to be UTC already.

    A scalar (text, datetime, numpy or pandas time) gives a Timestamp and None stays None;
    anything list-like (Series, Index, array, list) gives the same kind pandas.to_datetime does.
    """
    if t is None:
        return None
    if pd.api.types.is_scalar(t):
        ts = pd.Timestamp(t)
        return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return pd.to_datetime(t, utc=True)
