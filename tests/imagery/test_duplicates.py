"""helpers.imagery.duplicates: one scene in several items, the newest processing kept.

Real pairs are in test_real_catalogs.py (one product in two Earth Search collections; one id in
two catalogue generations). Here each step of the rule is shown on copies of one real item (the
Copernicus Data Space Sentinel-2 L2A item, baseline 05.00, processed 2023-06-12), changed only
where the rule looks."""

from __future__ import annotations

import gzip
import json

import pandas as pd

from helpers import imagery
from tests.imagery.factories import REAL

CDSE_ID = "S2B_MSIL2A_20200322T074609_N0500_R135_T36NYH_20230612T214223"


def _cdse_item() -> dict:
    page = json.loads(gzip.decompress((REAL / "stac_api" / "cdse_v1_sentinel-2-l2a_search.json.gz").read_bytes()))
    item = page["features"][0]
    item["assets"] = {}                 # 64 KB of assets the rule never reads
    return item


def _write(tmp_path, name: str, item: dict):
    path = tmp_path / name
    path.write_text(json.dumps(item))
    return path


def test_an_older_processing_baseline_is_the_duplicate(tmp_path):
    new = _cdse_item()
    old = _cdse_item()
    old["id"] = "S2B_MSIL2A_20200322T074609_N0214_R135_T36NYH_20200322T103014"
    old["properties"].update({"processing:version": "02.14", "processing:datetime": "2020-03-22T10:30:14Z",
                              "updated": "2024-06-01T00:00:00Z", "eo:cloud_cover": 90.1})
    cat = imagery.read_catalog([_write(tmp_path, "old.json", old), _write(tmp_path, "new.json", new)])
    assert cat.acquisitions["acq_id"].tolist() == [CDSE_ID]
    assert cat.acquisitions["cloud_cover"].tolist() == [87.94]
    assert cat.duplicates[["acq_id", "kept_id", "rule", "decided_by", "file"]].values.tolist() == [
        [old["id"], CDSE_ID, "same scene", "processing version", "old.json"]]
    assert cat.qa.set_index("source")["duplicates"].to_dict() == {"old.json": 1, "new.json": 0, "total": 1}


def test_without_versions_the_later_processing_time_then_update_then_id_decide(tmp_path):
    base = _cdse_item()
    for key in ("processing:version", "processing:datetime"):
        base["properties"].pop(key)
    a, b = json.loads(json.dumps(base)), json.loads(json.dumps(base))
    b["id"] = "S2B_MSIL2A_20200322T074609_N0500_R135_T36NYH_20230612T214223_COPY"
    # ids carry the generation time 20230612T214223 (both equal): `updated` decides
    b["properties"]["updated"] = "2025-01-01T00:00:00Z"
    cat = imagery.read_catalog([_write(tmp_path, "a.json", a), _write(tmp_path, "b.json", b)])
    assert cat.duplicates[["acq_id", "kept_id", "decided_by"]].values.tolist() == [[CDSE_ID, b["id"], "updated"]]
    b["properties"]["updated"] = a["properties"]["updated"]
    cat = imagery.read_catalog([_write(tmp_path, "a.json", a), _write(tmp_path, "b.json", b)])
    assert cat.duplicates[["acq_id", "kept_id", "decided_by"]].values.tolist() == [[CDSE_ID, b["id"], "id"]]


def test_an_identical_copy_is_a_plain_duplicate_and_a_changed_copy_keeps_the_newest(tmp_path):
    item = _cdse_item()
    cat = imagery.read_catalog([_write(tmp_path, "a.json", item), _write(tmp_path, "b.json", item)])
    assert cat.duplicates[["acq_id", "rule", "decided_by", "file"]].values.tolist() == [
        [CDSE_ID, "same id, same content", "identical", "b.json"]]
    changed = json.loads(json.dumps(item))
    changed["properties"].update({"eo:cloud_cover": 12.5, "updated": "2025-02-02T00:00:00Z"})
    cat = imagery.read_catalog([_write(tmp_path, "a.json", changed), _write(tmp_path, "b.json", item)])
    assert cat.acquisitions["cloud_cover"].tolist() == [12.5]
    assert cat.duplicates[["rule", "decided_by", "file"]].values.tolist() == [
        ["same id, different content", "updated", "b.json"]]


def test_another_satellite_or_another_second_is_another_scene(tmp_path):
    item = _cdse_item()
    other_sat = json.loads(json.dumps(item))
    other_sat["id"], other_sat["properties"]["platform"] = "OTHER_SAT", "sentinel-2a"
    later = json.loads(json.dumps(item))
    later["id"], later["properties"]["datetime"] = "LATER", "2020-03-22T07:46:11Z"
    for key in ("start_datetime", "end_datetime"):
        later["properties"].pop(key)
    cat = imagery.read_catalog([_write(tmp_path, n, it) for n, it in
                                [("a.json", item), ("b.json", other_sat), ("c.json", later)]])
    assert cat.duplicates.empty and len(cat.acquisitions) == 3
    assert cat.acquisitions["datetime"].tolist()[-1] == pd.Timestamp("2020-03-22T07:46:11Z")
