"""Fusion of AIS port calls and imagery sightings into visits, legs and round trips.

`reconstruct` is the one call: visits, legs and confirmed round trips (helpers.analysis.visits),
negative observations, possible round trips and the upper bound (helpers.analysis.bounds).
Containers per stay are in helpers.analysis.containers. The definitions are in those modules'
docstrings; README "Method in brief" gives them in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .bounds import absences, bounds, possible_trips
from .visits import distance_fn, legs_from, observations, round_trip_hours, round_trips_from, visits_from


@dataclass
class Trips:
    """What `reconstruct` returns: the tables of one reconstruction."""

    visits: pd.DataFrame
    legs: pd.DataFrame
    round_trips: pd.DataFrame
    bounds: pd.DataFrame | None = None
    possible: pd.DataFrame | None = None     # possible round trips (not in round_trips)
    absences: pd.DataFrame | None = None     # negative observations used


@dataclass
class Observed:
    """The part of a reconstruction that AIS silences do not change: the visits and the
    negative observations (see `observed`)."""

    visits: pd.DataFrame
    absent: pd.DataFrame
    lengths: dict[str, float]


def observed(port_calls: pd.DataFrame, sightings: pd.DataFrame, *, vessels: list[str], origin: str,
             destination: str, distance, max_speed_kn: float, min_dwell_hours: float,
             coverage: pd.DataFrame | None = None, lengths: dict[str, float] | None = None,
             length_tolerance_m: float = 15.0, absence_max_gsd_m: float = 3.0,
             fence: pd.DataFrame | None = None) -> Observed:
    """Visits and negative observations of `vessels` (arguments as in `reconstruct`;
    `distance` a `visits.distance_fn`). They depend on the observations only, not on the dark
    periods, so a sweep over gap thresholds computes them once and passes them to `reconstruct`."""
    rt_h = round_trip_hours(distance(origin, destination), max_speed_kn, min_dwell_hours)
    visits = visits_from(observations(port_calls, sightings, vessels, fence),
                         split_hours={origin: rt_h, destination: rt_h})
    lengths = {v: float(x) for v, x in (lengths or {}).items() if v in vessels and pd.notna(x)}
    absent = absences(coverage, sightings, lengths, ports=[origin, destination],
                      tolerance_m=length_tolerance_m, max_gsd_m=absence_max_gsd_m)
    return Observed(visits, absent, lengths)


def reconstruct(port_calls: pd.DataFrame, sightings: pd.DataFrame, dark_periods: pd.DataFrame,
                ports, *, vessels: list[str], origin: str, destination: str,
                max_speed_kn: float = 16.0, min_dwell_hours: float = 12.0, distance=None,
                coverage: pd.DataFrame | None = None, lengths: dict[str, float] | None = None,
                length_tolerance_m: float = 15.0, absence_max_gsd_m: float = 3.0, land=None,
                fence: pd.DataFrame | None = None, tracked: set[str] | None = None,
                with_bounds: bool = True, seen: Observed | None = None) -> Trips:
    """Visits, legs and round trips (with their bounds) of `vessels` between `origin` and
    `destination`. `min_dwell_hours`: the shortest stay at a port that loads or unloads.
    Sea distances: `distance(a, b)` in nm if given, else the sea route between the ports'
    berths over `land` (the run's coastline; one of the two is required).

    With `lengths` (vessel -> metres; the ships' own lengths): possible round trips from
    detections that fit the ship's length within `length_tolerance_m`, and, with `coverage`
    (helpers.imagery.coverage), negative observations from clear scenes no coarser than
    `absence_max_gsd_m` that tighten the upper bound. Without them both are empty.

    `fence` (helpers.analysis.visits.in_fence): AIS positions inside a geofence, observations of
    the ship at that port whatever their speed. `tracked`: the vessels whose AIS was recorded at
    all (None: all of them); a leg of a ship without any AIS record is never `ais` evidence.
    `land`: the coastline sea routes run over. `with_bounds=False` leaves `bounds` None (the
    sensitivity grid, which scores the trips only, skips the upper bound's search). `seen`:
    `observed(...)` of these same arguments, when the caller already has it (a sweep over dark
    periods), else computed here."""
    dist = distance_fn(ports, distance, land)
    if seen is None:
        seen = observed(port_calls, sightings, vessels=vessels, origin=origin, destination=destination,
                        distance=dist, max_speed_kn=max_speed_kn, min_dwell_hours=min_dwell_hours,
                        coverage=coverage, lengths=lengths, length_tolerance_m=length_tolerance_m,
                        absence_max_gsd_m=absence_max_gsd_m, fence=fence)
    visits, absent, lengths = seen.visits, seen.absent, seen.lengths
    legs = legs_from(visits, dark_periods, ports, max_speed_kn=max_speed_kn, distance=dist, tracked=tracked)
    rts = round_trips_from(legs, origin, destination)
    possible = possible_trips(visits, rts, sightings, dark_periods, absent, lengths=lengths,
                              tolerance_m=length_tolerance_m, origin=origin, destination=destination,
                              distance=dist, max_speed_kn=max_speed_kn, min_dwell_hours=min_dwell_hours)
    if not with_bounds:
        return Trips(visits, legs, rts, None, possible, absent)
    b = bounds(visits, rts, dark_periods, origin=origin, destination=destination,
               max_speed_kn=max_speed_kn, min_dwell_hours=min_dwell_hours, distance=dist,
               absent=absent, possible=possible)
    return Trips(visits, legs, rts, b, possible, absent)
