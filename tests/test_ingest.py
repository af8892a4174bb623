"""helpers.ingest and `python -m helpers ingest`: raw AIS decoded once into partitioned
GeoParquet; counts accounted for, incremental by sha256, the same bytes from the local and the
Dask engines, and the pipeline's AIS input reading the folder gives the positions the raw files
give."""

from __future__ import annotations

import gzip
import json
import re
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from helpers import ais, fileio, ingest, params, paths
from helpers.__main__ import main
from helpers.errors import InputError
from helpers.steps import tracks
from tests.factories import output_overrides

NMEA = paths.PROJECT_ROOT / "data/raw/ais/coastal_receivers_2023.nmea"
REAL = paths.PROJECT_ROOT / "tests/fixtures/real/ais"
CSVS = [REAL / "dma_aisdk_ferry_20221015_every10.csv", REAL / "marinecadastre_noaa_AIS_2023_01_11_head.csv"]
BUCKETS = 4


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    """Three pieces of the bundled NMEA feed (2,000 lines each, the second gzipped) in a folder."""
    d = tmp_path_factory.mktemp("raw")
    lines = NMEA.read_text(encoding="utf-8").splitlines(keepends=True)[:6000]
    (d / "a.nmea").write_text("".join(lines[:2000]), encoding="utf-8")
    (d / "b.nmea.gz").write_bytes(gzip.compress("".join(lines[2000:4000]).encode(), mtime=0))
    (d / "c.nmea").write_text("".join(lines[4000:]), encoding="utf-8")
    return d


