"""A real shuttle, end to end: one Rødby–Puttgarden ferry on 25 Apr 2023 (Danish Maritime
Authority AIS, tests/real_shuttle.py), 24 crossings that day. The oracle is the test's own rule
(runs of positions within 1 km of each terminal), not the package; the whole pipeline runs from a
parameter file in a temporary folder, and its round trips and legs are matched to the oracle's.
Then the same data goes dark at sea (every position more than 1 nm from both terminals dropped)
and the trips are still reconstructed, from the visits alone."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from helpers import __main__ as cli
from helpers import geo, paths
from tests import real_shuttle as rs

GSHHG = paths.PROJECT_ROOT / "tests" / "fixtures" / "real" / "gshhg"
BBOX = ("11.0", "54.4", "11.6", "54.75")
# the ferry's own AIS never reports more than 18 kn; the scenario's 16 kn (a cargo ship's) would
# call every 35-minute crossing infeasible
MAX_SPEED_KN = 20
SLACK = pd.Timedelta(minutes=10)


def ports_geojson() -> dict:
    feats = []
    for name, (role, (bx, by), (x0, y0, x1, y1)) in rs.TERMINALS.items():
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        feats.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                      "properties": {"port": name, "role": role, "berth_lon": bx, "berth_lat": by,
                                     "approximation": "drawn by tests/real_shuttle.py"}})
    return {"type": "FeatureCollection", "features": feats}


def match(legs: pd.DataFrame, oracle: pd.DataFrame, slack: pd.Timedelta = SLACK) -> tuple[int, int]:
    """(pipeline legs that hold exactly one oracle crossing of their direction, oracle crossings
    held by exactly one pipeline leg): a leg holds a crossing when its departure window starts at
    most `slack` after the crossing's departure and its arrival window ends at most `slack` before
    its arrival (the fence reaches about 1 km around the berth, as the oracle's radius does)."""
    holds = np.zeros((len(legs), len(oracle)), dtype=bool)
    for i, lg in enumerate(legs.itertuples()):
        holds[i] = ((oracle["origin"] == lg.origin) & (oracle["destination"] == lg.destination)
                    & (oracle["depart"] >= lg.depart_earliest - slack)
                    & (oracle["arrive"] <= lg.arrive_latest + slack)
                    & (oracle["depart"] <= lg.depart_latest + slack)
                    & (oracle["arrive"] >= lg.arrive_earliest - slack)).to_numpy()
    return int((holds.sum(axis=1) == 1).sum()), int((holds.sum(axis=0) == 1).sum())


@pytest.fixture(scope="module")
def ferry():
    pos = rs.positions()
    return pos, rs.crossings(pos)


def test_the_stored_sequences_are_refused_by_the_reader_with_a_clear_error():
    from helpers import ais
    from helpers.errors import InputError
    with pytest.raises(InputError, match=r"lacks ts, lat, lon.*\['MMSI', 'SOG', 'COG', 'Trip'\].*fmt='table'"):
        ais.read(rs.FIXTURE)


def test_the_oracle_counts_24_crossings_12_round_trips(ferry):
    pos, oracle = ferry
    assert len(pos) == 9386
    assert (pos["ts"].min(), pos["ts"].max()) == (pd.Timestamp("2023-04-25T00:00:08Z"),
                                                  pd.Timestamp("2023-04-25T23:59:58Z"))
    assert len(oracle) == 24
    assert oracle["origin"].tolist() == ["Puttgarden", "Rodby"] * 12
    # 35-38 minute crossings, one an hour: the timetable's 45-minute crossing berth to berth
    minutes = (oracle["arrive"] - oracle["depart"]).dt.total_seconds() / 60
    assert minutes.between(30, 45).all()


@pytest.fixture(scope="module")
def study(tmp_path_factory, ferry):
    d = tmp_path_factory.mktemp("ferry")
    (d / "data").mkdir()
    rs.positions_csv(d / "data" / "ferry.csv", ferry[0])
    (d / "ports.geojson").write_text(json.dumps(ports_geojson()), encoding="utf-8")
    assert cli.main(["coastline", "--bbox", *BBOX, "--out", str(d / "coastline.gpkg"), "--source", str(GSHHG)]) == 0
    assert cli.main(["locator", "--bbox", "8", "54", "16", "58", "--out", str(d / "region_land.gpkg"),
                     "--source", str(GSHHG)]) == 0
    params = {
        "name": "fehmarn-ferry", "simulated": False,
        "source_line": "Data: Danish Maritime Authority AIS, one Rødby–Puttgarden ferry on 25 Apr 2023 (real)",
        "window": {"start": "2023-04-25T00:00:00Z", "end": "2023-04-26T00:00:00Z"},
        "inputs": {"ais": [{"path": "data/ferry.csv"}], "acquisitions": None, "sightings": None,
                   "ports": "ports.geojson", "coastline": "coastline.gpkg", "region_land": "region_land.gpkg",
                   "vessels": None, "depot": None, "truth": None},
        "vessels_of_interest": [{"mmsi": rs.MMSI, "name": "FERRY 211188000"}],
        "route": {"origin": "Puttgarden", "destination": "Rodby"},
        "thresholds": {"route_history_start": "2023-04-25T00:00:00Z",
                       "claimed_period_end": "2023-04-25T23:59:59Z",
                       "max_speed_kn": MAX_SPEED_KN, "trip_min_dwell_hours": 0.25},
    }
    (d / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False, allow_unicode=True), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "helpers", "run", "--params", "params.yaml"], cwd=d,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return d / "params" / "processed"


