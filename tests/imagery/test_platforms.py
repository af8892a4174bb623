"""helpers.imagery.platforms and providers: platform spellings of real catalogs, radar or
optical, and the files that are not STAC (Planet Data API, Maxar Open Data)."""

from __future__ import annotations

import json

import pytest

from helpers import imagery
from helpers.imagery.platforms import platform_family, satellite, sensor_kind
from tests.imagery.factories import REAL

# (platform, constellation) as written in the real fixtures -> (family, satellite, kind)
SPELLINGS = [
    (("sentinel-2b", "sentinel-2"), ("sentinel-2", "sentinel-2b", "optical")),
    (("Sentinel-2A", "Sentinel 2"), ("sentinel-2", "sentinel-2a", "optical")),
    (("S2A", None), ("sentinel-2", "sentinel-2a", "optical")),
    (("sentinel-2", None), ("sentinel-2", None, "optical")),
    (("SENTINEL-1A", "Sentinel-1"), ("sentinel-1", "sentinel-1a", "radar")),
    (("sentinel-1a", "sentinel-1"), ("sentinel-1", "sentinel-1a", "radar")),
    (("Umbra-08", None), ("umbra", "umbra-08", "radar")),
    (("WV03", None), ("worldview-3", "worldview-3", "optical")),
    (("SSC1", "skysat"), ("skysat", "ssc1", "optical")),
    (("SS02", None), ("skysat", "ss02", "optical")),
    (("101c", "planetscope"), ("planetscope", "101c", "optical")),
    (("landsat-9", None), ("landsat-9", "landsat-9", "optical")),
    (("PS2.SD", None), ("planetscope", "ps2-sd", "optical")),
    (("SIM-PS", "sim-ps"), ("sim-ps", "sim-ps", "optical")),       # the simulator's, unchanged
]


@pytest.mark.parametrize(("given", "expected"), SPELLINGS)
def test_platform_spellings(given, expected):
    family = platform_family(*given)
    assert (family, satellite(given[0]), sensor_kind(family)) == expected


def test_kind_from_instruments_or_sar_fields_when_the_family_is_unknown():
    assert sensor_kind("unknown", ["c-sar"]) == "radar"
    assert sensor_kind("unknown", [], {"sar:polarizations": ["VV"]}) == "radar"
    assert sensor_kind("sentinel-2", [], {"sar:instrument_mode": "INS-NOBS"}) == "optical"   # GEODES


def test_planet_v1_cloud_cover_is_a_fraction(tmp_path):
    """The real PSScene record gives cloud_percent 0 and cloud_cover 0 (a fraction 0-1 in
    Planet's v1 API). The same record with cloud_percent 7 and cloud_cover 0.07 reads 7 %; without
    cloud_percent (as older records), cloud_cover 0.07 reads 7 % too."""
    doc = json.loads((REAL / "stac_api" / "planet_data_api_v1_item_psscene.json").read_text())
    assert (doc["properties"]["cloud_percent"], doc["properties"]["cloud_cover"]) == (0, 0)
    doc["properties"].update(cloud_percent=7, cloud_cover=0.07)
    (tmp_path / "ps.json").write_text(json.dumps(doc))
    assert imagery.read_acquisitions(tmp_path / "ps.json")["cloud_cover"].tolist() == [7.0]
    del doc["properties"]["cloud_percent"]
    (tmp_path / "ps.json").write_text(json.dumps(doc))
    assert imagery.read_acquisitions(tmp_path / "ps.json")["cloud_cover"].tolist() == [7.0]


def test_maxar_tiles_get_ids_from_content_and_the_tsv_its_projected_bbox():
    tiles = imagery.read_catalog(REAL / "stac" / "maxar_open_data_Belize-Wildfires-June24_104001007D13B200.geojson")
    assert tiles.details["tile"].tolist()[0] == "MXRA-Z16-033131010212"
    assert tiles.acquisitions["acq_id"].is_unique
    tsv = imagery.read_acquisitions(REAL / "stac" / "maxar_open_data_Belize-Wildfires-June24.tsv")
    first = tsv.set_index("acq_id")["footprint"]["1040010051B60600-MXRA-Z16-033131010212"]
    assert tuple(round(v, 6) for v in first.bounds) == (-89.122138, 17.081899, -89.112857, 17.100208)
    # the tile's east edge (UTM x 275156.25 m) is the same line in the GeoJSON of another date
    geo = tiles.acquisitions.set_index("acq_id")["footprint"]["104001007D13B200-MXRA-Z16-033131010212"]
    assert round(geo.bounds[2], 6) == round(first.bounds[2], 6) == -89.112857
