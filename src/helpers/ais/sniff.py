"""What a text table looks like, judged from its first lines only (cheap: at most 64 KB).

`sniff(path)` returns a `Dialect`: JSON (an array, JSON lines, or an AISHub `[{meta}, [records]]`
answer) or delimited text. For delimited text: the delimiter (`,` `;` tab `|`: the one found
most often outside double quotes on the header line, ties in that order, so the result is
deterministic), the quote character, the header's column names, the decimal mark (a comma only
when the delimiter is not one and the sample's numbers use commas and never points), and the
null literals seen (NULL, NA, N/A, None, ... read as empty). A UTF-8 BOM and CRLF line ends are
taken as they come.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .files import open_text
from .providers import NULL_TEXT

DELIMITERS = (",", ";", "\t", "|")
HEAD_BYTES = 65_536
HEAD_LINES = 50
_COMMA_NUMBER = re.compile(r"^[-+]?\d+,\d+$")
_POINT_NUMBER = re.compile(r"^[-+]?\d+\.\d+$")


@dataclass
class Dialect:
    """How a text table is written. `kind`: "csv" or "json"; `header`: its column names
    (flattened JSON paths for JSON); `nulls`: null literals seen in the sample."""
    kind: str
    header: list[str] = field(default_factory=list)
    delimiter: str = ","
    quotechar: str = '"'
    decimal: str = "."
    nulls: list[str] = field(default_factory=list)

    def describe(self) -> dict:
        """The dialect for QA (qa["dialect"])."""
        if self.kind == "json":
            return {"container": "json"}
        names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
        return {"container": "csv", "delimiter": names[self.delimiter], "decimal": self.decimal,
                "nulls": list(self.nulls)}


def head_text(path: Path) -> str:
    """The first 64 KB of a text file's content (decompressed), BOM removed."""
    with open_text(path, "utf-8-sig") as fh:
        return fh.read(HEAD_BYTES)


def head_lines(text: str) -> list[str]:
    """The first non-blank lines of `text` (the last one dropped when it may be cut short)."""
    lines = text.splitlines()
    if len(text) >= HEAD_BYTES and len(lines) > 1:
        lines = lines[:-1]
    return [s for s in lines if s.strip()][:HEAD_LINES]


def _count_outside_quotes(line: str, ch: str) -> int:
    n, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == ch and not quoted:
            n += 1
    return n


def _flat_keys(obj, prefix: str = "") -> list[str]:
    out = []
    for k, v in obj.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and v:
            out += _flat_keys(v, key + ".")
        else:
            out.append(key)
    return out


def first_record(text: str) -> dict | None:
    """The first JSON object holding records in `text` (the start of a JSON document or of JSON
    lines), skipping an AISHub answer's header object; None if there is none."""
    dec = json.JSONDecoder()
    pos, seen = 0, 0
    while seen < 3:
        start = text.find("{", pos)
        if start < 0:
            return None
        try:
            obj, end = dec.raw_decode(text, start)
        except json.JSONDecodeError:
            return None
        seen += 1
        if isinstance(obj, dict) and not ({"ERROR", "USERNAME", "FORMAT"} <= set(obj)):
            return obj
        pos = end
    return None


def sniff_text(text: str) -> Dialect | None:
    """The dialect of a text table whose first 64 KB are `text`; None when it has no lines."""
    lines = head_lines(text)
    if not lines:
        return None
    if lines[0].lstrip()[:1] in ("[", "{"):
        rec = first_record(text)
        return Dialect("json", _flat_keys(rec) if rec else [])
    counts = [_count_outside_quotes(lines[0], d) for d in DELIMITERS]
    delim = DELIMITERS[counts.index(max(counts))] if max(counts) else ","
    rows = list(csv.reader(lines, delimiter=delim, quotechar='"'))
    header = [c.strip() for c in rows[0]]
    cells = [c.strip() for r in rows[1:] for c in r]
    decimal = "."
    if delim != "," and any(_COMMA_NUMBER.match(c) for c in cells) \
            and not any(_POINT_NUMBER.match(c) for c in cells):
        decimal = ","
    nulls = sorted({c for c in cells if c and c.upper() in NULL_TEXT})
    return Dialect("csv", header, delim, '"', decimal, nulls)


def sniff(path: Path) -> Dialect | None:
    """The dialect of the text table at `path` (see the module docstring)."""
    return sniff_text(head_text(path))

