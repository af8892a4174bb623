"""Any region: coastline and locator clips made by `python -m helpers coastline|locator` from the
trimmed real GSHHG fixture (tests/fixtures/real/gshhg, no download), sea routes, port checks
and figure framing outside the bundled region, distance to shore at any latitude."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from shapely.geometry import Polygon, box

from helpers import figures, geo, paths, pipeline
from helpers.__main__ import main
from helpers.analysis import gaps, visits
from helpers.errors import InputError
from helpers.fileio import sha256
from helpers.geo import gshhg

FIXTURE = paths.PROJECT_ROOT / "tests" / "fixtures" / "real" / "gshhg"
ORESUND = (12.3, 55.5, 12.9, 56.2)          # the Sound between Zealand (DK) and Scania (SE)
POSYET = (130.6, 42.45, 131.25, 42.8)       # Posyet and Troitsa bays, inside the bundled clip
# our own approximate berths (in water, off the quays of the fixture's coastline)
BERTHS = {"Copenhagen": (12.605, 55.695, "origin"), "Helsingborg": (12.688, 56.04, "destination"),
          "Helsingor": (12.625, 56.035, "other"), "Malmo": (12.98, 55.615, "other")}


def bbox_args(b) -> list[str]:
    return [f"{v:g}" for v in b]


@pytest.fixture(scope="module")
def oresund(tmp_path_factory):
    out = tmp_path_factory.mktemp("oresund") / "oresund.gpkg"
    assert main(["coastline", "--bbox", *bbox_args(ORESUND), "--out", str(out),
                 "--source", str(FIXTURE)]) == 0
    return out


def ports_file(path, names, **extra) -> str:
    """A minimal ports GeoJSON: the required properties only (plus `extra` per port)."""
    feats = []
    for n in names:
        x, y, role = BERTHS[n]
        feats.append({"type": "Feature", "properties": {"port": n, "role": role, "berth_lon": x,
                                                        "berth_lat": y, **extra.get(n, {})},
                      "geometry": shapely.geometry.mapping(box(x - 0.01, y - 0.006, x + 0.01, y + 0.006))})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    return str(path)


# --------------------------------------------------------------------------------------------
# The commands
# --------------------------------------------------------------------------------------------

def test_coastline_command_writes_the_clip_and_its_provenance(oresund):
    land = geo.load_land(oresund)
    assert list(land.columns) == ["gshhs_id", "level", "geometry"] and land.crs.to_epsg() == 4326
    assert tuple(land.total_bounds[[0, 2, 3]]) == (12.3, 12.9, 56.2) and len(land) == 11
    on = {"Copenhagen": (12.57, 55.68), "Ven": (12.695, 55.91), "Scania": (12.85, 56.1),
          "Kronborg": (12.62, 56.038)}
    off = {"the Sound": (12.75, 55.75), "off Helsingor": (12.66, 56.05), "Koge Bay": (12.35, 55.55)}
    xy = np.array(list(on.values()) + list(off.values()))
    assert geo.on_land(xy[:, 0], xy[:, 1], land).tolist() == [True] * len(on) + [False] * len(off)
    prov = oresund.with_name("oresund.PROVENANCE.md").read_text(encoding="utf-8")
    assert f"| file sha256 | {sha256(oresund)} |" in prov and "LGPL-3.0" in prov
    assert "| bbox | lon 12.3 to 12.9 E, lat 55.5 to 56.2 N (EPSG:4326) |" in prov
    assert f"`gshhs_f.dat` {sha256(FIXTURE / 'gshhs_f.dat')}" in prov          # the folder source
    assert "python -m helpers coastline --bbox 12.3 55.5 12.9 56.2 --out" in prov


def test_fixture_clip_holds_the_same_land_as_the_bundled_clip(tmp_path):
    """Posyet/Troitsa bays from the trimmed fixture = the committed clip (from the wheel) cut to
    the same box."""
    mine = gshhg.make_coastline(POSYET, tmp_path / "posyet.gpkg", FIXTURE)
    bundled = shapely.union_all(geo.load_land().geometry.values).intersection(box(*POSYET))
    got = shapely.union_all(mine.geometry.values)
    assert got.symmetric_difference(bundled).area < 1e-9 * bundled.area
    assert set(mine["gshhs_id"]) <= set(geo.load_land()["gshhs_id"])


def test_locator_command_from_the_fixture(tmp_path):
    out = tmp_path / "denmark_locator.gpkg"
    assert main(["locator", "--bbox", "8", "54", "16", "58", "--out", str(out),
                 "--source", str(FIXTURE)]) == 0
    land = shapely.union_all(geo.load_region_land(out).geometry.values)
    for x, y in [(9.2, 56.2), (11.8, 55.5), (14.0, 57.0), (10.4, 55.3)]:   # Jutland, Zealand, ...
        assert land.contains(shapely.Point(x, y)), (x, y)
    for x, y in [(11.5, 57.0), (15.0, 55.6), (12.75, 55.75)]:           # Kattegat, Baltic, Sound
        assert not land.contains(shapely.Point(x, y)), (x, y)
    borders = shapely.union_all(geo.load_region_land(out, "borders").geometry.values)
    assert shapely.distance(borders, shapely.Point(9.4, 54.83)) < 0.05    # Denmark-Germany
    assert "region_land" not in out.name and out.with_name("denmark_locator.PROVENANCE.md").is_file()


def test_commands_refuse_a_bad_box_or_source(tmp_path, capsys):
    out = str(tmp_path / "x.gpkg")
    assert main(["coastline", "--bbox", "13", "55", "12", "56", "--out", out, "--source",
                 str(FIXTURE)]) == 2
    assert "west < east" in capsys.readouterr().err
    assert main(["coastline", "--bbox", "-30", "40", "-29", "41", "--out", out, "--source",
                 str(FIXTURE)]) == 2
    assert "no land" in capsys.readouterr().err
    assert main(["coastline", "--bbox", *bbox_args(ORESUND), "--out", out, "--source",
                 str(tmp_path)]) == 2
    assert "gshhsmeta_f.dat" in capsys.readouterr().err
    assert main(["locator", "--bbox", "8", "54", "16", "58", "--out", out, "--source",
                 str(FIXTURE / "gshhs_f.dat")]) == 2       # a file that is not a wheel
    assert "wheel" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# Routing and ports in another region
# --------------------------------------------------------------------------------------------

def test_oresund_route_and_ports(oresund, tmp_path):
    land = geo.load_land(oresund)
    ports = geo.load_ports(ports_file(tmp_path / "p.geojson", ["Copenhagen", "Helsingborg", "Helsingor"]),
                           land=land).set_index("port")
    # optional properties take their documented defaults
    assert (ports["country"] == "").all() and (ports["note"] == "").all()
    assert (ports["approximation"] == geo.DEFAULT_APPROXIMATION).all()
    assert ports["anchorage_lon"].isna().all() and ports["anchorage_lat"].isna().all()
    a = tuple(ports.loc["Copenhagen", ["berth_lon", "berth_lat"]])
    b = tuple(ports.loc["Helsingborg", ["berth_lon", "berth_lat"]])
    route = geo.sea_route(a, b, land)
    assert not geo.crosses_land(route, land)
    straight = geo.geodesic_nm(*a, *b)
    assert straight < geo.length_nm(route) < 1.2 * straight        # about 21 nm up the Sound
    assert geo.grid_steps(land.total_bounds) == (0.0066, 0.004)    # ~410 x 445 m at 55.9 N
    assert 20 < visits.route_nm(ports.reset_index(), "Copenhagen", "Helsingborg", land) < 25


def test_route_outside_the_clip_names_the_file_and_the_command(oresund):
    land = geo.load_land(oresund)
    with pytest.raises(InputError, match="outside the coastline clip") as err:
        geo.sea_route(BERTHS["Copenhagen"][:2], BERTHS["Malmo"][:2], land)
    e = err.value
    assert e.file.endswith("oresund.gpkg") and e.field == "end"
    assert "`python -m helpers coastline --bbox 12.1 55.1 13.5 56.2 --out FILE`" in e.fix


def test_ports_outside_the_clip_are_an_input_error(oresund, tmp_path):
    f = ports_file(tmp_path / "ports.geojson", ["Copenhagen", "Malmo"])
    with pytest.raises(InputError, match="outside the coastline clip") as err:
        geo.load_ports(f, land=geo.load_land(oresund))
    e = err.value
    assert e.file.endswith("ports.geojson") and e.field == "berth_lon/berth_lat"
    # a box over every port's fence plus half a degree
    assert "Malmo" in e.problem and "python -m helpers coastline --bbox 12 55.1 13.5 56.3" in e.fix


def test_ports_file_anchorage_needs_both_coordinates(tmp_path):
    f = ports_file(tmp_path / "ports.geojson", ["Copenhagen"], Copenhagen={"anchorage_lon": 12.62})
    with pytest.raises(InputError, match="give both") as err:
        geo.load_ports(f)
    assert err.value.field == "anchorage_lon/anchorage_lat"


def test_a_run_with_ports_outside_its_coastline_stops_before_any_notebook(oresund, tmp_path):
    over = {"inputs": {"coastline": str(oresund)},
            "outputs": {k: str(tmp_path / k) for k in ("processed", "figures", "build")}}
    with pytest.raises(InputError, match="outside the coastline clip") as err:
        pipeline.run(overrides=over)
    assert err.value.file == "data/reference/ports.geojson"
    assert "python -m helpers coastline --bbox" in err.value.fix
    assert not (tmp_path / "build").exists()


def test_the_analysis_needs_the_land_it_measures_on():
    with pytest.raises(ValueError, match="needs `distance` or `land`"):
        visits.distance_fn(None)
    pos = pd.DataFrame({"mmsi": [273000001] * 2, "ts": pd.to_datetime(["2023-08-01", "2023-08-03"], utc=True),
                        "lat": [42.5, 42.5], "lon": [131.0, 131.0]})
    with pytest.raises(ValueError, match="need the land"):
        gaps.dark_periods(pos, 12)


# --------------------------------------------------------------------------------------------
# Distance to shore at any latitude, against WGS84 geodesics
# --------------------------------------------------------------------------------------------

# a hand-made coast: an irregular island about 1 x 1 degree, with edges up to 0.6 degree long
ISLAND = [(0, 0), (0.6, 0.1), (0.9, 0.5), (0.5, 0.9), (0.2, 0.6), (-0.2, 0.8), (-0.4, 0.3), (0, 0)]
GEOD = pyproj.Geod(ellps="WGS84")


def geodesic_truth_nm(coast: Polygon, lon, lat) -> np.ndarray:
    """Geodesic distance (nm) to the coast drawn as straight lines in lon/lat, by brute force
    over the coast densified to 0.0001 degree (about 10 m)."""
    xy = shapely.get_coordinates(shapely.segmentize(coast.exterior, 0.0001))
    out = []
    for x, y in zip(lon, lat):
        _, _, d = GEOD.inv(np.full(len(xy), x), np.full(len(xy), y), xy[:, 0], xy[:, 1])
        out.append(d.min() / geo.METRES_PER_NM)
    return np.array(out)


def distance_errors(lon0: float, lat0: float) -> tuple[np.ndarray, np.ndarray]:
    """(distances, relative errors) of distance_to_shore_nm around an island at (lon0, lat0):
    points 0.5-40 nm off it in 16 directions, and a few 4-6 degrees away (the geodesic branch)."""
    coast = Polygon([(lon0 + x, lat0 + y) for x, y in ISLAND])
    land = gpd.GeoDataFrame(geometry=[coast], crs="EPSG:4326")
    c = coast.centroid
    lon, lat = [], []
    for az in np.arange(0, 360, 22.5):
        for d_nm in (0.5, 2, 8, 20, 40):
            # from the coast point in that direction, d_nm further out
            far = GEOD.fwd(c.x, c.y, az, 400_000)
            hit = shapely.LineString([(c.x, c.y), far[:2]]).intersection(coast.exterior)
            p = shapely.get_coordinates(hit)[-1]
            x, y, _ = GEOD.fwd(p[0], p[1], az, d_nm * geo.METRES_PER_NM)
            lon.append(x)
            lat.append(y)
    for dx, dy in ((5, 0), (-4, 1), (0, -4), (3, 3)):
        lon.append(lon0 + dx)
        lat.append(lat0 + dy)
    lon, lat = np.array(lon), np.array(lat)
    assert not geo.on_land(lon, lat, land).any()
    got = geo.distance_to_shore_nm(lon, lat, land)
    truth = geodesic_truth_nm(coast, lon, lat)
    return truth, np.abs(got - truth) / truth


@pytest.mark.parametrize("lon0,lat0", [(100.0, 5.0), (-6.0, 36.0), (131.0, 42.0), (25.0, 60.0)])
def test_distance_to_shore_at_any_latitude(lon0, lat0):
    truth, err = distance_errors(lon0, lat0)
    assert truth.min() < 0.6 and truth.max() > 150          # near the coast and far beyond it
    assert err.max() < 0.005, f"worst relative error {err.max():.4%} at {lat0} N"
    assert np.median(err) < 0.001


def test_distance_to_shore_is_zero_on_land_and_in_the_bundled_region_unchanged():
    land = geo.load_land()
    assert geo.distance_to_shore_nm([131.0], [43.0], land).tolist() == [0.0]
    lon = np.array([131.0, 131.5, 132.0])
    lat = np.array([42.5, 41.5, 42.7])
    got = geo.distance_to_shore_nm(lon, lat, land)
    to_m = pyproj.Transformer.from_crs("EPSG:4326", geo.LOCAL_CRS, always_xy=True)
    u = shapely.union_all(land.geometry.values)
    u_m = shapely.transform(u, lambda xy: np.column_stack(to_m.transform(xy[:, 0], xy[:, 1])))
    x, y = to_m.transform(lon, lat)
    np.testing.assert_array_equal(got, shapely.distance(u_m, shapely.points(x, y)) / geo.METRES_PER_NM)


@pytest.mark.parametrize("where", ["bundled", "oresund", (100.0, 5.0), (-6.0, 36.0), (25.0, 60.0),
                                   (-70.0, -54.0)])
def test_shore_distance_of_many_points_is_the_strtree_distance(where, oresund):
    """The k-d tree path of shore_distance_m (geo.shore.ShoreIndex) gives the same numbers, bit
    for bit, as the nearest shore piece of the STRtree (shore_distance_m_tree), on real
    coastlines and islands at several latitudes: near the coast, far off it (the geodesic
    branch), on land, and not finite."""
    from helpers.geo import land as land_mod
    if where == "bundled":
        land, box_ = geo.load_land(), (129.0, 41.0, 134.5, 44.0)
    elif where == "oresund":
        land, box_ = geo.load_land(oresund), ORESUND
    else:
        lon0, lat0 = where
        land = gpd.GeoDataFrame(geometry=[Polygon([(lon0 + x, lat0 + y) for x, y in ISLAND])],
                                crs="EPSG:4326")
        box_ = (lon0 - 0.5, lat0 - 0.3, lon0 + 1.0, lat0 + 1.2)
    _, m = land_mod.model(land)
    rng = np.random.default_rng(14)
    w, s, e, n = box_
    lon = np.r_[rng.uniform(w, e, 4000), rng.uniform(w - 8, e + 8, 1000), np.nan, w, 1e3]
    lat = np.r_[rng.uniform(s, n, 4000), rng.uniform(s - 6, n + 6, 1000), s, np.nan, 0.0]
    lat = np.clip(lat, -89.0, 89.0)
    got = land_mod.shore_distance_m(lon, lat, m)
    ref = land_mod.shore_distance_m_tree(lon, lat, m)
    np.testing.assert_array_equal(got, ref)
    assert np.isfinite(got[:5000]).all() and (got[:5000] > 0).all()


def test_grid_and_projection_follow_the_land():
    assert geo.grid_steps((129.0, 41.0, 134.5, 44.0)) == (0.005, 0.004)    # the bundled clip
    assert geo.local_crs((129.0, 41.0, 134.5, 44.0)) == geo.LOCAL_CRS
    assert "+lat_0=42.5 +lon_0=131.75 " in geo.LOCAL_CRS
    assert geo.grid_steps((20.0, 59.0, 30.0, 61.0)) == (0.0074, 0.004)
    assert geo.grid_steps((100.0, 4.0, 101.0, 6.0)) == (0.0037, 0.004)
    assert "+lat_0=55.85 +lon_0=12.6 " in geo.local_crs(ORESUND)


# --------------------------------------------------------------------------------------------
# Figure framing from the run's files
# --------------------------------------------------------------------------------------------

def test_route_map_frames_another_region(oresund, tmp_path):
    land = geo.load_land(oresund)
    ports = geo.load_ports(ports_file(tmp_path / "p.geojson", ["Copenhagen", "Helsingborg", "Helsingor"]),
                           land=land)
    p = ports.set_index("port")
    route = geo.sea_route(tuple(p.loc["Copenhagen", ["berth_lon", "berth_lat"]]),
                          tuple(p.loc["Helsingborg", ["berth_lon", "berth_lat"]]), land)
    xy = np.array(route.coords)
    ext = figures.route_extent(xy[:, 0], xy[:, 1], tuple(land.total_bounds))
    assert figures.route_extent([130.3, 132.4], [42.2, 42.9]) == figures.EXTENT   # bundled framing
    assert ext[0] >= 12.3 and ext[1] <= 12.9 and ext[2] < xy[:, 1].min() and ext[3] > xy[:, 1].max()
    loc_out = tmp_path / "loc.gpkg"
    gshhg.make_locator((8, 54, 16, 58), loc_out, FIXTURE)
    region = geo.load_region_land(loc_out)
    lo = figures.locator_extent_for(ext, tuple(region.total_bounds))
    assert lo == tuple(float(v) for v in region.total_bounds[[0, 2, 1, 3]])
    assert figures.locator_extent_for(figures.EXTENT) == figures.LOCATOR_EXTENT
    palette = figures.Palette.for_cast(["SHIP"], "Copenhagen", "Helsingborg")
    fig = figures.route_map(land, ports, palette=palette, route=route, region_land=region,
                            region_borders=geo.load_region_land(loc_out, "borders"), title="t",
                            source_line="s", extent=ext, locator_extent=lo)
    main_ax, loc_ax = fig.axes[0], next(a for a in fig.axes if a.get_gid() == "locator")
    assert main_ax.get_xlim() == pytest.approx(ext[:2]) and loc_ax.get_xlim() == pytest.approx(lo[:2])
    # the Rajin-Dunai labels are not drawn on another region's locator
    assert not [t for t in loc_ax.texts if "KOREA" in t.get_text() or "JAPAN" in t.get_text()]
    last = pd.DataFrame({"vessel": ["SHIP"], "ts": [pd.Timestamp("2023-09-01", tz="UTC")],
                         "lat": [55.8], "lon": [-12.7]})
    alt = figures.alt_route_map(last, None, route, "Copenhagen", "Helsingborg", region="the Sound")
    assert alt.startswith("Map of the Sound with the sea route from Copenhagen to Helsingborg")
    assert "55.80 N, 12.70 W" in alt
