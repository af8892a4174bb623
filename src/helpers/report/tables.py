"""The report's tables as plain data, and the formatting of numbers and times in them.

A table is a dict the template renders one way for every table: `id`, `caption`, `columns`
(human names, each a `<th scope="col">`), `rows` (lists of cells), `row_header` (the first cell
of a row is a `<th scope="row">`), `cls` (CSS classes:
`stack` tables become one card per row on a phone, the others wrap, and any table too wide
scrolls inside its own frame) and an optional `note` under it. A cell is a dict with `parts`
(each `{"text", "href"}`: text, or a link when `href` is set), `sep` (between parts), `list`
(parts as a list instead) and `cls` (e.g. the verdict's colour). Everything is text until the
template escapes it.
"""

from __future__ import annotations

import math
import re

import pandas as pd

# raw field names -> what a reader calls them (tables and CSV headers written for people)
LABELS = {
    "claim_id": "No.", "claim": "Claim", "verdict": "Verdict", "evidence": "Evidence", "source": "Source",
    "trip_id": "Trip", "vessel": "Ship", "trip_no": "Trip no.", "start": "Left the origin (earliest)",
    "end": "Back at the origin (latest)", "evidence_kind": "Evidence", "file": "File", "sha256": "SHA-256",
    "what": "What it is", "package": "Package", "version": "Version", "rows": "Rows",
}


def label(name: str) -> str:
    """A column's human name (unknown names: underscores to spaces, first letter capital)."""
    return LABELS.get(name, name.replace("_", " ").capitalize())


def part(text, href: str | None = None) -> dict:
    return {"text": "" if text is None else str(text), "href": href}


def cell(value=None, *, href: str | None = None, cls: str | None = None, parts: list[dict] | None = None,
         sep: str = "; ", as_list: bool = False) -> dict:
    """One table cell: a value (text, or a link with `href`), or several `parts` joined by `sep`
    (or, `as_list`, one per line as a list)."""
    if parts is None:
        parts = [part(blank(value), href)]
    return {"parts": parts, "sep": sep, "cls": cls, "list": as_list}


def table(id: str, caption: str, columns: list[str], rows: list[list], *, row_header: bool = False,
          cls: str = "", note: str | None = None) -> dict:
    """A table for the template; plain values in `rows` become cells."""
    if any(re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", c) for c in columns):
        raise ValueError(f"table {id}: raw field names as column headers: {columns}")
    out = [[{"sep": "; ", "cls": None, "list": False, **c} if isinstance(c, dict) and "parts" in c else cell(c)
            for c in r] for r in rows]
    if any(len(r) != len(columns) for r in out):
        raise ValueError(f"table {id}: every row needs {len(columns)} cells")
    return {"id": id, "caption": caption, "columns": list(columns), "rows": out, "row_header": row_header,
            "cls": cls, "note": note}


def from_frame(id: str, caption: str, df: pd.DataFrame, **kw) -> dict:
    """A table of a DataFrame as it is, its columns named by `label`."""
    return table(id, caption, [label(c) for c in df.columns],
                 [list(r) for r in df.itertuples(index=False)], **kw)


def blank(v) -> str:
    """Text of a value; missing values as an empty string, times as `when`."""
    if v is None or (not isinstance(v, str | list | tuple | dict) and pd.isna(v)):
        return ""
    if isinstance(v, pd.Timestamp):
        return when(v)
    return str(v)


def num(x, decimals: int | None = None) -> str:
    """A number as people write it: thousands separated, never truncated. Whole numbers without
    decimals; others with `decimals`, by default as many as needed up to two (61.5, 25.25)."""
    if x is None or pd.isna(x):
        return "n/a"
    x = float(x)
    if decimals is not None:
        return f"{x:,.{decimals}f}"
    if math.isclose(x, round(x), abs_tol=1e-9):
        return f"{x:,.0f}"
    return f"{x:,.2f}".rstrip("0")


def share(x) -> str:
    """0.857 -> '0.86'; 1.0 -> '1.0'; missing -> 'n/a' (nothing to score)."""
    if x is None or pd.isna(x):
        return "n/a"
    return f"{float(x):.1f}" if float(x) in (0.0, 1.0) else f"{float(x):.2f}"


def when(t, seconds: bool = False) -> str:
    """'14 Aug 2023 03:15' (UTC)."""
    t = pd.Timestamp(t)
    if t.tzinfo is not None:
        t = t.tz_convert("UTC")
    return t.strftime("%d %b %Y %H:%M:%S" if seconds else "%d %b %Y %H:%M")


def day(t) -> str:
    """'14 Aug 2023'."""
    return pd.Timestamp(t).strftime("%d %b %Y")


def window(a, b) -> str:
    """A time window in UTC, as short as it stays clear: '14 Aug 03:15', '14 Aug 03:15-20:36',
    '14 Aug 03:15 - 15 Aug 01:00' (year left out: the report's window gives it)."""
    a, b = pd.Timestamp(a).tz_convert("UTC"), pd.Timestamp(b).tz_convert("UTC")
    if a.floor("min") == b.floor("min"):
        return a.strftime("%d %b %H:%M")
    if a.date() == b.date():
        return f"{a:%d %b %H:%M}\u2013{b:%H:%M}"
    return f"{a:%d %b %H:%M} \u2013 {b:%d %b %H:%M}"


def hours(h) -> str:
    """-0.4 -> '0.4 h earlier', 1.2 -> '1.2 h later', 0 -> 'on time'."""
    if h is None or pd.isna(h):
        return "n/a"
    if abs(h) < 0.05:
        return "at the same time"
    return f"{abs(h):.1f} h {'earlier' if h < 0 else 'later'}"
