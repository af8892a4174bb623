"""The ports file: port geofences with their berths, checked on their own and against the run's
coastline.

A GeoJSON FeatureCollection, one Polygon Feature per port (lon/lat, EPSG:4326). Properties:

| property | required | meaning (default when left out or null) |
|---|---|---|
| `port` | yes | the port's name, unique; the parameter set's `route.origin`/`route.destination` name ports |
| `role` | yes | `origin`, `destination` or `other` |
| `berth_lon`, `berth_lat` | yes | the berth point (decimal degrees) inside the polygon, on the water at the quay |
| `anchorage_lon`, `anchorage_lat` | no | an anchorage outside the fence (none: null) |
| `country` | no | ISO country code or name ("") |
| `note` | no | free text: what the fence and berth are, sources ("") |
| `approximation` | no | how the geometry was made (`DEFAULT_APPROXIMATION`) |
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import paths
from ..errors import InputError
from .land import BERTH_ALLOWANCE_M, coastline_command, land_file, model, shore_distance_m, suggest_bbox

PORT_COLUMNS = ["port", "country", "role", "berth_lon", "berth_lat", "anchorage_lon",
                "anchorage_lat", "note", "approximation"]
REQUIRED = ["port", "role", "berth_lon", "berth_lat"]
DEFAULT_APPROXIMATION = "not stated in the ports file"
OPTIONAL = {"country": "", "note": "", "approximation": DEFAULT_APPROXIMATION,
            "anchorage_lon": np.nan, "anchorage_lat": np.nan}
ROLES = {"origin", "destination", "other"}


def load_ports(path: str | Path | None = None, land=None) -> gpd.GeoDataFrame:
    """The port geofences, one row per port, with the columns of ``PORT_COLUMNS`` + geometry
    (optional properties filled with their defaults, ``OPTIONAL``).

    `path`: the parameter set's ``inputs.ports``; None reads the bundled
    ``data/reference/ports.geojson``. Checks required properties, roles, numbers, valid
    polygons, unique port names, and that each berth point lies inside its polygon; with `land`
    (the run's coastline) also `check_ports`. Problems raise InputError naming the file, the
    field and the fix. ``attrs["file"]`` names the file."""
    p = paths.resolve(path) if path is not None else paths.REFERENCE / "ports.geojson"
    name = paths.display(p)
    if not p.is_file():
        raise InputError(name, "file", "the port geofence file does not exist (or is a folder)",
                         "pass the path of a GeoJSON FeatureCollection of port polygons")
    try:
        gdf = gpd.read_file(p)
    except Exception as exc:  # noqa: BLE001
        raise InputError(name, "file", f"cannot be read as GeoJSON ({exc})",
                         "fix the JSON syntax (one Feature per port)") from exc
    if gdf.empty:
        raise InputError(name, "features", "the file holds no port", "give one Feature per port")
    missing = [c for c in REQUIRED if c not in gdf.columns]
    if missing:
        raise InputError(name, missing[0], f"required properties missing: {missing}",
                         f"give every feature the properties {REQUIRED} (optional: "
                         f"{sorted(OPTIONAL)}; README 'Ports file')")
    for c in REQUIRED:
        if gdf[c].isna().any():
            bad = gdf.loc[gdf[c].isna(), "port"].tolist()
            raise InputError(name, c, f"empty for feature(s) {bad}", f"fill in '{c}'")
    for c, default in OPTIONAL.items():
        if c not in gdf.columns:
            gdf[c] = default
        elif isinstance(default, str) and gdf[c].isna().any():
            gdf[c] = gdf[c].fillna(default)
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        raise InputError(name, "crs", f"CRS is {gdf.crs}", "use lon/lat (EPSG:4326)")
    gdf = gdf.set_crs("EPSG:4326", allow_override=True)
    dup = gdf.loc[gdf["port"].duplicated(), "port"].tolist()
    if dup:
        raise InputError(name, "port", f"duplicate port names {dup}", "give each port one feature")
    bad_role = sorted(set(gdf["role"]) - ROLES)
    if bad_role:
        raise InputError(name, "role", f"unknown roles {bad_role}", f"use one of {sorted(ROLES)}")
    for c in ["berth_lon", "berth_lat", "anchorage_lon", "anchorage_lat"]:
        vals = pd.to_numeric(gdf[c], errors="coerce")
        if (vals.isna() & gdf[c].notna()).any() or (c.startswith("berth") and vals.isna().any()):
            raise InputError(name, c, "not a number", f"write '{c}' as decimal degrees")
        gdf[c] = vals.astype(float)
    half = gdf["anchorage_lon"].isna() != gdf["anchorage_lat"].isna()
    if half.any():
        raise InputError(name, "anchorage_lon/anchorage_lat", "only one of the two given for "
                         f"{gdf.loc[half, 'port'].tolist()}", "give both or neither")
    if not (gdf.geom_type == "Polygon").all():
        raise InputError(name, "geometry", "every feature must be a Polygon",
                         "draw one Polygon per port")
    b = gdf.geometry.bounds
    outside = (b["minx"] < -180) | (b["maxx"] > 180) | (b["miny"] < -90) | (b["maxy"] > 90)
    if outside.any():
        raise InputError(name, "geometry", f"coordinates outside lon -180..180, lat -90..90 for "
                         f"{gdf.loc[outside, 'port'].tolist()}",
                         "give lon/lat in degrees (EPSG:4326), longitude first")
    invalid = gdf.loc[~gdf.geometry.is_valid, "port"].tolist()
    if invalid:
        raise InputError(name, "geometry", f"invalid polygon(s) for {invalid}",
                         "redraw the polygon without self-intersections")
    inside = shapely.contains_xy(gdf.geometry.values, gdf["berth_lon"], gdf["berth_lat"])
    if not inside.all():
        bad = gdf.loc[~inside, "port"].tolist()
        raise InputError(name, "berth_lon/berth_lat", f"berth point outside the fence for {bad}",
                         "move the berth point inside the polygon (or redraw the polygon)")
    out = gdf[PORT_COLUMNS + ["geometry"]].reset_index(drop=True)
    out.attrs["file"] = name
    if land is not None:
        check_ports(out, land)
    return out


def check_ports(ports: gpd.GeoDataFrame, land) -> None:
    """InputError (naming the ports file, the field and the fix) when a berth or anchorage lies
    outside the coastline clip of `land`, or on land more than BERTH_ALLOWANCE_M from its shore
    (a berth may sit on the digitised quay line or just inside it)."""
    name = ports.attrs.get("file", "the ports file")
    _, m = model(land, "check_ports")
    w, s, e, n = m.bounds
    fb = ports.geometry.bounds
    for kind in ("berth", "anchorage"):
        lon, lat = ports[f"{kind}_lon"].to_numpy(float), ports[f"{kind}_lat"].to_numpy(float)
        given = ~np.isnan(lon)
        out = given & ~((lon >= w) & (lon <= e) & (lat >= s) & (lat <= n))
        if out.any():
            bbox = suggest_bbox(np.r_[fb["minx"], fb["maxx"]], np.r_[fb["miny"], fb["maxy"]])
            raise InputError(name, f"{kind}_lon/{kind}_lat",
                             f"{kind} of {ports.loc[out, 'port'].tolist()} outside the coastline "
                             f"clip {land_file(land)} (lon {w:g} to {e:g}, lat {s:g} to {n:g})",
                             "make a coastline that covers every port: "
                             f"`{coastline_command(bbox)}`, then set inputs.coastline to FILE")
        idx = np.nonzero(given)[0]
        on = np.zeros(len(ports), bool)
        on[idx] = shapely.intersects_xy(m.union, lon[idx], lat[idx])
        if on.any():
            depth = np.zeros(len(ports))
            depth[on] = shore_distance_m(lon[on], lat[on], m)
            deep = on & (depth > BERTH_ALLOWANCE_M)
            if deep.any():
                what = ", ".join(f"{p} ({d:.0f} m)" for p, d in zip(ports.loc[deep, "port"], depth[deep]))
                raise InputError(name, f"{kind}_lon/{kind}_lat",
                                 f"{kind} on land, this far inland from the shore of "
                                 f"{land_file(land)}: {what}", f"move the {kind} point onto the "
                                 f"water (a berth at the quay: within {BERTH_ALLOWANCE_M:.0f} m of the "
                                 "shore is accepted)")
