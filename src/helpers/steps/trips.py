"""Step 40 (notebook 40_trips): fuse AIS and imagery into visits, legs and round trips (confirmed,
possible, at most); containers per stay."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..analysis import containers, trips, visits
from .common import lengths, load, load_land, load_optional, load_ports, names, route, save


def ais_observations(P) -> tuple[pd.DataFrame, set[str]]:
    """The vessels of interest's AIS positions inside a port geofence (observations of them at
    that port, whatever their speed) and the names of those with any AIS position at all."""
    positions, who = load(P, "positions"), names(P)
    tracked = {who[m] for m in positions["mmsi"].unique() if m in who}
    return visits.in_fence(positions, load_ports(P), who), tracked


def options(P) -> dict:
    """The keyword arguments of `trips.reconstruct` that the parameter set sets (ships, route,
    thresholds, the ships' lengths, the coverage table, the coastline sea routes run over, the
    AIS observations at the ports); step 70's sensitivity shares them."""
    origin, destination = route(P)
    fence, tracked = ais_observations(P)
    return dict(vessels=P.vessel_names, origin=origin, destination=destination, land=load_land(P),
                fence=fence, tracked=tracked,
                max_speed_kn=P.t["max_speed_kn"], min_dwell_hours=P.t["trip_min_dwell_hours"],
                coverage=load_optional(P, "coverage"), lengths=lengths(P),
                length_tolerance_m=P.t["sighting_length_tolerance_m"],
                absence_max_gsd_m=P.t["absence_max_gsd_m"])


def reconstruct(P, **changes) -> trips.Trips:
    """`trips.reconstruct` on the run's tables with its parameters; `changes` override keyword
    arguments (e.g. min_dwell_hours=24)."""
    kw = {**options(P), **changes}
    return trips.reconstruct(load(P, "port_calls"), load(P, "sightings"), load(P, "dark_periods"), load_ports(P), **kw)


@dataclass
class TripsStep:
    result: trips.Trips
    containers: pd.DataFrame
    route_nm: float


def run(P) -> TripsStep:
    """Reconstruct, count containers, write visits, legs, round_trips, possible_trips,
    trip_bounds and containers."""
    origin, destination = route(P)
    result = reconstruct(P)
    cont = containers.containers(result.visits, origin=origin, destination=destination,
                                 visibility=P.t["container_visibility_min"])
    for df, name in ((result.visits, "visits"), (result.legs, "legs"), (result.round_trips, "round_trips"),
                     (result.possible, "possible_trips"), (result.bounds, "trip_bounds"), (cont, "containers")):
        save(P, df, name)
    return TripsStep(result, cont, visits.route_nm(load_ports(P), origin, destination, load_land(P)))


def summary(P, s: TripsStep) -> str:
    origin, destination = route(P)
    v, legs = s.result.visits, s.result.legs
    return (f"sea route {origin} -> {destination}: {s.route_nm:.1f} nm over water\n"
            f"{len(v)} visits ({int(v['split'].sum())} split), {len(legs)} legs "
            f"({(~legs['feasible']).sum()} infeasible), at least {len(s.result.round_trips)} round trips")


BOUNDS_COLUMNS = ["vessel", "at_least", "possible", "at_most", "at_most_without_absences", "absences",
                  "split_visits", "round_trip_hours"]


def bounds_sentence(P, s: TripsStep) -> str:
    origin, destination = route(P)
    b = s.result.bounds.set_index("vessel")
    return (f"At least {b.loc['all', 'at_least']} round trips confirmed, {b.loc['all', 'possible']} more possible, "
            f"at most {b.loc['all', 'at_most']} ({origin} -> {destination} -> {origin}); a hidden trip needs "
            f"{b.loc['all', 'round_trip_hours']:g} h or more.")


def dwell_sensitivity(P, dwells=(18, 24)) -> pd.DataFrame:
    """The bounds with the run's minimum stay and with longer ones (negative observations only
    bite when an unobserved stay cannot fit between two clear scenes)."""
    rows = [reconstruct(P, min_dwell_hours=dwell).bounds.set_index("vessel")
            .loc["all", ["at_least", "possible", "at_most_without_absences", "at_most"]].rename(dwell)
            for dwell in (P.t["trip_min_dwell_hours"], *dwells)]
    return pd.DataFrame(rows).rename_axis("min_dwell_hours")


def route_legs(P, s: TripsStep) -> pd.DataFrame:
    """The legs between the two route ports, with their time windows and evidence."""
    legs, ports_ = s.result.legs, list(route(P))
    return legs[legs["origin"].isin(ports_) & legs["destination"].isin(ports_)][
        ["vessel", "origin", "destination", "depart_earliest", "arrive_latest", "evidence", "dark",
         "required_speed_kn", "feasible"]]


def containers_sentence(P, s: TripsStep) -> str:
    destination = route(P)[1]
    c = s.containers
    at = c["port"] == destination
    return (f"delivered at {destination}: at least {c.loc[at, 'low'].sum():,}, "
            f"up to {c.loc[at, 'high'].sum():,} on {int(at.sum())} observed deliveries")


def possible_table(s: TripsStep) -> pd.DataFrame:
    return s.result.possible[["trip_id", "start", "end", "sightings", "basis"]]


def legs_by_evidence(s: TripsStep) -> pd.DataFrame:
    return s.result.legs.groupby(["evidence", "dark"]).size().rename("legs").to_frame()


def containers_table(s: TripsStep) -> pd.DataFrame:
    return s.containers[["vessel", "port", "datetime", "activity", "counted", "low", "high", "cumulative_low",
                         "cumulative_high"]]
