"""What every step shares: starting a run, and where a run's tables and inputs are.

A step reads the parameter set `P` (helpers.params.Params) and the tables earlier steps wrote;
the analysis below it (helpers.analysis, helpers.ais, helpers.imagery, helpers.figures) never
does. Tables of a run live in `P.processed(...)`; each carries the run's provenance record.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import fileio, geo, params, reference, store


def start(params_file: str | Path = params.DEFAULT, overrides: dict | None = None) -> params.Params:
    """Load and check the parameter set (every notebook's first call) and say what it runs on."""
    P = params.load(params_file, overrides)
    print(f"parameters: {P.file}; window {P.start:%Y-%m-%d} to {P.end:%Y-%m-%d}")
    if P["simulated"]:
        print("DATA: simulated reference scenario, not real observations")
    return P


def save(P, df: pd.DataFrame, name: str, *, table: str | None = None) -> Path:
    """Write table `name` of the run (schema `table`, default `name`) with the run's provenance."""
    return store.write(df, P.processed(f"{name}.parquet"), P.record(), table=table or name)


def save_csv(P, df: pd.DataFrame, filename: str) -> Path:
    """A CSV copy of a table beside the run's processed tables (for readers without Parquet)."""
    return fileio.write_csv(df, P.processed(filename))


def load(P, name: str, *, table: str | None = None) -> pd.DataFrame:
    """Table `name` of the run, validated again."""
    return store.read(P.processed(f"{name}.parquet"), table=table or name)


def load_optional(P, name: str, *, table: str | None = None) -> pd.DataFrame | None:
    """Table `name` of the run, or None when this run did not write it."""
    return load(P, name, table=table) if P.processed(f"{name}.parquet").is_file() else None


def load_ports(P):
    """The parameter set's port geofences, checked against its coastline (every berth inside
    the clip and on the water: helpers.geo.check_ports)."""
    return geo.load_ports(P.input("ports"), land=load_land(P))


def load_land(P):
    """The parameter set's coastline (land polygons)."""
    return geo.load_land(P.input("coastline"))


def vessels(P) -> pd.DataFrame:
    """The vessels of interest as step 10 resolved them (with the AIS static data)."""
    return load(P, "vessels_of_interest").astype({"mmsi": "Int64", "imo": "Int64"})


def names(P) -> dict[int, str]:
    """mmsi -> name of the vessels of interest."""
    return reference.names(vessels(P))


def lengths(P) -> dict[str, float]:
    """name -> length (m) of the vessels of interest whose length is known."""
    ref = vessels(P)
    return {n: float(v) for n, v in zip(ref["name"], ref["length_m"]) if pd.notna(v)}


def route(P) -> tuple[str, str]:
    """(origin, destination) of the route."""
    return P["route"]["origin"], P["route"]["destination"]


def dark_options(P, fences=None, land=None) -> dict:
    """Keyword arguments of helpers.analysis.gaps.dark_periods from the thresholds, with the
    port fences and land that classification uses."""
    t = P.t
    return dict(ports=fences, land=land, min_hours=float(t["dark_min_hours"]), rule=str(t["dark_rule"]),
                cell_deg=float(t["reception_cell_deg"]), bin_hours=float(t["reception_bin_hours"]),
                min_per_day=("auto" if t["reception_min_per_day"] == "auto" else float(t["reception_min_per_day"])),
                **({"reception_share": float(t["reception_share"])} if "reception_share" in t else {}),
                min_ratio=float(t["reception_min_ratio"]), min_before=int(t["dark_min_before"]),
                min_before_in_port=int(t["dark_min_before_in_port"]),
                port_radius_nm=float(t["port_radius_nm"]))
