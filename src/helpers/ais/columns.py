"""Which file column holds which canonical field: a named layout (exact header), column synonyms
(any header), and an explicit `columns=` mapping that overrides both, field by field.

`resolve` returns a `Mapping`: the raw canonical field -> the file column(s) it is read from,
and the same mapping in the canonical names a user writes in `columns=` (`report`), which every
reader puts in its QA (`qa["columns"]`) so notebook 10 can show what was chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from .providers import DATE_ONLY, SYNONYMS, TENTHS_MARKERS, TIME_OF_DAY, Layout

# the canonical names of `columns=` (and of qa["columns"]) -> the raw field each one fills
TABLE_KEYS = ("mmsi", "ts", "lat", "lon", "sog_kn", "cog_deg", "heading_deg", "nav_status", "imo",
              "name", "callsign", "ship_type", "length_m", "beam_m", "msg_type")
TO_RAW = {"sog_kn": "sog", "cog_deg": "cog", "heading_deg": "heading", "nav_status": "status",
          "length_m": "length", "beam_m": "beam"}
TO_CANONICAL = {v: k for k, v in TO_RAW.items()}
REQUIRED = ("mmsi", "ts", "lat", "lon")


def normalize(name: str) -> str:
    """A column name compared with synonyms: lower case, letters and digits only
    ("# Timestamp" -> "timestamp", "SPEED (KNOTSx10)" -> "speedknotsx10")."""
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def header_key(name: str) -> str:
    """A column name compared with a named layout: stripped, unquoted, upper case."""
    return str(name).strip().strip('"').upper()


@dataclass
class Mapping:
    """Where each field comes from. `fields`: raw field -> file columns (several: the first
    non-empty value of each row wins); `layout`: the named layout's fmt, or "table"."""
    layout: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    lay: Layout | None = None

    @property
    def report(self) -> dict[str, str]:
        """Canonical name (as in `columns=`) -> the file column(s) it was read from."""
        f, out = self.fields, {}
        for raw, cols in f.items():
            if raw in ("ts_ms", "ts_date", "bow", "stern", "port", "starboard"):
                continue
            out[TO_CANONICAL.get(raw, raw)] = " | ".join(cols)
        if "ts_date" in f and "ts" in out:
            out["ts"] = f"{' | '.join(f['ts_date'])} + {out['ts']}"
        if "ts_ms" in f and "ts" in out:
            out["ts"] = f"{out['ts']} + {' | '.join(f['ts_ms'])} (ms)"
        for raw, a, b in (("length", "bow", "stern"), ("beam", "port", "starboard")):
            if raw not in f and a in f and b in f:
                out[TO_CANONICAL[raw]] = f"{' | '.join(f[a])} + {' | '.join(f[b])}"
        return {k: out[k] for k in sorted(out, key=_key_order)}

    def tenths_by_name(self) -> bool:
        """Whether the speed column's name says tenths of a knot ("SPEED (KNOTSx10)")."""
        return any(m in c.lower() for c in self.fields.get("sog", []) for m in TENTHS_MARKERS)


def _key_order(k: str) -> int:
    return TABLE_KEYS.index(k) if k in TABLE_KEYS else len(TABLE_KEYS)


def check_explicit(name: str, columns) -> dict:
    """The explicit mapping checked (names from TABLE_KEYS), as raw field -> file column."""
    if columns is None:
        return {}
    if not isinstance(columns, dict) or not columns:
        raise InputError(name, "columns", "columns= must map canonical names to file columns",
                         "pass columns={'mmsi': ..., 'ts': ..., 'lat': ..., 'lon': ...}")
    unknown = [k for k in columns if k not in TABLE_KEYS]
    if unknown:
        raise InputError(name, ", ".join(unknown), "unknown canonical name(s) in columns=",
                         f"use names from {list(TABLE_KEYS)}")
    return {TO_RAW.get(k, k): v for k, v in columns.items()}


def _layout_columns(lay: Layout, header: list[str]) -> dict[str, list[str]]:
    keys = [header_key(c) for c in header]
    out = {}
    for raw, want in lay.columns.items():
        if want.startswith("*."):
            cols = [c for c, k in zip(header, keys) if k.endswith(want[1:])]
        else:
            cols = [c for c, k in zip(header, keys) if k == want][:1]
        if cols:
            out[raw] = cols
    return out


def _leaf(col: str, nested: bool) -> str:
    return normalize(col.rsplit(".", 1)[-1]) if nested else normalize(col)


def _synonym_columns(header: list[str], used: set[str], nested: bool) -> dict[str, list[str]]:
    out = {}
    for raw, names in SYNONYMS.items():
        for syn in names:
            cols = [c for c in header if c not in used and _leaf(c, nested) == syn]
            if cols:
                out[raw] = cols if nested else cols[:1]
                used.update(out[raw])
                break
    ts = out.get("ts", [])
    if len(ts) == 1 and _leaf(ts[0], nested) in TIME_OF_DAY:
        date = [c for c in header if c not in used and _leaf(c, nested) in DATE_ONLY]
        if date:
            out["ts_date"] = date[:1]
    return out


def resolve(name: str, header: list[str], lay: Layout | None, explicit: dict | None = None, *,
            nested: bool = False, need_position: bool = True) -> Mapping:
    """The mapping of a file with columns `header`: the layout `lay` (None: synonyms), then the
    explicit mapping (`columns=`, canonical names) field by field. `nested`: the columns are
    flattened JSON paths (synonyms compare the last part; several matches are coalesced).
    InputError when mmsi, ts (and, with `need_position`, lat and lon) have no column."""
    header = [str(c) for c in header]
    own = check_explicit(name, explicit)
    absent = [v for v in own.values() if v not in header]
    if absent:
        raise InputError(name, ", ".join(absent), "mapped column(s) not in the file",
                         f"the file's columns are {header}")
    used = set(own.values())
    if lay is not None:
        found = {k: v for k, v in _layout_columns(lay, header).items() if k not in own}
    else:
        found = {k: v for k, v in _synonym_columns(header, used, nested).items() if k not in own}
    found.update({k: [v] for k, v in own.items()})
    m = Mapping(lay.fmt if lay is not None else "table", found, lay)
    need = REQUIRED if need_position else REQUIRED[:2]
    missing = [k for k in need if k not in found]
    if missing:
        raise InputError(name, "columns", f"the mapping lacks {', '.join(missing)}: no column of "
                         f"the header {header} has a known name for "
                         f"{'it' if len(missing) == 1 else 'them'} (synonyms: README 'AIS "
                         "formats', helpers.ais.SYNONYMS)",
                         "name them, e.g. columns={" + ", ".join(f"'{TO_CANONICAL.get(k, k)}': "
                                                                  "<column>" for k in missing)
                         + "} (options: {columns: ...} in a parameter file), or pass the fmt= "
                         "of a named layout")
    return m
