"""The second example dataset (data/examples/rajin_vostochny): regenerates byte for byte, reads
with exact counts, and its parameter file selects ships by MMSI and by IMO."""


import pandas as pd
import pytest

from helpers import ais, params, steps
from helpers.sim import examples

EX = examples.root()
FENCE_EXIT = pd.Timedelta(minutes=30)    # berth to geofence edge at harbour speeds (fences 2-4 km)
PARAMS = "notebooks/params/example_rajin_vostochny.yaml"


def manifest(root) -> dict[str, str]:
    rows = [line.split("\t") for line in (root / "MANIFEST").read_text().splitlines()
            if line and not line.startswith("#")]
    return {f: h for f, h in rows[1:]}


def test_example_regenerates_byte_identical(tmp_path):
    examples.generate(tmp_path)
    assert manifest(tmp_path) == manifest(EX)
    assert set(manifest(EX)) == {"README.md", "ais_dma_2023.csv.gz", "truth/identities.csv",
                                 "truth/round_trips.csv"}


def test_example_reads_with_exact_counts_and_quarantine():
    d = ais.read(EX / "ais_dma_2023.csv.gz")   # format detected through the gzip layer
    assert d.qa["rows_read"] == 6764 and d.qa["positions"] == 6761 and d.qa["rejected"] == 3
    assert d.rejects[["locator", "reason"]].values.tolist() == [
        ["ais_dma_2023.csv.gz:row 101", "invalid MMSI"],
        ["ais_dma_2023.csv.gz:row 202", "unparseable time"],
        ["ais_dma_2023.csv.gz:row 303", "position not available"]]
    assert d.positions["ts"].min() == pd.Timestamp("2023-09-01T00:00:00Z")
    assert sorted(d.vessels["mmsi"].unique())[-3:] == [273999001, 273999002, 273999003]


def test_example_params_select_by_mmsi_and_imo():
    P = params.load(PARAMS)
    assert P.vessel_names == ["SIM FEEDER", "SIM RELAY"] and P.input("vessels") is None
    assert P["route"] == {"origin": "Rajin", "destination": "Vostochny"}
    d = ais.read(EX / "ais_dma_2023.csv.gz")
    sel = steps.tracks.resolve_vessels(P, d.vessels)
    assert sel[["name", "mmsi", "imo"]].values.tolist() == [
        ["SIM FEEDER", 273999001, 9999010], ["SIM RELAY", 273999002, 9999022],
        ["SIM RELAY", 273999003, 9999022]]
    truth = pd.read_csv(EX / "truth" / "identities.csv")
    assert truth.loc[truth["vessel"] == "SIM RELAY", "mmsi"].tolist() == [273999002, 273999003]


@pytest.mark.slow
def test_example_analysis_by_parameters_alone_recovers_every_true_trip(tmp_path):
    """AIS only, ships chosen by MMSI and IMO (one of them re-registers mid-way), another port
    pair and file format: the reconstruction finds each true round trip, with the true departure
    inside the reconstructed departure window."""
    import re
    import shutil

    from helpers import pipeline
    out = {"outputs": {k: str(tmp_path / k) for k in ("processed", "figures", "build")}}
    (tmp_path / "figures").mkdir()     # a figure left by another run (the committed default one)
    shutil.copy(params.paths.FIGURES / "fig06_validation.png", tmp_path / "figures")
    pipeline.run(PARAMS, out, only=["10", "20", "30", "40", "50", "60", "70", "90"])
    P = params.load(PARAMS, out)
    rts, legs = steps.common.load(P, "round_trips"), steps.common.load(P, "legs").set_index("leg_id")
    truth = pd.read_csv(EX / "truth" / "round_trips.csv", parse_dates=["depart_origin", "return_origin"])
    assert rts.groupby("vessel").size().to_dict() == {"SIM FEEDER": 11, "SIM RELAY": 11}
    assert truth.groupby("vessel").size().to_dict() == {"SIM FEEDER": 11, "SIM RELAY": 11}
    for (_, r), (_, t) in zip(rts.sort_values(["vessel", "start"]).iterrows(),
                              truth.sort_values(["vessel", "depart_origin"]).iterrows()):
        first = legs.loc[r["legs"].split(";")[0]]
        assert r["vessel"] == t["vessel"] and first["origin"] == "Rajin" and first["destination"] == "Vostochny"
        # the window is bounded by the last observation inside the origin's geofence, which may
        # be the ship leaving it: the true departure is from the berth, up to FENCE_EXIT earlier
        assert first["depart_earliest"] - FENCE_EXIT <= t["depart_origin"] <= first["depart_latest"]
    # a leg across a reception gap (> 12 h of silence) is "inferred", not AIS-observed
    assert rts["evidence"].value_counts().to_dict() == {"ais": 18, "inferred": 4}
    assert steps.common.load(P, "sightings").empty
    assert not (tmp_path / "processed" / "validation.csv").exists()   # no truth input: 70 skipped
    drawn = sorted(p.name for p in (tmp_path / "figures").glob("*.png") if not p.name.endswith(".narrow.png"))
    assert drawn == ["fig00_lede.png", "fig01_route_map.png", "fig02_timeline.png", "fig03_ais_activity.png",
                     "fig06_validation.png"]
    # the report shows only what this run made: the stale figure 6 carries another run id
    html = (tmp_path / "build" / "report.html").read_text()
    assert re.findall(r"<figcaption><b>Figure (\d+)", html) == ["0", "1", "2", "3"]
    assert "Simulation: the Rajin\u2013Vostochny shuttle of SIM FEEDER and SIM RELAY" in html
    assert '<section id="truth"' not in html      # no truth input: no truth section
