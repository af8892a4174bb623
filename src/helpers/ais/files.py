"""AIS input files: opening (plain, `.gz`, one-member `.zip`), text checks, CSV chunks.

Files ending `.gz` or `.zip` (one member) are read as they are (NMEA and CSV). A text input that
is empty, UTF-16/32 or binary is an InputError naming the file, not silently skipped garbage.
"""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from ..errors import InputError


def _member_name(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
    if len(names) != 1:
        raise InputError(path.name, "archive", f"the zip file holds {len(names)} files, not one",
                         "unpack it and read each file separately")
    return names[0]


def open_binary(path: Path):
    """A binary file object of `path`'s content, decompressing `.gz` and single-member `.zip`."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".gz":
            fh = gzip.open(path, "rb")
            fh.peek(1)  # fail here, not mid-read, when the file is not gzip
            return fh
        if suffix == ".zip":
            member = _member_name(path)
            return zipfile.ZipFile(path).open(member)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(path.name, "compression", f"cannot decompress ({exc})",
                         "check the file is a complete gzip / zip archive") from None
    return open(path, "rb")


def check_text(path: Path) -> None:
    """InputError for an empty file, and for a text input that is UTF-16/32 or binary (NUL
    bytes in its first 4 KB): read as UTF-8 it would become silently skipped garbage."""
    if path.stat().st_size == 0:
        raise InputError(path.name, "(file)", "the file is empty (0 bytes)",
                         "check the download or export; remove it from the inputs if it has no data")
    if is_parquet(path) or is_geopackage(path):
        return
    with open_binary(path) as fh:
        head = fh.read(4096)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
        kind = "UTF-16/32 text" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "binary data"
        raise InputError(path.name, "encoding", f"the file holds {kind} (NUL bytes), not text",
                         "save it as UTF-8 text (from Excel: 'CSV UTF-8'), or pass the right file")


def open_text(path: Path, encoding: str = "utf-8"):
    """A text file object of `path`'s content (decompressed); undecodable bytes are replaced."""
    return io.TextIOWrapper(open_binary(path), encoding=encoding, errors="replace", newline=None)


def is_geopackage(path: Path) -> bool:
    """Whether `path` (not compressed) is an SQLite file, as a GeoPackage is."""
    if path.suffix.lower() in (".gz", ".zip"):
        return False
    with open(path, "rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def is_parquet(path: Path) -> bool:
    """Whether `path` (not compressed) is a Parquet file."""
    if path.suffix.lower() in (".gz", ".zip"):
        return False
    with open(path, "rb") as fh:
        return fh.read(4) == b"PAR1"


_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def csv_chunks(path: Path, chunksize, **kw):
    """DataFrames of `path`'s rows as text (one frame, or one per chunk); a file pandas cannot
    split into rows raises InputError naming the line. `kw` goes to pandas.read_csv (`sep`,
    `quotechar`, `usecols`)."""
    try:
        with open_text(path, "utf-8-sig") as fh:
            got = pd.read_csv(fh, dtype=str, keep_default_na=False, chunksize=chunksize, **kw)
            if chunksize is None:
                yield got
            else:
                with got:
                    yield from got
    except pd.errors.EmptyDataError:
        raise InputError(path.name, "(file)", "the file has no header line",
                         "check the export; remove it from the inputs if it has no data") from None
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m:
            want, line, saw = m.groups()
            raise InputError(path.name, f"(line {line})", f"line {line} has {saw} fields where "
                             f"the header has {want}", f"remove the extra "
                             f"{_DELIMITER_NAMES.get(kw.get('sep', ','), 'delimiter')}, or quote "
                             "the text field that holds it") from None
        raise InputError(path.name, "(file)", f"cannot be split into rows ({exc})",
                         "close the quote that is never closed (the file may be truncated), "
                         "or re-export it") from None

