"""What a reader's QA says about an input as a whole.

- `check_not_all_rejected`: a file with at least one record of which none was kept, every reject
  for one reason (or for one file-wide reason, the others being damaged records), is not data
  with a few bad rows: it is an InputError naming the reason and the option or mapping that
  fixes it (no receive times in an NMEA log -> `time_policy`, and why it cannot help there; no
  parseable time -> `time_format`; no valid MMSI or coordinates -> `columns`).
- `lost_share`, `loss_warnings`: the share of an input's data rows that were rejected, and a
  sentence for each input losing more than a threshold (notebook 10 prints them).
- `inputs_table`: one row per input with the layout, dialect, units and column mapping chosen.
"""

from __future__ import annotations

import pandas as pd

from ..errors import InputError
from .records import (
    R_BAD_CHECKSUM,
    R_BAD_MMSI,
    R_BAD_TAG_CHECKSUM,
    R_BAD_TIME,
    R_IMPOSSIBLE,
    R_MALFORMED,
    R_NO_POINT,
    R_NO_TS,
    R_NOT_AVAILABLE,
    R_ORPHAN,
    R_UNDECODABLE,
    AisData,
)

# reasons a whole file can share because of how it is read (an option or mapping fixes them)
FILE_WIDE = (R_NO_TS, R_BAD_TIME, R_BAD_MMSI, R_IMPOSSIBLE)
NMEA_DAMAGE = (R_BAD_CHECKSUM, R_BAD_TAG_CHECKSUM, R_MALFORMED, R_UNDECODABLE, R_ORPHAN,
               "malformed tag block")
TIME_FORMAT_CHOICES = ("'iso', 'dayfirst', 'monthfirst', 'unix_s', 'unix_ms' or a strftime "
                       "pattern such as '%d.%m.%Y %H:%M'")


def _field_and_fix(reason: str, qa: dict) -> tuple[str, str, str]:
    """(field, what is wrong in a few words, fix) for a file whose records all fail for `reason`."""
    cols = qa.get("columns", {})
    nmea = qa.get("layout") == "nmea"
    if reason == R_NO_TS and nmea:
        return ("receive time", "no line has a receive time (NMEA 4 tag block `c:`, trailing "
                "unix epoch, or Gatehouse $PGHP line)",
                "time_policy: receive_order (options: {time_policy: receive_order}) dates each "
                "message by the last timed line before it, but no line of this file has a "
                "receive time, so it cannot help here either: use a log recorded with receive "
                "times (NMEA 4 tag blocks `\\c:<unix time>*hh\\`, trailing unix epochs or "
                "Gatehouse $PGHP lines)")
    if reason == R_NO_TS:
        col = cols.get("ts", "ts")
        return (col, f"column '{col}' is empty in every row",
                "map the column that holds the time: columns={'ts': <column>} "
                "(options: {columns: {ts: ...}})")
    if reason == R_BAD_TIME and nmea:
        return ("$PGHP", "no $PGHP line holds a valid date",
                "check the Gatehouse log; its $PGHP dates cannot be read")
    if reason == R_BAD_TIME:
        col = cols.get("ts", "ts")
        used = qa.get("units", {}).get("time", "?")
        return (col, f"no value of column '{col}' reads as a time in format '{used}'",
                f"pass time_format= the format of that column ({TIME_FORMAT_CHOICES}; "
                "options: {time_format: ...}), or map the right column: columns={'ts': ...}")
    if reason == R_BAD_MMSI:
        col = cols.get("mmsi", "mmsi")
        return (col, f"no value of column '{col}' is a 9-digit MMSI",
                "map the column that holds the MMSI: columns={'mmsi': <column>}")
    if reason in (R_IMPOSSIBLE, R_NOT_AVAILABLE):
        col = f"{cols.get('lat', 'lat')}, {cols.get('lon', 'lon')}"
        what = ("no row has a latitude and longitude in range" if reason == R_IMPOSSIBLE
                else "every position is 'not available' (lat 91 / lon 181)")
        return (col, what, "map the columns that hold latitude and longitude in decimal "
                "degrees (WGS 84): columns={'lat': ..., 'lon': ...}; for a decimal comma the "
                "file must not be comma-separated")
    if reason == R_NO_POINT:
        return ("geometry", "no geometry is a point", "write point geometries (one per position)")
    if reason == R_BAD_TAG_CHECKSUM:
        return ("tag block", "no tag block's checksum matches its text (some feeds write a "
                "placeholder such as `*00`)",
                "no option accepts tag blocks with wrong checksums: repair the checksums, or "
                "strip the tag blocks and read the sentences with receive times from elsewhere")
    if reason in NMEA_DAMAGE:
        return ("(file)", "no sentence could be read",
                "check the file is an NMEA 0183 AIS log and was not truncated or re-encoded; "
                "for a table pass its fmt=")
    return ("(file)", "no record could be read", "check the export (or pass the right fmt=)")


