"""Colours: one colour-blind-safe colour per ship, the route's ports in the port colours."""

from __future__ import annotations

import matplotlib.colors as mcolors
import pandas as pd

from helpers import figures as F
from tests.figures.factories import PALETTE, SOURCE


def test_ship_colours_distinct_okabe_ito_and_shared():
    cols = list(PALETTE.ship_colors.values())
    assert set(PALETTE.ship_colors) == {"ANGARA", "MARIA"}
    assert len(set(cols)) == len(cols)
    assert set(cols) <= set(F.OKABE_ITO.values())
    # states never reuse a ship colour, so a colour always means one ship
    assert not set(PALETTE.state_colors.values()) & set(cols)


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
    assert labels[:2] == ["At Rajin", "At Vostochny"]
    bar = [p for p in fig.axes[0].patches if p.get_gid() == "state-SIM FEEDER"][0]
    assert mcolors.to_hex(bar.get_facecolor()) == before[1]["at Dunai"].lower()
    assert (dict(house.ship_colors), dict(house.state_colors), house.route, house.ships) == before
