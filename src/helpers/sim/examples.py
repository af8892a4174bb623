"""A second, public example dataset: how to point the analysis at other ships, ports and formats.

`data/examples/rajin_vostochny/` holds a small *simulated* dataset (fictional ships, made by this
module with the reference scenario's machinery, released with the project under CC BY 4.0):

- ``ais_dma_2023.csv.gz``: two months (Sep-Oct 2023) of AIS in the Danish Maritime Authority
  CSV layout, gzip-compressed, as a provider export merging terrestrial and satellite reception;
  three rows are damaged on purpose (invalid MMSI, unparseable time, lat 91) so the quarantine
  shows in the QA table;
- ``truth/round_trips.csv`` and ``truth/identities.csv``: what the simulation did;
- ``README.md`` and ``MANIFEST``.

Two fictional feeders shuttle Rajin -> Vostochny with AIS on: SIM FEEDER (selected in the
parameters by MMSI) and SIM RELAY (selected by IMO; it changes MMSI on 1 Oct 2023, the kind of
identity change a researcher looks for). `notebooks/params/example_rajin_vostochny.yaml` runs
the whole pipeline on it without imagery: AIS-only evidence. Regenerate with
``python -m helpers example`` (the same seed writes the same bytes).
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pandas as pd

from .. import geo, paths
from ..ais import writers
from ..fileio import sha256, write_bytes, write_csv, write_text
from .observe import observe_satellite, observe_terrestrial
from .world import Vessel, World, true_positions, vessels_table

SEED = 20231101
NAME = "rajin_vostochny"
START = pd.Timestamp("2023-09-01T00:00:00Z")
END = pd.Timestamp("2023-11-01T00:00:00Z")
RELAY_NEW_MMSI_FROM = pd.Timestamp("2023-10-01T00:00:00Z")
# The generator's name as written into the MANIFEST and README: kept as it was when the module
# was helpers.examples, so the dataset stays byte-identical.
GENERATOR = "helpers.examples (rajin-dunai)"
LICENCE = "CC BY 4.0 (simulated by the rajin-dunai project; no third-party data)"


def root() -> Path:
    """Where the example dataset lives: data/examples/rajin_vostochny."""
    return paths.DATA / "examples" / NAME


def _shuttle(w: World, v: Vessel, t: pd.Timestamp, until: pd.Timestamp, trips: list) -> None:
    """Rajin -> Vostochny -> Rajin round trips with AIS on, until `until`."""
    rajin, vost = w.berth("Rajin", v), w.berth("Vostochny", v)
    n = 0
    while True:
        load = pd.Timedelta(days=w.rng.uniform(1.5, 3.0))
        dep_r = t + load
        arr_v = dep_r + pd.Timedelta(hours=geo.length_nm(w.route(rajin, vost)) / v.speed_kn[0])
        if arr_v + pd.Timedelta(days=5) > until:
            w.stay(v, "Rajin", t, until, "wait")
            return
        w.stay(v, "Rajin", t, dep_r, "load")
        arr_v = w.sail(v, rajin, vost, dep_r)
        dep_v = arr_v + pd.Timedelta(days=w.rng.uniform(1.0, 2.0))
        w.stay(v, "Vostochny", arr_v, dep_v, "unload")
        t = w.sail(v, vost, rajin, dep_v)
        n += 1
        trips.append(dict(vessel=v.name, trip_no=n, depart_origin=dep_r, arrive_destination=arr_v,
                          depart_destination=dep_v, return_origin=t))


def _split_identity(v: Vessel, new_mmsi: int, at: pd.Timestamp) -> Vessel:
    """Move `v`'s segments from `at` on to a copy of `v` broadcasting `new_mmsi`. The change
    happens during a stay (split there), the way a ship re-registers in port."""
    after = Vessel(v.name, new_mmsi, v.imo, v.callsign, v.flag, v.ship_type, v.length_m, v.beam_m,
                   v.speed_kn, v.of_interest)
    keep, moved = [], []
    for seg in v.segments:
        kind, geom, t0, t1 = seg
        if t1 <= at:
            keep.append(seg)
        elif t0 >= at:
            moved.append(seg)
        elif kind == "stay":
            keep.append((kind, geom, t0, at))
            moved.append((kind, geom, at, t1))
        else:
            raise RuntimeError(f"{v.name} is under way at the identity change {at}; change the time")
    v.segments, after.segments = keep, moved
    return after


def build(seed: int = SEED) -> tuple[World, list[dict]]:
    """The example's world (two feeders, one of them re-registering, and four coasters) and its
    true round trips; the last entry of the list holds the identity change's time."""
    w = World(seed)
    feeder = Vessel("SIM FEEDER", 273999001, 9999010, "SIMF1", "RU", 70, 95, 15, (10.0, 11.5), True)
    relay = Vessel("SIM RELAY", 273999002, 9999022, "SIMR2", "RU", 70, 88, 14, (9.5, 11.0), True)
    trips: list[dict] = []
    _shuttle(w, feeder, START + pd.Timedelta(hours=6), END - pd.Timedelta(hours=1), trips)
    _shuttle(w, relay, START + pd.Timedelta(days=3), END - pd.Timedelta(hours=1), trips)
    # re-registered during the first Rajin stay that spans 1 Oct (or the next one after it)
    stays = [s for s in relay.segments if s[0] == "stay" and s[3] > RELAY_NEW_MMSI_FROM]
    at = max(stays[0][2] + pd.Timedelta(hours=6), RELAY_NEW_MMSI_FROM)
    at = min(at, stays[0][3] - pd.Timedelta(hours=1))
    relay_new = _split_identity(relay, 273999003, at)
    w.vessels += [feeder, relay, relay_new]
    for i, ports in enumerate([["Vladivostok", "Nakhodka", "Vostochny"],
                               ["Vostochny", "Nakhodka"], ["Rajin", "Vladivostok"],
                               ["Vladivostok", "Posyet", "Zarubino"]]):
        v = Vessel(f"SIM COASTER {i + 1:02d}", 273998100 + i, None, f"SIMC{i + 1}", "RU", 70,
                   70 + 5 * i, 12, (8.0, 12.0))
        t, here = w.trade(v, ports, START + pd.Timedelta(hours=3 * i), END - pd.Timedelta(hours=1),
                          ports[0])
        w.stay(v, here, t, END - pd.Timedelta(hours=1), "trade")
        w.vessels.append(v)
    return w, trips + [dict(identity_change_at=at)]


