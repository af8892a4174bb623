"""Shared fixtures: one whole-pipeline run on the reference scenario, into a temporary folder,
with outbound network connections blocked in every notebook's kernel (tests/netguard.py)."""

from __future__ import annotations

import pytest

from tests.factories import run_into
from tests.netguard import kernels_guarded


@pytest.fixture(scope="session")
def run(tmp_path_factory):
    """The default analysis, run once per test session (outputs in a temporary folder); `net_log`
    is the network guard's log of that run."""
    with kernels_guarded(tmp_path_factory.mktemp("net")) as log:
        r = run_into(tmp_path_factory.mktemp("run"))
    r.net_log = log
    return r
