"""The reference scenario (helpers.sim.scenario): the bundled data is what the seeded simulator
writes."""

from __future__ import annotations

import hashlib

import pytest

from helpers import paths
from helpers.sim import scenario


@pytest.mark.slow
def test_scenario_regenerates_byte_identical(tmp_path):
    """The bundled data is what the seeded simulator writes: same seed, same bytes."""
    scenario.generate(tmp_path)
    manifest = (paths.RAW / "MANIFEST").read_text().splitlines()
    rows = [ln.split("\t") for ln in manifest if ln and not ln.startswith("#")][1:]
    assert len(rows) > 100
    for file, sha, *_ in rows:
        got = hashlib.sha256((tmp_path / "raw" / file).read_bytes()).hexdigest()
        assert got == sha, file
    for name in ("round_trips.csv", "port_visits.csv", "ais_switches.csv"):
        assert (tmp_path / "truth" / name).read_bytes() == (paths.TRUTH / name).read_bytes()
