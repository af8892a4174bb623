"""AIS records in JSON: an array of objects (MarineTraffic API, Global Fishing Watch), one object a
line (JSON lines: aisstream.io, GFW exports), or an AISHub answer `[{ERROR, USERNAME, FORMAT,
RECORDS}, [records]]`. Nested objects are flattened to dotted column names
(`Message.PositionReport.Sog`); every value becomes text, so the records are read like the rows
of a CSV file (helpers.ais.table). A JSON line that cannot be parsed, or an array element that
is not an object, is a reject ("malformed record") with its line or element as raw text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError
from .files import open_text

R_MALFORMED_RECORD = "malformed record"


@dataclass
class JsonRecords:
    """A JSON file's records: flattened text `frame` (one row a record), each record's `raw`
    text, `reason` (None, or why the record is rejected), `blank` lines skipped, `meta` (an
    AISHub answer's header object, else None)."""
    frame: pd.DataFrame
    raw: list[str]
    reason: list[str | None]
    blank: int = 0
    meta: dict | None = None


def _text(v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, (list, dict)):
        return json.dumps(v, separators=(",", ":"))
    return str(v)


def _records_of(obj, name: str):
    """(records, meta) of a whole-document JSON value."""
    if isinstance(obj, dict):
        lists = [v for v in obj.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        return (lists[0] if lists else [obj]), None
    if not isinstance(obj, list):
        raise InputError(name, "(file)", "the JSON document holds no records",
                         "pass a JSON array of objects, or one object a line")
    if len(obj) == 2 and isinstance(obj[0], dict) and "ERROR" in obj[0] \
            and isinstance(obj[1], list):
        meta = obj[0]
        if meta.get("ERROR") not in (False, "false", 0):
            raise InputError(name, "ERROR", f"the AISHub answer is an error ({meta})",
                             "check the request (user name, interval) and download it again")
        if str(meta.get("FORMAT", "")).upper() == "AIS":
            raise InputError(name, "FORMAT", "AISHub answer in its AIS-encoded format (positions "
                             "in 1/10000 minute, speeds and courses in tenths)",
                             "request the human-readable format (format=1) from AISHub")
        return obj[1], meta
    return obj, None


def load(path: Path) -> JsonRecords:
    """The records of a JSON or JSON-lines file (see the module docstring)."""
    name = path.name
    with open_text(path, "utf-8-sig") as fh:
        text = fh.read()
    raw: list[str] = []
    reason: list[str | None] = []
    rows: list[dict] = []
    blank, meta = 0, None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = text.splitlines()
        if sum(1 for s in lines if s.strip()) < 2:
            raise InputError(name, "(file)", f"not valid JSON ({exc})",
                             "check the file is complete (download or export it again)") from None
        for line in lines:
            if not line.strip():
                blank += 1
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                rec = None
            ok = isinstance(rec, dict)
            rows.append(rec if ok else {})
            raw.append(line.strip())
            reason.append(None if ok else R_MALFORMED_RECORD)
    else:
        records, meta = _records_of(doc, name)
        for rec in records:
            ok = isinstance(rec, dict)
            rows.append(rec if ok else {})
            raw.append(json.dumps(rec, separators=(",", ":"), ensure_ascii=False))
            reason.append(None if ok else R_MALFORMED_RECORD)
    frame = pd.json_normalize(rows, sep=".") if rows else pd.DataFrame()
    frame = frame.reset_index(drop=True).astype(object).map(_text) if len(frame.columns) \
        else pd.DataFrame(index=range(len(rows)))
    return JsonRecords(frame, raw, reason, blank, meta)
