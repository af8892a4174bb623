"""The known AIS formats and `detect_format`: a file's format judged from its first lines only
(at most 64 KB are read, so a pre-flight check can call it on every input cheaply).

Order: a Parquet or GeoPackage file is a "table"; a text file whose header is a named layout's
is that layout; one with NMEA sentences is "nmea"; one whose header (or first JSON record) holds
columns for MMSI, time, latitude and longitude under known synonyms is a "table". Anything else
is an InputError that lists the known formats and says which fields no column was found for.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .columns import header_key, resolve
from .files import check_text, is_geopackage, is_parquet
from .providers import LAYOUTS, match
from .sniff import head_lines, head_text, sniff_text

FORMATS = ("nmea", *(lay.fmt for lay in LAYOUTS), "table")
ALIASES = {a: lay.fmt for lay in LAYOUTS for a in lay.aliases}


def canonical_format(name: str, fmt: str) -> str:
    """`fmt` as a name of FORMATS (aliases such as "noaa" or "spire" resolved); InputError
    listing the known formats when it is none."""
    if fmt in FORMATS:
        return fmt
    if fmt in ALIASES:
        return ALIASES[fmt]
    raise InputError(name, "format", f"unknown format '{fmt}'",
                     f"pass fmt= one of {list(FORMATS)} or 'auto' (aliases: {ALIASES})")


def _is_nmea(lines: list[str]) -> bool:
    for s in lines:
        s = s.strip()
        if s.startswith("\\"):
            end = s.find("\\", 1)
            s = s[end + 1:] if end > 0 else ""
        if (s[:1] == "!" and s[3:6] in ("VDM", "VDO")) or s.startswith("$PGHP,"):
            return True
    return False


def detect_format(path) -> str:
    """The format of `path` judged from its first lines (see the module docstring)."""
    p = Path(path)
    check_text(p)
    if is_parquet(p) or is_geopackage(p):
        return "table"
    known = [f for f in FORMATS if f != "table"]
    text = head_text(p)
    d = sniff_text(text)
    if d is not None:
        lay = match([header_key(c) for c in d.header])
        if lay is not None:
            return lay.fmt
    if _is_nmea(head_lines(text)):
        return "nmea"
    why = "no lines"
    if d is not None and d.kind == "json" and not d.header:
        why = "no complete JSON object in its first 64 KB"
    elif d is not None:
        try:
            resolve(p.name, d.header, None, nested=d.kind == "json")
            return "table"
        except InputError as exc:
            why = exc.problem
    raise InputError(p.name, "format", f"content matches no known AIS format ({why})",
                     f"pass fmt= one of {known}, or fmt='table' with a columns= mapping "
                     "({'mmsi': ..., 'ts': ..., 'lat': ..., 'lon': ...})")
