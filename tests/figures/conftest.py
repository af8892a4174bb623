"""Fixtures of the figure tests."""

from __future__ import annotations

import pytest

from tests.figures.factories import synthetic_inputs


@pytest.fixture(scope="module")
def data():
    """The synthetic inputs, built once per test module."""
    return synthetic_inputs()
