"""Test data and helpers shared by several test modules (one place for each)."""

from __future__ import annotations

from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from helpers import params, pipeline, steps

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
