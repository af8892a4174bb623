"""The reference scenario: a seeded simulator of the Rajin-Dunai shuttle and its observers.

No real AIS of ANGARA and MARIA is public. This module builds a *simulated* world from the
public facts (README, "The reference scenario") plus stated assumptions (helpers.sim.world, each
listed in data/truth/assumptions.csv), then observes it
the way real sources would (helpers.sim.observe, helpers.sim.depot), and writes what those
sources publish, in their real formats:

- ``data/raw/ais/coastal_receivers_2023.nmea``: raw NMEA 0183 ``!AIVDM`` sentences with NMEA 4
  tag blocks (receiver, unix time) from three simulated Russian coastal receivers;
- ``data/raw/ais/SIMULATED_provider_export_2023.csv``: a satellite-AIS provider export in the NOAA
  MarineCadastre column layout;
- ``data/raw/imagery/stac/``: a STAC catalog of simulated optical acquisitions (daily
  PlanetScope-like, 5-day Sentinel-2-like) with footprints and cloud cover;
- ``data/raw/imagery/stac/chips/``: small SIMULATED image chips of the berths, the items' ``visual``
  assets (helpers.sim.chips);
- ``data/raw/imagery/sightings.csv``: the analyst's annotations of clear acquisitions;
- ``data/raw/imagery/depot_annotations.csv``: the analyst's counts at the Tikhoretsk depot (claim 6);
- ``data/truth/``: what really happened in the simulation (never read by the analysis notebooks);
- ``data/raw/MANIFEST``: every raw file with sha256, generator and seed.

Everything is driven by one seed; the same seed writes the same bytes. Regenerate with
``make scenario`` (``python -m helpers scenario``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .. import imagery, paths
from ..ais import writers
from ..fileio import sha256, write_csv, write_text
from . import config as config_mod
from .chips import write_chips
from .depot import depot
from .observe import acquisitions, observe_satellite, observe_terrestrial, sightings
from .world import SEED, World, true_positions, vessels_table

# The generator's name as written into data/raw/MANIFEST, the NMEA log's header and the truth
# README: kept as it was when the module was helpers.scenario, so the data stays byte-identical.
GENERATOR = "helpers.scenario (rajin-dunai)"


ASSUMPTIONS = {
    "ANGARA ais_off": "2023-08-13: ANGARA switches AIS off at sea after leaving Vladivostok",
    "MARIA ais_off": "2023-08-21: MARIA switches AIS off at sea after leaving Nakhodka",
    "ais_on": "both ships switch AIS back on about two hours before reaching home after their last round trip "
              "(late September)",
    "round trips": "ANGARA 4, MARIA 3 Rajin->Dunai->Rajin round trips, 5-11 days apart (public: at least 5-6)",
    "cargo": "ANGARA 260-330, MARIA 150-210 containers a trip (public: >1,000 in total)",
    "speeds": "ANGARA and MARIA sail at 10-12.5 kn; background ships 8-14 kn",
    "dimensions": "ANGARA 120 x 18 m, MARIA 100 x 16 m (not public)",
    "MARIA identity": "MMSI 273000002 and call signs are placeholders; IMO 8517839 unverified",
    "receivers": "terrestrial AIS receivers at Vladivostok, Nakhodka and Posyet, ~45 nm range",
    "depot": "Tikhoretsk depot: 60 pits (52 filled) before; 40 new pits dug over ~30 days from a few days before "
             "the first loading; trains reach the depot 14-17 days after the ship leaves Dunai; 40 containers fill "
             "a pit; the depot scene of 28 Sep 2023 (date of the published imagery) is clear (not public)",
    "imagery": "daily 3 m scenes per port (PlanetScope-like), 0.5 m tasked scenes of Rajin and Dunai daily "
               "(SkySat/Maxar-like), 5-day 10 m scenes (Sentinel-2-like)",
}



def write_manifest(raw: Path, seed: int, described: dict[str, str]) -> Path:
    """`raw/MANIFEST`: every file under `raw` with its sha256, the generator and seed, and what it
    simulates (the first entry of `described` whose key starts the file's path)."""
    lines = ["# MANIFEST of data/raw: every input file, its sha256, and where it comes from.",
             "# THE DATA IS A SIMULATED REFERENCE SCENARIO, not real AIS or imagery.",
             f"# generator: {GENERATOR}; seed: {seed}; regenerate: make scenario",
             "file\tsha256\tgenerator\tseed\tsimulates"]
    files = sorted(p for p in raw.rglob("*") if p.is_file() and p.name != "MANIFEST")
    for p in files:
        rel = p.relative_to(raw).as_posix()
        what = next((d for k, d in described.items() if rel.startswith(k)), "simulated input")
        lines.append(f"{rel}\t{sha256(p)}\t{GENERATOR}\t{seed}\t{what}")
    return write_text(raw / "MANIFEST", "\n".join(lines) + "\n")


def corrupt(lines: list[str], seed: int, rate: float = 0.002) -> list[str]:
    """Real receiver logs are imperfect: damage a few lines (truncated in transmission, one
    payload character flipped) and add a receiver's own GPS sentences and a header comment."""
    rng = np.random.default_rng(seed + 8)
    out = list(lines)
    idx = np.sort(rng.choice(len(out), size=int(len(out) * rate), replace=False))
    for k, i in enumerate(idx):
        line = out[i]
        if k % 2 == 0:
            out[i] = line[: int(len(line) * 0.7)]                   # truncated
        else:
            j = line.rindex(",", 0, line.rindex("*")) - 3            # inside the payload
            out[i] = line[:j] + ("A" if line[j] != "A" else "B") + line[j + 1:]
    gps = [i for i in range(0, len(out), 20000)]
    for i in reversed(gps):
        out.insert(i, "$GPRMC,000000,A,4306.00,N,13154.00,E,0.0,0.0,010723,,,A*7E")
    return ["# simulated coastal AIS receivers (rajin-dunai helpers.scenario): NOT REAL DATA"] + out


def generate(root: Path | None = None, seed: int = SEED, config: dict | str | Path | None = None) -> dict:
    """Simulate the world, observe it, and write raw inputs, truth and MANIFEST under `root`.
    `config`: what the world does (helpers.sim.config: None = the reference scenario, a
    preset's name, a YAML file or a dict of changes)."""
    root = Path(root) if root is not None else paths.DATA
    cfg = config if isinstance(config, dict) and "ships" in config and "stays" in config \
        else config_mod.load(config)
    raw, truth = root / "raw", root / "truth"
    world = World(seed, cfg).build()
    pos = true_positions(world)
    vessels = vessels_table(world)

    terr = observe_terrestrial(pos, seed, cfg)
    if cfg["simulation"]["fast"]:     # the same messages as a provider table (no NMEA encoding)
        lines = []
        write_csv(writers.to_marinecadastre(terr, vessels), raw / "ais" / "coastal_receivers_2023.csv")
    else:
        lines = corrupt(writers.to_nmea(terr, vessels, receiver_col="receiver"), seed)
        writers.write_lines(lines, raw / "ais" / "coastal_receivers_2023.nmea")
    sat = observe_satellite(pos, seed, cfg)
    write_csv(writers.to_marinecadastre(sat, vessels), raw / "ais" / "SIMULATED_provider_export_2023.csv")

    acq = acquisitions(world)
    stac_dir = raw / "imagery" / "stac"
    sig = sightings(world, acq, pos)
    imagery.write_stac(acq, stac_dir, assets=write_chips(world, acq, sig, raw))
    imagery.write_sightings(sig, raw / "imagery" / "sightings.csv")
    depot_scenes, depot_trains = depot(world, seed)
    write_csv(depot_scenes, raw / "imagery" / "depot_annotations.csv")

    write_manifest(raw, seed, {
        "ais/coastal_receivers_2023.csv": "coastal receivers' messages as a MarineCadastre table (simulated)",
        "ais/coastal_receivers": "raw NMEA 0183 AIVDM with NMEA 4 tag blocks from 3 simulated coastal receivers",
        "ais/SIMULATED_provider_export": "satellite-AIS provider export, NOAA MarineCadastre column layout (simulated)",
        "imagery/stac/chips": "SIMULATED image chips (GeoTIFF) of the berths for key sightings, drawn, not real",
        "imagery/stac": "STAC catalog of simulated optical acquisitions (PlanetScope-like, Sentinel-2-like)",
        "imagery/sightings": "simulated analyst annotations of ships at berths in clear acquisitions",
        "imagery/depot_annotations": "simulated analyst counts at the Tikhoretsk depot (pits, filled pits, "
                                     "railcars with containers) in clear scenes",
    })
    trips = write_truth(world, pos, depot_trains, truth, seed)
    return dict(positions_true=len(pos), nmea_lines=len(lines), terrestrial=len(terr),
                satellite=len(sat), acquisitions=len(acq), sightings=len(sig), trips=len(trips))


def write_truth(world: World, pos: pd.DataFrame, depot_trains: pd.DataFrame, truth: Path,
                seed: int) -> pd.DataFrame:
    """Ground truth, kept apart under `truth`: never read by the analysis notebooks. Returns
    the true round trips."""
    trips = pd.DataFrame(world.trips).sort_values(["vessel", "trip_no"], kind="stable")
    trips.insert(0, "trip_id", [f"{r.vessel}-T{r.trip_no}" for r in trips.itertuples()])
    write_csv(trips, truth / "round_trips.csv")
    visits = pd.DataFrame(world.visits).sort_values(["vessel", "arrival"], kind="stable")
    write_csv(visits, truth / "port_visits.csv")
    switches = pd.DataFrame([dict(vessel=v.name, mmsi=v.mmsi, ais_off=a, ais_on=b)
                             for v in world.vessels if v.of_interest for a, b in v.ais_off])
    write_csv(switches, truth / "ais_switches.csv")
    write_csv(depot_trains, truth / "depot_trains.csv")
    interest = [v.name for v in world.vessels if v.of_interest]
    ships = " and ".join([", ".join(interest[:-1]), interest[-1]] if len(interest) > 1 else interest)
    track = pos[pos["vessel"].isin(interest)].set_index("ts").groupby("vessel")[["lat", "lon"]] \
        .resample("1h").first().dropna().reset_index()
    write_csv(track.round({"lat": 5, "lon": 5}), truth / "tracks_of_interest_hourly.csv")
    assumed = [dict(item=k, assumption=v) for k, v in ASSUMPTIONS.items()]
    if not config_mod.is_default(world.config):   # another world: its config replaces the defaults
        assumed = [dict(item="config", assumption=f"scenario config '{world.config['name']}' (it overrides the "
                        "rows below where they differ): " + json.dumps(world.config, sort_keys=True))] + assumed
    write_csv(pd.DataFrame(assumed), truth / "assumptions.csv")
    write_text(truth / "README.md", (
        "# Ground truth of the simulated reference scenario\n\n"
        "What really happened in the simulation (`helpers.scenario`, seed "
        f"{seed}). Read only by `notebooks/70_validation` and the tests; the analysis never sees it.\n\n"
        "- `round_trips.csv`: one row per true Rajin -> Dunai -> Rajin round trip (UTC).\n"
        f"- `port_visits.csv`: every port visit of {ships} (activity: trade, load, unload).\n"
        "- `ais_switches.csv`: when each ship's transponder was switched off and on.\n"
        "- `depot_trains.csv`: each delivery's train at the Tikhoretsk depot (arrival, departure, containers).\n"
        f"- `tracks_of_interest_hourly.csv`: true hourly positions of {ships} (simulated).\n"
        "- `assumptions.csv`: what the scenario assumes where the public facts are silent.\n"))
    return trips


REFERENCE_FILES = ("ports.geojson", "coastline.gpkg", "coastline.PROVENANCE.md", "region_land.gpkg",
                   "region_land.PROVENANCE.md")


def write_dataset(out: Path, seed: int = SEED, config: dict | str | Path | None = None) -> dict:
    """A complete dataset under `out`: raw/ (with MANIFEST), truth/ (with the full config,
    scenario_config.yaml), reference/ (the bundled ports and coastline, the config's ships as
    vessels_of_interest.csv, with a MANIFEST) and params.yaml, whose paths are relative to
    `out`, so `python -m helpers run --params OUT/params.yaml` runs it from any folder."""
    out = Path(out).resolve()
    cfg = config_mod.load(config) if not isinstance(config, dict) or "ships" not in config else config
    stats = generate(out, seed, cfg)
    write_text(out / "truth" / "scenario_config.yaml", yaml.safe_dump(cfg, sort_keys=False))
    ref = out / "reference"
    ref.mkdir(parents=True, exist_ok=True)
    for name in REFERENCE_FILES:
        shutil.copyfile(paths.DATA / "reference" / name, ref / name)
    ships = pd.DataFrame([dict(name=s["name"], mmsi=int(s["mmsi"]), imo=s["imo"], flag=s["flag"],
                               ship_type=int(s["ship_type"]), length_m=s["length_m"],
                               beam_m=s["beam_m"] if s["beam_m"] is not None else round(s["length_m"] / 6.5),
                               callsign=s["callsign"], source=f"simulated ship of scenario config {cfg['name']}")
                          for s in cfg["ships"]])
    ships["imo"] = ships["imo"].astype("Int64")
    write_csv(ships, ref / "vessels_of_interest.csv")
    lines = ["# MANIFEST of this dataset's reference inputs (copied from rajin-dunai data/reference, "
             "except vessels_of_interest.csv, written from the scenario config).", "file\tsha256\torigin"]
    for p in sorted(ref.iterdir()):
        if p.name != "MANIFEST":
            what = ("the simulated ships (scenario config)" if p.name == "vessels_of_interest.csv"
                    else "copy of rajin-dunai data/reference/" + p.name)
            lines.append(f"{p.name}\t{sha256(p)}\t{what}")
    write_text(ref / "MANIFEST", "\n".join(lines) + "\n")
    write_text(out / "params.yaml", params_yaml(cfg, seed))
    return stats


def params_yaml(cfg: dict, seed: int) -> str:
    """The parameter set of a generated dataset: notebooks/params/default.yaml with this
    dataset's inputs (relative to its folder), its ships and outputs beside it."""
    P = yaml.safe_load((paths.NOTEBOOKS / "params" / "default.yaml").read_text(encoding="utf-8"))
    P["name"] = f"scenario-{cfg['name']}-seed{seed}"
    P["source_line"] = (f"Data: simulated scenario '{cfg['name']}' (rajin-dunai helpers.sim, seed {seed}), "
                        "not real observations")
    P["inputs"].update({
        "ais": [{"path": "raw/ais/coastal_receivers_2023.csv", "format": "marinecadastre"}
                if cfg["simulation"]["fast"] else {"path": "raw/ais/coastal_receivers_2023.nmea", "format": "nmea"},
                {"path": "raw/ais/SIMULATED_provider_export_2023.csv", "format": "marinecadastre"}],
        "acquisitions": "raw/imagery/stac", "sightings": "raw/imagery/sightings.csv",
        "ports": "reference/ports.geojson", "coastline": "reference/coastline.gpkg",
        "region_land": "reference/region_land.gpkg", "vessels": "reference/vessels_of_interest.csv",
        "depot": "raw/imagery/depot_annotations.csv", "truth": "truth"})
    P["vessels_of_interest"] = [s["name"] for s in cfg["ships"]]
    P["outputs"] = {"processed": "processed", "figures": "figures", "build": "build"}
    head = ("# Parameters of a simulated scenario written by `python -m helpers scenario` "
            f"(config '{cfg['name']}', seed {seed}).\n# THE DATA IS SIMULATED, not real AIS or imagery. "
            "Paths are relative to this file's folder.\n")
    return head + yaml.safe_dump(P, sort_keys=False, allow_unicode=True)


def main(seed: int | None = None, out: str | Path | None = None, config: str | Path | None = None) -> None:
    """`python -m helpers scenario [--seed N --out DIR --config NAME|FILE]`: without `out`,
    regenerate data/raw and data/truth (the reference scenario, seed 20231016, unless a seed or
    config is given); with it, a complete dataset and its params.yaml. Prints the counts."""
    seed = SEED if seed is None else seed
    if out is None:
        if seed != SEED or config is not None:
            raise config_mod.ConfigError("python -m helpers scenario", "--out",
                                         "missing with --seed or --config (data/raw holds the reference scenario)",
                                         "give --out DIR for another seed or config")
        stats = generate()
    else:
        stats = write_dataset(Path(out), seed, config)
        stats["params"] = str(Path(out) / "params.yaml")
    print(json.dumps(stats, indent=1))
