"""Parameter files (notebooks/params/*.yaml or anywhere): safe-loaded, merged, checked.

A parameter set names the inputs, the vessels and ports of interest, the time window and every
threshold. Notebooks receive the file (and optional overrides) in their `parameters` cell and
call `helpers.steps.start`, which calls `load()`; nothing else reads YAML.

Paths, one rule: a relative path inside a parameter file is relative to the folder of that
file; an absolute path is used as it is. The parameter file itself, when given as a relative
path, is looked for in the current folder, then in the project root. Without `outputs`, a run
writes beside its parameter file into a folder named after it: `<stem>/processed`,
`<stem>/figures` and `<stem>/` (report and executed notebooks).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import paths, provenance, reference
from .errors import ParamsError

DEFAULT = "notebooks/params/default.yaml"

# key -> expected type(s); nested dicts are checked one level down.
_TOP = {"name": str, "simulated": bool, "source_line": str, "window": dict, "inputs": dict,
        "vessels_of_interest": list, "route": dict, "thresholds": dict, "outputs": dict,
        "engine": str, "dask": dict, "screening": dict, "thresholds_from_default": list,
        "claim_vessels": list, "check_claims": bool}
_REQUIRED = ["window", "inputs", "vessels_of_interest", "route", "thresholds"]
_NUM = (int, float)
_NUM_OR_AUTO = (int, float, str)        # a number, or "auto": derived from the data (see the check below)
_THRESHOLDS = {
    "max_implied_speed_kn": _NUM, "port_max_sog_kn": _NUM, "port_min_dwell_hours": _NUM,
    "dark_min_hours": _NUM, "dark_rule": str, "reception_cell_deg": _NUM,
    "reception_bin_hours": _NUM, "reception_min_per_day": _NUM_OR_AUTO, "reception_min_ratio": _NUM,
    "dark_min_before": _NUM, "dark_min_before_in_port": _NUM, "port_radius_nm": _NUM,
    "imagery_max_cloud": _NUM, "sighting_length_tolerance_m": _NUM,
    "max_speed_kn": _NUM, "min_id_confidence": str, "dark_before_route_days": _NUM,
    "route_history_start": str, "claimed_round_trips": _NUM, "claimed_period_end": str,
    "claimed_containers": _NUM, "claimed_containers_by": str, "container_visibility_min": _NUM,
    "trip_min_dwell_hours": _NUM, "absence_max_gsd_m": _NUM, "round_trip_target": _NUM,
    "depot_window_days": _NUM, "claimed_depot_date": str, "jump_policy": str,
}
# thresholds a parameter file may leave out without taking default.yaml's value: the code's
# default applies (radar_max_gsd_m: helpers.imagery.platforms.RADAR_MAX_GSD_M)
_OPTIONAL_THRESHOLDS = {"radar_max_gsd_m": _NUM, "reception_share": _NUM}
_THRESHOLDS.update(_OPTIONAL_THRESHOLDS)
_CHOICES = {"jump_policy": ("reject", "keep")}
_INPUTS = {"ais": list, "acquisitions": (str, type(None)), "sightings": (str, type(None)),
           "ports": str, "coastline": str, "region_land": (str, type(None)),
           "vessels": (str, type(None)),
           "depot": (str, type(None)), "truth": (str, type(None)),
           "public_record": (str, type(None))}
_OUTPUTS = {"processed": str, "figures": str, "build": str}
_ENGINES = ("pandas", "dask")                     # helpers.engine.ENGINES
_DASK = {"address": (str, type(None)), "n_workers": int}
_SCREENING = {"near_nm": _NUM, "cruise_kn": _NUM, "port_hours": _NUM, "leg_max_hours": _NUM}
_AIS_ITEM = {"path": str, "format": str, "options": dict}
# options passed through to helpers.ais.read (see its docstring)
_AIS_OPTIONS = {"columns": dict, "speed_unit": str, "time_format": str, "chunksize": int,
                "time_policy": str, "layer": str, "mmsi": list}   # mmsi: ingested folders only


def _duplicate_key(node, prefix: str = ""):
    """(dotted key, first line, second line) of the first key given twice in one mapping of
    the composed YAML `node`, or None (yaml.safe_load would silently keep the last value)."""
    if isinstance(node, yaml.MappingNode):
        seen: dict = {}
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else None
            if key is not None and key in seen:
                return f"{prefix}{key}", seen[key], k.start_mark.line + 1
            if key is not None:
                seen[key] = k.start_mark.line + 1
            found = _duplicate_key(v, f"{prefix}{key}.")
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            found = _duplicate_key(v, f"{prefix.rstrip('.')}[{i}].")
            if found:
                return found
    return None


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in (over or {}).items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _check(d: dict, spec: dict, where: str, file: str) -> None:
    for k, v in d.items():
        if k not in spec:
            raise ParamsError(file, f"{where}{k}", "unknown parameter",
                              f"remove it or use one of {sorted(spec)}")
        if not isinstance(v, spec[k]) or (isinstance(v, bool) and spec[k] is _NUM):
            raise ParamsError(file, f"{where}{k}", f"has type {type(v).__name__}",
                              f"give a value of type {getattr(spec[k], '__name__', spec[k])}")


@dataclass
class Params:
    """A checked parameter set. `raw` is the merged YAML; helpers give typed access."""

    raw: dict
    file: str = DEFAULT                 # the file as shown (project-relative, or its name)
    overrides: dict = field(default_factory=dict)
    path: Path = field(default_factory=lambda: paths.PROJECT_ROOT / DEFAULT)   # the file itself

    @property
    def base(self) -> Path:
        """The folder relative paths in this parameter set are taken from."""
        return self.path.parent

    def resolve(self, value: str | Path) -> Path:
        """A path of the parameter set as an absolute path (relative: to the file's folder)."""
        p = Path(value)
        return p if p.is_absolute() else (self.base / p).resolve()

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    @property
    def t(self) -> dict:
        """Thresholds."""
        return self.raw["thresholds"]

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(self.raw["window"]["start"]).tz_convert("UTC")

    @property
    def end(self) -> pd.Timestamp:
        return pd.Timestamp(self.raw["window"]["end"]).tz_convert("UTC")

    @property
    def source_line(self) -> str:
        return self.raw.get("source_line", f"Data: {self.raw.get('name', 'see params')}")

    @property
    def check_claims(self) -> bool:
        """Whether notebook 50 checks the Rajin-Dunai reporting's claims (`check_claims`, default
        true; false for another shuttle, which they say nothing about)."""
        return self.raw.get("check_claims", True)

    @property
    def vessel_names(self) -> list[str]:
        """Display names of the vessels of interest (entries may be names, MMSIs or IMOs)."""
        return reference.vessel_names(self.raw["vessels_of_interest"], self.input("vessels"),
                                      use_reference=self.input("vessels") is not None)

    def input(self, key: str) -> Path | None:
        v = self.raw["inputs"].get(key)
        return None if v is None else self.resolve(v)

    def ais_inputs(self) -> list[dict]:
        """The `inputs.ais` items with their paths resolved."""
        return [{**item, "path": self.resolve(item["path"])} for item in self.raw["inputs"].get("ais", [])]

    def output(self, key: str) -> Path:
        p = self.resolve(self.raw["outputs"][key])
        p.mkdir(parents=True, exist_ok=True)
        return p

    def processed(self, name: str) -> Path:
        return self.output("processed") / name

    def input_files(self) -> list[Path]:
        """Every file the parameter set reads (folders expanded), sorted."""
        raw = self.raw["inputs"]
        found = [item["path"] for item in self.ais_inputs()]
        found += [self.resolve(v) for k, v in raw.items() if k != "ais" and isinstance(v, str)]
        out: list[Path] = []
        for p in found:
            if p.is_dir():
                out.extend(q for q in p.rglob("*") if q.is_file())
            elif p.is_file():
                out.append(p)
        return sorted(set(out))

    def record(self) -> dict:
        """The run's provenance record (helpers.provenance.record): inputs with sha256, the
        parameters that shape the results, package versions, run_id."""
        return provenance.record(self.file, self.raw, self.input_files())

    @property
    def run_id(self) -> str:
        return self.record()["run_id"]


def locate(file: str | Path) -> Path:
    """The parameter file: an absolute path as it is; a relative one in the current folder,
    else in the project root."""
    p = Path(file)
    if p.is_absolute():
        return p
    here = Path.cwd() / p
    return here.resolve() if here.is_file() else paths.PROJECT_ROOT / p


def default_outputs(path: Path) -> dict:
    """Outputs of a parameter file that names none: a folder named after it, beside it."""
    return {"processed": f"{path.stem}/processed", "figures": f"{path.stem}/figures", "build": path.stem}


def load(file: str | Path = DEFAULT, overrides: dict | None = None) -> Params:
    """Read a parameter file (see the module doc for where it is looked for), apply overrides,
    check it."""
    path = locate(file)
    shown = paths.display(path)
    if not path.is_file():
        raise ParamsError(str(file), "(file)", "parameter file not found (looked in the current folder "
                          "and the project root)", "give an absolute path, or one relative to the current "
                          f"folder or the project root, e.g. {DEFAULT}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ParamsError(shown, "(file)", "is not UTF-8 text", "save the file as UTF-8") from None
    try:
        dup = _duplicate_key(yaml.compose(text, Loader=yaml.SafeLoader))
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParamsError(shown, "(YAML)", f"not valid YAML ({exc})", "fix the syntax") from None
    if dup:
        raise ParamsError(shown, dup[0], f"given twice (lines {dup[1]} and {dup[2]}); YAML would "
                          "silently keep the last", "give each key once")
    if not isinstance(raw, dict):
        raise ParamsError(shown, "(top level)", "is not a mapping", "write key: value pairs")
    raw = _merge(raw, overrides or {})
    raw["outputs"] = {**default_outputs(path), **(raw.get("outputs") or {})}
    _check(raw, _TOP, "", shown)
    for k in _REQUIRED:
        if k not in raw:
            raise ParamsError(shown, k, "missing", f"add '{k}:' (see {DEFAULT})")
    _check(raw["thresholds"], _THRESHOLDS, "thresholds.", shown)
    _check(raw["inputs"], _INPUTS, "inputs.", shown)
    _check(raw["outputs"], _OUTPUTS, "outputs.", shown)
    missing = [k for k in _THRESHOLDS if k not in raw["thresholds"] and k not in _OPTIONAL_THRESHOLDS]
    if missing and path.resolve() != (paths.PROJECT_ROOT / DEFAULT).resolve():
        # a threshold a parameter file leaves out takes the default's value (recorded in the
        # merged parameters, so provenance and the report show it)
        base = load(DEFAULT).t
        raw["thresholds"] = {**{k: base[k] for k in missing if k in base}, **raw["thresholds"]}
        raw.setdefault("thresholds_from_default", sorted(k for k in missing if k in base))
        missing = [k for k in _THRESHOLDS if k not in raw["thresholds"] and k not in _OPTIONAL_THRESHOLDS]
    if missing:
        raise ParamsError(shown, "thresholds." + missing[0], "missing", f"add it (see {DEFAULT})")
    for key in ("start", "end"):
        try:
            ts = pd.Timestamp(raw["window"][key])
        except (KeyError, ValueError, TypeError):
            raise ParamsError(shown, f"window.{key}", "missing or not a time",
                              "give an ISO 8601 time with a zone, e.g. 2023-07-01T00:00:00Z") from None
        if ts.tzinfo is None:
            raise ParamsError(shown, f"window.{key}", "has no time zone",
                              "end the time with Z (UTC)")
    if pd.Timestamp(raw["window"]["end"]) <= pd.Timestamp(raw["window"]["start"]):
        raise ParamsError(shown, "window.end", f"{raw['window']['end']} is not after "
                          f"window.start {raw['window']['start']}", "give an end after the start")
    for k, v in raw["thresholds"].items():
        if _THRESHOLDS[k] is _NUM and v < 0:
            raise ParamsError(shown, f"thresholds.{k}", f"is {v}, a negative number",
                              "give zero or more")
    for k, v in raw["thresholds"].items():
        if _THRESHOLDS[k] is _NUM_OR_AUTO and (isinstance(v, bool) or (isinstance(v, str) and v != "auto")
                                               or (not isinstance(v, str) and v < 0)):
            raise ParamsError(shown, f"thresholds.{k}", f"is {v!r}",
                              "give zero or more, or auto (derived from the data)")
    for k, allowed in _CHOICES.items():
        if k in raw["thresholds"] and raw["thresholds"][k] not in allowed:
            raise ParamsError(shown, f"thresholds.{k}", f"is {raw['thresholds'][k]!r}",
                              f"use one of {list(allowed)}")
    if raw.get("engine", "pandas") not in _ENGINES:
        raise ParamsError(shown, "engine", f"is {raw['engine']!r}", f"use one of {list(_ENGINES)}")
    _check(raw.get("dask") or {}, _DASK, "dask.", shown)
    _check(raw.get("screening") or {}, _SCREENING, "screening.", shown)
    for i, entry in enumerate(raw["vessels_of_interest"]):
        try:
            reference.selector(entry, f"vessels_of_interest[{i}]")
        except ValueError as exc:
            raise ParamsError(shown, f"vessels_of_interest[{i}]", str(exc),
                              "write a name, {mmsi: 273210440}, {imo: 9179842} "
                              "or {imo: 9179842, name: ANGARA}") from None
    for i, item in enumerate(raw["inputs"]["ais"]):
        if not isinstance(item, dict) or "path" not in item:
            raise ParamsError(shown, f"inputs.ais[{i}]", "needs a 'path'",
                              "write {path: ..., format: auto}")
        _check(item, _AIS_ITEM, f"inputs.ais[{i}].", shown)
        if "options" in item:
            _check(item["options"], _AIS_OPTIONS, f"inputs.ais[{i}].options.", shown)
    return Params(raw=raw, file=shown, overrides=overrides or {}, path=path.resolve())
