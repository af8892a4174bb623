"""helpers.imagery.stac (and writers.write_stac): STAC round trip, catalogs, collections, items,
ItemCollections, older STAC versions, providers, the antimeridian and malformed items."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import shapely

from helpers import imagery
from helpers.errors import InputError
from helpers.schema import columns
from tests.imagery.factories import FIXTURES, acquisitions


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


def test_older_item_reads():
    acq = imagery.read_acquisitions(FIXTURES / "item_stac_1_0_0.json")
    row = acq.iloc[0]
    assert row["acq_id"] == "S2A_52TGN_20230912_0_L2A"
    assert row["platform"] == "sentinel-2a" and row["sensor"] == "msi"
    assert row["datetime"] == pd.Timestamp("2023-09-12T02:07:31.024Z")
    assert row["cloud_cover"] == 12.5 and row["gsd_m"] == 10.0
    assert pd.isna(row["provider"])
    assert row["footprint"].bounds == (130.0, 42.0, 131.3, 42.9)


def _item(tmp_path, **changes) -> Path:
    doc = json.loads((FIXTURES / "item_stac_1_0_0.json").read_text())
    for key, value in changes.items():
        if key == "geometry":
            doc["geometry"] = value
        else:
            doc["properties"][key] = value
    path = tmp_path / "item.json"
    path.write_text(json.dumps(doc))
    return path


def test_read_acquisitions_errors(tmp_path):
    with pytest.raises(InputError) as err:
        imagery.read_acquisitions(_item(tmp_path, datetime=None))
    assert err.value.field == "datetime" and "item.json" in err.value.file

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
    assert err.value.field == "type"

    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(InputError):
        imagery.read_acquisitions(tmp_path / "broken.json")


# --- providers, STAC versions, antimeridian ---------------------------------------------------

PROVIDER_FIXTURES = {   # file -> (acq_id, platform, sensor, datetime, cloud, gsd, provider, bounds)
    "sentinel1_grd.json": ("S1A_IW_GRDH_1SDV_20230915T092512_20230915T092537_050331_060F0E",
                           "sentinel-1a", "c-sar", "2023-09-15T09:25:24.5Z", None, None, None,
                           (129.19, 41.95, 132.72, 43.87)),
    "landsat_c2l2.json": ("LC09_L2SP_115031_20230918_20230920_02_T1", "landsat-9", "oli,tirs",
                          "2023-09-18T01:52:33.1234Z", 22.06, 30.0, None,
                          (131.02, 40.91, 133.83, 43.0)),
    "planetscope.json": ("20230908_012154_27_24a3", "24a3", "PSB.SD", "2023-09-08T01:21:54.27Z",
                         0.0, 3.7, "Planet Labs PBC", (130.17, 42.09, 130.5, 42.37)),
    "skysat.json": ("20230909_013215_ssc7_u0001", "SSC7", "chip", "2023-09-09T01:32:15Z", 10.5,
                    0.5, None, (130.26, 42.2, 130.36, 42.27)),
    "maxar_wv03.json": ("10400100898E0E00", "WV03", "VNIR", "2023-09-10T02:03:17.5Z", 1.0, 0.31,
                        "Maxar", (132.28, 42.84, 132.4, 42.93)),
    "item_stac_0_8.json": ("LC08_L1TP_115031_20190914_20190926_01_T1", "landsat-8", "OLI_TIRS",
                           "2019-09-14T01:50:12Z", 41.0, 15.0, None, (131.0, 40.9, 133.8, 43.0)),
    "item_stac_0_9.json": ("S2A_52TGN_20200601_0_L2A", "sentinel-2a", "msi", "2020-06-01T02:07:31Z",
                           0.5, 10.0, None, (130.0, 42.0, 131.3, 42.9)),
}


@pytest.mark.parametrize("name", sorted(PROVIDER_FIXTURES))
def test_provider_items_read_exactly(name):
    acq_id, platform, sensor, when, cloud, gsd, provider, bounds = PROVIDER_FIXTURES[name]
    row = imagery.read_acquisitions(FIXTURES / name).iloc[0]
    assert row["acq_id"] == acq_id and row["platform"] == platform and row["sensor"] == sensor
    assert row["datetime"] == pd.Timestamp(when) and str(row["datetime"].tz) == "UTC"
    assert (pd.isna(row["cloud_cover"]) if cloud is None else row["cloud_cover"] == cloud)
    assert (pd.isna(row["gsd_m"]) if gsd is None else row["gsd_m"] == gsd)
    assert (pd.isna(row["provider"]) if provider is None else row["provider"] == provider)
    assert row["footprint"].bounds == bounds and row["footprint"].is_valid


def test_sentinel2_item_collection():
    acq = imagery.read_acquisitions(FIXTURES / "sentinel2_itemcollection.json")
    assert acq["acq_id"].tolist() == ["S2B_MSIL2A_20230907T021549_R003_T52TGN_20230907T051830",
                                      "S2A_MSIL2A_20230912T021551_R003_T52TGN_20230912T072238"]
    assert acq["cloud_cover"].tolist() == [3.4, 87.25]
    assert acq["platform"].tolist() == ["Sentinel-2B", "Sentinel-2A"]
    assert acq["gsd_m"].isna().all()
    assert round(acq["footprint"].iloc[0].area, 4) == 1.3068


def test_antimeridian_footprint_is_split():
    fp = imagery.read_acquisitions(FIXTURES / "antimeridian_s1.json")["footprint"].iloc[0]
    assert fp.geom_type == "MultiPolygon" and fp.is_valid and len(fp.geoms) == 2
    assert sorted(g.bounds for g in fp.geoms) == [(-180.0, 51.0, -178.0, 53.0),
                                                  (178.0, 51.0, 180.0, 53.0)]
    assert fp.area == 8.0                       # 4 x 2 degrees, not 356 x 2
    plain = shapely.box(1, 2, 3, 4)
    assert imagery.split_antimeridian(plain).equals_exact(plain, tolerance=0)


def test_malformed_items_name_file_field_and_fix(tmp_path):
    with pytest.raises(InputError) as err:
        imagery.read_acquisitions(_item(tmp_path, **{"eo:cloud_cover": 140}))
    assert err.value.field == "eo:cloud_cover" and "item.json" in err.value.file
    assert "percent" in err.value.fix
    with pytest.raises(InputError) as err:
        imagery.read_acquisitions(_item(tmp_path, platform=None, constellation=None))
    assert err.value.field == "platform" and "properties.platform" in err.value.fix
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    with pytest.raises(InputError) as err:
        imagery.read_acquisitions(_item(tmp_path, geometry=bowtie))
    assert err.value.field == "geometry" and "Self-intersection" in err.value.problem