def check_not_all_rejected(data: AisData, name: str) -> None:
    """InputError when no record of a file with records was kept and the rejects share one
    reason (see the module docstring); otherwise nothing."""
    qa = data.qa
    if qa["positions"] + qa["static"] > 0 or qa["rejected"] == 0:
        return
    counts = data.rejects["reason"].value_counts()
    reasons = {str(k): int(v) for k, v in counts.items()}
    if len(reasons) == 1:
        reason = next(iter(reasons))
        problem = f"all {qa['rejected']:,} records were rejected for '{reason}'"
    else:
        wide = [r for r in reasons if r in FILE_WIDE]
        if len(wide) != 1:
            return
        reason = wide[0]
        rest = ", ".join(f"{n:,} '{r}'" for r, n in reasons.items() if r != reason)
        problem = (f"no record was kept: {reasons[reason]:,} were rejected for '{reason}' "
                   f"(and {rest})")
    field, what, fix = _field_and_fix(reason, qa)
    raise InputError(name, field, f"{problem}: {what}", fix)


def lost_share(qa: dict) -> float:
    """Rejected records / data records (rows read minus rows skipped: blank lines, comments,
    base stations, unsupported message types), 0.0 for a file without data records."""
    data_rows = qa["rows_read"] - qa["skipped"]
    return qa["rejected"] / data_rows if data_rows > 0 else 0.0


def _qa_of(x) -> dict:
    return x.qa if isinstance(x, AisData) else x


def loss_warnings(qas, threshold: float = 0.05) -> list[str]:
    """One sentence per input (reader QA dicts or AisData) that lost more than `threshold` of
    its data rows, in input order; [] when none did."""
    out = []
    for x in qas:
        qa = _qa_of(x)
        share = lost_share(qa)
        if share <= threshold:
            continue
        reasons = sorted(((n, r) for r, n in qa.get("rejected_by_reason", {}).items()),
                         key=lambda t: (-t[0], t[1]))
        detail = ", ".join(f"{n:,} {r}" for n, r in reasons if n)
        out.append(f"{qa['source']}: {share:.1%} of its {qa['rows_read'] - qa['skipped']:,} data "
                   f"rows were rejected ({detail}), more than {threshold:.0%}; "
                   "each is in rejects.parquet with its reason and locator")
    return out


def inputs_table(qas) -> pd.DataFrame:
    """One row per input: source, layout, dialect, units, the column mapping chosen, rows read,
    rejected and the share lost (for notebook 10)."""
    rows = []
    for x in qas:
        qa = _qa_of(x)
        d = qa.get("dialect", {})
        rows.append({
            "source": qa["source"], "layout": qa.get("layout", ""),
            "dialect": ", ".join(f"{k} {v}" for k, v in d.items() if v not in ([], "")),
            "speed": qa.get("units", {}).get("speed", ""),
            "time": qa.get("units", {}).get("time", ""),
            "columns": ", ".join(f"{k} = {v}" for k, v in qa.get("columns", {}).items()),
            "rows_read": qa["rows_read"], "rejected": qa["rejected"],
            "lost_share": round(lost_share(qa), 4)})
    return pd.DataFrame(rows, columns=["source", "layout", "dialect", "speed", "time", "columns",
                                       "rows_read", "rejected", "lost_share"])
