"""Reading the count tables of data/public_record/README.md, to compare them with the CSVs."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import paths

LEDGER = paths.DATA / "public_record"
README = LEDGER / "README.md"


def readme_text() -> str:
    return README.read_text(encoding="utf-8")


def table_after(marker: str, text: str | None = None) -> list[list[str]]:
    """The rows (cells stripped; header first, separator dropped) of the first markdown table
    starting at or after the line holding `marker`."""
    lines = (text or readme_text()).splitlines()
    start = next(i for i, line in enumerate(lines) if marker in line)
    i = next(j for j in range(start, len(lines)) if lines[j].startswith("|"))
    rows = []
    while i < len(lines) and lines[i].startswith("|"):
        cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
        rows.append(cells)
        i += 1
    header, sep, *body = rows
    assert set("".join(sep)) <= set("-: "), f"no table after {marker!r}"
    return [header] + body


def counts(marker: str, column: int = 1, text: str | None = None) -> dict[str, int]:
    """First column -> the integer in `column`, for the table after `marker` (header dropped)."""
    _, *body = table_after(marker, text)
    return {r[0].strip("`"): int(r[column]) for r in body}


def sentence_numbers(pattern: str, text: str | None = None) -> tuple[int, ...]:
    """The integers a regular expression's groups capture in the README."""
    m = re.search(pattern, text or readme_text(), re.S)
    assert m, f"README no longer says {pattern!r}"
    return tuple(int(g) for g in m.groups())


__all__ = ["LEDGER", "README", "counts", "readme_text", "sentence_numbers", "table_after", "Path"]
