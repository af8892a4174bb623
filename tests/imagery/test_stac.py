"""helpers.imagery.stac (and writers.write_stac): STAC round trip, catalogs, collections, items,
folders, lists of paths, .json.gz, links to missing files, the antimeridian, malformed items
kept out as rejects. The real providers' files are read in test_real_catalogs.py."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest
import shapely

from helpers import imagery
from helpers.errors import InputError
from helpers.schema import columns
from tests.imagery.factories import FIXTURES, REAL, acquisitions


def _bytes(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*.json"))}


def test_stac_round_trip_and_deterministic_bytes(tmp_path):
    acq = acquisitions()
    cat = imagery.write_stac(acq, tmp_path / "a")
    assert cat == tmp_path / "a" / "catalog.json"
    back = imagery.read_acquisitions(cat)

    expected = acq.sort_values(["datetime", "acq_id"]).reset_index(drop=True)
    assert list(back.columns) == columns("acquisitions")
    assert back.geometry.name == "footprint" and back.crs.to_epsg() == 4326
    assert back["acq_id"].tolist() == expected["acq_id"].tolist()
    assert back["datetime"].tolist() == expected["datetime"].tolist()
    assert back["cloud_cover"].tolist() == expected["cloud_cover"].tolist()
    assert back["gsd_m"].tolist() == expected["gsd_m"].tolist()
    assert back["provider"].tolist() == expected["provider"].tolist()
    assert all(a.equals_exact(b, tolerance=0)
               for a, b in zip(back["footprint"], expected["footprint"]))

    # same input (in another row order), same bytes; no machine paths or timestamps
    imagery.write_stac(acq.iloc[::-1], tmp_path / "b")
    first, second = _bytes(tmp_path / "a"), _bytes(tmp_path / "b")
    assert first == second
    assert sorted(first) == [
        "catalog.json", "esa-sentinel-2/S2B_MSIL2A_20230903T020000/S2B_MSIL2A_20230903T020000.json",
        "esa-sentinel-2/collection.json",
        "planet-planetscope/20230901_012345_24_2427/20230901_012345_24_2427.json",
        "planet-planetscope/20230902_013000_10_241c/20230902_013000_10_241c.json",
        "planet-planetscope/20230902_014500_55_24a3/20230902_014500_55_24a3.json",
        "planet-planetscope/collection.json"]
    text = b"".join(first.values()).decode()
    assert str(tmp_path) not in text and '"created"' not in text

    item = json.loads(first["esa-sentinel-2/S2B_MSIL2A_20230903T020000/"
                            "S2B_MSIL2A_20230903T020000.json"])
    assert item["stac_extensions"] == [imagery.EO_EXTENSION]
    assert item["properties"] == {
        "platform": "Sentinel-2B", "constellation": "sentinel-2", "instruments": ["msi"],
        "eo:cloud_cover": 30.0, "gsd": 10.0,
        "providers": [{"name": "ESA", "roles": ["producer"]}],
        "datetime": "2023-09-03T02:00:00.500000Z"}
    assert item["bbox"] == [129.9, 41.9, 132.6, 43.0]


def test_rewrite_with_fewer_acquisitions_leaves_no_stale_items(tmp_path):
    acq = acquisitions()
    imagery.write_stac(acq, tmp_path)
    imagery.write_stac(acq.iloc[:1], tmp_path)
    assert imagery.read_acquisitions(tmp_path)["acq_id"].tolist() == ["20230901_012345_24_2427"]
    assert len(list(tmp_path.rglob("*.json"))) == 3


def test_single_item_list_of_paths_collection_and_walked_directory(tmp_path):
    imagery.write_stac(acquisitions(), tmp_path / "cat")
    items = sorted((tmp_path / "cat").rglob("2023*_*/*.json"))
    one = imagery.read_acquisitions(items[0])
    assert one["acq_id"].tolist() == ["20230901_012345_24_2427"]
    assert one["provider"].tolist() == ["Planet"]

    two = imagery.read_acquisitions([items[1], str(items[0])])
    assert two["acq_id"].tolist() == ["20230901_012345_24_2427", "20230902_013000_10_241c"]

    coll = imagery.read_acquisitions(tmp_path / "cat" / "esa-sentinel-2" / "collection.json")
    assert coll["acq_id"].tolist() == ["S2B_MSIL2A_20230903T020000"]

    # a directory without catalog.json: every STAC *.json below it, non-STAC JSON skipped
    (tmp_path / "cat" / "catalog.json").unlink()
    (tmp_path / "cat" / "notes.json").write_text('{"hello": 1}')
    walked = imagery.read_acquisitions(tmp_path / "cat")
    assert len(walked) == 4


def _item(tmp_path, name: str = "item.json", **changes) -> Path:
    """A real item (Planetary Computer Landsat 9, the page's first feature) with `changes` to
    its properties (geometry: its geometry), written to tmp_path/name."""
    page = json.loads((REAL / "stac_api" / "planetary_computer_landsat-c2-l2_items_page.json").read_text())
    doc = page["features"][0]
    for key, value in changes.items():
        if key == "geometry":
            doc["geometry"] = value
        elif key == "id":
            doc["id"] = value
        else:
            doc["properties"][key] = value
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def test_one_real_item_file(tmp_path):
    row = imagery.read_acquisitions(_item(tmp_path)).iloc[0]
    assert row["acq_id"] == "LC09_L2SR_084082_20250722_02_T1"
    assert row["platform"] == "landsat-9" and row["sensor"] == "oli,tirs"
    assert row["datetime"] == pd.Timestamp("2025-07-22T23:12:16.530560Z")
    assert row["cloud_cover"] == 41.51 and row["gsd_m"] == 30.0 and pd.isna(row["provider"])


def test_an_item_that_cannot_be_read_stops_only_when_nothing_is_kept(tmp_path):
    """One bad item alone: InputError naming file, field and fix (the reject's)."""
    with pytest.raises(InputError) as err:
        imagery.read_acquisitions(_item(tmp_path, datetime=None))
    assert err.value.field == "datetime" and "item.json" in err.value.file
    assert "properties.datetime" in err.value.fix

    with pytest.raises(InputError) as err:
        imagery.read_acquisitions(_item(tmp_path, geometry=None))
    assert err.value.field == "geometry"

    with pytest.raises(InputError) as err:
        imagery.read_acquisitions(_item(tmp_path, datetime="2023-09-12T02:07:31"))
    assert err.value.field == "datetime" and "time zone" in err.value.problem

    with pytest.raises(InputError) as err:
        imagery.read_acquisitions(tmp_path / "nope.json")
    assert err.value.field == "path"

    (tmp_path / "plain.json").write_text('{"type": "Feature", "properties": {}}')
    with pytest.raises(InputError) as err:
        imagery.read_acquisitions(tmp_path / "plain.json")
    assert err.value.field == "type" and "stac_version" in err.value.fix

    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(InputError) as err:
        imagery.read_acquisitions(tmp_path / "broken.json")
    assert err.value.field == "(file)"


def test_bad_items_among_good_ones_are_rejects_with_reasons(tmp_path):
    """A folder of 4 items: 2 good, one without a time, one with a bow-tie footprint."""
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    _item(tmp_path, "a.json")
    _item(tmp_path, "b.json", id="LC09_SECOND", datetime="2025-07-23T00:00:00Z")
    _item(tmp_path, "c.json", id="NO_TIME", datetime=None)
    _item(tmp_path, "d.json", id="BOWTIE", geometry=bowtie)
    cat = imagery.read_catalog(tmp_path)
    assert cat.acquisitions["acq_id"].tolist() == ["LC09_L2SR_084082_20250722_02_T1", "LC09_SECOND"]
    assert cat.rejects["locator"].tolist() == ["c.json:NO_TIME", "d.json:BOWTIE"]
    assert cat.rejects["reason"].tolist() == [
        "item 'NO_TIME' has no datetime",
        "item 'BOWTIE' footprint is not a valid polygon (Self-intersection[0.5 0.5])"]
    qa = cat.qa.set_index("source")
    assert qa["kind"].tolist() == ["item"] * 4 + [""]
    assert qa[["items_read", "kept", "duplicates", "rejected"]].loc["total"].tolist() == [4, 2, 0, 2]
    assert qa.loc["c.json", "note"] == "rejected: item 'NO_TIME' has no datetime (x1)"


def test_values_that_are_not_numbers_reject_the_item(tmp_path):
    with pytest.raises(InputError) as err:
        imagery.read_acquisitions(_item(tmp_path, **{"eo:cloud_cover": 140}))
    assert err.value.field == "eo:cloud_cover" and "item.json" in err.value.file
    assert "percent" in err.value.fix
    with pytest.raises(InputError) as err:
        imagery.read_acquisitions(_item(tmp_path, gsd="fine"))
    assert err.value.field == "gsd" and "metres" in err.value.fix
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    with pytest.raises(InputError) as err:
        imagery.read_acquisitions(_item(tmp_path, geometry=bowtie))
    assert err.value.field == "geometry" and "Self-intersection" in err.value.problem


def test_missing_optional_fields_become_nulls_or_documented_defaults(tmp_path):
    """No platform, instruments, cloud or gsd anywhere: platform 'unknown', the rest null; a
    Landsat 9 without gsd or instruments takes the family defaults (30 m, 'oli,tirs');
    eo:cloud_cover -1 is unknown."""
    def without_assets(path):
        doc = json.loads(path.read_text())
        doc["assets"] = {}
        path.write_text(json.dumps(doc))
        return path

    bare = without_assets(_item(tmp_path, "bare.json", platform=None, instruments=None, gsd=None,
                                **{"eo:cloud_cover": None}))
    cat = imagery.read_catalog(bare)
    row, det = cat.acquisitions.iloc[0], cat.details.iloc[0]
    assert row["platform"] == "unknown" and det["family"] == "unknown"
    assert pd.isna(row["sensor"]) and pd.isna(row["cloud_cover"]) and pd.isna(row["gsd_m"])
    # the same item with its bands: gsd from the finest band
    banded = imagery.read_catalog(_item(tmp_path, "banded.json", gsd=None)).details.iloc[0]
    assert banded["gsd_source"] == "bands"
    defaults = imagery.read_catalog(without_assets(_item(
        tmp_path, "dflt.json", instruments=None, gsd=None, **{"eo:cloud_cover": -1})))
    row, det = defaults.acquisitions.iloc[0], defaults.details.iloc[0]
    assert (row["sensor"], row["gsd_m"]) == ("oli,tirs", 30.0)
    assert (det["sensor_source"], det["gsd_source"], det["cloud_source"]) == ("default", "default", None)
    assert pd.isna(row["cloud_cover"])


def test_catalog_link_to_a_missing_file_is_counted_not_fatal(tmp_path):
    imagery.write_stac(acquisitions(), tmp_path / "cat")
    gone = sorted((tmp_path / "cat").rglob("2023*_*/*.json"))[0]
    gone.unlink()
    cat = imagery.read_catalog(tmp_path / "cat")
    assert len(cat.acquisitions) == 3
    qa = cat.qa.set_index("source")
    assert qa.loc["total", "links_not_followed"] == 1
    row = qa[qa["links_not_followed"] == 1].iloc[0]
    assert row["note"].startswith("item link not followed (file missing): ./20230901_012345_24_2427/")


def test_gzip_json_and_a_list_of_files(tmp_path):
    gz = REAL / "stac_api" / "cdse_v1_sentinel-2-l2a_search.json.gz"
    both = imagery.read_acquisitions([gz, _item(tmp_path)])
    assert both["acq_id"].tolist() == ["S2B_MSIL2A_20200322T074609_N0500_R135_T36NYH_20230612T214223",
                                       "LC09_L2SR_084082_20250722_02_T1"]
    raw = gzip.decompress(gz.read_bytes())
    assert json.loads(raw)["features"][0]["stac_version"] == "1.1.0"


def test_antimeridian_footprint_is_split():
    """A synthetic item (no real footprint crossing +-180 was found; fixtures/README.md)."""
    fp = imagery.read_acquisitions(FIXTURES / "synthetic_antimeridian_s1.json")["footprint"].iloc[0]
    assert fp.geom_type == "MultiPolygon" and fp.is_valid and len(fp.geoms) == 2
    assert sorted(g.bounds for g in fp.geoms) == [(-180.0, 51.0, -178.0, 53.0),
                                                  (178.0, 51.0, 180.0, 53.0)]
    assert fp.area == 8.0                       # 4 x 2 degrees, not 356 x 2
    plain = shapely.box(1, 2, 3, 4)
    assert imagery.split_antimeridian(plain).equals_exact(plain, tolerance=0)
