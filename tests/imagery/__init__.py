"""Tests of helpers.imagery, one module per module of the package."""
