"""`read`: one AIS file of any known format into AisData (the options checked, the format
detected when not given, then handed to the NMEA reader, a provider layout or a mapped table)."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from . import providers
from .files import FORMATS, check_text, detect_format
from .nmea import read_nmea
from .records import AisData
from .table import read_layout, read_table


def read(path, fmt: str = "auto", *, source: str | None = None, columns: dict | None = None,
         speed_unit: str = "auto", chunksize: int | None = None,
         time_policy: str = "reject", layer: str | None = None) -> AisData:
    """Read one AIS file of format `fmt` ("auto" detects it from the first lines).

    Options: `columns` (fmt="table": canonical name -> file column), `speed_unit`
    ("marinetraffic" SPEED: "auto", "kn" or "tenths"), `chunksize` (CSV formats: rows per chunk;
    NMEA is always streamed line by line), `time_policy` (NMEA: "reject" rejects a message without
    a time as "no timestamp"; "receive_order" gives it the time of the last timed line before it,
    still rejecting messages before the first timed line, and raises InputError if no line of the
    file has a time), `layer` (fmt="table" GeoPackage with several layers: which one).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(p.name, "path", f"no such file '{p.name}'",
                         "check the path (relative paths are taken from the working directory)")
    check_text(p)
    if fmt == "auto":
        if columns is not None:
            fmt = "table"
        else:
            fmt = detect_format(p)
    if fmt not in FORMATS:
        raise InputError(p.name, "format", f"unknown format '{fmt}'",
                         f"pass fmt= one of {list(FORMATS)}")
    if speed_unit not in ("auto", "kn", "tenths"):
        raise InputError(p.name, "speed_unit", f"unknown speed unit '{speed_unit}'",
                         "pass speed_unit='auto', 'kn' or 'tenths'")
    if time_policy not in ("reject", "receive_order"):
        raise InputError(p.name, "time_policy", f"unknown time policy '{time_policy}'",
                         "pass time_policy='reject' or 'receive_order'")
    if chunksize is not None and (not isinstance(chunksize, int) or chunksize < 1):
        raise InputError(p.name, "chunksize", f"chunksize must be a positive integer, not "
                         f"{chunksize!r}", "pass chunksize=None or a number of rows such as 100000")
    src = source if source is not None else p.name
    if fmt == "nmea":
        return read_nmea(p, src, time_policy)
    if fmt == "table":
        return read_table(p, src, columns, chunksize, layer)
    return read_layout(p, src, providers.layout(fmt), chunksize, speed_unit=speed_unit)
