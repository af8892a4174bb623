"""Every real catalog file (tests/fixtures/real, described in tests/fixtures/README.md) through
helpers.imagery.read_catalog: exact QA counts, ids, times, platforms, sensors, cloud cover, gsd,
providers, families; STAC 0.6 to 1.1, Planet and Maxar files that are not STAC, search pages with
`next` links that are not followed; composites rejected; one scene twice kept once."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import pytest

from helpers import imagery
from helpers.errors import InputError
from tests.imagery.factories import REAL


class QA(NamedTuple):
    kind: str
    versions: str
    migrated: int
    read: int
    kept: int
    dups: int
    rejected: int
    not_followed: int


# file -> (QA of the total row (its kind: the first row's), kept rows: acq_id, platform, sensor,
# datetime, cloud_cover %, gsd_m, provider, family, sensor_kind), rows sorted by datetime, acq_id
READ = {
    'stac/earth_search_legacy_landsat-8-l1_item.json': (
        QA('item', 'none', 1, 1, 1, 0, 0, 0), [
        ('LC81692212019263',
         'landsat-8', 'OLI_TIRS', '2019-09-20T08:53:31.493794+00:00',
         None, 15.0, None, 'landsat-8', 'optical'),
    ]),
    'stac/maxar_open_data_Belize-Wildfires-June24.tsv': (
        QA('maxar-tsv', 'not STAC', 0, 5, 5, 0, 0, 0), [
        ('1040010051B60600-MXRA-Z16-033131010212',
         'WV03', None, '2019-08-29T16:48:24+00:00',
         0.0, 0.35, 'Maxar', 'worldview-3', 'optical'),
        ('1040010051B60600-MXRA-Z16-033131010213',
         'WV03', None, '2019-08-29T16:48:24+00:00',
         0.0, 0.35, 'Maxar', 'worldview-3', 'optical'),
        ('1040010051B60600-MXRA-Z16-033131010302',
         'WV03', None, '2019-08-29T16:48:24+00:00',
         29.0, 0.35, 'Maxar', 'worldview-3', 'optical'),
        ('1040010051B60600-MXRA-Z16-033131010303',
         'WV03', None, '2019-08-29T16:48:24+00:00',
         0.0, 0.35, 'Maxar', 'worldview-3', 'optical'),
        ('1040010051B60600-MXRA-Z16-033131010230',
         'WV03', None, '2019-08-29T16:48:25+00:00',
         0.0, 0.35, 'Maxar', 'worldview-3', 'optical'),
    ]),
    'stac/maxar_open_data_Belize-Wildfires-June24_104001007D13B200.geojson': (
        QA('maxar-tiles', 'not STAC', 0, 12, 12, 0, 0, 0), [
        ('104001007D13B200-MXRA-Z16-033131010212',
         'WV03', None, '2022-10-23T16:50:06+00:00',
         1.0, 0.39, 'Maxar', 'worldview-3', 'optical'),
        ('104001007D13B200-MXRA-Z16-033131010213',
         'WV03', None, '2022-10-23T16:50:06+00:00',
         0.0, 0.39, 'Maxar', 'worldview-3', 'optical'),
        ('104001007D13B200-MXRA-Z16-033131010302',
         'WV03', None, '2022-10-23T16:50:06+00:00',
         0.0, 0.39, 'Maxar', 'worldview-3', 'optical'),
        ('104001007D13B200-MXRA-Z16-033131010230',
         'WV03', None, '2022-10-23T16:50:07+00:00',
         0.0, 0.39, 'Maxar', 'worldview-3', 'optical'),
        ('104001007D13B200-MXRA-Z16-033131010231',
         'WV03', None, '2022-10-23T16:50:07+00:00',
         0.0, 0.39, 'Maxar', 'worldview-3', 'optical'),
        ('104001007D13B200-MXRA-Z16-033131010232',
         'WV03', None, '2022-10-23T16:50:07+00:00',
         0.0, 0.39, 'Maxar', 'worldview-3', 'optical'),
        ('104001007D13B200-MXRA-Z16-033131010233',
         'WV03', None, '2022-10-23T16:50:07+00:00',
         1.0, 0.39, 'Maxar', 'worldview-3', 'optical'),
        ('104001007D13B200-MXRA-Z16-033131010320',
         'WV03', None, '2022-10-23T16:50:07+00:00',
         0.0, 0.39, 'Maxar', 'worldview-3', 'optical'),
        ('104001007D13B200-MXRA-Z16-033131010322',
         'WV03', None, '2022-10-23T16:50:07+00:00',
         0.0, 0.4, 'Maxar', 'worldview-3', 'optical'),
        ('104001007D13B200-MXRA-Z16-033131012010',
         'WV03', None, '2022-10-23T16:50:08+00:00',
         0.0, 0.39, 'Maxar', 'worldview-3', 'optical'),
        ('104001007D13B200-MXRA-Z16-033131012011',
         'WV03', None, '2022-10-23T16:50:08+00:00',
         0.0, 0.39, 'Maxar', 'worldview-3', 'optical'),
        ('104001007D13B200-MXRA-Z16-033131012100',
         'WV03', None, '2022-10-23T16:50:08+00:00',
         0.0, 0.39, 'Maxar', 'worldview-3', 'optical'),
    ]),
    'stac/planet_hurricane_harvey_1.0.0-beta.2': (
        QA('catalog', '1.0.0-rc.3', 5, 5, 5, 0, 0, 0), [
        ('20170831_162740_ssc1d1',
         'SSC1', None, '2017-08-31T16:27:42.176605+00:00',
         0.0, 0.9, 'Planet', 'skysat', 'optical'),
        ('Houston-East-20170831-103f-100d-0f4f-RGB',
         'planetscope', 'PS2', '2017-08-31T17:24:57.555491+00:00',
         2.0, 3.7, 'Planet', 'planetscope', 'optical'),
        ('20170831_172754_101c',
         '101c', 'PS2', '2017-08-31T17:27:54.960530+00:00',
         2.0, 2.6, 'Planet', 'planetscope', 'optical'),
        ('20170831_195425_SS02',
         'SS02', None, '2017-08-31T19:54:26.532800+00:00',
         0.0, 1.1, 'Planet', 'skysat', 'optical'),
        ('2017831_195552_SS02',
         'SS02', None, '2017-08-31T19:55:53.513448+00:00',
         24.0, 1.1, 'Planet', 'skysat', 'optical'),
    ]),
    'stac/planetary_computer_sentinel-1-rtc_items.json': (
        QA('item-array', '1.0.0', 0, 2, 2, 0, 0, 0), [
        ('S1A_IW_GRDH_1SDV_20240419T045839_20240419T045904_053498_067DF2_rtc',
         'SENTINEL-1A', 'c-sar', '2024-04-19T04:58:51.719834+00:00',
         None, 20.0, None, 'sentinel-1', 'radar'),
        ('S1A_IW_GRDH_1SDV_20240419T045904_20240419T045916_053498_067DF2_rtc',
         'SENTINEL-1A', 'c-sar', '2024-04-19T04:59:10.436706+00:00',
         None, 20.0, None, 'sentinel-1', 'radar'),
    ]),
    'stac/satapi_v0.6_scenes.geojson': (
        QA('item-collection', '0.6.0', 2, 2, 2, 0, 0, 0), [
        ('LC80120302018040LGN00',
         'landsat-8', 'OLI_TIRS', '2018-02-09T15:26:33.244458+00:00',
         69.0, 15.0, 'USGS', 'landsat-8', 'optical'),
        ('S2B_19TCH_20180209_0',
         'sentinel-2b', 'MSI', '2018-02-09T15:35:49.460000+00:00',
         63.87, 10.0, 'ESA', 'sentinel-2', 'optical'),
    ]),
    'stac/stac_spec_0.8.1_planet-sample.json': (
        QA('item', '0.8.1', 1, 1, 1, 0, 0, 0), [
        ('20171110_121030_1013',
         'planetscope', 'dove', '2017-11-10T12:10:30.535417+00:00',
         23.0, 3.7, None, 'planetscope', 'optical'),
    ]),
    'stac/stac_spec_0.9.0_sentinel2-sample.json': (
        QA('item', '0.9.0', 1, 1, 1, 0, 0, 0), [
        ('S2A_OPER_MSI_L2A_TL_SGS__20180524T190423_A015250_T26SKD_N02.08',
         'sentinel-2', 'msi', '2018-06-05T10:00:27.464000+00:00',
         88.459539, 10.0, None, 'sentinel-2', 'optical'),
    ]),
    'stac/umbra_sar_items.json': (
        QA('item-array', '1.0.0', 0, 2, 2, 0, 0, 0), [
        ('192f767c-20f8-4b42-8ea2-d1f60fdaace1',
         'Umbra-05', 'sar', '2023-02-01T02:17:10.722993+00:00',
         None, 0.5, None, 'umbra', 'radar'),
        ('52f2317f-091b-4f90-b385-08c93655e089',
         'Umbra-08', 'sar', '2024-09-10T03:32:27.951742+00:00',
         None, 0.5, None, 'umbra', 'radar'),
    ]),
    'stac_api/cdse_v1_sentinel-2-l2a_search.json.gz': (
        QA('item-collection', '1.1.0', 0, 1, 1, 0, 0, 0), [
        ('S2B_MSIL2A_20200322T074609_N0500_R135_T36NYH_20230612T214223',
         'sentinel-2b', 'msi', '2020-03-22T07:46:09.024000+00:00',
         87.94, 10.0, None, 'sentinel-2', 'optical'),
    ]),
    'stac_api/cnes_geodes_search_1.0.0-beta.1.json': (
        QA('api-page', '1.0.0-beta.2', 1, 1, 1, 0, 0, 1), [
        ('URN:FEATURE:DATA:gdh:25416e3f-1a7f-379a-9b65-a6539b1fd95b:V1',
         'S2A', 'MSI', '2025-04-02T17:57:41.024000+00:00',
         67.54958344531, 10.0, None, 'sentinel-2', 'optical'),
    ]),
    'stac_api/earth_search_v0_sentinel-s2-l2a-cogs_page.json': (
        QA('api-page', '1.0.0-beta.2', 1, 1, 1, 0, 0, 1), [
        ('S2B_20EPT_20250731_0_L2A',
         'sentinel-2b', 'msi', '2025-07-31T13:19:22+00:00',
         0.0, 10.0, None, 'sentinel-2', 'optical'),
    ]),
    'stac_api/earth_search_v1_s1_s2_page.json': (
        QA('api-page', '1.0.0', 0, 3, 2, 1, 0, 1), [
        ('S2B_20EPT_20250731_0_L2A',
         'sentinel-2b', 'msi', '2025-07-31T13:19:22.930000+00:00',
         26.02542, 10.0, None, 'sentinel-2', 'optical'),
        ('S1A_IW_GRDH_1SSH_20250731T135702_20250731T135722_060328_077F7E',
         'sentinel-1a', 'c-sar', '2025-07-31T13:57:12.200811+00:00',
         None, 20.0, None, 'sentinel-1', 'radar'),
    ]),
    'stac_api/planet_data_api_v1_item_psscene.json': (
        QA('planet-v1-item', 'not STAC', 0, 1, 1, 0, 0, 0), [
        ('20220125_075509_67_1061',
         '1061', 'PS2.SD', '2022-01-25T07:55:09.676173+00:00',
         0.0, 3.6, 'Planet', 'planetscope', 'optical'),
    ]),
    'stac_api/planet_data_api_v1_search_result_skysatcollect.json': (
        QA('planet-v1-item', 'not STAC', 0, 1, 1, 0, 0, 0), [
        ('20200130_093253_ssc6_u0001',
         'SSC6', None, '2020-01-30T09:32:53.187000+00:00',
         0.0, 0.72, 'Planet', 'skysat', 'optical'),
    ]),
    'stac_api/planet_v0_scenes_search_page.geojson': (
        QA('planet-v0-page', 'not STAC', 0, 12, 12, 0, 0, 1), [
        ('20140903_170545_0903',
         '0903', None, '2014-09-03T17:05:45.371358+00:00',
         0.06, 4.11274387572, 'Planet', 'planetscope', 'optical'),
        ('20140903_170546_0903',
         '0903', None, '2014-09-03T17:05:46.371367+00:00',
         0.48, 4.11275928108, 'Planet', 'planetscope', 'optical'),
        ('20140903_170547_0903',
         '0903', None, '2014-09-03T17:05:47.371376+00:00',
         0.47, 4.11282935064, 'Planet', 'planetscope', 'optical'),
        ('20140926_170658_0908',
         '0908', None, '2014-09-26T17:06:58.224263+00:00',
         0.23, 4.17799453239, 'Planet', 'planetscope', 'optical'),
        ('20140926_170659_0908',
         '0908', None, '2014-09-26T17:06:59.224269+00:00',
         0.26, 5.0300452731, 'Planet', 'planetscope', 'optical'),
        ('20141109_171229_0905',
         '0905', None, '2014-11-09T17:12:29.535505+00:00',
         0.27, 4.21914672906, 'Planet', 'planetscope', 'optical'),
        ('20141109_171230_0905',
         '0905', None, '2014-11-09T17:12:30.535509+00:00',
         0.23, 4.2191651161, 'Planet', 'planetscope', 'optical'),
        ('20141116_171228_090c',
         '090c', None, '2014-11-16T17:12:28.326931+00:00',
         82.76, 4.1996097473, 'Planet', 'planetscope', 'optical'),
        ('20141116_171229_090c',
         '090c', None, '2014-11-16T17:12:29.526938+00:00',
         63.17, 4.19951383649, 'Planet', 'planetscope', 'optical'),
        ('20141205_171243_0905',
         '0905', None, '2014-12-05T17:12:43.380103+00:00',
         0.03, 4.11477738362, 'Planet', 'planetscope', 'optical'),
        ('20141205_171244_0905',
         '0905', None, '2014-12-05T17:12:44.380107+00:00',
         0.01, 4.11477688667, 'Planet', 'planetscope', 'optical'),
        ('20141205_171245_0905',
         '0905', None, '2014-12-05T17:12:45.380110+00:00',
         0.06, 4.11479477677, 'Planet', 'planetscope', 'optical'),
    ]),
    'stac_api/planetary_computer_landsat-c2-l2_items_page.json': (
        QA('api-page', '1.0.0', 0, 2, 2, 0, 0, 1), [
        ('LC09_L2SR_084074_20250722_02_T1',
         'landsat-9', 'oli,tirs', '2025-07-22T23:09:04.953421+00:00',
         4.26, 30.0, None, 'landsat-9', 'optical'),
        ('LC09_L2SR_084082_20250722_02_T1',
         'landsat-9', 'oli,tirs', '2025-07-22T23:12:16.530560+00:00',
         41.51, 30.0, None, 'landsat-9', 'optical'),
    ]),
    'stac_api/planetary_computer_sentinel-2-l2a_search.json': (
        QA('item-collection', '1.0.0', 0, 2, 2, 0, 0, 0), [
        ('S2A_MSIL2A_20190101T000001_R116_T60VUJ_20201007T214652',
         'Sentinel-2A', 'msi', '2019-01-01T00:00:01.024000+00:00',
         36.231313, 10.0, None, 'sentinel-2', 'optical'),
        ('S2A_MSIL2A_20190101T000001_R116_T60VUK_20201007T214652',
         'Sentinel-2A', 'msi', '2019-01-01T00:00:01.024000+00:00',
         56.297088, 10.0, None, 'sentinel-2', 'optical'),
    ]),
}

# files whose every item is rejected: read alone they stop with the first reject's error
REFUSED = {
    'stac/planetary_computer_planet-nicfi-analytic_items.json': (
        'start_datetime',
        "item 'f7bcdce3-5ccc-4d68-99bd-8a95d37eeb91-746-1013' spans 2022-01-01T00:00:00.000Z to "
        '2022-02-01T00:00:00.000Z: a composite or mosaic, not one acquisition'),
    'stac/stac_spec_0.8.1_landsat-collection.json': (
        'links',
        'child link not followed (a URL; nothing is fetched): '
        'https://example.com/stac/collections/landsat-8-l1/items'),
    'stac_api/cdse_catalogue_legacy_global-mosaics_search.json': (
        'start_datetime',
        "item 'Sentinel-1_IW_mosaic_2023_M06_31UFS_0_0' spans 2023-06-01T00:00:00.000Z to "
        '2023-06-30T23:59:59.000Z: a composite or mosaic, not one acquisition'),
    'stac_api/cdse_v1_sentinel-2-global-mosaics_search.json': (
        'start_datetime',
        "item 'Sentinel-2_mosaic_2023_Q1_31SDV_0_0' spans 2023-01-01T00:00:00Z to "
        '2023-03-31T23:59:59Z: a composite or mosaic, not one acquisition'),
}


def _none(v):
    return None if pd.isna(v) else v


@pytest.mark.parametrize("name", sorted(READ))
def test_real_file_reads_exactly(name):
    qa_expected, rows = READ[name]
    cat = imagery.read_catalog(REAL / name)
    total = cat.qa.iloc[-1]
    assert total["source"] == "total"
    got = QA(cat.qa.iloc[0]["kind"], total["stac_versions"], total["migrated"], total["items_read"],
             total["kept"], total["duplicates"], total["rejected"], total["links_not_followed"])
    assert got == qa_expected
    acq, det = cat.acquisitions, cat.details
    assert [(a.acq_id, a.platform, _none(a.sensor), a.datetime.isoformat(), _none(a.cloud_cover),
             _none(a.gsd_m), _none(a.provider), d.family, d.sensor_kind)
            for a, d in zip(acq.itertuples(), det.itertuples())] == rows
    assert str(acq["datetime"].dt.tz) == "UTC" and acq["footprint"].is_valid.all()
    assert det["acq_id"].tolist() == acq["acq_id"].tolist()


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_real_file_without_an_acquisition_is_refused(name):
    field, problem = REFUSED[name]
    with pytest.raises(InputError) as err:
        imagery.read_catalog(REAL / name)
    assert (err.value.field, err.value.problem) == (field, problem)


def _details(name: str) -> pd.DataFrame:
    return imagery.read_catalog(REAL / name).details.set_index("acq_id")


def test_versions_commons_and_old_names_are_read_through_pystac_migration():
    """sat-api 0.6 (no stac_version on items; the embedded collection's 0.6.0 and providers),
    STAC 0.8.1 (eo:platform, eo:instrument, eo:gsd), 0.9.0 (commons: no gsd, the family
    default), 1.0.0-beta.2 and rc.3, 1.1.0."""
    sat = _details("stac/satapi_v0.6_scenes.geojson")
    assert sat.loc["S2B_19TCH_20180209_0", ["stac_version", "tile", "processing_version", "collection"]].tolist() \
        == ["0.6.0", "19TCH", "02.06", "sentinel-2-l1c"]
    assert sat.loc["LC80120302018040LGN00", "gsd_source"] == "gsd"        # eo:gsd 15 renamed by pystac
    spec = _details("stac/stac_spec_0.9.0_sentinel2-sample.json").iloc[0]
    assert (spec["stac_version"], spec["gsd_source"], spec["sensor_source"]) == ("0.9.0", "default", "default")
    legacy = _details("stac/earth_search_legacy_landsat-8-l1_item.json").iloc[0]
    assert (legacy["stac_version"], legacy["cloud_source"]) == (None, None)  # eo:cloud_cover -1: unknown
    cdse = _details("stac_api/cdse_v1_sentinel-2-l2a_search.json.gz").iloc[0]
    assert (cdse["stac_version"], cdse["tile"], cdse["processing_version"]) == ("1.1.0", "36NYH", "05.00")
    assert cdse["processed"] == pd.Timestamp("2023-06-12T21:42:23Z")
    geodes = _details("stac_api/cnes_geodes_search_1.0.0-beta.1.json").iloc[0]
    assert geodes[["stac_version", "tile", "time_source", "gsd_source", "sensor_source"]].tolist() == \
        ["1.0.0-beta.2", "14ULD", "start/end middle", "default", "item"]


def test_radar_items_without_instruments_read_with_their_sar_fields():
    s1 = _details("stac_api/earth_search_v1_s1_s2_page.json").loc[
        "S1A_IW_GRDH_1SSH_20250731T135702_20250731T135722_060328_077F7E"]
    assert s1[["sensor_kind", "instrument_mode", "gsd_source", "sensor_source"]].tolist() == \
        ["radar", "IW", "sar:resolution_range", "default"]
    umbra = _details("stac/umbra_sar_items.json")
    assert umbra["instrument_mode"].tolist() == ["SPOTLIGHT", "SPOTLIGHT"]
    assert umbra["time_source"].tolist() == ["start/end middle"] * 2     # datetime null
    rtc = _details("stac/planetary_computer_sentinel-1-rtc_items.json")
    assert rtc["satellite"].tolist() == ["sentinel-1a"] * 2 and rtc["instrument_mode"].tolist() == ["IW"] * 2


def test_the_same_scene_twice_in_one_page_is_kept_once():
    """Earth Search v1: one Sentinel-2 product in sentinel-2-l2a and sentinel-2-c1-l2a (same
    tile, time and baseline): the later `updated` is kept, the other is a duplicate."""
    cat = imagery.read_catalog(REAL / "stac_api" / "earth_search_v1_s1_s2_page.json")
    assert cat.duplicates[["acq_id", "kept_id", "rule", "decided_by"]].values.tolist() == [
        ["S2B_T20EPT_20250731T131905_L2A", "S2B_20EPT_20250731_0_L2A", "same scene", "updated"]]
    assert cat.details.set_index("acq_id").loc["S2B_20EPT_20250731_0_L2A", "updated"] == \
        pd.Timestamp("2025-07-31T15:02:20.427Z")


def test_one_id_in_two_catalogue_generations_keeps_the_newest():
    """The v0 page's item has the id of a v1 item but other values (cloud 0 vs 26.02542): the
    v1 item, updated later, is kept; with the c1 copy, 4 items are 2 scenes."""
    cat = imagery.read_catalog([REAL / "stac_api" / "earth_search_v0_sentinel-s2-l2a-cogs_page.json",
                                REAL / "stac_api" / "earth_search_v1_s1_s2_page.json"])
    assert cat.duplicates[["acq_id", "kept_id", "rule", "decided_by"]].values.tolist() == [
        ["S2B_20EPT_20250731_0_L2A", "S2B_20EPT_20250731_0_L2A", "same id, different content", "updated"],
        ["S2B_T20EPT_20250731T131905_L2A", "S2B_20EPT_20250731_0_L2A", "same scene", "updated"]]
    assert cat.acquisitions["cloud_cover"].tolist()[0] == 26.02542
    assert cat.qa.set_index("source")[["items_read", "kept", "duplicates"]].loc["total"].tolist() == [4, 2, 2]


def test_adjacent_tiles_of_one_pass_are_two_scenes():
    """Planetary Computer: tiles 60VUK and 60VUJ, same satellite and time, footprints overlapping
    by 82 % of the smaller: different tiles, so both kept."""
    cat = imagery.read_catalog(REAL / "stac_api" / "planetary_computer_sentinel-2-l2a_search.json")
    assert cat.details["tile"].tolist() == ["60VUJ", "60VUK"] and cat.duplicates.empty


def test_whole_folders_of_real_files():
    """tests/fixtures/real/stac and stac_api read as folders: every file a QA row, the
    composites rejected, the 0.8.1 collection's remote item link counted."""
    stac = imagery.read_catalog(REAL / "stac")
    qa = stac.qa.set_index("source")
    assert len(qa) == 12
    assert qa.loc["total", ["items_read", "kept", "duplicates", "rejected", "links_not_followed",
                            "migrated"]].tolist() == [32, 31, 0, 1, 1, 10]
    assert qa.loc["total", "stac_versions"] == "0.6.0;0.8.1;0.9.0;1.0.0;1.0.0-rc.3;none;not STAC"
    assert stac.rejects["locator"].tolist() == [
        "tests/fixtures/real/stac/planetary_computer_planet-nicfi-analytic_items.json:"
        "f7bcdce3-5ccc-4d68-99bd-8a95d37eeb91-746-1013"]
    api = imagery.read_catalog(REAL / "stac_api")
    qa = api.qa.set_index("source")
    assert len(qa) == 12
    assert qa.loc["total", ["items_read", "kept", "duplicates", "rejected", "links_not_followed",
                            "migrated"]].tolist() == [26, 22, 2, 2, 5, 2]
    assert (qa["items_read"] == qa["kept"] + qa["duplicates"] + qa["rejected"]).all()


def test_a_composite_among_scenes_is_a_reject_with_its_reason():
    cat = imagery.read_catalog([REAL / "stac" / "planetary_computer_planet-nicfi-analytic_items.json",
                                REAL / "stac" / "planetary_computer_sentinel-1-rtc_items.json"])
    assert len(cat.acquisitions) == 2
    assert cat.rejects["reason"].tolist() == [
        "item 'f7bcdce3-5ccc-4d68-99bd-8a95d37eeb91-746-1013' spans 2022-01-01T00:00:00.000Z to "
        "2022-02-01T00:00:00.000Z: a composite or mosaic, not one acquisition"]
    assert cat.qa["rejected"].tolist() == [1, 0, 1]
