"""Step 30 (notebook 30_port_calls_and_gaps): port calls in the geofences; dark periods with
their reception evidence; the long silences under Global Fishing Watch's open-sea rule."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..analysis import gaps, port_calls
from .common import dark_options, load, load_land, load_ports, names, save


@dataclass
class CallsAndGaps:
    port_calls: pd.DataFrame
    dark_periods: pd.DataFrame
    by_rule: pd.DataFrame         # long silences of the vessels of interest, class under each rule


def run(P) -> CallsAndGaps:
    """Port calls and dark periods of every vessel (written), and the GFW-rule comparison."""
    positions = load(P, "positions")
    fences, coast, who = load_ports(P), load_land(P), names(P)
    calls = port_calls.port_calls(positions, fences, max_sog_kn=P.t["port_max_sog_kn"],
                                  min_dwell_hours=P.t["port_min_dwell_hours"], names=who)
    opts = dark_options(P, fences, coast)
    dark = gaps.dark_periods(positions, **opts, names=who)
    save(P, calls, "port_calls")
    save(P, dark, "dark_periods")
    gfw = gaps.dark_periods(positions, **{**opts, "rule": "gfw"}, names=who)
    return CallsAndGaps(calls, dark, gaps.by_rule(dark, gfw, P.vessel_names))


def summary(P, r: CallsAndGaps) -> str:
    """One sentence: port calls by how many vessels, dark periods by class."""
    calls, dark = r.port_calls, r.dark_periods
    return (f"{len(calls):,} port calls by {calls['mmsi'].nunique()} vessels; {len(dark):,} dark periods longer than "
            f"{P.t['dark_min_hours']:g} h ({P.t['dark_rule']} rule): "
            + ", ".join(f"{n} {k}" for k, n in dark["class"].value_counts().items()))


def calls_by_port(r: CallsAndGaps) -> pd.DataFrame:
    return r.port_calls.groupby("port").agg(calls=("call_id", "size"), vessels=("mmsi", "nunique"))


def calls_of_interest(r: CallsAndGaps) -> pd.DataFrame:
    """AIS port calls of the vessels of interest, per vessel and port."""
    calls = r.port_calls
    return calls[calls["vessel"].notna()].groupby(["vessel", "port"]).agg(
        calls=("call_id", "size"), first=("arrival", "min"), last=("departure", "max"))


def dark_of_interest(r: CallsAndGaps) -> pd.DataFrame:
    """Dark periods of the vessels of interest, with the evidence for their class."""
    dark = r.dark_periods
    return dark[dark["vessel"].notna()][["vessel", "start_ts", "end_ts", "hours", "shore_nm", "class", "reason"]
                                        ].round({"hours": 1, "shore_nm": 1})
