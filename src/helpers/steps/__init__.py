"""The steps of a run: one module per notebook, the only code that reads a parameter set.

Each notebook starts with `P = steps.start(params_file, overrides)` and makes one call into its
step, which reads the run's inputs and the tables earlier steps wrote (helpers.store, through
`common.load`), calls the analysis (helpers.analysis, helpers.ais, helpers.imagery,
helpers.figures: pure functions on tables) and writes its own tables with the run's provenance.

- `common`               start(), where a run's tables and inputs are, shared option mapping
- `preflight`            every input opened and checked before the first notebook
- `parallel`             fork_map: a step's independent pieces in forked processes ($HELPERS_WORKERS)
- `tracks`               10: AIS read, validated, cleaned; vessels of interest resolved
- `imagery`              20: acquisitions, sightings matched, coverage
- `port_calls_and_gaps`  30: port calls, dark periods
- `trips`                40: visits, legs, round trips (confirmed / possible / at most), containers
- `claims`               50: the reporting's claims
- `figures`              60: the report's figures (and figure 6 for step 70)
- `validation`           70: scores against a simulated truth, sensitivity
- `screening`            80: every vessel ranked by shuttle-like behaviour
- `report`               90: the journalists' HTML
"""

from . import (
               claims,
               common,
               figures,
               imagery,
               port_calls_and_gaps,
               preflight,
               report,
               screening,
               tracks,
               trips,
               validation,
)
from .common import start

__all__ = ["claims", "common", "figures", "imagery", "port_calls_and_gaps", "preflight", "report", "screening",
           "start", "tracks", "trips", "validation"]
