"""What every AIS reader returns, and how its tables are assembled.

`AisData` (one input file in the canonical tables plus its QA counts), the reject reasons all
readers and the cleaning share, the key of a static (vessel) record, and `assemble`: validate
a reader's tables against helpers.schema and count its QA, checking that every input record
landed in exactly one bucket (`rows_read == positions + static + rejected + skipped`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..schema import TABLES, validate_fast

NS = 1_000_000_000  # nanoseconds in a second
STATIC_KEY = ["mmsi", "imo", "name", "callsign", "flag", "ship_type", "length_m", "beam_m"]

R_BAD_CHECKSUM = "bad checksum"
R_BAD_TAG_CHECKSUM = "bad checksum (tag block)"
R_ORPHAN = "orphan multipart fragment"
R_UNDECODABLE = "undecodable payload"
R_MALFORMED = "malformed sentence"
R_NO_TS = "no timestamp"
R_BAD_MMSI = "invalid MMSI"
R_NOT_AVAILABLE = "position not available"
R_IMPOSSIBLE = "impossible coordinates"
R_BAD_TIME = "unparseable time"
R_WINDOW = "time outside analysis window"
R_BASE_STATION = "base station report"
R_NO_POINT = "geometry is not a point"

POSITION_TYPES = (1, 2, 3, 18, 19, 27)  # AIS message types that report a position
STATIC_TYPES = (5, 24)                  # ... and those that report static (voyage) data


@dataclass
class AisData:
    """One input file read into the canonical tables, with its QA counts."""
    positions: pd.DataFrame
    vessels: pd.DataFrame
    rejects: pd.DataFrame
    qa: dict = field(default_factory=dict)


def vessels_frame(vessels: pd.DataFrame) -> pd.DataFrame:
    """Static records with the canonical dtypes, validated, in (mmsi, first_seen, last_seen) order."""
    for col in ("imo", "ship_type"):
        vessels[col] = pd.array(vessels[col], dtype="Int64")
    for col in ("length_m", "beam_m"):
        vessels[col] = pd.to_numeric(vessels[col]).astype("float64")
    for col in ("name", "callsign", "flag"):  # the declared string dtype, as validation coerces
        vessels[col] = vessels[col].astype(object).where(vessels[col].notna(), None) \
            .astype(TABLES["vessels"].columns[col].dtype.type)
    vessels = validate_fast(vessels, "vessels")
    return vessels.sort_values(["mmsi", "first_seen", "last_seen"], kind="stable",
                               ignore_index=True)


def assemble(positions, vessels, rejects, *, source, rows_read, static, skipped, by_reason) -> AisData:
    """A reader's result: its three tables validated and its QA counts (the identity asserted)."""
    positions = validate_fast(positions, "positions")
    vessels = vessels_frame(vessels)
    rejects = validate_fast(rejects, "rejects")
    stamps = pd.concat([positions["ts"], vessels["first_seen"], vessels["last_seen"]]).dropna()
    qa = {
        "source": source,
        "rows_read": int(rows_read),
        "positions": len(positions),
        "static": int(static),
        "rejected": len(rejects),
        "by_reason": dict(sorted(by_reason.items())),
        "skipped": int(skipped),
        "vessels": int(pd.concat([positions["mmsi"], vessels["mmsi"]]).nunique()),
        "first_ts": stamps.min() if len(stamps) else None,
        "last_ts": stamps.max() if len(stamps) else None,
    }
    total = qa["positions"] + qa["static"] + qa["rejected"] + qa["skipped"]
    assert qa["rows_read"] == total, f"QA identity broken for {source}: {qa}"
    return AisData(positions, vessels, rejects, qa)
