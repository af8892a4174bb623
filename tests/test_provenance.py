"""Inputs are checked against their MANIFEST before a run; every table carries its provenance."""

import shutil

import pandas as pd
import pytest
import yaml

from helpers import fileio, params, provenance, store
from helpers.errors import InputError
from helpers.sim import examples
from tests.factories import params_elsewhere


@pytest.fixture
def dataset(tmp_path):
    """A copy of the example dataset and a parameter file reading it from there."""
    root = tmp_path / "ex"
    shutil.copytree(examples.root(), root)
    f = params_elsewhere("notebooks/params/example_rajin_vostochny.yaml", tmp_path / "p.yaml",
                         outputs={k: str(tmp_path / "out" / k) for k in ("processed", "figures", "build")})
    raw = yaml.safe_load(f.read_text())
    raw["inputs"]["ais"] = [{"path": str(root / "ais_dma_2023.csv.gz"), "format": "dma"}]
    f.write_text(yaml.safe_dump(raw))
    return root, f


def test_default_inputs_match_their_manifests():
    checked = provenance.check_inputs(params.load().input_files())
    assert set(checked) == {"data/raw/MANIFEST", "data/reference/MANIFEST"}
    assert checked["data/reference/MANIFEST"] == 6


def test_changed_missing_or_unlisted_input_stops_the_run(dataset):
    root, f = dataset
    P = params.load(f)
    # outside the project a MANIFEST shows by its name only (no machine paths in messages)
    assert provenance.check_inputs(P.input_files()) == {"MANIFEST": 4, "data/reference/MANIFEST": 6}
    data = root / "ais_dma_2023.csv.gz"
    original = data.read_bytes()
    data.write_bytes(original[:-10])
    with pytest.raises(InputError) as e:
        provenance.check_inputs(P.input_files())
    assert e.value.field == "sha256" and "ais_dma_2023.csv.gz" in str(e.value)
    assert "accept-inputs" in str(e.value)
    # a deliberate change is accepted by rewriting the MANIFEST, and reported
    changes = provenance.accept_inputs(P.input_files())
    assert len(changes) == 1 and changes[0].startswith("changed ") and "ais_dma_2023.csv.gz" in changes[0]
    assert provenance.check_inputs(P.input_files())
    (root / "truth" / "identities.csv").unlink()
    with pytest.raises(InputError, match="missing"):
        provenance.check_inputs(P.input_files())
    assert provenance.accept_inputs(P.input_files())[0].startswith("removed ")
    # an input in the MANIFEST's folder that it does not list
    extra = root / "more.csv.gz"
    extra.write_bytes(original)
    P2 = params.load(f, {"inputs": {"ais": [{"path": str(data)}, {"path": str(extra)}]}})
    with pytest.raises(InputError, match="not listed"):
        provenance.check_inputs(P2.input_files())


def test_provenance_is_deterministic_and_ignores_output_folders(dataset, tmp_path):
    _, f = dataset
    a = params.load(f).record()
    b = params.load(f, {"outputs": {"processed": str(tmp_path / "elsewhere")}}).record()
    c = params.load(f, {"thresholds": {"dark_min_hours": 6}}).record()
    assert a["run_id"] == b["run_id"] != c["run_id"]
    assert [i["file"] for i in a["inputs"]] == ["ais_dma_2023.csv.gz", "data/reference/coastline.gpkg",
                                               "data/reference/ports.geojson",
                                               "data/reference/region_land.gpkg"]
    assert a["inputs"][0]["sha256"] == fileio.sha256(dataset[0] / "ais_dma_2023.csv.gz")
    assert a["packages"]["pandas"] == pd.__version__ and "outputs" not in a["parameters"]


def test_every_processed_table_carries_its_provenance(dataset):
    _, f = dataset
    P = params.load(f)
    df = pd.DataFrame({"x": [1, 2]})
    p1 = store.write(df, P.processed("t.parquet"), P.record())
    first = p1.read_bytes()
    p2 = store.write(df, P.processed("t.parquet"), P.record())
    assert p2.read_bytes() == first                       # same table, same bytes
    rec = provenance.of_table(p1)
    assert rec == P.record() and rec["run_id"] == P.run_id
    assert store.read(P.processed("t.parquet"))["x"].tolist() == [1, 2]


def test_a_write_killed_half_way_leaves_the_previous_table(dataset, monkeypatch):
    _, f = dataset
    P = params.load(f)
    path = store.write(pd.DataFrame({"x": [1, 2]}), P.processed("t.parquet"), P.record())
    before = path.read_bytes()

    from pathlib import Path

    def killed(self, *a, **k):
        Path(a[0]).write_bytes(b"PAR1 half a file")    # partial output, then the process dies
        raise KeyboardInterrupt
    monkeypatch.setattr(pd.DataFrame, "to_parquet", killed)
    with pytest.raises(KeyboardInterrupt):
        store.write(pd.DataFrame({"x": [3]}), P.processed("t.parquet"), P.record())
    monkeypatch.undo()
    assert path.read_bytes() == before and sorted(p.name for p in path.parent.iterdir()) == ["t.parquet"]
    store.write(pd.DataFrame({"x": [3]}), P.processed("t.parquet"), P.record())        # the next run completes normally
    assert store.read(P.processed("t.parquet"))["x"].tolist() == [3]


@pytest.mark.slow
def test_every_figure_and_table_of_a_run_names_its_provenance(run):
    import json
    import re

    from PIL import Image
    rec = json.loads((run.out / "figures" / "provenance.json").read_text())
    assert rec == json.loads((run.out / "processed" / "provenance.json").read_text())
    assert rec["run_id"] == run.P.run_id
    svgs = sorted((run.out / "figures").glob("fig*.svg"))
    assert [p.stem for p in svgs] == ["fig00_lede", "fig01_route_map", "fig02_timeline", "fig03_ais_activity",
                                      "fig04_coverage", "fig05_containers", "fig06_validation",
                                      "fig07_sighting_cards"]
    for svg in svgs:
        assert re.findall(r"<dc:source>rajin-dunai run (\w+)</dc:source>", svg.read_text()) == [rec["run_id"]]
        assert Image.open(svg.with_suffix(".png")).info["Source"] == f"rajin-dunai run {rec['run_id']}"
    narrow = sorted((run.out / "figures").glob("fig*.narrow.png"))
    assert len(narrow) == 7          # every figure but the sighting cards has a phone-width render
    for png in narrow:
        assert Image.open(png).info["Source"] == f"rajin-dunai run {rec['run_id']}", png.name
    for table in sorted((run.out / "processed").glob("*.parquet")):
        assert provenance.of_table(table)["run_id"] == rec["run_id"], table.name
