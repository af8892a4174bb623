"""Shared fixtures: one whole-pipeline run on the reference scenario, into a temporary folder."""

from __future__ import annotations

import pytest

from tests.factories import run_into


@pytest.fixture(scope="session")
def run(tmp_path_factory):
    """The default analysis, run once per test session (outputs in a temporary folder)."""
    return run_into(tmp_path_factory.mktemp("run"))
