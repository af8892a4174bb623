"""What the ledger dates: calls per port and ship, departures between two images, windows, and
the ledger as sightings (exact counts on the real ledger)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import geo, schema
from helpers import public_record as PR
from helpers.analysis import trips
from helpers.errors import ParamsError

# the public-record run: Aug 2023 - mid 2024, ports Rajin, Dunai, Vostochny
WINDOW = (pd.Timestamp("2023-08-01", tz="UTC"), pd.Timestamp("2024-07-01", tz="UTC"))
SHIPS = ["ANGARA", "MARIA", "LADY R", "MAIA-1"]


@pytest.fixture(scope="module")
def ports():
    p = geo.load_ports()
    return p[p["port"].isin(["Rajin", "Dunai", "Vostochny"])].reset_index(drop=True)


@pytest.fixture(scope="module")
def sightings(obs, ports):
    return PR.as_sightings(obs, ports, window=WINDOW)


def _per(s: pd.DataFrame) -> dict:
    return s.assign(v=s["vessel"].fillna(s["match"])).groupby(["port", "v"]).size().to_dict()


def test_sightings_of_the_run_exact_counts(sightings):
    assert len(sightings) == 32
    assert _per(sightings) == {("Rajin", "ANGARA"): 2, ("Rajin", "LADY R"): 5, ("Rajin", "MAIA-1"): 1,
                               ("Rajin", "MARIA"): 1, ("Rajin", "unidentified"): 18,
                               ("Dunai", "unidentified"): 1, ("Vostochny", "LADY R"): 4}
    assert sightings["match"].value_counts().to_dict() == {"unidentified": 19, "identified": 13}
    # rows behind them: 38 ledger rows, de-duplicated by port, ship and day
    behind = sightings["analyst_note"].str.extract(r"; (\d+) sources?:")[0].astype(int)
    assert behind.sum() == 38


def test_no_angara_or_maria_at_dunai_and_the_one_dunai_sighting(sightings):
    dunai = sightings[sightings["port"] == "Dunai"]
    assert not dunai["vessel"].isin(["ANGARA", "MARIA"]).any()
    assert dunai["sighting_id"].tolist() == ["2023-09-12-dunai-unidentified-dailybeast"]
    assert dunai["match"].tolist() == ["unidentified"] and dunai["length_m"].isna().all()


def test_lady_r_sightings(sightings):
    lady = sightings[sightings["vessel"] == "LADY R"]
    assert [f"{t:%Y-%m-%d} {p}" for t, p in zip(lady["datetime"], lady["port"])] == [
        "2024-02-04 Rajin", "2024-02-05 Rajin", "2024-02-08 Vostochny", "2024-03-10 Rajin",
        "2024-03-12 Rajin", "2024-03-14 Vostochny", "2024-03-15 Vostochny", "2024-04-02 Vostochny",
        "2024-04-14 Rajin"]
    # 10 Mar 2024: three outlets, one sighting, all three listed
    note = lady.loc[lady["datetime"].dt.day == 10, "analyst_note"].iloc[0]
    assert "3 sources" in note and "newsweek" in note and "defenseromania" in note


def test_sighting_time_position_ids_and_schema(sightings, ports):
    assert (sightings["datetime"].dt.hour == 12).all() and (sightings["datetime"].dt.minute == 0).all()
    berth = ports.set_index("port")
    assert (sightings["lat"].to_numpy() == berth.loc[sightings["port"], "berth_lat"].to_numpy()).all()
    assert (sightings["acq_id"] == "record:" + sightings["sighting_id"]).all()
    assert schema.validate(sightings, "sightings").shape == sightings.shape
    # the 19 Oct 2023 ship: two outlets, one sighting, 115 m, unidentified
    s = sightings[sightings["sighting_id"] == "2023-10-19-rajin-unidentified-115m-news1"].iloc[0]
    assert s["length_m"] == 115 and s["id_confidence"] == "none" and "2 sources" in s["analyst_note"]
    assert "2023-10-19-rajin-unidentified-115m-voa" in s["analyst_note"]


def test_all_ports_no_window_and_confidence(obs):
    s = PR.as_sightings(obs, geo.load_ports())
    assert len(s) == 48
    assert _per(s)[("Vladivostok", "LADY R")] == 3
    high = PR.as_sightings(obs, geo.load_ports(), window=WINDOW, min_confidence="high")
    # Vladivostok too (39 in the window): only ANGARA on 8 Jan 2024 is named with high confidence
    assert high["match"].value_counts().to_dict() == {"unidentified": 19, "low-confidence": 19,
                                                      "identified": 1}
    low = high[high["match"] == "low-confidence"]
    assert low["vessel"].isna().all() and low["analyst_note"].str.startswith("analyst id: ").all()
    others = PR.as_sightings(obs, geo.load_ports(), window=WINDOW, vessels=["ANGARA", "MARIA"])
    assert set(others.loc[others["vessel"] == "LADY R", "match"]) == {"other vessel"}
    with pytest.raises(ParamsError):
        PR.as_sightings(obs, geo.load_ports(), min_confidence="sure")


def test_the_sightings_feed_the_reconstruction(sightings, ports):
    """No AIS: visits and legs from the ledger alone; no Rajin-Dunai round trip (no Dunai call
    of a named ship is dated)."""
    t = trips.reconstruct(schema.empty("port_calls"), sightings, schema.empty("dark_periods"), ports,
                          vessels=SHIPS, origin="Rajin", destination="Dunai",
                          distance=lambda a, b: 106.0)
    assert t.round_trips.empty
    assert set(t.visits["vessel"]) == set(SHIPS)
    assert list(zip(t.legs["origin"], t.legs["destination"])) == [("Rajin", "Vostochny"), ("Vostochny", "Rajin")] * 2


def test_calls_rajin_26_aug_to_12_feb(obs):
    c = PR.calls(obs)
    assert PR.count_calls(c, place="Rajin", since="2023-08-26", until="2024-02-12") == \
        {"days": 20, "rows": 22, "calls": 19}
    assert PR.count_calls(c, place="Rajin", since="2023-08-26", until="2023-10-14")["calls"] == 4
    assert PR.count_calls(c, place="Rajin", since="2023-08-26", until="2023-12-31")["calls"] == 15
    assert PR.count_calls(c, place="Rajin", since=WINDOW[0], until="2024-06-30")["calls"] == 25
    assert PR.count_calls(c, place="Dunai")["calls"] == 1
    assert PR.count_calls(c, place="Vostochny")["calls"] == 4
    assert PR.count_calls(c, place="Rajin", vessels=["ANGARA"], until="2024-04-01")["calls"] == 2


def test_calls_join_days_and_same_events(obs):
    c = PR.calls(obs).set_index(["place", "ship", "day"])
    call = c["call_id"]
    day = pd.Timestamp
    # 19 and 20 Oct 2023: one 115 m ship seen, then gone
    assert call[("Rajin", "unidentified 115 m", day("2023-10-20", tz="UTC"))] == "rajin-unidentified-115-m-20231019"
    # 4 and 5 Feb 2024: LADY R once
    assert call[("Rajin", "LADY R", day("2024-02-05", tz="UTC"))] == "rajin-lady-r-20240204"
    # 12 Feb 2024: VOA's unnamed ship is NK News' MAIA-1
    assert call[("Rajin", "unidentified", day("2024-02-12", tz="UTC"))] == "rajin-maia-1-20240212"
    # 140 m at two piers, 17-18 and 19-20 Dec 2023: two calls
    assert call[("Rajin", "unidentified 140 m", day("2023-12-19", tz="UTC"))] == "rajin-unidentified-140-m-20231219"
    r = c.loc[("Rajin", "unidentified 110 m", day("2023-10-12", tz="UTC"))]
    assert (r["n_rows"], r["n_sources"], r["what"]) == (2, 2, "at berth; loading")


def test_windows_and_departures(obs):
    w = PR.windows(obs)
    assert list(zip(w["place"], w["ship"])) == [("Rajin", "ANGARA"), ("Rajin", "MAIA-1"), ("Rajin", "MARIA"),
                                                ("Dunai", "unidentified"), ("Rajin", "ANGARA"),
                                                ("Rajin", "unidentified")]
    d = PR.departures_between(obs)
    assert d[["place", "ship", "hours"]].values.tolist() == [["Rajin", "unidentified 115 m", 24.0],
                                                             ["Vladivostok", "LADY R", 72.0]]
    assert d["after"].iloc[1] == pd.Timestamp("2024-03-07", tz="UTC")
    assert d["before"].iloc[1] == pd.Timestamp("2024-03-10", tz="UTC")


def test_traced_round_trips_and_cloudy_days(obs):
    c = PR.calls(obs)
    assert PR.traced_round_trips(c, "Rajin", "Dunai").empty
    lady = PR.traced_round_trips(c, "Rajin", "Vostochny")
    assert lady["vessel"].tolist() == ["LADY R", "LADY R"]
    assert f"{lady['start'].iloc[0]:%Y-%m-%d}" == "2024-03-12" and f"{lady['end'].iloc[0]:%Y-%m-%d}" == "2024-04-14"
    cloudy = PR.cloudy_days(obs)
    assert [(p, f"{d:%Y-%m-%d}") for p, d in zip(cloudy["place"], cloudy["day"])] == [("Rajin", "2024-02-14")]
