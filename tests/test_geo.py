"""helpers.geo: land clip, port fences, distances and sea routes, against real values."""

from __future__ import annotations

import json

import numpy as np
import pyproj
import pytest
import shapely

from helpers import geo, paths
from helpers.errors import InputError


@pytest.fixture(scope="module", autouse=True)
def fresh_routes(tmp_path_factory):
    """Routes here are searched, not read from the project's route cache: an empty one per module."""
    with pytest.MonkeyPatch.context() as mp:
        folder = tmp_path_factory.mktemp("routes")
        mp.setenv("HELPERS_ROUTE_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="module")
def land():
    return geo.load_land()      # the bundled clip (the reference scenario's region)


@pytest.fixture(scope="module")
def ports():
    return geo.load_ports().set_index("port")


def berth(ports, name):
    return (ports.loc[name, "berth_lon"], ports.loc[name, "berth_lat"])


@pytest.fixture(scope="module")
def rajin_dunai(ports, land):
    return geo.sea_route(berth(ports, "Rajin"), berth(ports, "Dunai"), land)


def test_land_clip_is_valid_and_small():
    land = geo.load_land()
    assert list(land.columns) == ["gshhs_id", "level", "geometry"]
    assert land.crs.to_epsg() == 4326
    assert land.geometry.is_valid.all()
    assert set(land["level"]) <= {1, 3}
    lon0, lat0, lon1, lat1 = land.total_bounds
    assert lon0 >= 129.0 and lon1 <= 134.5 and lat0 >= 41.0 and lat1 <= 44.0
    assert (paths.REFERENCE / "coastline.gpkg").stat().st_size < 1_000_000


def test_load_land_missing_file(tmp_path):
    with pytest.raises(InputError, match="make coastline"):
        geo.load_land(tmp_path / "nope.gpkg")


def test_load_land_garbage_file(tmp_path):
    bad = tmp_path / "bad.gpkg"
    bad.write_text("not a geopackage")
    with pytest.raises(InputError, match="file"):
        geo.load_land(bad)


def test_region_land_is_valid_small_and_in_its_box():
    land = geo.load_region_land()
    assert list(land.columns) == ["gshhs_id", "level", "geometry"]
    assert land.crs.to_epsg() == 4326
    assert set(land.geom_type) == {"Polygon"} and land.geometry.is_valid.all()
    lon0, lat0, lon1, lat1 = land.total_bounds
    assert lon0 >= 120.0 and lon1 <= 145.0 and lat0 >= 30.0 and lat1 <= 50.0
    assert (lon0, lat0, lon1, lat1) == (120.0, 30.0, 145.0, 50.0)   # land touches every edge
    assert len(land) == 43
    assert (paths.REFERENCE / "region_land.gpkg").stat().st_size < 150_000
    borders = geo.load_region_land(layer="borders")
    assert list(borders.columns) == ["border_id", "geometry"]
    assert set(borders.geom_type) == {"LineString"} and len(borders) == 11


def test_region_land_known_points():
    land = shapely.union_all(geo.load_region_land().geometry.values)
    on = {"Honshu (Nagano)": (138.2, 36.2), "near Seoul": (127.0, 37.55),
          "near Khabarovsk": (135.1, 48.45), "Harbin": (126.6, 45.75),
          "Hokkaido (Sapporo)": (141.35, 43.06), "Rajin hinterland": (130.2, 42.4)}
    off = {"Sea of Japan": (134.0, 40.0), "Yellow Sea": (123.5, 36.0),
           "Pacific off Tokyo": (142.0, 34.0), "Lake Khanka": (132.4, 45.0)}
    for name, (x, y) in on.items():
        assert land.contains(shapely.Point(x, y)), name
    for name, (x, y) in off.items():
        assert not land.contains(shapely.Point(x, y)), name
    # the border between Russia and China runs through Lake Khanka and up the Ussuri
    borders = shapely.union_all(geo.load_region_land(layer="borders").geometry.values)
    assert shapely.distance(borders, shapely.Point(133.9, 46.5)) < 0.1
    assert shapely.distance(borders, shapely.Point(130.6, 42.42)) < 0.01   # Tumen mouth


def test_region_land_provenance_names_the_committed_file():
    import hashlib
    f = paths.REFERENCE / "region_land.gpkg"
    digest = hashlib.sha256(f.read_bytes()).hexdigest()
    text = (paths.REFERENCE / "region_land.PROVENANCE.md").read_text(encoding="utf-8")
    assert f"| file sha256 | {digest} |" in text and "LGPL-3.0" in text
    manifest = (paths.REFERENCE / "MANIFEST").read_text(encoding="utf-8")
    assert f"region_land.gpkg\t{digest}\t" in manifest


def test_region_land_missing_file_and_bad_layer(tmp_path):
    with pytest.raises(InputError, match="python -m helpers locator"):
        geo.load_region_land(tmp_path / "nope.gpkg")
    geo.load_region_land().to_file(tmp_path / "r.gpkg", layer="land")     # no borders layer
    assert len(geo.load_region_land(tmp_path / "r.gpkg")) == 43
    with pytest.raises(InputError, match="borders"):
        geo.load_region_land(tmp_path / "r.gpkg", layer="borders")
    with pytest.raises(ValueError, match="layer"):
        geo.load_region_land(layer="rivers")


def test_haversine_one_degree_of_latitude():
    assert geo.haversine_nm(42.0, 131.0, 43.0, 131.0) == pytest.approx(60.0, rel=0.005)
    d = geo.haversine_nm(np.array([0.0, 42.0]), np.array([0.0, 131.0]),
                         np.array([0.0, 42.0]), np.array([1.0, 132.0]))
    assert d[0] == pytest.approx(60.0, rel=0.005)           # 1 degree of longitude at the equator
    assert d[1] == pytest.approx(60.0 * np.cos(np.radians(42.0)), rel=0.005)


def test_length_nm_matches_haversine_for_a_short_line():
    line = shapely.LineString([(131.0, 42.0), (131.0, 42.5), (131.5, 42.5)])
    expected = geo.haversine_nm(42.0, 131.0, 42.5, 131.0) + geo.haversine_nm(42.5, 131.0, 42.5, 131.5)
    assert geo.length_nm(line) == pytest.approx(expected, rel=0.005)


def test_on_land_known_points(land):
    # 43.0 N 131.0 E is inland Primorsky Krai, 42.5 N 131.0 E is open water of Peter the Great Gulf
    assert geo.on_land(131.0, 43.0, land)
    assert not geo.on_land(131.0, 42.5, land)
    assert geo.on_land([131.0, 131.0, 132.0], [43.0, 42.5, 41.5], land).tolist() == [True, False, False]


def test_distance_to_shore(land):
    lon = np.array([131.0, 131.0, 131.5, 132.0])
    lat = np.array([43.0, 42.5, 41.5, 42.7])
    d = geo.distance_to_shore_nm(lon, lat, land)
    assert d[0] == 0.0                      # on land
    assert d[2] > 40                        # open sea south of Peter the Great Gulf
    # the same as a brute-force distance in a local metric projection
    to_m = pyproj.Transformer.from_crs("EPSG:4326", geo.LOCAL_CRS, always_xy=True)
    assert geo.local_crs(land.total_bounds) == geo.LOCAL_CRS    # the bundled clip's projection
    land = shapely.union_all(land.geometry.values)
    land_m = shapely.transform(land, lambda xy: np.column_stack(to_m.transform(xy[:, 0], xy[:, 1])))
    x, y = to_m.transform(lon, lat)
    brute = shapely.distance(land_m, shapely.points(x, y)) / geo.METRES_PER_NM
    np.testing.assert_allclose(d, brute, rtol=1e-6, atol=1e-6)


def test_ports_file(ports):
    assert set(ports.index) == {"Rajin", "Dunai", "Vladivostok", "Nakhodka", "Vostochny",
                                "Posyet", "Zarubino"}
    assert ports.loc["Rajin", "role"] == "origin" and ports.loc["Dunai", "role"] == "destination"
    assert ports["approximation"].str.contains("not an official boundary").all()
    # Rajin's berth is the port, not the Rason city point 12 km away
    assert geo.haversine_nm(ports.loc["Rajin", "berth_lat"], ports.loc["Rajin", "berth_lon"],
                            42.34, 130.38) > 5


def test_berths_in_water_and_inside_fences(ports, land):
    assert not geo.on_land(ports["berth_lon"], ports["berth_lat"], land).any()
    assert shapely.contains_xy(ports.geometry.values, ports["berth_lon"], ports["berth_lat"]).all()
    shore_m = geo.distance_to_shore_nm(ports["berth_lon"], ports["berth_lat"], land) * geo.METRES_PER_NM
    assert (shore_m < 200).all()      # at a quay, not mid-harbour


def test_anchorages_in_water_and_outside_fences(ports, land):
    assert not geo.on_land(ports["anchorage_lon"], ports["anchorage_lat"], land).any()
    inside = shapely.contains_xy(ports.geometry.values, ports["anchorage_lon"], ports["anchorage_lat"])
    assert not inside.any()


def test_fences_are_small_and_mostly_water(ports, land):
    land = shapely.union_all(land.geometry.values)
    for name, fence in ports.geometry.items():
        water_share = 1 - fence.intersection(land).area / fence.area
        assert water_share > 0.5, name
        x0, y0, x1, y1 = fence.bounds
        assert geo.haversine_nm(y0, x0, y1, x1) < 3.0, name   # a few km across at most


def test_load_ports_missing_property(tmp_path):
    src = json.loads((paths.REFERENCE / "ports.geojson").read_text())
    for f in src["features"]:
        del f["properties"]["port"]
    bad = tmp_path / "ports.geojson"
    bad.write_text(json.dumps(src))
    with pytest.raises(InputError, match="'port'") as err:
        geo.load_ports(bad)
    assert err.value.field == "port" and "ports.geojson" in err.value.file


def test_load_ports_berth_outside_fence(tmp_path):
    src = json.loads((paths.REFERENCE / "ports.geojson").read_text())
    src["features"][0]["properties"]["berth_lon"] += 0.5
    bad = tmp_path / "ports.geojson"
    bad.write_text(json.dumps(src))
    with pytest.raises(InputError, match="outside the fence"):
        geo.load_ports(bad)


def test_rajin_dunai_route(rajin_dunai, land):
    nm = geo.length_nm(rajin_dunai)
    assert 100 <= nm <= 120        # facts.md: great circle ~98 nm, by sea ~100-115 nm
    assert not geo.crosses_land(rajin_dunai, land)


def test_vladivostok_nakhodka_route(ports, land):
    route = geo.sea_route(berth(ports, "Vladivostok"), berth(ports, "Nakhodka"), land)
    assert not geo.crosses_land(route, land)
    assert 45 < geo.length_nm(route) < 75


def test_route_is_deterministic(ports, rajin_dunai, land):
    again = geo.sea_route(berth(ports, "Rajin"), berth(ports, "Dunai"), land)
    assert list(again.coords) == list(rajin_dunai.coords)
    back = geo.sea_route(berth(ports, "Dunai"), berth(ports, "Rajin"), land)
    assert geo.length_nm(back) == pytest.approx(geo.length_nm(rajin_dunai), rel=0.05)


def test_route_cache_returns_the_searched_route_exactly(ports, rajin_dunai, land, fresh_routes, monkeypatch):
    a, b = berth(ports, "Rajin"), berth(ports, "Dunai")
    file = geo.routes.route_cache_file((float(a[0]), float(a[1])), (float(b[0]), float(b[1])), land)
    assert file.parent == fresh_routes and file.is_file()
    assert np.array_equal(np.load(file), np.asarray(rajin_dunai.coords))       # float64, bit for bit
    # a second call reads the file: the grid is not searched again
    monkeypatch.setattr(geo.routes, "find_sea_route", lambda *a: pytest.fail("searched again"))
    assert list(geo.sea_route(a, b, land).coords) == list(rajin_dunai.coords)
    # another end, another land or HELPERS_ROUTE_CACHE=off: another file, or none
    assert geo.routes.route_cache_file((130.0, 42.0), (float(b[0]), float(b[1])), land) != file
    assert geo.routes.route_cache_file((float(a[0]), float(a[1])), (float(b[0]), float(b[1])),
                                       land.iloc[:-1]) != file
    monkeypatch.setenv("HELPERS_ROUTE_CACHE", "off")
    assert geo.routes.route_cache_file(a, b, land) is None


def test_a_damaged_cached_route_is_searched_again(ports, land, fresh_routes):
    a, b = berth(ports, "Vladivostok"), berth(ports, "Nakhodka")
    first = geo.sea_route(a, b, land)
    file = geo.routes.route_cache_file((float(a[0]), float(a[1])), (float(b[0]), float(b[1])), land)
    file.write_bytes(b"not numpy")
    assert list(geo.sea_route(a, b, land).coords) == list(first.coords)
    assert np.array_equal(np.load(file), np.asarray(first.coords))


def test_crosses_land_detects_a_land_crossing(ports, land):
    # Vladivostok -> Nakhodka in a straight line cuts across the Shkotovo coast and the peninsula
    straight = shapely.LineString([berth(ports, "Vladivostok"), berth(ports, "Nakhodka")])
    assert geo.crosses_land(straight, land)


def test_route_outside_clip_is_an_input_error(land):
    with pytest.raises(InputError, match="outside the coastline clip") as err:
        geo.sea_route((128.0, 42.0), (131.0, 42.5), land)
    e = err.value
    assert e.file == "data/reference/coastline.gpkg" and e.field == "start"
    # the command that makes a clip covering both ends (plus half a degree)
    assert "`python -m helpers coastline --bbox 127.5 41.5 131.5 43 --out FILE`" in e.fix


def test_measuring_without_land_is_refused(ports):
    for call in (lambda: geo.sea_route((131.0, 42.5), (131.5, 42.6), None),
                 lambda: geo.on_land(131.0, 42.5, None),
                 lambda: geo.distance_to_shore_nm(131.0, 42.5, None),
                 lambda: geo.crosses_land(shapely.LineString([(131, 42.5), (131.5, 42.6)]), None)):
        with pytest.raises(ValueError, match="needs the land"):
            call()
