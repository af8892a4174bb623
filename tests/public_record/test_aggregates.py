"""Each source's total against what the ledger dates: the README's table "Aggregates the ledger
can and cannot reproduce", computed."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import public_record as PR


@pytest.fixture(scope="module")
def compared(obs, agg):
    return PR.compare_aggregates(agg, obs).set_index("agg_id")


# agg_id -> (verdict, what the ledger shows); the README's examples first
EXPECTED = {
    # at least 5 round trips by 14 Oct (RUSI/WaPo): no ANGARA/MARIA call at Dunai is dated
    "round-trips-ge5-2023-10-14-wapo-rusi-koreaherald": ("cannot check", 0),
    "round-trips-ge5-2023-10-14-wapo-copy": ("cannot check", 0),
    # at least 6 trips by 16 Oct (CSIS): consistent as Rajin calls (26 Aug x2, 10-11, 12, 14-16 Oct)
    "trips-ge6-2023-10-16-csis": ("consistent (lower)", 5),
    # at least 4 trips to the start of October (RUSI via Kyiv Post): no day-dated ANGARA/MARIA call
    "trips-ge4-2023-10-01-rusi-kyivpost": ("cannot check", 0),
    # more than 1,000 containers by 13 Oct (White House): a national total; 300 dated at Rajin
    "containers-gt1000-2023-10-13-wh": ("cannot check", 300),
    # 14 ship visits by 30 Oct, about 26 by the end of 2023 (VOA): 9 and 15 dated Rajin calls
    "ship-visits-14-2023-10-30-voa": ("consistent (lower)", 9),
    "ship-visits-26-2023-12-31-voa": ("consistent (lower)", 15),
    # at least 25 ship visits to 12 Feb 2024 (CSIS): 19 dated calls (on 20 days)
    "ship-visits-ge25-2024-02-12-csis": ("consistent (lower)", 19),
    # 32 / 33 trips by four ships (NK Pro): 7 / 6 named-ship calls at Rajin
    "trips-32-2024-03-12-nkpro": ("cannot check", 7),
    "trips-ge33-2024-03-11-nkpro-kbsde": ("cannot check", 6),
    # ANGARA at least 11 trips (RUSI): 2 day-dated ANGARA calls
    "deliveries-ge11-angara-2024-04-rusi": ("cannot check", 2),
    # at least 19 dark-ship visits to Vostochny (CSIS): LADY R on 8 Feb 2024 only
    "ship-visits-ge19-vostochny-2024-02-28-csis": ("cannot check", 1),
    # beyond the README's table
    "ship-visits-ge4-2023-10-14-voa": ("reproduced", 4),
    "ship-visits-5-2023-10-21-voa": ("reproduced", 6),
    "shipments-27-2024-01-31-rusi": ("consistent (lower)", 17),
    "imagery-days-49-of-109-2024-02-12-csis": ("consistent (lower)", 25),
    "ship-visits-6-2024-01-19-voa": ("cannot check", 2),
    "containers-1500-2023-10-21-voa": ("cannot check", 600),
    "trips-ge9-maia1-2025-02-18-osc": ("cannot check", 1),
}


@pytest.mark.parametrize("agg_id", list(EXPECTED))
def test_verdicts(compared, agg_id):
    verdict, ledger = EXPECTED[agg_id]
    r = compared.loc[agg_id]
    assert (r["verdict"], r["ledger_value"]) == (verdict, ledger), r["reason"]


def test_national_totals_shells_and_tonnes_cannot_be_checked(compared):
    national = compared[compared["scope"].str.match(r"(North Korea|Russia)\s*->")]
    assert len(national) == 19
    assert set(national["verdict"]) == {"cannot check"}
    unseen = compared[compared["unit"].isin(["shells", "tonnes"])]
    assert len(unseen) == 8 and unseen["ledger_value"].isna().all()


def test_every_aggregate_has_one_row_a_verdict_and_a_reason(compared, agg):
    assert compared.index.tolist() == agg["agg_id"].tolist()
    assert set(compared["verdict"]) <= set(PR.VERDICTS)
    assert compared["reason"].str.len().gt(20).all()
    assert compared["verdict"].value_counts().to_dict() == {"cannot check": 31, "consistent (lower)": 6,
                                                            "reproduced": 2}


def test_reasons_name_the_evidence(compared):
    rt = compared.loc["round-trips-ge5-2023-10-14-wapo-rusi-koreaherald", "reason"]
    assert "no call of ANGARA or MARIA at Dunai" in rt and "Rajin has 4 day-dated call(s)" in rt
    kyiv = compared.loc["trips-ge4-2023-10-01-rusi-kyivpost", "reason"]
    assert "ANGARA 7 Sep-1 Oct 2023" in kyiv          # the White House window, not a dated call


def test_periods_from_the_words():
    as_of = pd.Timestamp("2023-10-21", tz="UTC")
    assert PR.period_start("five ships since 26 Aug 2023", "Rajin", as_of) == pd.Timestamp("2023-08-26", tz="UTC")
    assert PR.period_start("ships in 2024 so far", "Rajin", as_of) == pd.Timestamp("2024-01-01", tz="UTC")
    assert PR.period_start("three a month", "Rajin, October-December 2025", as_of) == \
        pd.Timestamp("2025-10-01", tz="UTC")
    assert PR.period_start("nine trips", "MAIA-1, Rajin->Vostochny, from October 2023", as_of) == \
        pd.Timestamp("2023-10-01", tz="UTC")
    assert PR.period_start("loading on 49 days", "Rajin, August 2023 to February 2024", as_of) == \
        pd.Timestamp("2023-08-01", tz="UTC")
    assert PR.scope_ports("Najin<->Russia by sea") == ["Rajin"]
    assert PR.scope_ports("ANGARA and MARIA, Rajin<->Dunai") == ["Rajin", "Dunai"]
    assert PR.scope_ships("four ships to Rajin") == list(PR.VESSELS)
    assert PR.scope_ships("Rajin, ships over 100 m") is None


def test_a_reconstruction_round_trip_counts(obs, agg):
    rt = pd.DataFrame({"vessel": ["ANGARA"] * 5, "start": pd.Timestamp("2023-08-20", tz="UTC"),
                       "end": pd.Timestamp("2023-10-14 18:00", tz="UTC")})
    got = PR.compare_aggregates(agg, obs, rt).set_index("agg_id")
    r = got.loc["round-trips-ge5-2023-10-14-wapo-copy"]
    assert (r["verdict"], r["ledger_value"]) == ("reproduced", 5)
