"""Colours: one colour-blind-safe colour per ship, the route's ports in the port colours."""

from __future__ import annotations

import matplotlib.colors as mcolors
import pandas as pd

from helpers import figures as F
from tests.figures.factories import SOURCE


def test_ship_colours_distinct_okabe_ito_and_shared():
    cols = list(F.SHIP_COLORS.values())
    assert set(F.SHIP_COLORS) == {"ANGARA", "MARIA"}
    assert len(set(cols)) == len(cols)
    assert set(cols) <= set(F.OKABE_ITO.values())
    # states never reuse a ship colour, so a colour always means one ship
    assert not set(F.STATE_COLORS.values()) & set(cols)


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
