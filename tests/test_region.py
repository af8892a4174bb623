"""Another region, from outside the project: a real AIS track (the Læsø ferry, Danish Maritime
Authority data), a coastline and locator land made by the command line from real GSHHG data,
ports drawn by the test, and a parameter file in a temporary folder with relative paths. The
whole pipeline runs from there with `python -m helpers run`, and its tables and figures appear
beside the parameter file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from helpers import __main__ as cli
from helpers import geo, paths
from tests import factories

FIXTURES = paths.PROJECT_ROOT / "tests" / "fixtures" / "real"
FERRY = FIXTURES / "ais" / "dma_aisdk_ferry_20221015_every10.csv"
GSHHG = FIXTURES / "gshhg"
# our own approximations around the ferry's berths as its AIS shows them (slow positions)
PORTS = {"Laeso": ("origin", (10.9223, 57.2968), (10.905, 57.288, 10.935, 57.305)),
         "Frederikshavn": ("destination", (10.5390, 57.4372), (10.525, 57.428, 10.555, 57.445))}


def ports_geojson() -> dict:
    return factories.ports_geojson(PORTS, country="DK", approximation="drawn by tests/test_region.py")


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    d = tmp_path_factory.mktemp("study")
    (d / "data").mkdir()
    shutil.copy(FERRY, d / "data" / "ferry.csv")
    (d / "ports.geojson").write_text(json.dumps(ports_geojson()), encoding="utf-8")
    assert cli.main(["coastline", "--bbox", "10.4", "57.15", "11.15", "57.5", "--out", str(d / "coastline.gpkg"),
                     "--source", str(GSHHG)]) == 0
    assert cli.main(["locator", "--bbox", "8", "54", "16", "58", "--out", str(d / "region_land.gpkg"),
                     "--source", str(GSHHG)]) == 0
    params = {
        "name": "laeso-ferry", "simulated": False,
        "source_line": "Data: Danish Maritime Authority AIS, one ferry on 15 Oct 2022 (real)",
        "window": {"start": "2022-10-15T00:00:00Z", "end": "2022-10-16T00:00:00Z"},
        "inputs": {"ais": [{"path": "data/ferry.csv"}], "acquisitions": None, "sightings": None,
                   "ports": "ports.geojson", "coastline": "coastline.gpkg", "region_land": "region_land.gpkg",
                   "vessels": None, "depot": None, "truth": None},
        "vessels_of_interest": [{"mmsi": 219000734, "name": "ANE LAESOE"}],
        "route": {"origin": "Laeso", "destination": "Frederikshavn"},
        "thresholds": {"route_history_start": "2022-10-15T00:00:00Z", "claimed_period_end": "2022-10-15T23:59:59Z"},
    }
    (d / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "helpers", "run", "--params", "params.yaml"], cwd=d,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return d


@pytest.mark.slow
def test_the_run_writes_beside_its_parameter_file(study):
    out = study / "params"
    for name in ("positions", "visits", "legs", "round_trips", "claims"):
        assert (out / "processed" / f"{name}.parquet").is_file(), name
    for fig in ("fig01_route_map", "fig02_timeline", "fig03_ais_activity"):
        assert (out / "figures" / f"{fig}.png").stat().st_size > 10_000, fig
    assert (out / "report.html").is_file()
    assert "Dunai" not in (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_crossing_is_one_ais_leg_between_two_visits(study):
    processed = study / "params" / "processed"
    assert len(pd.read_parquet(processed / "positions.parquet")) == 75
    visits = pd.read_parquet(processed / "visits.parquet")
    assert list(visits["port"]) == ["Laeso", "Frederikshavn"]
    legs = pd.read_parquet(processed / "legs.parquet")
    assert len(legs) == 1
    leg = legs.iloc[0]
    assert (leg.origin, leg.destination, leg.evidence, bool(leg.feasible)) == ("Laeso", "Frederikshavn", "ais", True)
    # the ferry left its berth about 11:24 UTC and lay at Frederikshavn from about 12:53
    assert pd.Timestamp("2022-10-15T11:20Z") <= leg.depart_earliest <= pd.Timestamp("2022-10-15T11:35Z")
    assert pd.Timestamp("2022-10-15T12:40Z") <= leg.arrive_latest <= pd.Timestamp("2022-10-15T12:56Z")
    # over water: at least the great circle between the berths (15.0 nm), about what it sailed
    assert geo.haversine_nm(57.2968, 10.9223, 57.4372, 10.5390) == pytest.approx(15.0, abs=0.01)
    assert 15.0 <= leg.route_nm <= 16.5


def test_the_crossing_survives_the_ship_going_dark_at_sea(tmp_path):
    """The same real track with every position farther than 1 nm from both ports dropped (a ship
    switching AIS off at sea): the leg is still reconstructed from the two visits, now dark and
    inferred, its window holding the crossing the full track shows. In process, no pipeline."""
    from helpers import ais, schema
    from helpers.analysis import gaps, port_calls, trips, visits
    from helpers.geo import gshhg

    land = gshhg.make_coastline((10.4, 57.15, 11.15, 57.5), tmp_path / "coast.gpkg", GSHHG)
    (tmp_path / "ports.geojson").write_text(json.dumps(ports_geojson()), encoding="utf-8")
    fences = geo.load_ports(tmp_path / "ports.geojson", land=land)
    pos = ais.read(FERRY).positions
    names = {219000734: "ANE LAESOE"}
    berths = fences.set_index("port")[["berth_lat", "berth_lon"]]
    near = np.zeros(len(pos), dtype=bool)
    for b in berths.itertuples():
        near |= np.asarray(geo.haversine_nm(pos["lat"], pos["lon"], b.berth_lat, b.berth_lon)) <= 1.0
    dark_pos = schema.validate(pos[near], "positions")
    assert (len(pos), len(dark_pos)) == (75, 31)

    def legs_of(p, min_gap_h):
        calls = port_calls.port_calls(p, fences, names=names)
        dark = gaps.dark_periods(p, min_gap_h, ports=fences, land=land, names=names)
        r = trips.reconstruct(calls, schema.empty("sightings"), dark, fences, vessels=["ANE LAESOE"],
                              origin="Laeso", destination="Frederikshavn", land=land,
                              fence=visits.in_fence(p, fences, names), tracked={"ANE LAESOE"})
        return r.legs
    full, blind = legs_of(pos, 1.0), legs_of(dark_pos, 1.0)
    assert len(full) == len(blind) == 1
    f, b = full.iloc[0], blind.iloc[0]
    assert (f.evidence, bool(f.dark)) == ("ais", False)            # heard all the way
    assert (b.origin, b.destination, b.evidence, bool(b.dark)) == ("Laeso", "Frederikshavn", "inferred", True)
    # the dark window holds the crossing the full track shows
    assert b.depart_earliest <= f.depart_earliest and b.arrive_latest >= f.arrive_latest
