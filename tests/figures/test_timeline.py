"""Figure 2, the timeline: state bars in the ship and port colours, baseline image."""

from __future__ import annotations

import importlib

import matplotlib.colors as mcolors
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from helpers import figures as F
from tests.figures.factories import PALETTE, POSSIBLE, WINDOW, assert_matches_baseline, make_timeline


def test_timeline_uses_ship_and_state_colours(data):
    fig = make_timeline(data)
    ax = fig.axes[0]
    bars = {}
    for p in ax.patches:
        if isinstance(p, Rectangle) and (p.get_gid() or "").startswith("state-"):
            bars.setdefault(p.get_label(), mcolors.to_hex(p.get_facecolor()))
    assert bars["ANGARA|in transit"] == PALETTE.ship_colors["ANGARA"].lower()
    assert bars["MARIA|in transit"] == PALETTE.ship_colors["MARIA"].lower()
    assert bars["ANGARA|at Rajin"] == PALETTE.state_colors["at Rajin"].lower()
    assert bars["MARIA|at Dunai"] == PALETTE.state_colors["at Dunai"].lower()


def test_figure_matches_baseline(tmp_path, data):
    assert_matches_baseline("fig02_timeline", make_timeline(data), tmp_path)


def _bars(fig):
    return [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and (p.get_gid() or "").startswith("state-")]


def test_ports_differ_by_shape_not_colour_alone(data):
    bars = _bars(make_timeline(data))
    h = {p.get_label().split("|")[1]: (round(p.get_height(), 3), p.get_hatch()) for p in bars}
    assert h["at Rajin"] == (0.3, None)
    assert h["at Dunai"][0] > h["at Rajin"][0] and h["at Dunai"][1] == "xxx"
    assert F.state_shape("at Vladivostok", PALETTE)[0] < F.state_shape("at Rajin", PALETTE)[0]


def test_short_stay_at_dunai_is_drawn_at_least_the_minimum_width(data):
    st = data["states"].copy()
    i = st.index[(st["vessel"] == "MARIA") & (st["state"] == "at Dunai")][0]
    st.loc[i, "end"] = st.loc[i, "start"] + pd.Timedelta(hours=2)       # a 2-hour call
    fig = F.timeline(st, palette=PALETTE, window=WINDOW, title="t", source_line="s")
    bar = [p for p in _bars(fig) if p.get_label() == "MARIA|at Dunai"][0]
    w_in = fig.axes[0].get_position().width * fig.get_figwidth()
    days_per_in = (WINDOW[1] - WINDOW[0]) / pd.Timedelta(days=1) / w_in
    min_in = importlib.import_module("helpers.figures.timeline").MIN_STAY_IN
    assert bar.get_width() == pytest.approx(min_in * days_per_in)
    assert bar.get_width() * 24 > 2                                      # wider than the 2 h it lasted


def test_daily_sightings_are_one_run_not_a_chain():
    t = pd.to_datetime(["2023-09-01 02:00", "2023-09-02 03:00", "2023-09-03 01:00", "2023-09-06 02:00"], utc=True)
    runs = F.sighting_runs(pd.Series(t))
    assert [(a.day, b.day) for a, b in runs] == [(1, 3), (6, 6)]


def test_possible_trip_is_marked_and_labelled(data):
    fig = make_timeline(data, possible=True)
    ax = fig.axes[0]
    assert [ln.get_linestyle() for ln in ax.lines if ln.get_gid() == "possible-trip"] == ["--"]
    assert "possible" in [t.get_text() for t in ax.texts]
    labels = [t.get_text() for t in ax.texts]
    assert "at least 3 round trips,\n1 more possible" in labels


def test_alt_text_months_from_the_window_and_singular_days(data):
    st = data["states"]
    window = (pd.Timestamp("2023-07-01", tz="UTC"), pd.Timestamp("2023-11-01", tz="UTC"))
    alt = F.alt_timeline(st, data["trips"], window, POSSIBLE)
    assert alt.startswith("Timeline, one lane per ship, July to October 2023: at least 5 round trips in all.")
    assert "ANGARA: at least 3 round trips, 1 more possible;" in alt and "MARIA: at least 2 round trips;" in alt
    one = st.iloc[:1].assign(end=st["start"].iloc[0] + pd.Timedelta(hours=20))
    assert "at Dunai: 1 day." in F.alt_timeline(one, data["trips"].iloc[:0])
    assert "at least 0 round trips" in F.alt_timeline(one, data["trips"].iloc[:0])
    assert F.month_range(WINDOW) == "August to October 2023"


def test_a_run_never_spans_a_sighting_elsewhere():
    t = pd.Series(pd.to_datetime(["2023-09-01 02:00", "2023-09-03 02:00"], utc=True))
    assert len(F.sighting_runs(t)) == 1                                       # two days apart: one line
    away = pd.Series(pd.to_datetime(["2023-09-02 05:00"], utc=True))         # seen at Dunai between
    assert [(a.day, b.day) for a, b in F.sighting_runs(t, breaks=away)] == [(1, 1), (3, 3)]
