"""Colours: one colour-blind-safe colour per ship, the same in every figure of a run, the
route's ports in the origin / destination colours; palettes are values, never shared state."""

from __future__ import annotations

import matplotlib.colors as mcolors
import pandas as pd
import pytest
from matplotlib.text import Text

from helpers import figures as F
from tests.figures.factories import PALETTE, SOURCE, WINDOW, recast

NEW_SHIPS = ["SIM FEEDER", "SIM RELAY", "SIM TENDER", "SIM LIGHTER", "SIM BARGE", "SIM COASTER"]
PORT_COLORS = {F.OKABE_ITO["bluish green"], F.OKABE_ITO["reddish purple"]}


def _hex(c) -> str:
    return mcolors.to_hex(c).lower()


@pytest.mark.parametrize("ships", [
    ["ANGARA", "MARIA"],
    NEW_SHIPS[:3],
    ["SIM FEEDER", "ANGARA", "SIM RELAY", "MARIA"],
    NEW_SHIPS[:5],
    NEW_SHIPS,
    ["MARIA", *NEW_SHIPS[:4], "ANGARA"],
], ids=lambda s: f"{len(s)} ships")
def test_ship_colours_distinct_okabe_ito_and_shared(ships):
    """Each ship of a cast of 2-6 gets its own colour-blind-safe colour, never a port's or a
    state's colour, and the house ships keep theirs."""
    p = F.Palette.for_cast(ships, "Rajin", "Dunai")
    cols = [p.ship_color(v) for v in ships]
    assert list(p.ship_colors) == ships and p.ships == tuple(ships)
    assert len(set(cols)) == len(cols)
    assert set(cols) <= set(F.OKABE_ITO.values())
    assert F.UNIDENTIFIED_COLOR not in cols
    assert not set(cols) & PORT_COLORS
    # states never reuse a ship colour, so a colour always means one ship
    assert not set(p.state_colors.values()) & set(cols)
    for v in ("ANGARA", "MARIA"):
        if v in ships:
            assert p.ship_color(v) == F.HOUSE_SHIP_COLORS[v]
    assert p.ship_color("NOT IN THE CAST") == F.UNIDENTIFIED_COLOR
    assert p.ship_color(None) == p.ship_color(float("nan")) == F.UNIDENTIFIED_COLOR


def test_a_cast_without_the_house_ships_keeps_their_colours_apart():
    """The example's cast (two other ships) draws in the third and fourth colours; the house
    ships' colours are used only once the others are."""
    p = F.Palette.for_cast(["SIM FEEDER", "SIM RELAY"], "Rajin", "Vostochny")
    assert dict(p.ship_colors) == {"SIM FEEDER": F.OKABE_ITO["orange"], "SIM RELAY": F.OKABE_ITO["sky blue"]}
    assert "ANGARA" not in p.ship_colors
    seven = F.Palette.for_cast([*NEW_SHIPS, "SIM SEVENTH"], "Rajin", "Vostochny")
    assert seven.ship_color("SIM SEVENTH") == F.UNIDENTIFIED_COLOR    # six colours, then grey


def _colours_by_ship(figs: dict, v: str) -> dict[str, set[str]]:
    """Every colour ship `v` is drawn in, per figure, from the artists' gids and labels."""
    def patches(fig, keep):
        return {_hex(p.get_facecolor()) for ax in fig.axes for p in ax.patches if keep(p)}

    def lines(fig, keep, colour):
        return {_hex(getattr(ln, colour)()) for ax in fig.axes for ln in ax.lines if keep(ln.get_gid() or "")}

    leg = figs["map"].legends[0]
    return {
        "map": {_hex(h.get_facecolor()) for h, t in zip(leg.legend_handles, leg.get_texts())
                if t.get_text() == v},
        "timeline": patches(figs["timeline"], lambda p: p.get_label() == f"{v}|in transit"),
        "ais": patches(figs["ais"], lambda p: p.get_gid() == f"bars-{v}"),
        "coverage": lines(figs["coverage"], lambda g: g.startswith("seen-") and g.endswith(f"-{v}"),
                          "get_markerfacecolor"),
        "containers": lines(figs["containers"], lambda g: g.startswith(f"counted-{v}-"),
                            "get_markeredgecolor"),
        "cards": patches(figs["cards"], lambda p: p.get_gid() == f"ship-{v}"),
    }


