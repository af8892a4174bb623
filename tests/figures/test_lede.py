"""Figure 0, the lede: confirmed and possible trips and AIS-off days per ship; title and alt
text from the same numbers as the drawing; readable on a phone; baseline image."""

from __future__ import annotations

import re

import pandas as pd

from helpers import figures as F
from tests.figures.factories import POSSIBLE, WINDOW, assert_matches_baseline, make_lede


def _numbers(data):
    return F.lede_numbers(data["trips"], POSSIBLE, data["dark"], ["ANGARA", "MARIA"])


def test_numbers_count_confirmed_possible_and_dark_days(data):
    n = _numbers(data)
    assert [len(n[v]["confirmed"]) for v in ("ANGARA", "MARIA")] == [3, 2]
    assert [len(n[v]["possible"]) for v in ("ANGARA", "MARIA")] == [1, 0]
    # MARIA's one-day reception gap is not "AIS off"; only the likely-disabled silences are
    assert [round(k) for _, _, k in n["MARIA"]["dark"]] == [71]
    assert [round(k) for _, _, k in n["ANGARA"]["dark"]] == [80]


def test_title_and_alt_text_say_what_the_strip_draws(data):
    n = _numbers(data)
    title = F.lede_title(n, "Rajin", "Dunai")
    assert title == "ANGARA and MARIA made at least 5 Rajin-Dunai round trips, 1 more possible, with AIS off"
    fig = make_lede(data)
    blocks = {}
    for ax in fig.axes:
        for p in ax.patches:
            blocks.setdefault(p.get_gid(), []).append(ax.get_gid())
    assert len(blocks["confirmed"]) == int(re.search(r"at least (\d+)", title).group(1))
    assert len(blocks["possible"]) == int(re.search(r"(\d+) more possible", title).group(1))
    assert blocks["possible"] == ["lede-ANGARA"]
    alt = F.alt_lede(n, "Rajin", "Dunai", F.lede.lede_window(n, WINDOW))
    assert "5 confirmed Rajin-Dunai-Rajin round trips and 1 possible." in alt
    assert ("ANGARA: 3 confirmed (4 Aug to 14 Aug; 14 Aug to 24 Aug; 24 Aug to 3 Sep), "
            "1 possible (20 Sep to 26 Sep)") in alt
    assert "AIS off 80 days, 12 Aug to 31 Oct" in alt and "AIS off 71 days, 20 Aug to 31 Oct" in alt
    assert not re.search(r"\b1 days", alt)


def test_one_trip_and_one_day_are_singular():
    trips = pd.DataFrame({"vessel": ["A"], "start": [pd.Timestamp("2023-09-01", tz="UTC")],
                          "end": [pd.Timestamp("2023-09-04", tz="UTC")]})
    dark = pd.DataFrame({"vessel": ["A"], "class": ["likely-disabled"],
                         "start_ts": [pd.Timestamp("2023-09-01", tz="UTC")],
                         "end_ts": [pd.Timestamp("2023-09-02", tz="UTC")]})
    n = F.lede_numbers(trips, None, dark, ["A"])
    assert F.lede_title(n, "X", "Y") == "A made at least 1 X-Y round trip, with AIS off"
    alt = F.alt_lede(n, "X", "Y", F.lede.lede_window(n, WINDOW))
    assert "1 confirmed X-Y-X round trip." in alt and "AIS off 1 day," in alt


def test_strip_zooms_on_the_trips(data):
    lo, hi = F.lede.lede_window(_numbers(data), WINDOW)
    assert lo == pd.Timestamp("2023-08-01", tz="UTC")             # clipped to the window
    assert hi == pd.Timestamp("2023-11-01", tz="UTC")


def test_figure_matches_baseline(tmp_path, data):
    assert_matches_baseline("fig00_lede", make_lede(data), tmp_path)
