"""The public-record ledger (data/public_record/): its vocabularies and its two checked readers.

The ledger is curated by hand from published reporting, one row per source's version of a dated
observation (observations.csv) or of a total (aggregates.csv); data/public_record/README.md is
its column dictionary. Unlike the AIS and imagery readers, which quarantine bad rows as rejects,
these readers stop at the first problem: a ledger row without a link, a date or a known
vocabulary value is an editing mistake to fix in the CSV, not data to skip. The InputError names
the file, the column, every row with that problem (its number, its CSV line and its id) and the
fix.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

import pandas as pd

from ..errors import InputError
from ..paths import display


def _frozen(d: dict) -> Mapping:
    return MappingProxyType(dict(d))


# --- vocabularies (data/public_record/README.md) ----------------------------------------------

PLACES: Mapping[str, str] = _frozen({
    "Rajin": "Najin/Rajin harbour, Rason, DPRK ('Rason port' and 'Najin' are recorded here)",
    "Dunai": "the military port at Dunai/Dunay, Strelok Bay",
    "Vostochny": "Vostochny port, Wrangel Bay",
    "Vladivostok": "Vladivostok port and its anchorages ('off'/'east of Vladivostok' included)",
    "Tikhoretsk depot": "the ammunition depot north of Kamenny, Tikhoretsk district",
    "Tumangang rail crossing": "Tumangang rail facility, DPRK side of the border",
    "Khasan rail crossing": "Khasan station, Russian side of the border",
    "Zhoushan shipyard": "Zhoushan Xinya shipyard, Zhejiang, China",
    "Zhangjiagang": "Zhangjiagang port (Daxin terminal), China",
    "Suez Canal": "Suez Canal (South Anchorage)",
})
# the places that are ports with a geofence of ours (data/reference/ports.geojson), by its name
PLACE_PORT: Mapping[str, str] = _frozen({"Rajin": "Rajin", "Dunai": "Dunai",
                                         "Vostochny": "Vostochny", "Vladivostok": "Vladivostok"})

WHAT: Mapping[str, str] = _frozen({
    "at berth": "a ship is seen moored, no cargo work stated",
    "loading": "the ship is taking on containers/cargo (or loading and unloading in one stay)",
    "unloading": "the ship is discharging",
    "visit inferred": "no ship in the image; the source infers a call from changes on the quay",
    "arrived": "the source dates an arrival",
    "departed": "the source dates a departure",
    "departed between": "present on one image, gone on a later one: observed..observed_end "
                        "bound the departure",
    "shifted berth": "the ship moved to another pier/dock of the same port",
    "anchored": "at anchor (anchorage, roadstead)",
    "at shipyard": "at a repair yard",
    "containers on quay": "a container stack is on a pier, no ship stated",
    "no containers": "the source says the usual stack is absent",
    "no ship": "the source says no (sanctioned / large) ship was there",
    "railcars": "railcar counts at a rail facility",
    "depot change": "visible change at a depot (expansion, fire, damage)",
    "AIS position": "reserved for an AIS-reported position (no row uses it)",
    "AIS last position": "reserved for a last AIS position (no row uses it)",
})
# a ship was there, seen on an image (or dated by the source): these rows can become sightings
SHIP_SEEN: tuple[str, ...] = ("at berth", "loading", "unloading", "arrived", "departed",
                              "departed between", "shifted berth", "anchored", "at shipyard")
# a dated ship call: a ship seen, or a call the source infers from the quay (README's "dated
# ship presence"); counted by `calls`, never a sighting (no ship was imaged)
SHIP_CALL: tuple[str, ...] = SHIP_SEEN + ("visit inferred",)
NO_SHIP: tuple[str, ...] = ("no ship", "no containers")          # negative observations
CARGO: tuple[str, ...] = ("containers on quay",)

VESSELS: tuple[str, ...] = ("ANGARA", "MARIA", "LADY R", "MAIA-1")
UNIDENTIFIED, NONE = "unidentified", "none"

CONFIDENCE: Mapping[str, str] = _frozen({
    "high": "stated plainly by the source from imagery it analysed or in an official statement",
    "medium": "stated but hedged ('matches', 'appears', 'believed'), or relayed second-hand",
    "low": "inferred, vague in date, or contradicted by another source",
})
PROVIDERS: tuple[str, ...] = ("Planet Labs", "Maxar", "Sentinel-2")

UNITS: Mapping[str, str] = _frozen({
    "round trips": "out and back",
    "trips": "one-way voyages, or 'trips'/'deliveries' as the source says",
    "ship visits": "calls at a port",
    "ship visits per month": "calls at a port per month",
    "shipments": "shipments as the source counts them",
    "occasions": "separate deliveries as the source counts them",
    "imagery days": "days with imagery showing the activity",
    "containers": "containers",
    "shells": "artillery rounds (usually a capacity estimate)",
    "tonnes": "tonnes",
})

# a date range of at most this many calendar days (observed_end - observed <= 2 days) still
# dates a ship to the day (README "What the record supports"); longer ranges are windows
DAY_RANGE_DAYS = 3

OBSERVATION_COLUMNS = ["obs_id", "observed", "observed_end", "place", "pier", "vessel",
                       "vessel_length_m", "what", "containers", "containers_note",
                       "imagery_provider", "source_outlet", "source_url", "published",
                       "confidence", "paraphrase"]
AGGREGATE_COLUMNS = ["agg_id", "claim", "value", "unit", "as_of", "scope", "source_outlet",
                     "source_url", "published", "paraphrase"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_README = "data/public_record/README.md"


# --- reading ----------------------------------------------------------------------------------

def _records(path: Path, shown: str, columns: list[str], id_col: str) -> pd.DataFrame:
    """The CSV as strings (stripped), with `_line` (the record's first line in the file)."""
    if not path.is_file():
        raise InputError(shown, "(file)", "is a directory, not a file" if path.is_dir()
                         else "does not exist", f"give the path of the ledger's CSV ({_README})")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(shown, "(file)", f"is not UTF-8 text ({exc.reason})",
                         "save the CSV as UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise InputError(shown, "(header)", "the file is empty",
                         f"write the header row: {','.join(columns)}")
    header = [h.strip() for h in header]
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(shown, missing[0], f"missing column(s) {missing}",
                         f"the header must name {columns} ({_README})")
    rows, lines, start = [], [], reader.line_num + 1
    for rec in reader:
        if rec and any(x.strip() for x in rec):
            if len(rec) != len(header):
                ident = rec[header.index(id_col)] if len(rec) > header.index(id_col) else ""
                raise InputError(shown, "(row)", f"row {len(rows) + 1} (line {start}, {id_col} "
                                 f"'{ident}') has {len(rec)} fields, the header {len(header)}",
                                 "double-quote every field that contains a comma or a quote")
            rows.append([x.strip() for x in rec])
            lines.append(start)
        start = reader.line_num + 1
    df = pd.DataFrame(rows, columns=header, dtype=object)
    df = df.reindex(columns=columns).fillna("")
    df["_line"] = lines
    return df.reset_index(drop=True)


def _fail(df: pd.DataFrame, bad, shown: str, id_col: str, field: str, problem: str,
          fix: str) -> None:
    """Raise InputError naming the rows where `bad` is True (up to five), if any."""
    bad = pd.Series(bad, index=df.index).fillna(True).astype(bool)
    if not bad.any():
        return
    which = [f"row {i + 1} (line {df.at[i, '_line']}, {id_col} '{df.at[i, id_col]}')"
             for i in df.index[bad]]
    more = f" and {len(which) - 5} more" if len(which) > 5 else ""
    raise InputError(shown, field, f"{problem} in {', '.join(which[:5])}{more}", fix)


def _iso(s: pd.Series) -> pd.Series:
    """Dates written YYYY-MM-DD as UTC midnight; anything else NaT."""
    ok = s.str.match(_DATE)
    return pd.to_datetime(s.where(ok), format="%Y-%m-%d", errors="coerce",
                          utc=True).dt.as_unit("ns")


def _url_ok(u: str) -> bool:
    parts = urlsplit(u)
    return parts.scheme in ("http", "https") and "." in parts.netloc and not re.search(r"\s", u)


def _number(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.where(s != ""), errors="coerce")


def _common_checks(df: pd.DataFrame, shown: str, id_col: str) -> None:
    """Ids present and unique; outlet, URL, publication date and paraphrase on every row."""
    _fail(df, df[id_col] == "", shown, id_col, id_col, "empty id",
          f"give every row a unique {id_col} ({_README} says how it is built)")
    dup = df[id_col].duplicated(keep=False)
    _fail(df, dup, shown, id_col, id_col, "duplicate id",
          f"make each {id_col} unique (append the pier or the source's slug, as the README says)")
    _fail(df, df["source_url"] == "", shown, id_col, "source_url", "no URL",
          "give the http(s) address of the page the row was read on; a row without a source is "
          "not evidence: remove it if the page is lost")
    _fail(df, ~df["source_url"].map(_url_ok), shown, id_col, "source_url",
          "not an http(s) URL", "write the page's full address, starting http:// or https://")
    _fail(df, df["source_outlet"] == "", shown, id_col, "source_outlet", "no outlet",
          "name the outlet whose page was read (and the original source in parentheses)")
    _fail(df, _iso(df["published"]).isna(), shown, id_col, "published",
          "no publication date (YYYY-MM-DD)",
          f"write the page's date as YYYY-MM-DD; {_README} 'Publication dates' gives the rule "
          "for undated pages")
    _fail(df, df["paraphrase"] == "", shown, id_col, "paraphrase", "no paraphrase",
          "write one sentence in our own words saying what the source reports")


def _vocab(df, col, allowed, shown, id_col, *, empty_ok=False, what="") -> None:
    ok = df[col].isin(list(allowed)) | ((df[col] == "") if empty_ok else False)
    _fail(df, ~ok, shown, id_col, col, f"unknown {what or col} "
          f"{sorted(set(df.loc[~ok, col]))}",
          f"use one of {list(allowed)}{' or leave it empty' if empty_ok else ''}, or add the new "
          f"value to the vocabulary (helpers.public_record and {_README})")


def read_observations(path) -> pd.DataFrame:
    """observations.csv, checked: one row per source's dated observation.

    Every row needs an obs_id (unique), an ISO `observed` date, an `observed_end` that is empty or
    not before it, a known place / what / confidence (PLACES, WHAT, CONFIDENCE), a vessel that is
    one of VESSELS, 'unidentified', 'none' or empty (a ship for every SHIP_CALL row), numbers in
    vessel_length_m (> 0) and containers (a whole number >= 0), a known imagery provider or none,
    an outlet, an http(s) source_url, a publication date not before the observation, and a
    paraphrase. The first problem raises InputError naming the rows and the fix (see the module
    docstring: the ledger is curated, so a bad row stops the run).

    Returns the columns of OBSERVATION_COLUMNS (dates as UTC midnight, numbers as numbers, empty
    text as null) and `line`, the row's line in the CSV.
    """
    p = Path(path)
    shown = display(p)
    df = _records(p, shown, OBSERVATION_COLUMNS, "obs_id")
    i = "obs_id"
    _common_checks(df, shown, i)
    observed = _iso(df["observed"])
    _fail(df, observed.isna(), shown, i, "observed", "no observation date (YYYY-MM-DD)",
          "write the image or event date as YYYY-MM-DD (a range: its first day here, its last "
          "in observed_end); a row the source does not date is not a ledger row")
    end = _iso(df["observed_end"])
    _fail(df, (df["observed_end"] != "") & end.isna(), shown, i, "observed_end",
          "not a date (YYYY-MM-DD)", "write the range's last day as YYYY-MM-DD, or leave it empty")
    _fail(df, end < observed, shown, i, "observed_end", "before observed",
          "swap the two dates: observed is the first day of the range, observed_end the last")
    _vocab(df, "place", PLACES, shown, i)
    _vocab(df, "what", WHAT, shown, i)
    _vocab(df, "confidence", CONFIDENCE, shown, i)
    _vocab(df, "vessel", (*VESSELS, UNIDENTIFIED, NONE), shown, i, empty_ok=True)
    _vocab(df, "imagery_provider", PROVIDERS, shown, i, empty_ok=True)
    shipless = df["what"].isin(SHIP_CALL) & df["vessel"].isin(["", NONE])
    _fail(df, shipless, shown, i, "vessel", "a ship call without a ship",
          "name the ship, write 'unidentified' if the source does not name it, or change "
          "'what' (e.g. 'containers on quay')")
    length = _number(df["vessel_length_m"])
    _fail(df, (df["vessel_length_m"] != "") & ~(length > 0), shown, i, "vessel_length_m",
          "not a positive number", "write the length in metres as a number (e.g. 115), or leave it empty")
    boxes = _number(df["containers"])
    _fail(df, (df["containers"] != "") & ~((boxes >= 0) & (boxes % 1 == 0)), shown, i,
          "containers", "not a whole number",
          "write a number only when the source gives one (e.g. 300); words go in containers_note")
    published = _iso(df["published"])
    _fail(df, published < observed, shown, i, "published", "published before the observation",
          "check both dates: a page cannot report an image taken after it was published")
    out = pd.DataFrame({
        "obs_id": df["obs_id"], "observed": observed, "observed_end": end,
        "place": df["place"], "pier": df["pier"].replace("", None),
        "vessel": df["vessel"].replace("", None), "vessel_length_m": length.astype(float),
        "what": df["what"], "containers": boxes.astype("Int64"),
        "containers_note": df["containers_note"].replace("", None),
        "imagery_provider": df["imagery_provider"].replace("", None),
        "source_outlet": df["source_outlet"], "source_url": df["source_url"],
        "published": published, "confidence": df["confidence"],
        "paraphrase": df["paraphrase"], "line": df["_line"].astype(int)})
    return out.reset_index(drop=True)


def read_aggregates(path) -> pd.DataFrame:
    """aggregates.csv, checked: one row per source's total with the date it applies to.

    Every row needs a unique agg_id, a claim, a number in `value`, a known `unit` (UNITS), an
    ISO `as_of` date, a scope, an outlet, an http(s) source_url, a publication date and a
    paraphrase; the first problem raises InputError naming the rows and the fix. Returns the
    columns of AGGREGATE_COLUMNS (dates as UTC midnight, value as float) and `line`.
    """
    p = Path(path)
    shown = display(p)
    df = _records(p, shown, AGGREGATE_COLUMNS, "agg_id")
    i = "agg_id"
    _common_checks(df, shown, i)
    as_of = _iso(df["as_of"])
    _fail(df, as_of.isna(), shown, i, "as_of", "no date the total applies to (YYYY-MM-DD)",
          "write the cut-off the source states, else its publication date, as YYYY-MM-DD")
    _fail(df, df["claim"] == "", shown, i, "claim", "no claim",
          "state the total in our words ('at least', 'about' belong here)")
    _fail(df, df["scope"] == "", shown, i, "scope", "no scope",
          "say which ships, ports and direction the total covers")
    value = _number(df["value"])
    _fail(df, ~(value >= 0), shown, i, "value", "not a number",
          "write the source's number only (e.g. 1000); 'more than'/'about' go in the claim")
    _vocab(df, "unit", UNITS, shown, i)
    out = pd.DataFrame({
        "agg_id": df["agg_id"], "claim": df["claim"], "value": value.astype(float),
        "unit": df["unit"], "as_of": as_of, "scope": df["scope"],
        "source_outlet": df["source_outlet"], "source_url": df["source_url"],
        "published": _iso(df["published"]), "paraphrase": df["paraphrase"],
        "line": df["_line"].astype(int)})
    return out.reset_index(drop=True)
