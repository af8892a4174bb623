"""AIS readers and cleaning.

Readers turn one input file into the canonical `positions`, `vessels` and `rejects` tables
(helpers.schema) plus a QA dict; `clean` merges several readers' output for one analysis window.
A malformed input line or row is never fatal: it becomes a reject with a locator and a reason.

Formats (`read(path, fmt=...)`; "auto" detects all but "table" from the first lines):
- "nmea": NMEA 0183 AIS sentences from any talker (`!AIVDM`, `!AIVDO`, `!BSVDM`, `!ABVDM`, ...).
  The receive time comes, in this order of precedence, from an NMEA 4 tag block
  `\\s:RECEIVER,c:UNIXSECONDS*HH\\` before the sentence, from a trailing unix-epoch field after
  the checksum (USCG style `!AIVDM,...*hh,s...,d...,T...,x...,1690000000`), or from a Gatehouse
  `$PGHP,1,yyyy,mm,dd,hh,mi,ss,ms,...*hh` line just before the sentence. Types 1-3, 18, 19 and 27
  are positions; 5 and 24 (parts A and B, merged per MMSI) are static; type 4 (base station) is
  counted as receiver evidence (skipped, by_reason "base station report").
- "marinecadastre": NOAA MarineCadastre CSV (`MMSI,BaseDateTime,LAT,LON,...`).
- "dma": Danish Maritime Authority CSV (`# Timestamp,Type of mobile,MMSI,Latitude,...`), times
  day-first (`01/08/2023 00:00:05`, UTC); rows of base stations and aids to navigation are skipped.
- "marinetraffic": MarineTraffic-style CSV (`MMSI,LAT,LON,SPEED,COURSE,HEADING,TIMESTAMP`, optional
  SHIPNAME, IMO, CALLSIGN, SHIPTYPE, STATUS). `speed_unit="auto"|"kn"|"tenths"`: "auto" takes
  SPEED as tenths of a knot when the column's largest value exceeds 102.3 (no speed in knots can:
  102.2 is the AIS maximum and 102.3 means "not available"), else as knots.
- "table": any CSV, Parquet, GeoParquet or GeoPackage with a caller-given mapping from canonical names to the
  file's columns, `columns={"mmsi": ..., "ts": ..., "lat": ..., "lon": ..., "sog_kn": ...}`
  (optional: sog_kn, cog_deg, heading_deg, nav_status, imo, name, callsign, ship_type, length_m,
  beam_m). Without lat/lon in the mapping a GeoParquet or GeoPackage point geometry gives them. Text times are
  ISO 8601 (naive = UTC), numbers are unix seconds.
Files ending `.gz` or `.zip` (one member) are read as they are (NMEA and CSV). CSV formats take
`chunksize=N` to read N rows at a time (memory bounded by the chunk, same result as unchunked).
AIS "not available" values (lat 91, lon 181: reject; SOG 102.3, COG 360, heading 511: null) are
handled alike in every format; a CSV reject's locator is `file:row N` (N counts data rows from 1).

QA counting (`AisData.qa`): every input record lands in exactly one bucket, so
`rows_read == positions + static + rejected + skipped`. For NMEA a record is a line, except that
the fragments of an assembled multipart message count as one record (`lines` is the raw count).

Where things live (each module imports only those above it in this list):
- `records`: AisData, the reject reasons, the static-record key, `assemble` (validate + QA).
- `tabular`: field parsers and the raw canonical frame the tabular readers share.
- `providers`: the named CSV layouts (MarineCadastre, DMA, MarineTraffic) as data, `LAYOUTS`.
- `files`: opening .gz/.zip, text checks, CSV chunks, `FORMATS` and `detect_format`.
- `nmea`: the NMEA reader. `table`: provider layouts and caller-mapped tables, read in chunks.
- `reader`: `read`, which checks the options and hands the file to the right reader.
- `clean`: `clean`, `flag_jumps`, `merge_vessels`, `Cleaned` and the QA table.
- `writers`: to_nmea, to_marinecadastre, to_dma, write_lines. For the simulator (helpers.sim) and
  the tests only, so not imported here: `from helpers.ais import writers`.
"""

from .clean import JUMP_POLICIES, Cleaned, clean, flag_jumps, merge_vessels
from .files import FORMATS, detect_format
from .providers import LAYOUTS, MC_COLUMNS, Layout
from .reader import read
from .records import AisData
from .table import TABLE_KEYS

__all__ = ["FORMATS", "JUMP_POLICIES", "LAYOUTS", "MC_COLUMNS", "TABLE_KEYS", "AisData", "Cleaned",
           "Layout", "clean", "detect_format", "flag_jumps", "merge_vessels", "read"]
