"""Test data and helpers shared by several test modules (one place for each)."""

from __future__ import annotations

from functools import reduce
from operator import xor
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import yaml
from pyais import encode_dict
from shapely.geometry import box

from helpers import params, pipeline, steps
from helpers.ais import MC_COLUMNS

T0 = pd.Timestamp("2023-08-01T00:00:00Z")


def output_overrides(out) -> dict:
    """Parameter overrides that send a run's processed tables, figures and build into `out`."""
    return {"outputs": {"processed": str(out / "processed"), "figures": str(out / "figures"),
                        "build": str(out / "build")}}


def run_into(out, params_file=params.DEFAULT, **kw):
    """Run the pipeline with `params_file` into folder `out`; the parameter set and a reader."""
    overrides = output_overrides(out)
    pipeline.run(params_file, overrides=overrides, **kw)
    P = params.load(params_file, overrides=overrides)
    return SimpleNamespace(P=P, out=out, read=lambda name: steps.common.load(P, name))


def two_fences(east_lon: float = 1.0, names=("A", "B")) -> gpd.GeoDataFrame:
    """Two square port geofences 0.1 degree wide on the equator, at lon 0 and `east_lon`, with
    berth points at their centres."""
    f = gpd.GeoDataFrame({"port": list(names)},
                         geometry=[box(0, 0, 0.1, 0.1), box(east_lon, 0, east_lon + 0.1, 0.1)],
                         crs="EPSG:4326")
    f["berth_lon"], f["berth_lat"] = [0.05, east_lon + 0.05], [0.05, 0.05]
    return f


def track(mmsi: int, hours, lons, sogs, lat: float = 0.05) -> pd.DataFrame:
    """A vessel's positions at `hours` after T0 along the equator-parallel line `lat`."""
    return pd.DataFrame({"mmsi": mmsi, "ts": [T0 + pd.Timedelta(hours=h) for h in hours],
                         "lat": lat, "lon": lons, "sog_kn": sogs})


# ---------------------------------------------------------------------------------------------
# AIS inputs (tests/ais): two vessels, NMEA sentences, small files
# ---------------------------------------------------------------------------------------------

T0_UNIX = 1690848000  # T0 in unix seconds: 2023-08-01T00:00:00Z
ANGARA, MARIA = 273123450, 273654320
AIS_FIXTURES = Path(__file__).parent / "fixtures" / "ais"          # synthetic_*.csv: invented
REAL_AIS = Path(__file__).parent / "fixtures" / "real" / "ais"    # real exports (README there)
MC_HEADER = ",".join(MC_COLUMNS)


def tag_block(sentence: str, **fields) -> str:
    """`sentence` behind an NMEA 4 tag block holding `fields` (e.g. s="RCV1", c=unix seconds)."""
    body = ",".join(f"{k}:{v}" for k, v in fields.items())
    return f"\\{body}*{reduce(xor, body.encode(), 0):02X}\\{sentence}"


def type1(mmsi=ANGARA, lat=42.345678, lon=130.3926, speed=11.3, course=87.4, heading=88,
          status=0, channel="A") -> str:
    """One AIS type-1 position report as a `!AIVDM` sentence."""
    return encode_dict({"type": 1, "mmsi": mmsi, "lat": lat, "lon": lon, "speed": speed,
                        "course": course, "heading": heading, "status": status},
                       talker_id="AI", sentence_type="VDM", radio_channel=channel)[0]


def write_text_lines(tmp_path, name, lines):
    """`lines` written to `tmp_path / name`, one a line (UTF-8); the path."""
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def two_vessel_positions() -> pd.DataFrame:
    """Eight positions of ANGARA and MARIA over 13 h with a receiver each (missing values too)."""
    ts = pd.Timestamp("2023-08-01", tz="UTC") + pd.to_timedelta(
        [0, 0, 1800, 3600, 4 * 3600, 7 * 3600, 13 * 3600, 13 * 3600 + 5], unit="s")
    return pd.DataFrame({
        "mmsi": [ANGARA, MARIA, ANGARA, MARIA, ANGARA, ANGARA, ANGARA, MARIA],
        "ts": ts,
        "lat": [42.24361, 42.90012, 42.3, 42.95, 42.5, 42.7, 42.9, 43.0],
        "lon": [130.30123, 131.5, 130.4, 131.6, 130.6, 130.8, 131.0, 131.7],
        "sog_kn": [0.0, 10.5, 9.9, np.nan, 11.1, 12.0, 0.2, 3.3],
        "cog_deg": [0.0, 45.3, 80.0, np.nan, 90.1, 100.0, 359.9, 12.0],
        "heading_deg": [0.0, 45.0, 81.0, np.nan, 90.0, 101.0, 359.0, 12.0],
        "nav_status": pd.array([5, 0, 0, 0, 0, 0, 1, pd.NA], dtype="Int64"),
        "receiver": ["RAJIN-1", "DUNAI-1", "RAJIN-1", "DUNAI-1", "SAT", "SAT", "SAT", "DUNAI-1"],
    })


TWO_VESSELS = pd.DataFrame({"mmsi": [ANGARA, MARIA], "imo": [9179842, 9000001],
                            "name": ["ANGARA", "MARIA"], "callsign": ["UBCD7", "UAAA"],
                            "ship_type": [70, 70], "length_m": [122.0, 100.0],
                            "beam_m": [18.0, 16.0]})


def assert_qa_identity(d):
    """Every record of an AIS reader's QA lands in exactly one bucket."""
    q = d.qa
    assert q["rows_read"] == q["positions"] + q["static"] + q["rejected"] + q["skipped"]


def params_elsewhere(src, dst, **changes):
    """Copy the parameter file `src` to `dst` (another folder), its relative paths made absolute
    so they still point where they did; top-level `changes` replace keys (e.g. outputs=...)."""
    src = params.locate(src)
    raw = yaml.safe_load(src.read_text(encoding="utf-8"))

    def absolute(v):
        return v if v is None or Path(v).is_absolute() else str((src.parent / v).resolve())
    for k, v in raw["inputs"].items():
        raw["inputs"][k] = [{**i, "path": absolute(i["path"])} for i in v] if k == "ais" else absolute(v)
    raw["outputs"] = {k: absolute(v) for k, v in (raw.get("outputs") or {}).items()} or None
    raw.update(changes)
    raw = {k: v for k, v in raw.items() if v is not None}
    Path(dst).write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return Path(dst)


def ports_geojson(ports: dict, **props) -> dict:
    """A ports GeoJSON document from {name: (role, (berth_lon, berth_lat), (W, S, E, N) fence box)},
    each feature's properties port, role, berth point, then `props` (the same for every port)."""
    feats = []
    for name, (role, (bx, by), (x0, y0, x1, y1)) in ports.items():
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        feats.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                      "properties": {"port": name, "role": role, "berth_lon": bx, "berth_lat": by, **props}})
    return {"type": "FeatureCollection", "features": feats}
