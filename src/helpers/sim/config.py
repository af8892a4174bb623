"""What the simulated world does: the scenario's configuration (a YAML file or a named preset).

The defaults are the reference scenario (`make scenario`, seed 20231016): two ships, ANGARA
(4 round trips) and MARIA (3), loading 2-3.5 days at Rajin, unloading 1.5-3 days at Dunai,
10-12.5 kn, dark from 13 and 21 Aug 2023, three coastal receivers (0.85 reception within 15 nm,
three outages each), a satellite provider (0.55 per pass), daily 3 m and tasked 0.5 m scenes,
5-day 10 m scenes, and an analyst who names the other ship of interest in 30% of low-confidence
identifications. A config file gives only what differs; anything it leaves out keeps the
default. Every field is checked, and an error names the field and the fix
(`helpers.errors.InputError`).

Presets (``--config NAME``): the robustness study's worlds, `PRESETS`.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import yaml

from ..errors import InputError

SHIP_DEFAULTS = dict(imo=None, callsign="", flag="RU", ship_type=79, beam_m=None, speed_kn=[10.0, 12.0],
                     home="Vladivostok", trade_ports=["Vladivostok", "Vostochny", "Nakhodka"],
                     dark_from="2023-08-13T04:00Z", trips=3, cargo=[150, 330], wait_days=[5.0, 8.5])

DEFAULT: dict = {
    "name": "default",
    "ships": [
        dict(name="ANGARA", mmsi=273210440, imo=9179842, callsign="UBCF9", flag="RU", ship_type=79,
             length_m=120, beam_m=18, speed_kn=[10.0, 12.5], home="Vladivostok",
             trade_ports=["Vladivostok", "Vostochny", "Nakhodka"], dark_from="2023-08-13T04:00Z",
             trips=4, cargo=[260, 330], wait_days=[5.0, 8.5]),
        dict(name="MARIA", mmsi=273000002, imo=8517839, callsign="UBMR2", flag="RU", ship_type=79,
             length_m=100, beam_m=16, speed_kn=[10.0, 12.0], home="Nakhodka",
             trade_ports=["Nakhodka", "Vladivostok", "Zarubino"], dark_from="2023-08-21T02:00Z",
             trips=3, cargo=[150, 210], wait_days=[7.0, 11.0]),
    ],
    "stays": {"load_days": [2.0, 3.5], "unload_days": [1.5, 3.0], "last_return": "2023-10-14T23:00Z"},
    "reception": {"terrestrial_p": 0.85, "terrestrial_outages": 3, "terrestrial_outage_hours": [6.0, 30.0],
                  "satellite_p": 0.55, "satellite_outages": 3, "satellite_outage_hours": [16.0, 26.0]},
    "imagery": {"revisit_days": 1, "cloud_factor": 1.0, "misid_low": 0.3, "misid_medium": 0.0},
    # How the simulator does it (not what the world does): `fast` routes the background ships
    # berth -> anchorage -> anchorage -> berth over cached sea routes (instead of one route per
    # pair of berths, about 3 minutes of routing per new seed) and writes the coastal receivers'
    # messages as a MarineCadastre CSV (instead of NMEA sentences); the ships of interest sail
    # the same routes either way. The robustness study uses it; the reference scenario does not.
    "simulation": {"fast": False},
}

# The robustness study's worlds (benchmarks/validity.py): what each changes from the default.
PRESETS: dict[str, dict] = {
    "default": {},
    "short-stay": {"name": "short-stay",      # hour-long stays, many trips
                   "stays": {"load_days": [0.15, 0.4], "unload_days": [0.1, 0.3]},
                   "ships": [{"trips": 8, "wait_days": [2.0, 4.0]}, {"trips": 6, "wait_days": [3.0, 5.0]}]},
    "long-stay": {"name": "long-stay",        # week-long stays, few trips
                  "stays": {"load_days": [5.0, 8.0], "unload_days": [4.0, 7.0]},
                  "ships": [{"trips": 3, "wait_days": [1.0, 3.0]}, {"trips": 2, "wait_days": [2.0, 5.0]}]},
    "poor-reception": {"name": "poor-reception",
                       "reception": {"terrestrial_p": 0.45, "terrestrial_outages": 8,
                                     "terrestrial_outage_hours": [12.0, 48.0], "satellite_p": 0.25,
                                     "satellite_outages": 8}},
    "cloudy": {"name": "cloudy", "imagery": {"cloud_factor": 2.5}},
    "weekly-imagery": {"name": "weekly-imagery", "imagery": {"revisit_days": 7}},
}

PORTS = ["Vladivostok", "Vostochny", "Nakhodka", "Zarubino", "Posyet"]


class ConfigError(InputError):
    """A scenario config that cannot be simulated: names the file, the field and the fix."""


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if k == "ships":
            continue
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else copy.deepcopy(v)
    if "ships" in over:
        ships = over["ships"]
        if not isinstance(ships, list):
            out["ships"] = ships            # reported by check()
        else:
            # ship k of the override changes ship k of the default; further ships start from SHIP_DEFAULTS
            out["ships"] = [_merge(base["ships"][k] if k < len(base["ships"]) else SHIP_DEFAULTS, s)
                            if isinstance(s, dict) else s for k, s in enumerate(ships)]
    return out


def _range(where, field, v, lo, hi, integer=False):
    if not (isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(x, (int, float))
                                                                 and not isinstance(x, bool) for x in v)):
        raise ConfigError(where, field, f"is {v!r}", f"give [min, max], numbers between {lo} and {hi}")
    if not (lo <= v[0] <= v[1] <= hi):
        raise ConfigError(where, field, f"is {list(v)}", f"give min <= max, both between {lo} and {hi}")
    if integer and not all(float(x).is_integer() for x in v):
        raise ConfigError(where, field, f"is {list(v)}", "give whole numbers")


def _number(where, field, v, lo, hi, integer=False):
    ok = isinstance(v, (int, float)) and not isinstance(v, bool) and lo <= v <= hi
    if not ok or (integer and not float(v).is_integer()):
        raise ConfigError(where, field, f"is {v!r}",
                          f"give a {'whole number' if integer else 'number'} between {lo} and {hi}")


def _time(where, field, v) -> pd.Timestamp:
    try:
        t = pd.Timestamp(str(v))
    except (ValueError, TypeError):
        t = None
    if t is None or t.tzinfo is None:
        raise ConfigError(where, field, f"is {v!r}", "give an ISO 8601 time with a zone, e.g. 2023-08-13T04:00Z")
    return t


def check(cfg: dict, where: str = "scenario config") -> dict:
    """Check every field of a full config (after merging with the default); return it."""
    known = set(DEFAULT)
    for k in cfg:
        if k not in known:
            raise ConfigError(where, k, "unknown field", f"use one of {', '.join(sorted(known))}")
    if not isinstance(cfg["name"], str) or not cfg["name"].strip():
        raise ConfigError(where, "name", f"is {cfg['name']!r}", "give a short name, e.g. short-stay")
    for sect in ("stays", "reception", "imagery", "simulation"):
        if not isinstance(cfg[sect], dict):
            raise ConfigError(where, sect, "is not a mapping", f"write {sect}: followed by key: value lines")
        for k in cfg[sect]:
            if k not in DEFAULT[sect]:
                raise ConfigError(where, f"{sect}.{k}", "unknown field", f"use one of {', '.join(DEFAULT[sect])}")
    ships = cfg["ships"]
    if not isinstance(ships, list) or not 1 <= len(ships) <= 5 or not all(isinstance(s, dict) for s in ships):
        raise ConfigError(where, "ships", f"is {ships!r}", "give a list of 1 to 5 ships (name, mmsi, length_m, ...)")
    names, mmsis = set(), set()
    for i, s in enumerate(ships):
        f = f"ships[{i}]"
        for k in s:
            if k not in DEFAULT["ships"][0]:
                raise ConfigError(where, f"{f}.{k}", "unknown field", f"use one of {', '.join(DEFAULT['ships'][0])}")
        for k in ("name", "mmsi", "length_m"):
            if s.get(k) is None:
                raise ConfigError(where, f"{f}.{k}", "missing", f"give the ship's {k}")
        name = s["name"]
        if not isinstance(name, str) or not name.strip() or name in names:
            raise ConfigError(where, f"{f}.name", f"is {name!r}", "give each ship its own name")
        names.add(name)
        _number(where, f"{f}.mmsi", s["mmsi"], 100_000_000, 999_999_999, integer=True)
        if s["mmsi"] in mmsis:
            raise ConfigError(where, f"{f}.mmsi", f"{s['mmsi']} given twice", "give each ship its own MMSI")
        mmsis.add(s["mmsi"])
        _number(where, f"{f}.length_m", s["length_m"], 30, 400)
        if s.get("beam_m") is not None:
            _number(where, f"{f}.beam_m", s["beam_m"], 5, 80)
        _range(where, f"{f}.speed_kn", s["speed_kn"], 4.0, 16.0)
        _number(where, f"{f}.trips", s["trips"], 1, 10, integer=True)
        _range(where, f"{f}.cargo", s["cargo"], 0, 5000, integer=True)
        _range(where, f"{f}.wait_days", s["wait_days"], 0.0, 30.0)
        for k, ports in (("home", [s["home"]]), ("trade_ports", s["trade_ports"])):
            if not isinstance(ports, list) or not ports or any(p not in PORTS for p in ports) \
                    or (k == "trade_ports" and (len(set(ports)) < 2 or s["home"] not in ports)):
                raise ConfigError(where, f"{f}.{k}", f"is {s[k]!r}",
                                  f"use ports of {', '.join(PORTS)}" + (" (two or more, including home)"
                                                                      if k == "trade_ports" else ""))
        t = _time(where, f"{f}.dark_from", s["dark_from"])
        if not pd.Timestamp("2023-07-20T00:00Z") <= t <= pd.Timestamp("2023-09-15T00:00Z"):
            raise ConfigError(where, f"{f}.dark_from", f"is {s['dark_from']}",
                              "give a time between 2023-07-20 and 2023-09-15 (the shuttle must fit before mid-October)")
    st = cfg["stays"]
    _range(where, "stays.load_days", st["load_days"], 0.05, 20.0)
    _range(where, "stays.unload_days", st["unload_days"], 0.05, 20.0)
    t = _time(where, "stays.last_return", st["last_return"])
    if not pd.Timestamp("2023-09-01T00:00Z") <= t <= pd.Timestamp("2023-10-25T00:00Z"):
        raise ConfigError(where, "stays.last_return", f"is {st['last_return']}", "give a time in Sep or Oct 2023")
    r = cfg["reception"]
    _number(where, "reception.terrestrial_p", r["terrestrial_p"], 0.0, 1.0)
    _number(where, "reception.satellite_p", r["satellite_p"], 0.0, 1.0)
    _number(where, "reception.terrestrial_outages", r["terrestrial_outages"], 0, 50, integer=True)
    _number(where, "reception.satellite_outages", r["satellite_outages"], 0, 50, integer=True)
    _range(where, "reception.terrestrial_outage_hours", r["terrestrial_outage_hours"], 0.0, 240.0)
    _range(where, "reception.satellite_outage_hours", r["satellite_outage_hours"], 0.0, 240.0)
    im = cfg["imagery"]
    _number(where, "imagery.revisit_days", im["revisit_days"], 1, 30, integer=True)
    _number(where, "imagery.cloud_factor", im["cloud_factor"], 0.0, 10.0)
    _number(where, "imagery.misid_low", im["misid_low"], 0.0, 1.0)
    _number(where, "imagery.misid_medium", im["misid_medium"], 0.0, 1.0)
    if not isinstance(cfg["simulation"]["fast"], bool):
        raise ConfigError(where, "simulation.fast", f"is {cfg['simulation']['fast']!r}", "give true or false")
    return cfg


def load(spec: str | Path | dict | None = None) -> dict:
    """The full config: the default (None or "default"), a preset's name, a YAML file, or a
    dict of changes; merged with the default and checked."""
    if spec is None:
        return check(copy.deepcopy(DEFAULT), "default config")
    if isinstance(spec, dict):
        return check(_merge(DEFAULT, spec))
    if str(spec) in PRESETS:
        return check(_merge(DEFAULT, PRESETS[str(spec)]), f"preset {spec}")
    path = Path(spec)
    if not path.is_file():
        raise ConfigError(str(spec), "(file)", "is neither a preset nor a file",
                          f"give a YAML file or one of the presets {', '.join(PRESETS)}")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), "(YAML)", f"not valid YAML ({exc})", "fix the syntax") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(str(path), "(top level)", "is not a mapping", "write key: value pairs")
    raw.setdefault("name", path.stem)
    for k in raw:
        if k not in DEFAULT:
            raise ConfigError(str(path), k, "unknown field", f"use one of {', '.join(DEFAULT)}")
    return check(_merge(DEFAULT, raw), str(path))


def is_default(cfg: dict) -> bool:
    """Is `cfg` the reference scenario's world (whatever its name)?"""
    return {**cfg, "name": "default"} == DEFAULT
