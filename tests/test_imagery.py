"""helpers.imagery: STAC round trip, sightings CSV, checks, matching and port coverage."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from helpers import imagery
from helpers.errors import InputError
from helpers.schema import columns

FIXTURES = Path(__file__).parent / "fixtures" / "imagery"
RAJIN = (130.30, 42.24)   # berth (lon, lat) used in these tests only
DUNAI = (132.35, 42.89)


def _acquisitions() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({
        "acq_id": ["20230901_012345_24_2427", "S2B_MSIL2A_20230903T020000",
                   "20230902_013000_10_241c", "20230902_014500_55_24a3"],
        "platform": ["PS2.SD", "Sentinel-2B", "PS2.SD", "PSB.SD"],
        "sensor": ["PS2.SD", "msi", "PS2.SD", "PSB.SD"],
        "datetime": pd.to_datetime(["2023-09-01T01:23:45Z", "2023-09-03T02:00:00.5Z",
                                    "2023-09-02T01:30:00Z", "2023-09-02T01:45:00Z"],
                                   format="ISO8601"),
        "cloud_cover": [5.0, 30.0, 20.0, 0.123456789],
        "gsd_m": [3.0, 10.0, 3.0, 3.7],
        "provider": ["Planet", "ESA", "Planet", "Planet"],
        "footprint": [shapely.box(130.1, 42.1, 130.4, 42.3),             # Rajin
                      shapely.box(129.9, 41.9, 132.6, 43.0),             # both ports
                      shapely.box(132.2, 42.8, 132.5, 43.0),             # Dunai
                      shapely.Polygon([(130.25, 42.2), (130.351, 42.2),  # Rajin, odd floats
                                       (130.35, 42.31), (130.2500001, 42.3)])],
    }, geometry="footprint", crs="EPSG:4326")


def _ports() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"port": ["Rajin", "Dunai"], "berth_lon": [RAJIN[0], DUNAI[0]],
         "berth_lat": [RAJIN[1], DUNAI[1]]},
        geometry=[shapely.Point(*RAJIN), shapely.Point(*DUNAI)], crs="EPSG:4326")


def _bytes(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*.json"))}


# --- STAC -------------------------------------------------------------------------------------

def test_stac_round_trip_and_deterministic_bytes(tmp_path):
    acq = _acquisitions()
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
    acq = _acquisitions()
    imagery.write_stac(acq, tmp_path)
    imagery.write_stac(acq.iloc[:1], tmp_path)
    assert imagery.read_acquisitions(tmp_path)["acq_id"].tolist() == ["20230901_012345_24_2427"]
    assert len(list(tmp_path.rglob("*.json"))) == 3


def test_single_item_list_of_paths_collection_and_walked_directory(tmp_path):
    imagery.write_stac(_acquisitions(), tmp_path / "cat")
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


# --- sightings --------------------------------------------------------------------------------

HEADER = ",".join(imagery.SIGHTINGS_CSV_COLUMNS)
ROWS = [
    "s1,20230901_012345_24_2427,2023-09-01T01:23:45Z,Rajin,42.24,130.30,98.5,45,ANGARA,high,12,",
    "s2,20230901_012345_24_2427,yesterday,Rajin,42.24,130.30,98,,MARIA,medium,,bad time",
    "s3,S2B_MSIL2A_20230903T020000,2023-09-03T02:00:00Z,Dunai,95,132.35,,,,none,,lat typo",
    's4,S2B_MSIL2A_20230903T020000,2023-09-03T02:00:00Z,Dunai,42.89,132.35,120,,,,,"quay, 40 boxes"',
]


def _csv(tmp_path, rows=ROWS, header=HEADER) -> Path:
    path = tmp_path / "x.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def test_read_sightings_checked_rejects_bad_rows(tmp_path):
    kept, rejects = imagery.read_sightings_checked(_csv(tmp_path))
    assert len(kept) + len(rejects) == len(ROWS)
    assert list(kept.columns) == columns("sightings")
    assert list(rejects.columns) == columns("rejects")
    assert kept["sighting_id"].tolist() == ["s1", "s4"]
    assert rejects["locator"].tolist() == ["x.csv:row 2", "x.csv:row 3"]
    assert rejects["source"].tolist() == ["x.csv", "x.csv"]
    assert "unparseable datetime 'yesterday'" in rejects["reason"].iloc[0]
    assert rejects["reason"].iloc[1] == "lat 95 outside -90..90"
    assert rejects["raw"].iloc[1] == ROWS[2]

    s1, s4 = kept.iloc[0], kept.iloc[1]
    assert s1["datetime"] == pd.Timestamp("2023-09-01T01:23:45Z")
    assert s1["vessel"] == "ANGARA" and s1["containers"] == 12 and s1["heading_deg"] == 45.0
    assert pd.isna(s1["analyst_note"]) and kept["match"].isna().all()
    assert pd.isna(s4["vessel"]) and s4["id_confidence"] == "none"
    assert pd.isna(s4["containers"]) and s4["analyst_note"] == "quay, 40 boxes"

    assert imagery.read_sightings(_csv(tmp_path))["sighting_id"].tolist() == ["s1", "s4"]


def test_read_sightings_other_row_problems(tmp_path):
    rows = [ROWS[0].replace("high", "certain"),
            ROWS[0].replace("s1,", "s1b,").replace("01:23:45Z", "01:23:45"),
            ROWS[0], ROWS[3]]
    kept, rejects = imagery.read_sightings_checked(_csv(tmp_path, rows))
    assert kept["sighting_id"].tolist() == ["s4"]
    assert "unknown id_confidence 'certain'" in rejects["reason"].iloc[0]
    assert "has no time zone" in rejects["reason"].iloc[1]
    # row 3 repeats s1 (row 1 was rejected, but the id is still taken)
    assert rejects["locator"].tolist() == ["x.csv:row 1", "x.csv:row 2", "x.csv:row 3"]
    assert rejects["reason"].iloc[2] == "duplicate sighting_id s1"


def test_read_sightings_missing_column(tmp_path):
    header = HEADER.replace("id_confidence", "confidence")
    with pytest.raises(InputError) as err:
        imagery.read_sightings(_csv(tmp_path, header=header))
    assert err.value.field == "id_confidence" and err.value.file.endswith("x.csv")


def test_write_sightings_round_trip_and_bytes(tmp_path):
    kept = imagery.read_sightings(_csv(tmp_path))
    out = imagery.write_sightings(kept.iloc[::-1], tmp_path / "out.csv")
    text = out.read_text()
    assert text.splitlines()[0] == HEADER
    assert text.splitlines()[1] == \
        "s1,20230901_012345_24_2427,2023-09-01T01:23:45Z,Rajin,42.24,130.3,98.5,45.0,ANGARA,high,12,"
    again = imagery.read_sightings(out)
    pd.testing.assert_frame_equal(again, kept)
    imagery.write_sightings(again, tmp_path / "out2.csv")
    assert (tmp_path / "out2.csv").read_bytes() == out.read_bytes()


def _sightings(rows: list[tuple]) -> pd.DataFrame:
    cols = ["sighting_id", "acq_id", "datetime", "port", "lat", "lon", "vessel",
            "id_confidence"]
    df = pd.DataFrame(rows, columns=cols)
    df["datetime"] = pd.to_datetime(df["datetime"], utc=True)
    for col in ("length_m", "heading_deg", "containers", "analyst_note", "match"):
        df[col] = None
    return df


def test_check_sightings(tmp_path):
    s = _sightings([
        ("ok", "20230901_012345_24_2427", "2023-09-01T01:30:00Z", "Rajin", 42.24, 130.30,
         "ANGARA", "high"),
        ("edge", "20230901_012345_24_2427", "2023-09-01T01:23:45Z", "Rajin", 42.3, 130.2,
         None, "none"),
        ("out", "20230901_012345_24_2427", "2023-09-01T01:23:45Z", "Dunai", 42.89, 132.35,
         None, "none"),
        ("ghost", "NO_SUCH_SCENE", "2023-09-01T01:23:45Z", "Rajin", 42.24, 130.30,
         None, "none"),
        ("late", "20230902_013000_10_241c", "2023-09-02T02:15:00Z", "Dunai", 42.89, 132.35,
         "MARIA", "high"),
    ])
    kept, rejects = imagery.check_sightings(s, _acquisitions(), max_minutes=30)
    assert kept["sighting_id"].tolist() == ["ok", "edge"]
    assert dict(zip(rejects["locator"], rejects["reason"])) == {
        "sightings:out": "outside footprint",
        "sightings:ghost": "unknown acquisition NO_SUCH_SCENE",
        "sightings:late": "time differs from acquisition by 45 min",
    }
    kept60, _ = imagery.check_sightings(s, _acquisitions(), max_minutes=60)
    assert "late" in kept60["sighting_id"].tolist()


def test_match_sightings_labels_four_cases():
    s = _sightings([
        ("a", "x", "2023-09-01T01:00:00Z", "Rajin", 42.24, 130.3, "Angara", "medium"),
        ("b", "x", "2023-09-01T01:00:00Z", "Rajin", 42.24, 130.3, "MARIA", "low"),
        ("c", "x", "2023-09-01T01:00:00Z", "Rajin", 42.24, 130.3, "SEVASTOPOL", "high"),
        ("d", "x", "2023-09-01T01:00:00Z", "Rajin", 42.24, 130.3, None, "none"),
    ])
    s.loc[1, "analyst_note"] = "stern only"
    m = imagery.match_sightings(s, vessels_of_interest=["ANGARA", "MARIA"])
    assert m["match"].tolist() == ["identified", "low-confidence", "other vessel",
                                   "unidentified"]
    assert m["vessel"].iloc[0] == "ANGARA"
    assert pd.isna(m["vessel"].iloc[1])
    assert m["analyst_note"].iloc[1] == "analyst id: MARIA (low); stern only"
    assert m["vessel"].iloc[2] == "SEVASTOPOL" and pd.isna(m["vessel"].iloc[3])
    assert len(m) == 4

    strict = imagery.match_sightings(s, vessels_of_interest=["ANGARA", "MARIA"],
                                     min_confidence="high")
    assert strict["match"].tolist()[:2] == ["low-confidence", "low-confidence"]
    assert strict["analyst_note"].iloc[0] == "analyst id: Angara (medium)"
    with pytest.raises(InputError):
        imagery.match_sightings(s, vessels_of_interest=["ANGARA"], min_confidence="sure")


# --- coverage ---------------------------------------------------------------------------------

def test_coverage_two_ports(tmp_path):
    acq = imagery.read_acquisitions(imagery.write_stac(_acquisitions(), tmp_path))
    cov = imagery.coverage(acq, _ports(), max_cloud=20.0)
    assert list(cov.columns) == ["port", "date", "acq_id", "platform", "datetime", "gsd_m",
                                 "cloud_cover", "clear", "whole_fence"]
    got = list(zip(cov["port"], cov["acq_id"], cov["clear"]))
    assert got == [
        ("Dunai", "20230902_013000_10_241c", True),        # 20.0 <= 20: clear
        ("Dunai", "S2B_MSIL2A_20230903T020000", False),
        ("Rajin", "20230901_012345_24_2427", True),
        ("Rajin", "20230902_014500_55_24a3", True),
        ("Rajin", "S2B_MSIL2A_20230903T020000", False),
    ]
    assert cov["date"].tolist()[:2] == [date(2023, 9, 2), date(2023, 9, 3)]
    assert imagery.coverage(acq, _ports(), max_cloud=40)["clear"].all()


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


# --- sightings: GeoJSON, berth and length checks ----------------------------------------------

def test_geojson_sightings_read_like_csv(tmp_path):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [130.30, 42.24]},
         "properties": {"sighting_id": "g1", "acq_id": "20230901_012345_24_2427",
                        "datetime": "2023-09-01T01:23:45Z", "port": "Rajin", "length_m": 118,
                        "heading_deg": 45, "vessel": "ANGARA", "id_confidence": "high",
                        "containers": 12, "analyst_note": None}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [132.35, 42.89]},
         "properties": {"sighting_id": "g2", "acq_id": "S2B_MSIL2A_20230903T020000",
                        "datetime": "2023-09-03T02:00:00Z", "port": "Dunai",
                        "id_confidence": "none"}},
    ]}
    path = tmp_path / "s.geojson"
    path.write_text(json.dumps(doc))
    kept, rejects = imagery.read_sightings_checked(path)
    assert kept["sighting_id"].tolist() == ["g1", "g2"] and rejects.empty
    assert kept["lon"].tolist() == [130.30, 132.35] and kept["lat"].tolist() == [42.24, 42.89]
    assert kept["containers"].iloc[0] == 12 and pd.isna(kept["containers"].iloc[1])
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
         "properties": {}}]}))
    with pytest.raises(InputError) as err:
        imagery.read_sightings(bad)
    assert err.value.field == "geometry"


def test_match_checks_berth_and_length_keeps_unidentified():
    s = _sightings([
        ("ok", "x", "2023-09-01T01:00:00Z", "Rajin", 42.24, 130.30, "ANGARA", "high"),
        ("long", "x", "2023-09-01T01:00:00Z", "Rajin", 42.24, 130.30, "MARIA", "high"),
        ("afloat", "x", "2023-09-01T01:00:00Z", "Rajin", 42.10, 130.60, "ANGARA", "high"),
        ("anon", "x", "2023-09-01T01:00:00Z", "Rajin", 42.24, 130.30, None, "none"),
    ])
    s["length_m"] = [125.0, 130.0, 120.0, 101.0]
    fences = gpd.GeoDataFrame({"port": ["Rajin"]}, geometry=[shapely.box(130.2, 42.2, 130.4, 42.3)],
                              crs="EPSG:4326")
    m = imagery.match_sightings(s, vessels_of_interest=["ANGARA", "MARIA"],
                                lengths={"ANGARA": 120, "MARIA": 100}, length_tolerance_m=15,
                                ports=fences)
    assert m["match"].tolist() == ["identified", "length mismatch", "not at berth", "unidentified"]
    assert m["vessel"].tolist()[0] == "ANGARA" and m["vessel"].iloc[1:].isna().all()
    assert m["analyst_note"].iloc[1] == "analyst id: MARIA (high); length 130 m vs 100 m (tolerance 15 m)"
    assert m["analyst_note"].iloc[2] == "analyst id: ANGARA (high); position outside the Rajin geofence"
    assert m["analyst_note"].iloc[3] == "length fits MARIA"
