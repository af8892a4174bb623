"""The simulator: the seeded reference scenario and the example datasets (SIMULATED data).

Nothing in the analysis imports this package; `python -m helpers scenario` and `python -m helpers
example` (helpers.__main__), the tests and the benchmarks do. It may use helpers.ais.writers,
helpers.imagery (write_stac, write_sightings), helpers.geo, helpers.fileio and helpers.paths.

- `world`: the simulated period and seed, vessels, routes and voyages (`World`), true tracks.
- `observe`: what coastal receivers, satellites and optical imagery record of the world.
- `depot`: rail deliveries to the Tikhoretsk depot and the analyst's counts there (claim 6).
- `scenario`: builds, observes and writes the reference scenario (data/raw, MANIFEST, data/truth).
- `examples`: the example dataset data/examples/rajin_vostochny (another port pair, DMA CSV).
"""
