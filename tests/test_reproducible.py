"""Two full runs of the analysis give byte-identical processed tables, figures and report."""

from __future__ import annotations

import pytest

from tests.factories import run_into

pytestmark = pytest.mark.slow


def files(root):
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*")
            if p.is_file() and "notebooks" not in p.relative_to(root).parts}


def test_two_runs_are_byte_identical(run, tmp_path):
    again = run_into(tmp_path / "again")
    a, b = files(run.out), files(again.out)
    assert sorted(a) == sorted(b)
    compared = [k for k in a if k.endswith((".parquet", ".csv", ".svg", ".json", ".html", ".txt"))]
    assert sum(k.startswith("processed/") and k.endswith(".parquet") for k in compared) >= 10
    assert any(k.startswith("figures/") and k.endswith(".svg") for k in compared)
    assert "build/report.html" in compared and "processed/provenance.json" in compared
    differ = [k for k in compared if a[k].read_bytes() != b[k].read_bytes()]
    assert differ == [], f"outputs differ between two runs: {differ}"
