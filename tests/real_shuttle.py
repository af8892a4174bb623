"""A real ferry shuttle for the tests: one ferry of the Rødby–Puttgarden line (Fehmarn Belt) on
25 Apr 2023, from Danish Maritime Authority AIS as stored (MobilityDB's MEOS binary, hex) by the
PyMEOS demo repository (tests/fixtures/README.md: provenance, licence, the time correction).

`decode_meos` reads the fixture's temporal sequences; `positions_csv` writes them as a plain
position table for the pipeline; `crossings` is the test's own oracle, independent of the
package: runs of positions within `radius_km` of each terminal, a crossing at each change.
`write_example` writes the worked example `data/examples/fehmarn_ferry/` (positions, ports,
coastline and locator land, MANIFEST); regenerate it with

    .venv/bin/python -m tests.real_shuttle data/examples/fehmarn_ferry
"""

from __future__ import annotations

import csv
import json
import struct
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import __main__ as cli
from helpers import fileio, paths
from tests import factories

EXAMPLE = paths.PROJECT_ROOT / "data" / "examples" / "fehmarn_ferry"
POSITIONS = "ferry_211188000_20230425.csv"
GSHHG = paths.PROJECT_ROOT / "tests" / "fixtures" / "real" / "gshhg"
BBOX = ("11.0", "54.4", "11.6", "54.75")           # the coastline clip around both terminals
LOCATOR_BBOX = ("8", "54", "16", "58")
FIXTURE = paths.PROJECT_ROOT / "tests" / "fixtures" / "real" / "ais" / "pymeos_demo_dma_ferries_20230425_211188000.csv"
MMSI = 211188000
# the demo read DMA's UTC times as Danish summer time (UTC+2) before storing them as UTC, so
# every stored instant is 2 h early: the day file covers 25 Apr 2023 00:00-24:00 UTC
STORED_OFFSET = timedelta(hours=2)
EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)          # MEOS timestamps: microseconds since
# terminals, our own approximation: the berth point is the ferry's position nearest its slowest
# ones (54.5030 N 11.2284 E; 54.6534 N 11.3501 E) that GSHHG puts on water (its coast runs
# across both harbour basins), the fence a box around the harbour
TERMINALS = {"Puttgarden": ("origin", (11.2304, 54.5052), (11.220, 54.497, 11.242, 54.512)),
             "Rodby": ("destination", (11.3491, 54.6525), (11.335, 54.645, 11.360, 54.660))}


def decode_meos(hexwkb: str, point: bool) -> list[tuple[datetime, object]]:
    """One MEOS temporal sequence (WKB, little endian): (instant, value) pairs; value (lon, lat)
    for a temporal point, a float otherwise. Checks every byte is read."""
    b = bytes.fromhex(hexwkb)
    assert b[0] == 1, "big-endian MEOS WKB is not expected here"
    o = 3                                   # endianness byte, temporal type (uint16)
    flags = b[o]
    o += 1
    if flags & 0x40:                        # SRID present
        o += 4
    assert flags & 3 == 2, "a single sequence (subtype 2) is expected"
    n = struct.unpack_from("<i", b, o)[0]
    o += 5                                  # count, then the bounds-inclusive byte
    z = bool(flags & 0x10)
    out = []
    for _ in range(n):
        if point:
            xyz = struct.unpack_from("<3d" if z else "<2d", b, o)
            o += 24 if z else 16
            value = (xyz[0], xyz[1])
        else:
            value = struct.unpack_from("<d", b, o)[0]
            o += 8
        t = struct.unpack_from("<q", b, o)[0]
        o += 8
        out.append((EPOCH + timedelta(microseconds=t), value))
    assert o == len(b), "bytes left over after the sequence"
    return out


