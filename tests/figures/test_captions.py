"""Captions and alt text: filled in for the run, stating what each figure shows in numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import figures as F
from tests.figures.factories import PALETTE, WINDOW


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
    assert alt.startswith(f"{len(cards)} sighting cards, one per ship's stay: schematic")
    assert "ANGARA at Rajin, 15 Oct 2023: 200 containers on the quay, ship 110 m long, identification high " \
        "(schematic)." in alt
    alt = F.alt_sighting_cards(cards, with_image={"as2"})
    assert "1 show the satellite image of the berth, 3 a schematic map" in alt
    assert "ANGARA at Dunai, 03 Sep 2023: 150 containers on the quay, ship 110 m long, identification high." in alt


def test_alt_coverage_counts_the_palettes_ships_only(data):
    alt = F.alt_coverage(data["coverage"], data["sightings"], ["Rajin", "Dunai"], palette=PALETTE)
    assert ("Rajin: scenes on 61 days, cloud-clear on 53; the ships seen there on 3 days "
            "(ANGARA on 2 days, MARIA on 1 day).") in alt
    only_maria = F.Palette.for_cast(["MARIA"], "Rajin", "Dunai")
    alt = F.alt_coverage(data["coverage"], data["sightings"], ["Rajin", "Dunai"], palette=only_maria)
    assert "ANGARA" not in alt and \
        "Rajin: scenes on 61 days, cloud-clear on 53; the ships seen there on 1 day (MARIA on 1 day)." in alt


def test_alt_texts_carry_the_numbers_their_titles_state(data):
    alt = F.alt_route_map(data["last_positions"], data["sightings"], data["route"], "Rajin", "Dunai",
                          round_trips=5)
    F.check_alt("ANGARA and MARIA went dark, then shuttled Rajin -> Dunai: at least 5 round trips", alt)
    alt = F.alt_timeline(data["states"], data["trips"], WINDOW)
    F.check_alt("At least 5 Rajin-Dunai round trips, Aug-Oct 2023", alt)
    alt = F.alt_containers(data["containers"], 1000, "Dunai", claim_date=pd.Timestamp("2023-09-30", tz="UTC"))
    assert "by 30 Sep 2023: at least 885, up to 1,107" in alt        # deliveries up to the claim date only
    F.check_alt("At least 885 containers delivered at Dunai by 30 Sep, against the claim of more than 1,000", alt)
    with pytest.raises(ValueError, match=r"\['6'\]"):
        F.check_alt("At least 6 round trips", alt)
    # digits in a ship's or port's name are not numbers the alt text must repeat
    title = "FERRY 211188000 and MAIA-1 shuttled Port 2 -> Dunai: at least 12 round trips"
    with pytest.raises(ValueError, match=r"\['2', '211188000'\]"):
        F.check_alt(title, "Map with the sea route. At least 12 round trips between them.")
    F.check_alt(title, "Map with the sea route. At least 12 round trips between them.",
                names=["FERRY 211188000", "MAIA-1", "Port 2", "Dunai"])
    with pytest.raises(ValueError, match=r"\['12'\]"):
        F.check_alt(title, "Map with the sea route.", names=["FERRY 211188000", "MAIA-1", "Port 2"])


def test_numbers_in_reads_thousands_and_percentages():
    assert F.numbers_in("At 50% cloud, 1,336 containers by 13 Oct; 0.5 m") == {"50", "1336", "13", "0.5"}
    assert F.numbers_in("MAIA-1 and fig08") == set()


def test_days_text_never_says_0_days_or_1_days():
    assert [F.days_text(v) for v in (0.3, 0.6, 1.2, 44.6)] == ["less than 1 day", "1 day", "1 day", "45 days"]
