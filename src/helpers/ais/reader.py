"""`read`: one AIS file of any known format into AisData (the options checked, the format
detected when not given, then handed to the NMEA reader or the table reader; a file whose every
record is rejected for one reason is an InputError naming the option that fixes it)."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .detect import canonical_format, detect_format
from .files import check_text
from .nmea_batch import read_nmea
from .quality import check_not_all_rejected, lost_share
from .records import AisData
from .table import is_binary_table, read_table, read_text
from .tabular import SPEED_UNITS, TIME_FORMATS


def _check_options(name: str, speed_unit, time_format, time_policy, chunksize) -> None:
    if speed_unit not in SPEED_UNITS:
        raise InputError(name, "speed_unit", f"unknown speed unit '{speed_unit}'",
                         "pass speed_unit='auto', 'kn' or 'tenths'")
    if not isinstance(time_format, str) or (time_format not in TIME_FORMATS
                                            and "%" not in time_format):
        raise InputError(name, "time_format", f"unknown time format {time_format!r}",
                         f"pass time_format= one of {list(TIME_FORMATS)} or a strftime pattern "
                         "such as '%d.%m.%Y %H:%M'")
    if time_policy not in ("reject", "receive_order"):
        raise InputError(name, "time_policy", f"unknown time policy '{time_policy}'",
                         "pass time_policy='reject' or 'receive_order'")
    if chunksize is not None and (not isinstance(chunksize, int) or chunksize < 1):
        raise InputError(name, "chunksize", f"chunksize must be a positive integer, not "
                         f"{chunksize!r}", "pass chunksize=None or a number of rows such as 100000")


def read(path, fmt: str = "auto", *, source: str | None = None, columns: dict | None = None,
         speed_unit: str = "auto", time_format: str = "auto", chunksize: int | None = None,
         time_policy: str = "reject", layer: str | None = None) -> AisData:
    """Read one AIS file of format `fmt` ("auto" detects it from the first lines; see
    helpers.ais for the formats).

    Options: `columns` (canonical name -> file column; overrides the layout or the synonyms
    field by field), `speed_unit` ("auto", "kn", "tenths"), `time_format` ("auto", "iso",
    "dayfirst", "monthfirst", "unix_s", "unix_ms" or a strftime pattern; "auto" keeps a named
    layout's documented format and infers it for other tables), `chunksize` (CSV, Parquet,
    GeoPackage: rows per chunk; NMEA is always streamed line by line), `time_policy` (NMEA:
    "reject" rejects a message without a time as "no timestamp"; "receive_order" gives it the
    time of the last timed line before it, still rejecting messages before the first timed line,
    and raises InputError if no line of the file has a time), `layer` (GeoPackage with several
    layers: which one).

    The QA (`AisData.qa`) holds the counts (rows_read = positions + static + rejected +
    skipped), `layout`, `columns`, `units`, `dialect`, `rejected_by_reason` and `lost_share`.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(p.name, "path", f"no such file '{p.name}'",
                         "check the path (relative paths are taken from the working directory)")
    check_text(p)
    _check_options(p.name, speed_unit, time_format, time_policy, chunksize)
    if fmt == "auto":
        fmt = detect_format(p) if columns is None else "auto"  # with columns=: layout or table
    else:
        fmt = canonical_format(p.name, fmt)
    src = source if source is not None else p.name
    if fmt == "nmea":
        data = read_nmea(p, src, time_policy)
        data.qa.update(layout="nmea", columns={}, units={"time": "receive time"},
                       dialect={"container": "nmea"})
    elif is_binary_table(p):
        data = read_table(p, src, columns, chunksize, layer, speed_unit=speed_unit,
                          time_format=time_format)
    else:
        data = read_text(p, src, fmt, columns, chunksize, speed_unit=speed_unit,
                         time_format=time_format)
    data.qa["rejected_by_reason"] = {str(k): int(v) for k, v in
                                     sorted(data.rejects["reason"].value_counts().items())}
    data.qa["lost_share"] = lost_share(data.qa)
    check_not_all_rejected(data, p.name)
    return data