def tree(root) -> dict[str, str]:
    """Every file under `root` (relative name -> sha256)."""
    return {p.relative_to(root).as_posix(): fileio.sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def folder(raw, tmp_path_factory):
    out = tmp_path_factory.mktemp("ingested")
    ingest.ingest([raw], out, buckets=BUCKETS, progress=False)
    return out


def test_folder_layout_counts_and_manifest(raw, folder):
    m = ingest.load_manifest(folder)
    assert [e["source"] for e in m["inputs"]] == ["a.nmea", "b.nmea.gz", "c.nmea"]
    for e in m["inputs"]:
        assert e["sha256"] == fileio.sha256(raw / e["source"])
    led = pd.read_csv(folder / "ledger.csv")
    # rows in = kept (positions + static) + rejected (+ skipped: blank lines, comments, GPS)
    assert (led["rows_read"] == led["positions"] + led["static"] + led["skipped"] + led["rejected"]).all()
    assert (led["kept"] == led["positions"] + led["static"]).all()
    assert led["skipped_by_reason"].str.contains("comment|non-AIS", regex=True).any()
    assert led["lines"].tolist() == [2000, 2000, 2000]
    # the same counts as reading each file with helpers.ais.read
    for f, row in zip(sorted(raw.iterdir()), led.itertuples()):
        d = ais.read(f)
        assert (row.positions, row.static, row.rejected, row.skipped) == (
            len(d.positions), d.qa["static"], len(d.rejects), d.qa["skipped"])
    assert led["rejected"].sum() > 0 and led["rejected_by_reason"].str.contains("bad checksum").any()
    parts = sorted(p.relative_to(folder / "positions").as_posix() for p in folder.rglob("part.parquet"))
    assert parts and all(re.fullmatch(r"day=\d{4}-\d\d-\d\d/bucket=\d\d/part\.parquet", p) for p in parts)
    pos = ingest.read_positions(folder)
    assert len(pos) == led["positions"].sum()
    rej = pd.concat([pd.read_parquet(p) for p in (folder / "inputs").glob("*.rejects.parquet")])
    assert len(rej) == led["rejected"].sum()
    # GeoParquet: geopandas reads a partition, its points are the rows' lon/lat
    g = gpd.read_parquet(folder / "positions" / parts[0])
    assert g.crs.to_epsg() in (4326, None) or "CRS84" in g.crs.to_string()
    assert np.allclose(g.geometry.x, g["lon"]) and np.allclose(g.geometry.y, g["lat"])
    # no machine path in what the folder says about its inputs
    text = (folder / "manifest.json").read_text() + (folder / "ledger.csv").read_text()
    assert str(raw) not in text and str(folder) not in text


def test_reading_the_folder_gives_the_raw_positions(raw, folder):
    start, end = pd.Timestamp("2023-07-01T00:00:00Z"), pd.Timestamp("2023-07-08T00:00:00Z")
    raws = [ais.read(f) for f in sorted(raw.iterdir())]
    a = ais.clean(raws, start, end)
    b = ais.clean(ingest.read_folder(folder, start, end), start, end)
    assert len(a.positions) > 1000
    pd.testing.assert_frame_equal(a.positions, b.positions)
    pd.testing.assert_frame_equal(a.vessels, b.vessels)
    pd.testing.assert_frame_equal(a.rejects[a.rejects["reason"] != ais.records.R_WINDOW].reset_index(drop=True),
                                  b.rejects.reset_index(drop=True))
    # window and MMSI list pushed down: the rows left out are counted as skipped, per input
    some = a.positions["mmsi"].drop_duplicates().iloc[:3].tolist()
    s2, e2 = pd.Timestamp("2023-07-03T06:00:00Z"), pd.Timestamp("2023-07-05T18:00:00Z")
    got = ingest.read_folder(folder, s2, e2, mmsi=some)
    for d in got:
        assert d.qa["rows_read"] == d.qa["positions"] + d.qa["static"] + d.qa["rejected"] + d.qa["skipped"]
    c = ais.clean(got, s2, e2)
    want = ais.clean(raws, s2, e2).positions
    want = want[want["mmsi"].isin(some)].reset_index(drop=True)
    assert len(want) > 10
    pd.testing.assert_frame_equal(c.positions, want)


def test_incremental_skips_unchanged_replaces_changed(raw, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for f in raw.iterdir():
        (src / f.name).write_bytes(f.read_bytes())
    out = tmp_path / "out"
    r1 = ingest.ingest([src], out, buckets=BUCKETS, progress=False)
    assert r1.added == ["a.nmea", "b.nmea.gz", "c.nmea"] and not r1.replaced
    before = tree(out)
    r2 = ingest.ingest([src], out, progress=False)
    assert (r2.added, r2.replaced, r2.unchanged, r2.lines) == ([], [], ["a.nmea", "b.nmea.gz", "c.nmea"], 0)
    assert tree(out) == before
    # read another way (format given): replaced
    r = ingest.ingest([{"path": src / "a.nmea", "format": "nmea"}], out, progress=False)
    assert (r.added, r.replaced) == ([], ["a.nmea"])
    ingest.ingest([src / "a.nmea"], out, progress=False)
    assert tree(out) == before
    # c.nmea changes: its first 500 lines only
    lines = (src / "c.nmea").read_text(encoding="utf-8").splitlines(keepends=True)
    (src / "c.nmea").write_text("".join(lines[:500]), encoding="utf-8")
    n_new = len(ais.read(src / "c.nmea").positions)
    r3 = ingest.ingest([src], out, progress=False)
    assert (r3.replaced, r3.unchanged, r3.lines) == (["c.nmea"], ["a.nmea", "b.nmea.gz"], 500)
    pos = ingest.read_positions(out)
    counts = pos["source"].value_counts()
    assert counts["c.nmea"] == n_new
    assert counts["a.nmea"] == len(ais.read(src / "a.nmea").positions)
    led = pd.read_csv(out / "ledger.csv").set_index("source")
    assert led.loc["c.nmea", "lines"] == 500 and led.loc["c.nmea", "sha256"] == fileio.sha256(src / "c.nmea")
    # the same bytes as a fresh ingest of the files as they now are (stale files removed)
    fresh = tmp_path / "fresh"
    ingest.ingest([src], fresh, buckets=BUCKETS, progress=False)
    assert tree(out) == tree(fresh)


def test_dask_engine_writes_the_same_bytes(raw, folder, tmp_path):
    out = tmp_path / "dask"
    r = ingest.ingest([raw], out, engine="dask", n_workers=2, processes=False, buckets=BUCKETS,
                      batch_rows=1000, progress=False)
    assert sorted(r.added) == ["a.nmea", "b.nmea.gz", "c.nmea"]
    assert tree(out) == tree(folder)
    # a bad file decoded on a worker stops the ingest with the same message as in one process
    bad = tmp_path / "bad" / "garbage.txt"
    bad.parent.mkdir()
    bad.write_text("hello\nworld\n", encoding="utf-8")
    with pytest.raises(InputError, match="garbage.txt"):
        ingest.ingest([bad], tmp_path / "dask_bad", engine="dask", n_workers=1, processes=False,
                      progress=False)


def test_cli_progress_params_form_and_bad_file(raw, tmp_path, capsys):
    out = tmp_path / "cli"
    assert main(["ingest", str(raw / "a.nmea"), *map(str, CSVS), "--out", str(out), "--buckets", "2"]) == 0
    cap = capsys.readouterr()
    assert re.search(r"ingest: 3/3 files, [\d,]+ lines, [\d,]+ lines/s, ETA \d+:\d\d:\d\d", cap.err)
    assert "3 inputs added" in cap.out
    assert str(tmp_path) not in cap.out
    # the parameter-set form ingests its inputs.ais with their formats
    pfile = tmp_path / "p.yaml"
    raw_p = params.load(params.DEFAULT).raw
    raw_p["inputs"] = {**raw_p["inputs"], "ais": [{"path": str(raw / "c.nmea"), "format": "nmea"}]}
    pfile.write_text(json.dumps({k: raw_p[k] for k in ("window", "inputs", "vessels_of_interest", "route",
                                                        "thresholds")}), encoding="utf-8")
    assert main(["ingest", "--params", str(pfile), "--out", str(out)]) == 0
    assert "1 inputs added" in capsys.readouterr().out
    assert len(ingest.load_manifest(out)["inputs"]) == 4
    # a malformed file stops the ingest with its name, the field and the fix; nothing written for it
    bad = tmp_path / "garbage.txt"
    bad.write_text("hello\nworld\n", encoding="utf-8")
    assert main(["ingest", str(raw / "b.nmea.gz"), str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "garbage.txt" in err and "Fix:" in err
    # the good file decoded before it is kept (and in the ledger); the bad one is not
    assert len(ingest.load_manifest(out)["inputs"]) == 5
    assert "b.nmea.gz" in set(pd.read_csv(out / "ledger.csv")["source"])
    with pytest.raises(InputError, match="two different input files"):
        d2 = tmp_path / "x"
        d2.mkdir()
        (d2 / "a.nmea").write_text("# other\n", encoding="utf-8")
        ingest.specs([raw / "a.nmea", d2 / "a.nmea"])


def test_pipeline_input_reads_the_folder(raw, folder, tmp_path):
    """Step 10 with inputs.ais pointing at the ingested folder reads what it does on the raw files."""
    def P(items):
        return params.load(params.DEFAULT, overrides={"inputs": {"ais": items}})
    files = [{"path": str(f), "format": "nmea"} for f in sorted(raw.iterdir())]
    P_raw, P_ing = P(files), P([{"path": str(folder)}])
    a = ais.clean(tracks.read_inputs(P_raw), P_raw.start, P_raw.end)
    b = ais.clean(tracks.read_inputs(P_ing), P_ing.start, P_ing.end)
    pd.testing.assert_frame_equal(a.positions, b.positions)
    pd.testing.assert_frame_equal(a.vessels, b.vessels)
    # the whole step: the positions table it saves is the same
    saved = []
    for Pi, sub in ((P_raw, "raw"), (P_ing, "ing")):
        Pi = params.load(params.DEFAULT, overrides={"inputs": {"ais": Pi.raw["inputs"]["ais"]},
                                                    **output_overrides(tmp_path / sub)})
        tracks.run(Pi)
        saved.append(pd.read_parquet(Pi.processed("positions.parquet")))
    pd.testing.assert_frame_equal(saved[0], saved[1])
    mm = [int(a.positions["mmsi"].iloc[0])]
    c = tracks.read_inputs(P([{"path": str(folder), "options": {"mmsi": mm}}]))
    assert set(pd.concat([d.positions for d in c])["mmsi"]) == set(mm)
    with pytest.raises(InputError, match="options.mmsi"):
        tracks.read_inputs(P([{**files[0], "options": {"mmsi": mm}}]))



def test_output_inside_an_input_folder_and_an_ingested_input(raw, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.nmea").write_bytes((raw / "a.nmea").read_bytes())
    out = src / "ingested"
    ingest.ingest([src], out, buckets=BUCKETS, progress=False)
    r = ingest.ingest([src], out, progress=False)           # its own files are not inputs
    assert (r.added, r.unchanged) == ([], ["a.nmea"])
    with pytest.raises(InputError, match="ingested folder already"):
        ingest.ingest([out], tmp_path / "again", progress=False)
    with pytest.raises(InputError, match="a folder with other files in it"):
        ingest.ingest([src / "a.nmea"], src, progress=False)


def test_real_provider_exports_round_trip(tmp_path):
    """The small real exports (DMA, MarineCadastre, Spire zipped, Kystverket) ingested and read back:
    the positions and vessels reading the raw files gives."""
    zipped = tmp_path / "spire_head.zip"          # a .zip of one export, read as it is
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr(zipfile.ZipInfo("spire.csv", date_time=(2021, 7, 1, 0, 0, 0)),
                   (REAL / "spire_exactearth_decoded_20210701_head.csv").read_bytes())
    files = CSVS + [zipped, REAL / "kystverket_semicolon_test_ais.csv"]
    out = tmp_path / "real"
    ingest.ingest(files, out, buckets=2, progress=False)
    start, end = pd.Timestamp("2000-01-01T00:00:00Z"), pd.Timestamp("2030-01-01T00:00:00Z")
    a = ais.clean([ais.read(f) for f in sorted(files, key=lambda f: f.name)], start, end)
    b = ais.clean(ingest.read_folder(out, start, end), start, end)
    assert len(a.positions) > 50
    pd.testing.assert_frame_equal(a.positions, b.positions)
    pd.testing.assert_frame_equal(a.vessels, b.vessels)
    pd.testing.assert_frame_equal(a.qa, b.qa)


def test_wkb_points_are_shapelys():
    import shapely
    x, y = np.array([130.5, -0.0, 179.999999, -180.0]), np.array([42.25, 0.0, -89.5, 90.0])
    got = ingest.folder.wkb_points(x, y).to_pylist()
    assert got == list(shapely.to_wkb(shapely.points(x, y), byte_order=1))


def test_preflight_says_an_input_is_an_ingested_folder(folder):
    from helpers.steps import preflight
    P = params.load(params.DEFAULT, overrides={"inputs": {"ais": [{"path": str(folder)}]}})
    lines = preflight.check(P)
    assert any(line.endswith(": ingested folder, 3 inputs") for line in lines)


def test_a_killed_ingest_is_redone_not_doubled_and_the_lock(raw, tmp_path):
    out = tmp_path / "out"
    spec = ingest.specs([raw / "a.nmea"])[0]
    d = ingest.decode(spec, BUCKETS)
    # a run killed after writing a's partitions, before recording a in the manifest
    ingest.folder.merge_partitions(out, d["table"], d["codes"], set(), set(), BUCKETS)
    (out / ingest.folder.LOCK).touch()
    with pytest.raises(InputError, match="another ingest is writing this folder"):
        ingest.ingest([raw / "a.nmea"], out, buckets=BUCKETS, progress=False)
    (out / ingest.folder.LOCK).unlink()
    ingest.ingest([raw / "a.nmea"], out, buckets=BUCKETS, progress=False)
    assert len(ingest.read_positions(out)) == d["table"].num_rows
    assert not (out / ingest.folder.LOCK).exists()


def test_progress_line():
    import io
    s = io.StringIO()
    p = ingest.Progress(2, 300, stream=s)
    p.done("a.nmea", 1000, 100)
    line = s.getvalue()
    assert re.fullmatch(r"ingest: 1/2 files, 1,000 lines, [\d,]+ lines/s, ETA \d+:\d\d:\d\d \(a\.nmea\)\n", line)