def positions(fixture: Path = FIXTURE) -> pd.DataFrame:
    """The ferry's positions: one row per instant of its trip, times corrected to UTC; SOG and COG
    (stored as their own sequences, thinned separately) linearly interpolated at each instant, as
    MEOS's linear interpolation defines them between their stored instants."""
    csv.field_size_limit(1 << 30)
    with open(fixture, newline="", encoding="ascii") as f:
        [row] = list(csv.DictReader(f))
    trip = decode_meos(row["Trip"], point=True)
    ts = pd.DatetimeIndex([t for t, _ in trip]) + STORED_OFFSET
    out = pd.DataFrame({"mmsi": int(row["MMSI"]), "ts": ts,
                        "lat": [v[1] for _, v in trip], "lon": [v[0] for _, v in trip]})
    t_ns = ts.asi8
    for col, key in (("sog", "SOG"), ("cog", "COG")):
        seq = decode_meos(row[key], point=False)
        st = (pd.DatetimeIndex([t for t, _ in seq]) + STORED_OFFSET).asi8
        out[col] = np.round(np.interp(t_ns, st, [v for _, v in seq]), 1)
    return out


def positions_csv(path: Path, pos: pd.DataFrame) -> Path:
    """A plain position table (mmsi, timestamp_utc, lat, lon, sog_kn, cog_deg) that
    `helpers.ais.read` reads as a generic table by its column names."""
    p = pos.assign(ts=pos["ts"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"), lat=pos["lat"].round(6), lon=pos["lon"].round(6))
    p.rename(columns={"ts": "timestamp_utc", "sog": "sog_kn", "cog": "cog_deg"}).to_csv(
        path, index=False, lineterminator="\n")
    return path


def ports_geojson() -> dict:
    """The two terminals as a ports file: fence, role and berth point (our own approximation)."""
    return factories.ports_geojson(TERMINALS, approximation="our own: a box around the harbour, the berth "
                                                            "on the ferry's track (tests/real_shuttle.py)")


GENERATED = (POSITIONS, "ports.geojson", "coastline.gpkg", "coastline.PROVENANCE.md", "region_land.gpkg",
             "region_land.PROVENANCE.md")


def write_example(out: Path) -> list[str]:
    """Write the worked example's data files into `out` (README.md is written by hand) and its
    MANIFEST (every file with its sha256, README.md included when present)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    positions_csv(out / POSITIONS, positions())
    fileio.write_text(out / "ports.geojson", json.dumps(ports_geojson(), indent=1, ensure_ascii=False) + "\n")
    for cmd, box, name in (("coastline", BBOX, "coastline.gpkg"), ("locator", LOCATOR_BBOX, "region_land.gpkg")):
        assert cli.main([cmd, "--bbox", *box, "--out", str(out / name), "--source", str(GSHHG)]) == 0
    files = sorted([*GENERATED, *(["README.md"] if (out / "README.md").is_file() else [])])
    lines = ["# REAL data: Danish Maritime Authority AIS of one Rødby–Puttgarden ferry, 25 Apr 2023",
             "# generator: python -m tests.real_shuttle (rajin-dunai), from tests/fixtures/real/ais/"
             "pymeos_demo_dma_ferries_20230425_211188000.csv; licence: DMA data with attribution, "
             "GSHHG clips LGPL-3.0",
             "file\tsha256"] + [f"{f}\t{fileio.sha256(out / f)}" for f in files]
    fileio.write_text(out / "MANIFEST", "\n".join(lines) + "\n")
    return files


if __name__ == "__main__":
    print("\n".join(write_example(Path(sys.argv[1]) if len(sys.argv) > 1 else EXAMPLE)))


def _km(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(h))


def crossings(pos: pd.DataFrame, radius_km: float = 1.0) -> pd.DataFrame:
    """The oracle: each crossing as (origin, destination, depart, arrive), depart the last position
    within `radius_km` of the terminal left, arrive the first within it of the other."""
    at = pd.Series(None, index=pos.index, dtype=object)
    for name, (_, (lon, lat), _) in TERMINALS.items():
        at[_km(pos["lat"].to_numpy(), pos["lon"].to_numpy(), lat, lon) <= radius_km] = name
    seen = pos.assign(at=at).dropna(subset=["at"])
    rows, last = [], None
    for r in seen.itertuples():
        if last is not None and r.at != last.at:
            rows.append((last.at, r.at, last.ts, r.ts))
        last = r
    return pd.DataFrame(rows, columns=["origin", "destination", "depart", "arrive"])