def _damage(csv_text: str) -> str:
    """Three rows a real export might carry: an invalid MMSI, an unparseable time, lat 91."""
    lines = csv_text.splitlines()
    for k, (col, value) in zip((101, 202, 303), ((2, "12345"), (0, "31/09/2023 25:61:00"),
                                                (3, "91.000000"))):
        cells = lines[k].split(",")
        cells[col] = value
        lines[k] = ",".join(cells)
    return "\n".join(lines) + "\n"


def generate(out: Path | None = None, seed: int = SEED) -> dict:
    """Simulate, observe and write the example dataset (and its truth) under `out`."""
    out = Path(out) if out is not None else root()
    w, trips = build(seed)
    change = trips.pop()["identity_change_at"]
    pos = true_positions(w)
    pos = pos[(pos["ts"] >= START) & (pos["ts"] < END)]
    vessels = vessels_table(w)
    heard = pd.concat([observe_terrestrial(pos, seed), observe_satellite(pos, seed)],
                      ignore_index=True)
    heard = heard.drop_duplicates(["mmsi", "ts"]).sort_values(["ts", "mmsi"], kind="stable")
    text = writers.to_dma(heard, vessels).to_csv(index=False, lineterminator="\n")
    out.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as gz:  # no name/time: same bytes
        gz.write(_damage(text).encode("utf-8"))
    write_bytes(out / "ais_dma_2023.csv.gz", buf.getvalue())

    truth = out / "truth"
    t = pd.DataFrame(trips).sort_values(["vessel", "trip_no"], kind="stable")
    t.insert(0, "trip_id", [f"{r.vessel}-T{r.trip_no}" for r in t.itertuples()])
    write_csv(t, truth / "round_trips.csv")
    ids = pd.DataFrame([dict(vessel=v.name, mmsi=v.mmsi, imo=v.imo,
                             first=min(s[2] for s in v.segments), last=max(s[3] for s in v.segments))
                        for v in w.vessels if v.of_interest])
    write_csv(ids, truth / "identities.csv")
    write_text(out / "README.md", _readme(seed, change, len(heard), t))
    files = sorted(p for p in out.rglob("*") if p.is_file() and p.name != "MANIFEST")
    write_text(out / "MANIFEST",
               "# SIMULATED example dataset (fictional ships), not real observations\n"
               f"# generator: {GENERATOR}; seed: {seed}; licence: {LICENCE}\nfile\tsha256\n"
               + "".join(f"{p.relative_to(out).as_posix()}\t{sha256(p)}\n" for p in files))
    return dict(rows=len(heard), trips=len(t), identity_change=str(change))


def _readme(seed: int, change: pd.Timestamp, rows: int, trips: pd.DataFrame) -> str:
    """The dataset's README.md: what it is, its files, and its true round trips."""
    per = trips.groupby("vessel").size().to_dict()
    return (
        "# Example dataset: fictional feeders Rajin -> Vostochny (SIMULATED)\n\n"
        "**Not real data.** Two fictional ships, SIM FEEDER and SIM RELAY, and four coasters, "
        f"simulated by `helpers.examples` (seed {seed}) with the reference scenario's machinery. "
        f"Licence: {LICENCE}. Regenerate: `.venv/bin/python -m helpers example`.\n\n"
        "What it is for: showing how a researcher analyses other ships, ports and file formats "
        "with a parameter file alone (`notebooks/params/example_rajin_vostochny.yaml`).\n\n"
        "| file | what | format |\n|---|---|---|\n"
        f"| `ais_dma_2023.csv.gz` | {rows:,} AIS rows plus 3 damaged on purpose, 1 Sep-31 Oct 2023 "
        "| Danish Maritime Authority CSV export, gzip |\n"
        "| `truth/round_trips.csv` | the true round trips (never read by the analysis) | CSV, UTC |\n"
        "| `truth/identities.csv` | MMSI and IMO of each ship of interest, with dates | CSV, UTC |\n\n"
        f"True round trips: {', '.join(f'{k} {v}' for k, v in sorted(per.items()))}. "
        f"SIM RELAY (IMO 9999022) broadcasts MMSI 273999002 until {change:%Y-%m-%d %H:%M} UTC and "
        "273999003 after: the parameters select it by IMO, so both MMSIs are followed.\n")


def main() -> None:
    """`python -m helpers example`: regenerate data/examples/rajin_vostochny; print the counts."""
    print(json.dumps(generate(), indent=1))
