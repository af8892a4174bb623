"""helpers.imagery.chips on real public rasters (tests/fixtures/real/raster, from rasterio's
test data, CC0) and real STAC files with image assets; values read from the files as committed."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.errors import InputError
from helpers.imagery.chips import raster_assets, read_chip, utm_crs
from helpers.paths import PROJECT_ROOT

RASTER = PROJECT_ROOT / "tests" / "fixtures" / "real" / "raster"
STAC = PROJECT_ROOT / "tests" / "fixtures" / "real"


def test_windowed_read_in_the_raster_crs_nad27_utm():
    # byte.tif: 20 x 20 pixels of 60 m, NAD27 / UTM 11N; the centre of pixel (row 10, col 10)
    # is (441350, 3750690), i.e. -117.635187 E, 33.896722 N; its value is 115
    c = read_chip(RASTER / "rasterio_byte.tif", -117.63518681350646, 33.896722014152935, 90)
    assert c.crs == "EPSG:26711"
    assert c.res_m == 60.0
    assert c.meta["window"] == (8, 8, 4, 4)          # col, row, width, height: only 16 pixels read
    assert c.extent == (441200.0, 441440.0, 3750600.0, 3750840.0)
    assert c.centre == pytest.approx((441350.0, 3750690.0), abs=0.01)
    assert c.data[0].tolist() == [[132, 123, 123, 132], [132, 107, 115, 107],
                                  [148, 99, 115, 123], [115, 90, 107, 173]]
    assert c.data[0, 2, 2] == 115
    assert c.rgb.shape == (4, 4, 3) and (c.rgb[..., 0] == c.rgb[..., 2]).all()   # one band: grey
    assert not c.meta["reprojected"] and not c.meta["north_up_warped"]
    assert c.meta["outside_share"] == 0.0


def test_rgb_landsat_subset_window_and_tags():
    # rgb-byte-tenth.tif: Landsat 7 RGB at 3 km, UTM 18N (WGS 84); pixel (row 40, col 50) is
    # (18, 23, 29) and lies at -77.42927 E, 24.43030 N
    c = read_chip(RASTER / "rasterio_rgb-byte-tenth.tif", -77.42927014694911, 24.430303493364136, 4000)
    assert c.data.shape == (3, 3, 3)
    assert c.data[:, 1, 1].tolist() == [18, 23, 29]
    assert c.rgb[1, 1].tolist() == [18, 23, 29]
    assert c.meta["tags"] == {"AREA_OR_POINT": "Area"}
    assert not c.simulated
    assert "UTM Zone 18" in c.crs


def test_window_past_the_edge_is_padded_with_nodata():
    # the top-left corner: the raster's nodata is 0 and its pixel (0, 0) is nodata too
    c = read_chip(RASTER / "rasterio_rgb-byte-tenth.tif", -79.5, 25.5, 30000)
    assert c.meta["nodata"] == 0.0
    assert 0.0 < c.meta["outside_share"] <= 1.0


def test_geographic_raster_is_warped_to_utm():
    # red.tif: 64 x 64 pixels of 0.5 degree in EPSG:4326, every pixel (204, 17, 17)
    c = read_chip(RASTER / "rasterio_red.tif", 16.0, -16.0, 60000)
    assert c.crs == utm_crs(16.0, -16.0) == "EPSG:32733"
    assert c.meta["reprojected"]
    assert 50_000 < c.res_m < 56_000                  # 0.5 degree of longitude at 16 S, in metres
    assert c.rgb[c.rgb.shape[0] // 2, c.rgb.shape[1] // 2].tolist() == [204, 17, 17]


def test_rotated_grid_is_read_north_up():
    # rotated.tif: 10 x 15 pixels, value 10 * row + col, geotransform rotated 30 degrees, no CRS
    with pytest.raises(InputError) as e:
        read_chip(RASTER / "rasterio_rotated.tif", 200.0, 150.0, 30)
    assert e.value.field == "crs"
    c = read_chip(RASTER / "rasterio_rotated.tif", 200.0, 150.0, 30, point_crs=None)
    assert c.meta["north_up_warped"]
    assert c.extent[2] < c.extent[3] and c.extent[0] < c.extent[1]
    assert c.data[0, 2, 2] == 93
    # north up: values grow down the rows and along the columns of the rotated grid
    assert (np.diff(c.data[0].astype(int), axis=0) >= 0).all()


def test_raster_assets_of_real_stac_files():
    pc = raster_assets(STAC / "stac_api" / "planetary_computer_sentinel-2-l2a_search.json")
    assert sorted(pc) == ["S2A_MSIL2A_20190101T000001_R116_T60VUJ_20201007T214652",
                          "S2A_MSIL2A_20190101T000001_R116_T60VUK_20201007T214652"]
    a = pc["S2A_MSIL2A_20190101T000001_R116_T60VUK_20201007T214652"]
    assert a["title"] == "True color image"
    assert a["href"].endswith("/IMG_DATA/R10m/T60VUK_20190101T000001_TCI_10m.tif")
    ls = raster_assets(STAC / "stac" / "earth_search_legacy_landsat-8-l1_item.json")
    assert ls["LC81692212019263"]["title"] == "Band 1 (coastal)"     # image/x.geotiff, no roles


def test_url_asset_is_not_downloaded():
    href = raster_assets(STAC / "stac" / "earth_search_legacy_landsat-8-l1_item.json")["LC81692212019263"]["href"]
    with pytest.raises(InputError) as e:
        read_chip(href, 0.0, 0.0)
    assert e.value.field == "href" and "nothing is downloaded" in e.value.problem


def test_missing_file_names_the_fix(tmp_path):
    with pytest.raises(InputError) as e:
        read_chip(tmp_path / "nope.tif", 0.0, 0.0)
    assert e.value.problem == "raster file not found"
