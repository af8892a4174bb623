"""Figures: house style, deterministic saving, colours, titles (synthetic inputs only)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import geopandas as gpd
import matplotlib.colors as mcolors
import matplotlib.image as mpimg
import pandas as pd
import pytest
import shapely
from matplotlib.patches import Rectangle
from shapely.geometry import LineString, Point, box

from helpers import figures as F
from helpers import geo

UTC = "UTC"
WINDOW = (pd.Timestamp("2023-08-01", tz=UTC), pd.Timestamp("2023-11-01", tz=UTC))
SOURCE = "Data: simulated reference scenario (synthetic test data), not real observations"


def _ts(s: str) -> pd.Timestamp:
    return pd.Timestamp(s, tz=UTC)


def synthetic_inputs() -> dict:
    """Two square 'land' blocks, three ports, a route, tracks, sightings and a reconstruction."""
    land = gpd.GeoDataFrame(
        {"name": ["west", "north"]},
        geometry=[box(129.0, 41.0, 130.29, 42.6), box(130.9, 42.9, 134.5, 44.0)], crs=4326)
    berths = {"Rajin": (130.30, 42.25, "origin"), "Dunai": (132.34, 42.88, "destination"),
              "Vladivostok": (131.89, 43.11, "other")}
    ports = gpd.GeoDataFrame(
        {"port": list(berths), "role": [v[2] for v in berths.values()],
         "berth_lon": [v[0] for v in berths.values()],
         "berth_lat": [v[1] for v in berths.values()]},
        geometry=[Point(v[0], v[1]).buffer(0.006) for v in berths.values()], crs=4326)
    route = LineString([(130.31, 42.24), (130.6, 42.05), (131.5, 42.25), (132.2, 42.6),
                        (132.34, 42.87)])
    last_positions = pd.DataFrame({
        "vessel": ["ANGARA", "MARIA"], "ts": [_ts("2023-08-12 06:10"), _ts("2023-08-20 21:40")],
        "lat": [42.62, 42.55], "lon": [132.05, 132.30]})
    tracks = pd.DataFrame({
        "vessel": ["ANGARA"] * 4 + ["MARIA"] * 3,
        "ts": [_ts("2023-08-11 00:00"), _ts("2023-08-11 06:00"), _ts("2023-08-11 12:00"),
               _ts("2023-08-12 06:10"), _ts("2023-08-20 09:00"), _ts("2023-08-20 15:00"),
               _ts("2023-08-20 21:40")],
        "lat": [43.05, 42.9, 42.75, 42.62, 42.85, 42.7, 42.55],
        "lon": [131.9, 131.95, 132.0, 132.05, 132.34, 132.32, 132.30]})
    rows = [("s1", "2023-08-25 02:00", "Rajin", "ANGARA", "identified"),
            ("s2", "2023-09-03 02:00", "Dunai", "ANGARA", "identified"),
            ("s3", "2023-09-20 02:00", "Rajin", "MARIA", "identified"),
            ("s4", "2023-10-02 02:00", "Dunai", "MARIA", "identified"),
            ("s5", "2023-10-10 02:00", "Rajin", None, "unidentified"),
            ("s6", "2023-10-15 02:00", "Rajin", "ANGARA", "identified")]
    sightings = pd.DataFrame({
        "sighting_id": [r[0] for r in rows], "acq_id": [f"a{r[0]}" for r in rows],
        "datetime": [_ts(r[1]) for r in rows], "port": [r[2] for r in rows],
        "lat": [berths[r[2]][1] + 0.001 * i for i, r in enumerate(rows)],
        "lon": [berths[r[2]][0] - 0.001 * i for i, r in enumerate(rows)],
        "length_m": 110.0, "vessel": [r[3] for r in rows], "id_confidence": "high",
        "match": [r[4] for r in rows]})
    st = []
    for v, off in (("ANGARA", 0), ("MARIA", 6)):
        t = _ts("2023-08-01") + pd.Timedelta(days=off)
        seq = ["at Dunai", "in transit", "at Rajin", "in transit"] * 5
        for i, s in enumerate(seq):
            d = pd.Timedelta(days=2 if s == "in transit" else 3)
            st.append((v, s if i != 5 else "unknown", t, min(t + d, WINDOW[1])))
            t = t + d
            if t >= WINDOW[1]:
                break
    states = pd.DataFrame(st, columns=["vessel", "state", "start", "end"])
    dark = pd.DataFrame({
        "vessel": ["ANGARA", "MARIA", "MARIA"],
        "start_ts": [_ts("2023-08-12 06:10"), _ts("2023-08-20 21:40"), _ts("2023-08-08")],
        "end_ts": [_ts("2023-10-31"), _ts("2023-10-31"), _ts("2023-08-09")],
        "class": ["likely-disabled", "likely-disabled", "reception"]})
    trips = pd.DataFrame({
        "vessel": ["ANGARA"] * 3 + ["MARIA"] * 2, "trip_no": [1, 2, 3, 1, 2],
        "start": [_ts("2023-08-04"), _ts("2023-08-14"), _ts("2023-08-24"), _ts("2023-08-10"),
                  _ts("2023-08-20")],
        "end": [_ts("2023-08-14"), _ts("2023-08-24"), _ts("2023-09-03"), _ts("2023-08-20"),
                _ts("2023-08-30")]})
    sightings["heading_deg"] = [30.0, 200.0, 45.0, 10.0, 90.0, 215.0]
    sightings["containers"] = pd.array([180, 150, 120, 110, None, 200], dtype="Int64")
    # AIS positions per day: hourly for ANGARA until it goes dark, every 2 h for MARIA
    hours = pd.date_range("2023-08-01", "2023-08-12 06:00", freq="h", tz=UTC)
    positions = pd.concat([
        pd.DataFrame({"vessel": "ANGARA", "ts": hours[::1]}),
        pd.DataFrame({"vessel": "MARIA", "ts": pd.date_range("2023-08-01", "2023-08-20 21:00",
                                                           freq="2h", tz=UTC)}),
        pd.DataFrame({"vessel": "ANGARA", "ts": pd.date_range("2023-10-31", periods=12,
                                                            freq="h", tz=UTC)})],
        ignore_index=True)
    days = pd.date_range("2023-08-01", "2023-10-31", freq="D", tz=UTC)
    cov = []
    for i, d in enumerate(days):
        for port, k in (("Rajin", 0), ("Dunai", 1)):
            for j in range((i + k) % 3):
                cov.append((port, d.date().isoformat(), f"acq-{port}-{i}-{j}", (i + j) % 4 != 0))
    coverage = pd.DataFrame(cov, columns=["port", "date", "acq_id", "clear"])
    acquisitions = gpd.GeoDataFrame(
        {"acq_id": sightings["acq_id"], "sensor": ["test sensor 0.5 m"] * 5 + ["test sensor 3 m"]},
        geometry=[box(lon - 0.05, lat - 0.05, lon + 0.05, lat + 0.05) if i != 1 else
                  box(lon - 0.001, lat - 0.05, lon + 0.05, lat + 0.05)
                  for i, (lon, lat) in enumerate(zip(sightings["lon"], sightings["lat"]))],
        crs=4326)
    visits = [("ANGARA", "Rajin", "2023-08-15", 200, 200, 250),
              ("ANGARA", "Dunai", "2023-08-18", 190, 190, 238),
              ("MARIA", "Rajin", "2023-08-24", 150, 150, 188),
              ("MARIA", "Dunai", "2023-08-27", 140, 140, 175),
              ("ANGARA", "Rajin", "2023-09-01", 260, 260, 325),
              ("ANGARA", "Dunai", "2023-09-04", 255, 255, 319),
              ("MARIA", "Dunai", "2023-09-20", 300, 300, 375),
              ("ANGARA", "Dunai", "2023-10-05", 280, 280, 350)]
    cont = pd.DataFrame(visits, columns=["vessel", "port", "date", "counted", "low", "high"])
    cont["visit_id"] = cont["vessel"] + "-" + cont["port"] + "-" + cont["date"]
    cont["datetime"] = pd.to_datetime(cont.pop("date"), utc=True)
    at = cont["port"] == "Dunai"
    cont["cumulative_low"] = cont["low"].where(at).cumsum().where(at)
    cont["cumulative_high"] = cont["high"].where(at).cumsum().where(at)
    depot = pd.DataFrame({"date": pd.date_range("2023-08-01", periods=7, freq="14D", tz=UTC),
                          "pits_filled": [1, 1, 2, 4, 6, 7, 9]})
    sens = pd.DataFrame([(r, c, g, 7, 7 - r // 3, 1.0 if r < 9 else 0.9,
                          max(0.0, 1.0 - 0.04 * (r - 1) * (1 + c)))
                         for r in (1, 2, 4, 7, 10) for c in (0.2, 0.5) for g in (12, 24)],
                        columns=["revisit_days", "cloud_prob", "gap_hours", "n_truth",
                                 "n_reconstructed", "precision", "recall"])
    # the locator's land is the committed coarse region file (bundled reference data)
    region_land = geo.load_region_land()
    region_borders = geo.load_region_land(layer="borders")
    return dict(land=land, ports=ports, route=route, last_positions=last_positions,
                region_land=region_land, region_borders=region_borders,
                tracks=tracks, sightings=sightings, states=states, dark=dark, trips=trips,
                positions=positions, coverage=coverage, acquisitions=acquisitions,
                containers=cont, depot=depot, sensitivity=sens)


def make_map(d=None, title="ANGARA and MARIA shuttled between Rajin and Dunai", region=True):
    d = d or synthetic_inputs()
    return F.route_map(d["land"], d["ports"], route=d["route"],
                       last_positions=d["last_positions"], sightings=d["sightings"],
                       tracks=d["tracks"], title=title,
                       region_land=d["region_land"] if region else None,
                       region_borders=d["region_borders"] if region else None,
                       subtitle="Satellite images place both ships at both ports while their "
                                "transponders were off", source_line=SOURCE)


def make_timeline(d=None, title="Both ships made at least five round trips with AIS off"):
    d = d or synthetic_inputs()
    return F.timeline(d["states"], sightings=d["sightings"], dark_periods=d["dark"],
                      round_trips=d["trips"], window=WINDOW, title=title,
                      subtitle="Where each ship was, August to October 2023",
                      source_line=SOURCE)


def make_ais(d=None, title="ANGARA went dark for 80 days"):
    d = d or synthetic_inputs()
    return F.ais_activity(d["positions"], d["dark"], window=WINDOW, title=title,
                          subtitle="AIS positions per day", source_line=SOURCE)


def make_coverage(d=None, title="Rajin was imaged on most days"):
    d = d or synthetic_inputs()
    return F.coverage_calendar(d["coverage"], d["sightings"], ports=["Rajin", "Dunai"],
                               window=WINDOW, title=title, subtitle="Scenes per port and day",
                               source_line=SOURCE)


def make_containers(d=None, title="At least 1,065 containers delivered at Dunai"):
    d = d or synthetic_inputs()
    return F.containers_chart(d["containers"], d["depot"], window=WINDOW, claimed=1000,
                              claim_date=_ts("2023-10-13"), title=title,
                              subtitle="Containers counted per visit", source_line=SOURCE)


def make_validation(d=None, title="Every trip is found with daily imagery"):
    d = d or synthetic_inputs()
    return F.sensitivity_chart(d["sensitivity"], gap_hours=12, default_revisit=1, title=title,
                               subtitle="Recall and precision", source_line=SOURCE)


def make_cards(d=None, title="Five sightings put both ships at both berths"):
    d = d or synthetic_inputs()
    cards = F.key_sightings(d["sightings"], ["Rajin", "Dunai"])
    return F.sighting_cards(cards, d["acquisitions"], d["ports"], d["land"], title=title,
                            subtitle="Berth-scale cards", source_line=SOURCE,
                            beams={"ANGARA": 18.0, "MARIA": 16.0})


MAKERS = {"fig01_route_map": make_map, "fig02_timeline": make_timeline,
          "fig03_ais_activity": make_ais, "fig04_coverage": make_coverage,
          "fig05_containers": make_containers, "fig06_validation": make_validation,
          "fig07_sighting_cards": make_cards}


@pytest.fixture(scope="module")
def data():
    return synthetic_inputs()


@pytest.mark.parametrize("maker", list(MAKERS.values()), ids=list(MAKERS))
def test_save_writes_files_wide_png_and_is_byte_identical(maker, tmp_path, data):
    a = F.save(maker(data), "fig", tmp_path / "a", alt_text="A map of two ships.",
               caption="Caption.")
    b = F.save(maker(data), "fig", tmp_path / "b", alt_text="A map of two ships.")
    for key in ("png", "svg", "alt"):
        assert a[key].is_file() and a[key].stat().st_size > 0
    assert a["alt"].read_text(encoding="utf-8") == "A map of two ships.\n"
    assert a["caption"].read_text(encoding="utf-8") == "Caption.\n"
    img = mpimg.imread(a["png"])
    assert img.shape[1] >= 1600
    assert a["png"].read_bytes() == b["png"].read_bytes()
    assert a["svg"].read_bytes() == b["svg"].read_bytes()
    svg = a["svg"].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    assert dt.date.today().isoformat() not in svg
    assert not re.search(r"\b20\d\d-\d\d-\d\d", svg)   # no date stamp of any kind
    assert "Matplotlib v" not in svg
    assert not list(tmp_path.glob("**/*.tmp"))        # atomic writes leave nothing behind


def test_save_requires_alt_text(tmp_path, data):
    with pytest.raises(ValueError):
        F.save(make_timeline(data), "fig", tmp_path, alt_text="  ")


def test_ship_colours_distinct_okabe_ito_and_shared():
    cols = list(F.SHIP_COLORS.values())
    assert set(F.SHIP_COLORS) == {"ANGARA", "MARIA"}
    assert len(set(cols)) == len(cols)
    assert set(cols) <= set(F.OKABE_ITO.values())
    # states never reuse a ship colour, so a colour always means one ship
    assert not set(F.STATE_COLORS.values()) & set(cols)


def test_timeline_uses_ship_and_state_colours(data):
    fig = make_timeline(data)
    ax = fig.axes[0]
    bars = {}
    for p in ax.patches:
        if isinstance(p, Rectangle) and (p.get_gid() or "").startswith("state-"):
            bars.setdefault(p.get_label(), mcolors.to_hex(p.get_facecolor()))
    assert bars["ANGARA|in transit"] == F.SHIP_COLORS["ANGARA"].lower()
    assert bars["MARIA|in transit"] == F.SHIP_COLORS["MARIA"].lower()
    assert bars["ANGARA|at Rajin"] == F.STATE_COLORS["at Rajin"].lower()
    assert bars["MARIA|at Dunai"] == F.STATE_COLORS["at Dunai"].lower()


def test_map_marks_last_positions_in_ship_colour(data):
    fig = make_map(data)
    ax = fig.axes[0]
    diamonds = {mcolors.to_hex(ln.get_markerfacecolor()) for ln in ax.lines
                if ln.get_marker() == "D"}
    assert diamonds == {c.lower() for c in F.SHIP_COLORS.values()}


def _locator_axes(fig):
    (ax,) = [a for a in fig.axes if a.get_gid() == "locator"]
    return ax


def test_locator_draws_region_land_and_map_box(data):
    ax = _locator_axes(make_map(data))
    # land polygons and border lines drawn, in the house land colour, over the sea colour
    faces = {mcolors.to_hex(c.get_facecolor()[0]) for c in ax.collections
             if len(c.get_paths()) and len(c.get_facecolor())}
    assert F.LAND.lower() in faces
    assert mcolors.to_hex(ax.get_facecolor()) == F.WATER.lower()
    n_paths = sum(len(c.get_paths()) for c in ax.collections)
    assert n_paths == len(data["region_land"]) + len(data["region_borders"])
    # the map-area box is the route map's extent
    (box_,) = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert (box_.get_x(), box_.get_y()) == (129.8, 41.7)
    assert (box_.get_width(), box_.get_height()) == pytest.approx((3.4, 1.6))
    texts = {t.get_text() for t in ax.texts}
    assert {"RUSSIA", "CHINA", "NORTH\nKOREA", "SOUTH\nKOREA", "JAPAN", "Map area"} <= texts


def test_locator_labels_sit_on_land_and_sea():
    land = shapely.union_all(geo.load_region_land().geometry.values)
    for text, lon, lat, sea in F.LOCATOR_LABELS:
        assert land.contains(Point(lon, lat)) != sea, text
        lo = F.LOCATOR_EXTENT
        assert lo[0] < lon < lo[1] and lo[2] < lat < lo[3], text


def test_locator_without_region_land_draws_no_land(data):
    ax = _locator_axes(make_map(data, region=False))
    assert sum(len(c.get_paths()) for c in ax.collections) == 0
    assert len([p for p in ax.patches if isinstance(p, Rectangle)]) == 1


def test_titles_and_source_line(data):
    title = "ANGARA and MARIA shuttled between Rajin and Dunai"
    fig = make_map(data, title=title)
    assert fig.get_suptitle() == title
    assert any(t.get_text().replace("\n", " ") == SOURCE for t in fig.texts)
    long = "A much longer finding " * 8
    fig = make_timeline(data, title=long.strip())
    assert fig.get_suptitle().replace("\n", " ") == long.strip()
    assert make_timeline(data).get_suptitle() == \
        "Both ships made at least five round trips with AIS off"


def test_style_does_not_leak():
    import matplotlib as mpl
    before = mpl.rcParams["svg.hashsalt"], mpl.rcParams["font.size"]
    with F.use_style():
        assert mpl.rcParams["svg.hashsalt"] == "rajin-dunai"
    assert (mpl.rcParams["svg.hashsalt"], mpl.rcParams["font.size"]) == before


# ---------------------------------------------------------------------------------------------
# Image regression against committed baselines (nbval does not compare images).
# Regenerate after an intended change:
#   RAJIN_DUNAI_UPDATE_BASELINES=1 .venv/bin/pytest tests/test_figures.py -k baseline
# then look at every image in tests/baseline/ before committing it.
# ---------------------------------------------------------------------------------------------
BASELINE = Path(__file__).with_name("baseline")
BASELINE_DPI = 60          # small files; the layout is the same as the 200 dpi PNG
TOLERANCE = 2.0            # RMS of 0-255 pixel values (matplotlib.testing.compare)


@pytest.mark.parametrize("name", list(MAKERS))
def test_figure_matches_baseline(name, tmp_path, data):
    from matplotlib.testing.compare import compare_images

    fig = MAKERS[name](data)
    actual = tmp_path / f"{name}.png"
    with F.use_style():
        fig.savefig(actual, dpi=BASELINE_DPI, metadata={"Software": None})
    expected = BASELINE / f"{name}.png"
    if os.environ.get("RAJIN_DUNAI_UPDATE_BASELINES"):
        BASELINE.mkdir(exist_ok=True)
        shutil.copyfile(actual, expected)
    assert expected.is_file(), (f"no baseline {expected.name}: run with "
                                "RAJIN_DUNAI_UPDATE_BASELINES=1 to create it")
    err = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert err is None, err


def test_key_sightings_picks_identified_with_containers(data):
    cards = F.key_sightings(data["sightings"], ["Rajin", "Dunai"], per_group=1)
    # s5 is unidentified (and has no count); ANGARA at Rajin keeps its larger count (s6: 200)
    assert list(cards["sighting_id"]) == ["s2", "s3", "s4", "s6"]


def test_ship_outline_length_and_heading():
    import math
    xy = F.ship_outline(130.0, 42.0, 120.0, 90.0, 18.0)
    k = 111_320.0 * math.cos(math.radians(42.0))
    east_m = (xy[:, 0] - 130.0) * k
    north_m = (xy[:, 1] - 42.0) * 111_320.0
    assert east_m.max() == pytest.approx(60.0, abs=0.01)     # bow points east
    assert east_m.min() == pytest.approx(-60.0, abs=0.01)
    assert north_m.max() - north_m.min() == pytest.approx(18.0, abs=0.01)


def test_cumulative_band_and_claim_line(data):
    fig = make_containers(data)
    ax = fig.axes[1]
    low = [ln for ln in ax.lines if ln.get_gid() == "cumulative-low"][0]
    assert low.get_ydata()[-1] == 190 + 140 + 255 + 300 + 280
    claim = [ln for ln in ax.lines if ln.get_gid() == "claim"][0]
    assert list(claim.get_ydata()) == [1000, 1000]
    assert len(fig.axes) == 3                      # depot panel drawn


def test_coverage_counts_clear_and_cloudy(data):
    fig = make_coverage(data)
    ax = fig.axes[0]
    clear = [p for p in ax.patches if p.get_gid() == "clear-Rajin"]
    cloudy = [p for p in ax.patches if p.get_gid() == "cloudy-Rajin"]
    cov = data["coverage"][data["coverage"]["port"] == "Rajin"]
    assert sum(p.get_height() for p in clear) == int(cov["clear"].sum())
    assert sum(p.get_height() for p in cloudy) == int((~cov["clear"]).sum())


def test_cast_draws_other_ships_and_ports_then_restores_the_house_colours():
    """Another parameter set's ships get the next colour-blind-safe colours, its route's ports
    the origin/destination colours and legend names; the house palette is restored after."""
    before = (dict(F.SHIP_COLORS), dict(F.STATE_COLORS), list(F.ROUTE), list(F.SHIPS))
    with F.cast(["SIM FEEDER", "ANGARA", "SIM RELAY"], "Rajin", "Vostochny"):
        assert F.SHIP_COLORS["ANGARA"] == "#D55E00"                    # a house ship keeps its colour
        assert F.SHIP_COLORS["SIM FEEDER"] == "#E69F00" and F.SHIP_COLORS["SIM RELAY"] == "#56B4E9"
        assert F.STATE_COLORS["at Vostochny"] == before[1]["at Dunai"] and "at Dunai" not in F.STATE_COLORS
        assert F.ROUTE == ["Rajin", "Vostochny"] and F.SHIPS == ["SIM FEEDER", "ANGARA", "SIM RELAY"]
        states = pd.DataFrame({"vessel": ["SIM FEEDER"], "state": ["at Vostochny"],
                               "start": [pd.Timestamp("2023-09-02", tz="UTC")],
                               "end": [pd.Timestamp("2023-09-03", tz="UTC")]})
        fig = F.timeline(states, window=(pd.Timestamp("2023-09-01", tz="UTC"), pd.Timestamp("2023-10-01", tz="UTC")),
                         title="t", source_line=SOURCE, vessels=["SIM FEEDER"])
        labels = [t.get_text() for t in fig.legends[0].get_texts()]
        assert labels[:2] == ["At Rajin", "At Vostochny"]
        bar = [p for p in fig.axes[0].patches if p.get_gid() == "state-SIM FEEDER"][0]
        assert mcolors.to_hex(bar.get_facecolor()) == before[1]["at Dunai"].lower()
    assert (dict(F.SHIP_COLORS), dict(F.STATE_COLORS), list(F.ROUTE), list(F.SHIPS)) == before
