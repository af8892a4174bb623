"""Saving: PNG (1800 px), SVG and alt text, written atomically and byte-identical run to run."""

from __future__ import annotations

import datetime as dt
import re

import matplotlib.image as mpimg
import pytest

from helpers import figures as F
from tests.figures.factories import MAKERS, make_timeline


@pytest.mark.parametrize("maker", list(MAKERS.values()), ids=list(MAKERS))
def test_save_writes_files_wide_png_and_is_byte_identical(maker, tmp_path, data):
    a = F.save(maker(data), "fig", tmp_path / "a", alt_text="A map of two ships.",
               caption="Caption.")
    b = F.save(maker(data), "fig", tmp_path / "b", alt_text="A map of two ships.")
    for key in ("png", "svg", "alt"):
        assert a[key].is_file() and a[key].stat().st_size > 0
    assert a["alt"].read_text(encoding="utf-8") == "A map of two ships.\n"
    assert a["caption"].read_text(encoding="utf-8") == "Caption.\n"
    img = mpimg.imread(a["png"])
    assert img.shape[1] >= 1600
    assert a["png"].read_bytes() == b["png"].read_bytes()
    assert a["svg"].read_bytes() == b["svg"].read_bytes()
    svg = a["svg"].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    assert dt.date.today().isoformat() not in svg
    assert not re.search(r"\b20\d\d-\d\d-\d\d", svg)   # no date stamp of any kind
    assert "Matplotlib v" not in svg
    assert not list(tmp_path.glob("**/*.tmp"))        # atomic writes leave nothing behind


def test_save_requires_alt_text(tmp_path, data):
    with pytest.raises(ValueError):
        F.save(make_timeline(data), "fig", tmp_path, alt_text="  ")
