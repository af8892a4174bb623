"""Step 50 (notebook 50_claims): the reporting's claims, judged against the reconstruction."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import public_record, schema
from ..analysis import claims, trips
from .common import load, names, route, save, save_csv
from .imagery import LEDGER, observations


@dataclass
class Claims:
    table: pd.DataFrame
    depot: pd.DataFrame | None
    aggregates: pd.DataFrame | None = None    # the sources' totals against the ledger (public record)


def claim_vessels(P) -> list[str]:
    """The ships the reporting's claims name: `claim_vessels` in the parameter set, else every
    vessel of interest."""
    return list(P.raw.get("claim_vessels") or P.vessel_names)


def run(P) -> Claims:
    """Evaluate the six claims; write claims (+ claims.csv) and the depot counts."""
    origin, destination = route(P)
    result = trips.Trips(load(P, "visits"), load(P, "legs"), load(P, "round_trips"))
    depot = claims.read_depot(P.input("depot")) if P.input("depot") is not None else None
    positions, who = load(P, "positions"), names(P)
    tracked = {who[m] for m in positions["mmsi"].unique() if m in who}
    if P.check_claims:
        table = claims.evaluate(positions, load(P, "port_calls"), load(P, "dark_periods"), result, who,
                                vessels=claim_vessels(P), origin=origin, destination=destination, thresholds=P.t,
                                depot=depot, tracked=tracked)
    else:       # another shuttle: the Rajin-Dunai reporting's claims say nothing about it
        table = schema.empty("claims")
    save(P, table, "claims")
    save_csv(P, table, "claims.csv")
    if depot is not None:
        save(P, depot, "depot")
    aggs = None
    if P.input("public_record") is not None:
        aggs = public_record.compare_aggregates(public_record.read_aggregates(P.input("public_record") / LEDGER[1]),
                                                observations(P), round_trips=result.round_trips)
        save(P, aggs, "aggregates_check")
        save_csv(P, aggs, "aggregates_check.csv")
    return Claims(table, depot, aggs)


def evidence_lines(c: Claims) -> str:
    return "\n".join(f"{r.claim_id}. {r.verdict.upper()}: {r.evidence}" for r in c.table.itertuples())


def depot_monthly(c: Claims) -> pd.DataFrame | None:
    """The depot counts, the month's largest: pits, filled pits, railcars with containers."""
    if c.depot is None:
        return None
    monthly = c.depot.set_index("date").resample("MS")[["pits_count", "pits_filled", "railcars_with_containers"]].max()
    monthly.index = monthly.index.strftime("%b %Y")
    return monthly


def verdicts(c: Claims) -> pd.DataFrame:
    return c.table[["claim_id", "claim", "verdict"]]


def aggregates_table(c: Claims) -> pd.DataFrame | None:
    """Each source's total against what the ledger itself shows (public-record runs only)."""
    if c.aggregates is None:
        return None
    return c.aggregates[["claim", "value", "unit", "as_of", "ledger_value", "verdict", "reason"]]
