"""The real ledger, read once per test module."""

from __future__ import annotations

import pytest

from helpers import public_record as PR
from tests.public_record.readme_tables import LEDGER


@pytest.fixture(scope="module")
def obs():
    return PR.read_observations(LEDGER / "observations.csv")


@pytest.fixture(scope="module")
def agg():
    return PR.read_aggregates(LEDGER / "aggregates.csv")