@pytest.mark.slow
def test_the_pipeline_finds_every_crossing_and_round_trip(study, ferry):
    oracle = ferry[1]
    # rows in = kept + rejected: 58 positions a few seconds apart imply 45-94 kn (real AIS
    # jitter at 4-decimal coordinates), quarantined with their reason
    rejects = pd.read_parquet(study / "rejects.parquet")
    assert (len(pd.read_parquet(study / "positions.parquet")), len(rejects)) == (9328, 58)
    assert rejects["reason"].str.startswith("implausible jump").all()
    visits = pd.read_parquet(study / "visits.parquet")
    assert visits["port"].tolist() == ["Puttgarden", "Rodby"] * 12 + ["Puttgarden"]
    legs = pd.read_parquet(study / "legs.parquet").sort_values("depart_earliest")
    assert len(legs) == 24 and legs["feasible"].all() and (legs["evidence"] == "ais").all()
    correct, found = match(legs, oracle)
    assert (correct, found) == (24, 24)             # precision 1.0, recall 1.0 (target >= 0.9)
    rts = pd.read_parquet(study / "round_trips.parquet")
    assert len(rts) == 12
    # each round trip is two consecutive oracle crossings: Puttgarden -> Rodby -> Puttgarden
    out_legs = legs.set_index("leg_id")
    for k, r in enumerate(rts.sort_values("start").itertuples()):
        first, second = (out_legs.loc[x] for x in r.legs.split(";"))
        assert match(pd.DataFrame([first, second]), oracle.iloc[2 * k:2 * k + 2]) == (2, 2)


@pytest.mark.slow
def test_the_round_trips_survive_the_ferry_going_dark_at_sea(ferry, tmp_path):
    from helpers import schema
    from helpers.analysis import gaps, port_calls, trips, visits
    from helpers.geo import gshhg

    pos, oracle = ferry
    land = gshhg.make_coastline(tuple(map(float, BBOX)), tmp_path / "coast.gpkg", GSHHG)
    (tmp_path / "ports.geojson").write_text(json.dumps(ports_geojson()), encoding="utf-8")
    fences = geo.load_ports(tmp_path / "ports.geojson", land=land)
    rs.positions_csv(tmp_path / "ferry.csv", pos)
    from helpers import ais
    full = ais.read(tmp_path / "ferry.csv").positions
    near = np.zeros(len(full), dtype=bool)
    for b in fences.itertuples():
        near |= np.asarray(geo.haversine_nm(full["lat"], full["lon"], b.berth_lat, b.berth_lon)) <= 1.0
    blind = schema.validate(full[near], "positions")
    assert (len(full), len(blind)) == (9386, 2900)
    names = {rs.MMSI: "FERRY"}

    def reconstruct(p):
        return trips.reconstruct(port_calls.port_calls(p, fences, names=names), schema.empty("sightings"),
                                 gaps.dark_periods(p, 0.25, ports=fences, land=land, names=names), fences,
                                 vessels=["FERRY"], origin="Puttgarden", destination="Rodby", land=land,
                                 max_speed_kn=MAX_SPEED_KN, min_dwell_hours=0.25,
                                 fence=visits.in_fence(p, fences, names), tracked={"FERRY"})
    seen, dark = reconstruct(full), reconstruct(blind)
    assert len(seen.round_trips) == len(dark.round_trips) == 12
    assert (dark.legs["evidence"] == "inferred").all() and dark.legs["dark"].all()
    assert match(dark.legs, oracle) == (24, 24)
