"""Shared fixtures: one whole-pipeline run on the reference scenario, into a temporary folder."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from helpers import params, pipeline, store


def run_into(out):
    overrides = {"outputs": {"processed": str(out / "processed"), "figures": str(out / "figures"),
                             "build": str(out / "build")}}
    pipeline.run(overrides=overrides)
    P = params.load(overrides=overrides)
    return SimpleNamespace(P=P, out=out, read=lambda name: store.read(name, P))


@pytest.fixture(scope="session")
def run(tmp_path_factory):
    """The default analysis, run once per test session (outputs in a temporary folder)."""
    return run_into(tmp_path_factory.mktemp("run"))
