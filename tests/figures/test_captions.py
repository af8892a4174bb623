"""Captions and alt text: filled in for the run, stating what each figure shows in numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import figures as F
from tests.figures.factories import PALETTE


def test_caption_fills_in_the_runs_ships_route_and_period():
    for name in F.CAPTIONS:
        cap = F.caption(name, ships=["SIM FEEDER", "SIM RELAY"], origin="Rajin", destination="Vostochny",
                        period="Sep-Oct 2023")
        assert "{" not in cap and cap.endswith(".")
    cap = F.caption("fig02_timeline", ships=["SIM FEEDER", "SIM RELAY"], origin="Rajin",
                    destination="Vostochny", period="Sep-Oct 2023")
    assert cap.startswith("Where SIM FEEDER and SIM RELAY were observed, Sep-Oct 2023: at Rajin, at Vostochny")
    assert F.caption("fig99_new", ships=[], origin="", destination="", period="") == "fig99_new"
    with pytest.raises(TypeError):
        F.CAPTIONS["fig01_route_map"] = "rewritten"                      # read-only


def test_alt_texts_state_the_numbers(data):
    alt = F.alt_route_map(data["last_positions"], data["sightings"], data["route"], "Rajin", "Dunai")
    assert "sea route from Rajin to Dunai (114 nautical miles)" in alt
    assert "ANGARA's last AIS position before going dark: 42.62 N, 132.05 E on 12 Aug 2023." in alt
    assert "Identified imagery sightings at Rajin: ANGARA 2, MARIA 1." in alt
    alt = F.alt_timeline(data["states"], data["trips"])
    assert "ANGARA: at least 3 round trips;" in alt and "MARIA: at least 2 round trips;" in alt
    dark = data["dark"].assign(hours=(data["dark"]["end_ts"] - data["dark"]["start_ts"]) / pd.Timedelta(hours=1))
    alt = F.alt_ais_activity(data["positions"], dark, ["ANGARA", "MARIA"])
    assert "ANGARA: positions on 13 days; longest silence 80 days, 12 Aug to 31 Oct 2023" in alt
    alt = F.alt_containers(data["containers"], 1000, "Dunai")
    assert "Containers counted at 8 visits." in alt and "at least 1,165, up to 1,457" in alt
    alt = F.alt_sensitivity(data["sensitivity"], 12)
    assert "(dark-period threshold 12 h)" in alt and "Cloud probability 20%: recall 100% with daily scenes" in alt
    assert "at or above 95% up to 1 day between scenes." in alt and "1 days" not in alt
    cards = F.key_sightings(data["sightings"], ["Rajin", "Dunai"], palette=PALETTE)
    alt = F.alt_sighting_cards(cards)
    assert alt.startswith(f"{len(cards)} small berth-scale maps") and "ANGARA at Rajin, 25 Aug 2023" in alt


def test_alt_coverage_counts_the_palettes_ships_only(data):
    alt = F.alt_coverage(data["coverage"], data["sightings"], ["Rajin", "Dunai"], palette=PALETTE)
    assert "Rajin: scenes on 61 days, cloud-clear on 53; ANGARA on 2 days, MARIA on 1 days." in alt
    only_maria = F.Palette.for_cast(["MARIA"], "Rajin", "Dunai")
    alt = F.alt_coverage(data["coverage"], data["sightings"], ["Rajin", "Dunai"], palette=only_maria)
    assert "ANGARA" not in alt and "Rajin: scenes on 61 days, cloud-clear on 53; MARIA on 1 days." in alt
