"""The analysis: pure functions on the canonical tables (helpers.schema), no files, no parameters.

- `port_calls`  port calls: slow positions inside a port geofence for a minimum dwell.
- `gaps`        AIS gaps and dark periods, the reception grid, the coastal and GFW rules.
- `visits`      observations -> visits -> legs -> confirmed round trips; sea-route distances.
- `bounds`      negative observations, possible round trips, the "at most" bound.
- `trips`       `reconstruct`: the one call that runs visits and bounds (a `Trips` result).
- `containers`  containers counted per stay, loaded and delivered, cumulative.
- `claims`      the reporting's six claims judged against the reconstruction.
- `screening`   rank every vessel of an archive by shuttle-like behaviour.
- `engine`      the per-vessel passes (gaps, reception, port calls) on pandas or Dask.
- `validation`  scores against a simulated truth and the sensitivity sweep.
"""

from . import bounds, claims, containers, engine, gaps, port_calls, screening, trips, validation, visits

__all__ = ["bounds", "claims", "containers", "engine", "gaps", "port_calls", "screening", "trips",
           "validation", "visits"]