def test_same_ship_same_colour_in_every_figure_and_route_ports_in_port_colours(data):
    """One palette per run: each ship is drawn in its one colour in every figure, and the
    route's ports take the origin / destination colours wherever they are named."""
    d = recast(data, {"MARIA": "SIM RELAY"}, {"Dunai": "Vostochny"})
    ships = ["SIM RELAY", "ANGARA", "SIM FEEDER"]
    p = F.Palette.for_cast(ships, "Rajin", "Vostochny")
    kw = dict(palette=p, title="t", source_line=SOURCE)
    figs = {
        "map": F.route_map(d["land"], d["ports"], route=d["route"], sightings=d["sightings"],
                           last_positions=d["last_positions"], **kw),
        "timeline": F.timeline(d["states"], sightings=d["sightings"], window=WINDOW, **kw),
        "ais": F.ais_activity(d["positions"], d["dark"], window=WINDOW, **kw),
        "coverage": F.coverage_calendar(d["coverage"], d["sightings"], ports=list(p.route),
                                        window=WINDOW, **kw),
        "containers": F.containers_chart(d["containers"], window=WINDOW, **kw),
        "cards": F.sighting_cards(F.key_sightings(d["sightings"], list(p.route), palette=p),
                                  d["acquisitions"], d["ports"], d["land"], **kw),
    }
    for v in ("SIM RELAY", "ANGARA"):               # in the data: drawn in every figure, one colour
        seen = _colours_by_ship(figs, v)
        assert seen == {k: {_hex(p.ship_color(v))} for k in figs}, v
    seen = _colours_by_ship(figs, "SIM FEEDER")     # not in the data: in the key only
    assert seen["map"] == {_hex(p.ship_color("SIM FEEDER"))}
    assert len({p.ship_color(v) for v in ships}) == 3
    # ports: origin and destination colours on the coverage panels and the timeline's bars
    assert p.port_color("Rajin") == F.OKABE_ITO["bluish green"]
    assert p.port_color("Vostochny") == F.OKABE_ITO["reddish purple"]
    assert p.port_color("Vladivostok") == p.port_colors["other"]
    titles = {t.get_text(): _hex(t.get_color()) for ax in figs["coverage"].axes
              for t in ax.get_children() if isinstance(t, Text) and t.get_text() in p.route}
    assert titles == {"Rajin": _hex(p.port_color("Rajin")), "Vostochny": _hex(p.port_color("Vostochny"))}
    at = {p.get_label(): _hex(p.get_facecolor()) for p in figs["timeline"].axes[0].patches
          if (p.get_gid() or "").startswith("state-")}
    assert at["ANGARA|at Vostochny"] == _hex(F.OKABE_ITO["reddish purple"])
    assert at["ANGARA|at Rajin"] == _hex(F.OKABE_ITO["bluish green"])


def test_palettes_for_different_casts_are_independent_values():
    a = F.Palette.for_cast(["ANGARA", "MARIA"], "Rajin", "Dunai")
    snapshot = (dict(a.ship_colors), dict(a.port_colors), dict(a.port_markers), dict(a.state_colors),
                a.route, a.ships)
    b = F.Palette.for_cast(["SIM FEEDER", "MARIA"], "Posyet", "Vostochny")
    assert (dict(a.ship_colors), dict(a.port_colors), dict(a.port_markers), dict(a.state_colors),
            a.route, a.ships) == snapshot
    assert a == F.Palette.for_cast(["ANGARA", "MARIA"], "Rajin", "Dunai") == PALETTE
    assert b.ship_color("MARIA") == a.ship_color("MARIA")          # a house ship: one colour
    assert "Rajin" not in b.port_colors and "at Dunai" not in b.state_colors
    assert b.port_marker("Posyet") == a.port_marker("Rajin") and b.port_marker("Rajin") == "D"
    with pytest.raises(TypeError):
        a.ship_colors["NEW"] = "#000000"                             # read-only: nothing to rewrite
    with pytest.raises(AttributeError):
        a.route = ("Posyet", "Vostochny")


def test_identified_means_one_of_the_palettes_ships():
    s = pd.DataFrame({"vessel": ["ANGARA", "SIM FEEDER", None, "MARIA"],
                      "match": ["identified", "identified", "unidentified", "low-confidence"]})
    assert list(PALETTE.identified(s)) == [True, False, False, False]
    other = F.Palette.for_cast(["SIM FEEDER"], "Rajin", "Vostochny")
    assert list(other.identified(s)) == [False, True, False, False]


def test_cast_draws_other_ships_and_ports_then_restores_the_house_colours():
    """Another parameter set's ships get the next colour-blind-safe colours, its route's ports
    the origin/destination colours and legend names; the house palette is unaffected."""
    house = F.Palette.for_cast(["ANGARA", "MARIA"], "Rajin", "Dunai")
    before = (dict(house.ship_colors), dict(house.state_colors), house.route, house.ships)
    cast = F.Palette.for_cast(["SIM FEEDER", "ANGARA", "SIM RELAY"], "Rajin", "Vostochny")
    assert cast.ship_colors["ANGARA"] == "#D55E00"                    # a house ship keeps its colour
    assert cast.ship_colors["SIM FEEDER"] == "#E69F00" and cast.ship_colors["SIM RELAY"] == "#56B4E9"
    assert cast.state_colors["at Vostochny"] == before[1]["at Dunai"] and "at Dunai" not in cast.state_colors
    assert cast.route == ("Rajin", "Vostochny") and cast.ships == ("SIM FEEDER", "ANGARA", "SIM RELAY")
    states = pd.DataFrame({"vessel": ["SIM FEEDER"], "state": ["at Vostochny"],
                           "start": [pd.Timestamp("2023-09-02", tz="UTC")],
                           "end": [pd.Timestamp("2023-09-03", tz="UTC")]})
    fig = F.timeline(states, palette=cast,
                     window=(pd.Timestamp("2023-09-01", tz="UTC"), pd.Timestamp("2023-10-01", tz="UTC")),
                     title="t", source_line=SOURCE, vessels=["SIM FEEDER"])
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[:2] == ["At Rajin", "At Vostochny (taller, cross-hatched)"]
    bar = [p for p in fig.axes[0].patches if p.get_gid() == "state-SIM FEEDER"][0]
    assert mcolors.to_hex(bar.get_facecolor()) == before[1]["at Dunai"].lower()
    assert (dict(house.ship_colors), dict(house.state_colors), house.route, house.ships) == before
