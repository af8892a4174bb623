"""Before the first notebook: every input of a parameter set is opened and checked, so a bad
input stops the run in seconds with one line naming the file, the field and the fix
(helpers.errors.InputError), instead of failing half-way through the notebooks."""

from __future__ import annotations

import json
from pathlib import Path

from .. import ais, geo, imagery, ingest, paths, public_record, reference
from ..analysis import claims
from ..errors import InputError

TRUTH_FILES = ("round_trips.csv", "port_visits.csv", "ais_switches.csv")


def _exists(path: Path, field: str) -> None:
    if not path.exists():
        raise InputError(paths.display(path), field, "not found",
                         "give a path that exists (relative paths are relative to the parameter file's folder)")


def _catalog(path: Path) -> int:
    """The STAC input can be opened: a JSON file, or a folder holding JSON files (the full read
    and its QA are step 20's). Returns how many JSON files."""
    files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
    if not files:
        raise InputError(paths.display(path), "inputs.acquisitions", "a folder without any .json file",
                         "point inputs.acquisitions at a STAC catalog, collection, item or search page")
    for f in files[:1] + files[-1:]:
        try:
            json.loads(f.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(paths.display(f), "(file)", f"not readable JSON ({exc})",
                             "give STAC JSON (UTF-8)") from None
    return len(files)


def check(P) -> list[str]:
    """Open every input of `P` (ports, coastline, locator land, vessels, the first lines of each
    AIS file, the imagery catalog, sightings, depot counts, truth) and check the route's ports
    exist; raise InputError on the first problem. Returns one line per input checked."""
    done = []
    land = geo.load_land(P.input("coastline"))
    fences = geo.load_ports(P.input("ports"), land=land)     # inside the clip, berths not on land
    for key in ("origin", "destination"):
        port = P["route"][key]
        if port not in set(fences["port"]):
            raise InputError(paths.display(P.input("ports")), "port",
                             f"route.{key} {port!r} is not a port of this file",
                             f"use one of {sorted(fences['port'])} or add its geofence")
    done.append(f"ports: {len(fences)} geofences, route {P['route']['origin']} -> {P['route']['destination']}")
    done.append(f"coastline: {len(land)} polygons")
    if P.input("region_land") is not None:
        geo.load_region_land(P.input("region_land"))
        done.append("locator land: readable")
    if P.input("vessels") is not None:
        reference.read(P.input("vessels"))
    names = reference.vessel_names(P["vessels_of_interest"], P.input("vessels"),
                                   use_reference=P.input("vessels") is not None)
    done.append(f"vessels of interest: {', '.join(names)}")
    for i, item in enumerate(P.ais_inputs()):
        _exists(item["path"], f"inputs.ais[{i}].path")
        fmt = item.get("format", "auto")
        if ingest.is_ingested(item["path"]):
            fmt = f"ingested folder, {len(ingest.load_manifest(item['path'])['inputs'])} inputs"
        elif fmt == "auto":
            fmt = ais.detect_format(item["path"])
        done.append(f"AIS {paths.display(item['path'])}: {fmt}")
    if P.input("acquisitions") is not None:
        _exists(P.input("acquisitions"), "inputs.acquisitions")
        done.append(f"imagery catalog: {_catalog(P.input('acquisitions'))} JSON files")
    if P.input("sightings") is not None:
        _exists(P.input("sightings"), "inputs.sightings")
        kept, rejected = imagery.read_sightings_checked(P.input("sightings"))
        done.append(f"sightings: {len(kept)} rows, {len(rejected)} rejected")
    if P.input("public_record") is not None:
        folder = P.input("public_record")
        obs = public_record.read_observations(folder / "observations.csv")
        aggs = public_record.read_aggregates(folder / "aggregates.csv")
        done.append(f"public record: {len(obs)} observations, {len(aggs)} aggregates")
    if P.input("depot") is not None:
        done.append(f"depot counts: {len(claims.read_depot(P.input('depot')))} scenes")
    if P.input("truth") is not None:
        for name in TRUTH_FILES:
            _exists(P.input("truth") / name, "inputs.truth")
        done.append("truth: " + ", ".join(TRUTH_FILES))
    return done
