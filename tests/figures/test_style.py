"""House style: titles that wrap, the source line, and rcParams that never leak."""

from __future__ import annotations

import matplotlib as mpl

from helpers import figures as F
from tests.figures.factories import SOURCE, make_map, make_timeline


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
    before = mpl.rcParams["svg.hashsalt"], mpl.rcParams["font.size"]
    with F.use_style():
        assert mpl.rcParams["svg.hashsalt"] == "rajin-dunai"
    assert (mpl.rcParams["svg.hashsalt"], mpl.rcParams["font.size"]) == before
