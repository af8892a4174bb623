"""The coastal rule's reason sentences, built column-wise (helpers.analysis.reasons), are the
sentences of the per-row f-strings they replaced (kept here as the reference)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import reasons


def reference(cls, o0, o1, r0, r1, nb, in_port, port, shore_nm, *, per_day, min_ratio,
              need_in_port, need_elsewhere, before_hours) -> list[str]:
    """The per-row loop of gaps._coastal before issue 14."""
    need = np.where(in_port, need_in_port, need_elsewhere)
    out = []
    for c, a, b, x, y, n, nd, p, s in zip(cls, o0, o1, r0, r1, nb, need,
                                          np.where(in_port, port, None), shore_nm):
        where = f"starts in {p}" if pd.notna(p) else f"starts {s:.0f} nm from shore"
        why = ("reception was good, so the transponder was likely off" if c == "likely-disabled"
               else "shorter than the rule's minimum" if c == "short"
               else "poor reception cannot be excluded")
        before = ("own positions before: not measured" if pd.isna(n)
                  else f"{int(n)} own positions in the {before_hours:g} h before (need {nd:g})")
        out.append(f"{where}; other vessels heard {a:.0f}/day at the start ({x:.0%} of usual) "
                   f"and {b:.0f}/day at the end ({y:.0%}) (need {per_day} and "
                   f"{min_ratio:.0%}); {before}: {why}")
    return out


def values(rng, n):
    """Floats that test the rounding: halves, ties at .5 after x100, -0.0, tiny negatives,
    huge and non-finite values, next to ordinary ones."""
    edge = np.array([0.0, -0.0, 0.5, 1.5, 2.5, -0.5, -0.3, 0.004999, 0.005, 0.015, 0.125, 0.625,
                     0.285, 1e15, 2.0**52, 2.0**53 + 2, 1e300, -1e300, np.inf, -np.inf, np.nan,
                     1 / 3, 2 / 3, 99.5, 100.5, 0.995, 1.005])
    return np.r_[edge, rng.uniform(0, 400, n), rng.exponential(2, n).round(2),
                 rng.integers(0, 1000, n) / 8][rng.permutation(len(edge) + 3 * n)]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("need", [(3, 6), (3, 6.5), (2.5, 14.0)])
def test_coastal_reasons_are_the_per_row_sentences(seed, need):
    rng = np.random.default_rng(seed)
    n = 400
    cols = [values(rng, n) for _ in range(5)]
    m = len(cols[0])
    cls = rng.choice(["likely-disabled", "reception", "short"], m)
    nb = np.where(rng.random(m) < 0.2, np.nan, rng.integers(0, 5000, m).astype(float))
    in_port = rng.random(m) < 0.3
    port = rng.choice(["Rajin", "Vostochny", "P01"], m).astype(object)
    kw = dict(per_day=["60/day", "57.6/day (0.3 x the data's typical 192/day)"][seed % 2],
              min_ratio=[0.6, 0.125, 0.005][seed % 3], need_in_port=need[0],
              need_elsewhere=need[1], before_hours=[12.0, 6.5][seed % 2])
    got = reasons.coastal(cls, *cols[:4], nb, in_port, port, cols[4], **kw)
    assert got.dtype == "str"
    assert list(got) == reference(cls, *cols[:4], nb, in_port, port, cols[4], **kw)


def test_no_gaps_no_reasons():
    e = np.zeros(0)
    got = reasons.coastal(np.zeros(0, "<U15"), e, e, e, e, e, np.zeros(0, bool),
                          np.zeros(0, object), e, per_day="60/day", min_ratio=0.6,
                          need_in_port=3, need_elsewhere=6, before_hours=12.0)
    assert len(got) == 0 and got.dtype == "str"
