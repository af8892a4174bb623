"""Figures: house style, deterministic saving, colours, titles (synthetic inputs only)."""

from __future__ import annotations

import datetime as dt
import re

import geopandas as gpd
import matplotlib.colors as mcolors
import matplotlib.image as mpimg
import pandas as pd
import pytest
from matplotlib.patches import Rectangle
from shapely.geometry import LineString, Point, box

from helpers import figures as F

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
    return dict(land=land, ports=ports, route=route, last_positions=last_positions,
                tracks=tracks, sightings=sightings, states=states, dark=dark, trips=trips)


def make_map(d=None, title="ANGARA and MARIA shuttled between Rajin and Dunai"):
    d = d or synthetic_inputs()
    return F.route_map(d["land"], d["ports"], route=d["route"],
                       last_positions=d["last_positions"], sightings=d["sightings"],
                       tracks=d["tracks"], title=title,
                       subtitle="Satellite images place both ships at both ports while their "
                                "transponders were off", source_line=SOURCE)


def make_timeline(d=None, title="Both ships made at least five round trips with AIS off"):
    d = d or synthetic_inputs()
    return F.timeline(d["states"], sightings=d["sightings"], dark_periods=d["dark"],
                      round_trips=d["trips"], window=WINDOW, title=title,
                      subtitle="Where each ship was, August to October 2023",
                      source_line=SOURCE)


@pytest.fixture(scope="module")
def data():
    return synthetic_inputs()


@pytest.mark.parametrize("maker", [make_map, make_timeline])
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
