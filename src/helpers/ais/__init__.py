"""AIS readers and cleaning.

Readers turn one input file into the canonical `positions`, `vessels` and `rejects` tables
(helpers.schema) plus a QA dict; `clean` merges several readers' output for one analysis window.
A malformed input line or row is never fatal: it becomes a reject with a locator and a reason.
A file in which every record is rejected for one reason is: an InputError naming the reason and
the option that fixes it (helpers.ais.quality).

Formats (`read(path, fmt=...)`; "auto" detects them from the first lines, `detect_format`):
- "nmea": NMEA 0183 AIS sentences from any talker (`!AIVDM`, `!AIVDO`, `!BSVDM`, `!ABVDM`, ...).
  The receive time comes, in this order of precedence, from an NMEA 4 tag block
  `\\s:RECEIVER,c:UNIXSECONDS*HH\\` before the sentence, from a trailing unix-epoch field after
  the checksum (USCG style `!AIVDM,...*hh,s...,d...,T...,x...,1690000000`), or from a Gatehouse
  `$PGHP,1,yyyy,mm,dd,hh,mi,ss,ms,...*hh` line just before the sentence. Types 1-3, 18, 19 and 27
  are positions; 5 and 24 (parts A and B, merged per MMSI) are static; type 4 (base station) is
  counted as receiver evidence (skipped, by_reason "base station report").
- named layouts (helpers.ais.providers, `LAYOUTS`): "marinecadastre" (alias "noaa"), "dma",
  "exactearth" (alias "spire"), "marinetraffic", "gfw", "aishub", "aisstream", as delimited text
  or JSON records; a header is a layout's when it holds the layout's exact column names.
- "table": any other delimited text (`,` `;` tab `|`, quoted or not, null literals, decimal
  comma: helpers.ais.sniff) or JSON records, Parquet, GeoParquet or GeoPackage, its columns
  found by synonyms (helpers.ais.columns; lat/lon may come from a point geometry in WGS 84).
An explicit `columns={"mmsi": ..., "ts": ..., ...}` overrides a layout or the synonyms field by
field. Units are options with inference where unambiguous: `speed_unit` ("auto", "kn",
"tenths") and `time_format` ("auto", "iso", "dayfirst", "monthfirst", "unix_s", "unix_ms", a
strftime pattern); see helpers.ais.tabular.
Files ending `.gz` or `.zip` (one member) are read as they are. CSV formats take `chunksize=N` to
read N rows at a time (memory bounded by the chunk, same result as unchunked). AIS "not
available" values (lat 91, lon 181: reject; SOG 102.3, COG 360, heading 511: null) are handled
alike in every format; a table reject's locator is `file:row N` (N counts data rows from 1).

QA counting (`AisData.qa`): every input record lands in exactly one bucket, so
`rows_read == positions + static + rejected + skipped`. For NMEA a record is a line, except that
the fragments of an assembled multipart message count as one record (`lines` is the raw count).
The QA also says how the file was read: `layout`, `columns` (canonical name -> file column),
`units`, `dialect`, and `lost_share`; `loss_warnings` and `inputs_table` turn a list of them
into sentences and a table for notebook 10.

Where things live (each module imports only those above it in this list):
- `records`: AisData, the reject reasons, the static-record key, `assemble` (validate + QA).
- `providers`: the named layouts and the column synonyms, as data (`LAYOUTS`, `SYNONYMS`).
- `tabular`: field parsers, units (time formats, speed units) and the raw canonical frame.
- `files`: opening .gz/.zip, text checks, CSV chunks. `sniff`: a text table's dialect.
- `columns`: layout / synonyms / explicit mapping -> `Mapping` (what qa["columns"] reports).
- `detect`: `FORMATS` and `detect_format` (first lines only). `jsonrec`: JSON records.
- `nmea`: the NMEA reader. `table`: delimited text, JSON, Parquet and GeoPackage tables.
- `quality`: the all-rejected rule, `lost_share`, `loss_warnings`, `inputs_table`.
- `reader`: `read`, which checks the options and hands the file to the right reader.
- `clean`: `clean`, `flag_jumps`, `merge_vessels`, `Cleaned` and the QA table.
- `writers`: to_nmea, to_marinecadastre, to_dma, write_lines. For the simulator (helpers.sim) and
  the tests only, so not imported here: `from helpers.ais import writers`.
"""

from .clean import JUMP_POLICIES, Cleaned, clean, flag_jumps, merge_vessels
from .columns import TABLE_KEYS
from .detect import FORMATS, detect_format
from .providers import LAYOUTS, MC_COLUMNS, SYNONYMS, Layout
from .quality import inputs_table, loss_warnings, lost_share
from .reader import read
from .records import AisData

__all__ = ["FORMATS", "JUMP_POLICIES", "LAYOUTS", "MC_COLUMNS", "SYNONYMS", "TABLE_KEYS",
           "AisData", "Cleaned", "Layout", "clean", "detect_format", "flag_jumps",
           "inputs_table", "loss_warnings", "lost_share", "merge_vessels", "read"]
