"""The public record: the ledger of published, dated observations in data/public_record/.

- `ledger`      the vocabularies (PLACES, WHAT and its groups, VESSELS, CONFIDENCE, UNITS) and
                the two checked readers, `read_observations` and `read_aggregates`.
- `record`      what the ledger dates: `calls` (per port, ship and day, with distinct calls),
                `count_calls`, `windows`, `cloudy_days`, `departures_between`, `traced_round_trips`, and
                `as_sightings` (the canonical sightings table, for helpers.analysis.trips).
- `aggregates`  `compare_aggregates`: each source's total against what the ledger shows.

The ledger is real, published evidence (not the simulated scenario); its README is the column
dictionary and says what the record supports.
"""

from .aggregates import VERDICTS, compare_aggregates, period_start, scope_ports, scope_ships
from .ledger import (
    AGGREGATE_COLUMNS,
    CARGO,
    CONFIDENCE,
    DAY_RANGE_DAYS,
    NO_SHIP,
    OBSERVATION_COLUMNS,
    PLACE_PORT,
    PLACES,
    PROVIDERS,
    SHIP_CALL,
    SHIP_SEEN,
    UNITS,
    VESSELS,
    WHAT,
    read_aggregates,
    read_observations,
)
from .record import (
    MIDDAY,
    as_sightings,
    calls,
    cloudy_days,
    count_calls,
    day_dated,
    departures_between,
    ship_key,
    traced_round_trips,
    windows,
)

__all__ = [
    "AGGREGATE_COLUMNS", "CARGO", "CONFIDENCE", "DAY_RANGE_DAYS", "MIDDAY", "NO_SHIP",
    "OBSERVATION_COLUMNS", "PLACES", "PLACE_PORT", "PROVIDERS", "SHIP_CALL", "SHIP_SEEN", "UNITS",
    "VERDICTS", "VESSELS", "WHAT", "as_sightings", "calls", "cloudy_days", "compare_aggregates", "count_calls",
    "day_dated", "departures_between", "period_start", "read_aggregates", "read_observations",
    "scope_ports", "scope_ships", "ship_key", "traced_round_trips", "windows",
]
