"""Reception evidence of gaps summed straight from positions in (mmsi, ts) order, for
`helpers.analysis.gaps.dark_periods` (without a given grid), and the data's typical reception
level (the coastal rule's threshold from the data).

The same numbers as `gaps.classify` on `reception_grid(positions)`, without building the grid:
the grid is only ever summed over cells and bin ranges, so the sums are taken from dense
counts over (cell, bin) of every vessel (bincount) minus the gap's own vessel's positions,
which are found by bisection inside that vessel's rows (they are few: a gap is a silence, so
its own rows in the gap's bins are the ones just before and after it). Vessel-days per
(cell, day) need distinct (vessel, cell, day): runs of equal keys in (mmsi, ts) order, with
a vessel's return to a cell on the same day removed by comparing runs a few lags apart.
Every step is a numpy pass over the sorted arrays; when a dense count would be too large,
the keys are counted by sorting instead (same counts). `gaps.classify` stays the reference.
"""

from __future__ import annotations

import numpy as np

DENSE_LIMIT = 1 << 24        # largest dense count array (cells x bins, vessels x cells ...)
EXACT = 2.0 ** 52            # cell numbers computed in floats are exact below this
MAX_LAGS = 32                # runs of one vessel-day compared pairwise up to this many apart


class _Counts:
    """Counts of integer keys in 0..size-1, for range sums and look-ups: a dense cumulative
    array when size <= DENSE_LIMIT (bincount), else the distinct keys sorted (np.unique)."""

    def __init__(self, keys: np.ndarray, size: int, weights: np.ndarray | None = None,
                 ranges: bool = True):
        self.dense = size <= DENSE_LIMIT
        self.counts = None
        if self.dense:
            c = np.bincount(keys, weights=weights, minlength=size)
            if not ranges:                         # look-ups only (`at`): no cumulative sums
                self.counts = c
                return
            self.cum = np.r_[0, np.cumsum(c.astype(np.int64))]
            return
        if weights is None:
            self.u, cnt = np.unique(keys, return_counts=True)
        else:
            self.u, inv = np.unique(keys, return_inverse=True)
            cnt = np.bincount(inv, weights=weights, minlength=len(self.u)).astype(np.int64)
        self.cum = np.r_[0, np.cumsum(cnt)]

    def range(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Sum of counts over keys lo..hi (inclusive)."""
        if self.dense:
            return self.cum[hi + 1] - self.cum[lo]
        return (self.cum[np.searchsorted(self.u, hi, side="right")]
                - self.cum[np.searchsorted(self.u, lo, side="left")])

    def at(self, q: np.ndarray) -> np.ndarray:
        if self.counts is not None:
            return self.counts[q].astype(np.int64)
        return self.range(q, q)


def _first_at_least(values: np.ndarray, lo: np.ndarray, hi: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Per query, the first index in [lo, hi) with values >= target (hi if none); values are
    nondecreasing on each [lo, hi). Vectorised bisection: log2(rows) passes over the queries."""
    lo, hi = lo.astype(np.int64).copy(), hi.astype(np.int64).copy()
    while True:
        act = lo < hi
        if not act.any():
            return lo
        mid = (lo + hi) // 2
        go = act & (values[np.minimum(mid, len(values) - 1)] < target)
        lo = np.where(go, mid + 1, lo)
        hi = np.where(act & ~go, mid, hi)


def _expand(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows a[k]..b[k]-1 of every query k, concatenated: (query index, row index)."""
    n = np.maximum(b - a, 0)
    k = np.repeat(np.arange(len(a)), n)
    start = np.cumsum(n) - n
    return k, np.arange(n.sum()) - np.repeat(start, n) + np.repeat(a, n)


def evidence_from_positions(mmsi, ts, lon, lat, gi, *, cell_deg, bin_hours, ring, before_hours):
    """others_start/end, usual_start/end, reception_start and n_before of the gaps starting at
    rows `gi` of positions in (mmsi, ts) order, as `gaps.classify` computes them from the grid.
    None when a bound would make it slower than the grid (the caller then uses the grid)."""
    n = len(mmsi)
    G = len(gi)
    bin_ns = int(round(bin_hours * 3600e9))
    bin_s = int(round(bin_hours * 3600))
    # cells as in cell_of (floor(lon / cell_deg) ...), the cell index computed in floats, in
    # place, and cast once: exact while every number stays below 2**52 (else the grid path)
    fx = np.divide(lon, cell_deg)
    np.floor(fx, out=fx)
    fy = np.divide(lat, cell_deg)
    np.floor(fy, out=fy)
    bounds = np.array([fx.min(), fx.max(), fy.min(), fy.max()])
    if not (np.isfinite(bounds).all() and np.abs(bounds).max() < EXACT):
        return None
    cx0, cy0 = int(bounds[0]) - ring, int(bounds[2]) - ring
    ny = int(bounds[3]) - cy0 + ring + 1
    nc = (int(bounds[1]) - cx0 + ring + 1) * ny
    if nc >= EXACT:
        return None
    fx -= cx0
    fx *= ny
    fx += fy
    fx -= cy0
    del fy
    c = fx.astype(np.int64)                        # cell index: (x - cx0) * ny + (y - cy0)
    del fx
    rb = np.floor_divide(ts, bin_ns)               # bin, then relative to the first in place
    b0 = int(rb.min())
    rb -= b0
    nb = int(rb.max()) + 1
    new = np.empty(n, bool)                        # first row of each vessel
    new[0] = True
    np.not_equal(mmsi[1:], mmsi[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    d_all = (nb - 1) * bin_s // 86400 + 3
    if max(nc * nb, len(starts) * nc * (d_all + 1)) > (1 << 62):
        return None                                # keys would not fit in int64
    # vessels: rows [vs, ve) of each gap's vessel
    ends = np.r_[starts[1:], n]
    vg = np.searchsorted(starts, gi, side="right") - 1
    vs, ve = starts[vg], ends[vg]
    t_start, t_end = ts[gi], ts[gi + 1]
    g_blo, g_bhi = np.floor_divide(t_start, bin_ns), np.floor_divide(t_end, bin_ns)
    days = (g_bhi - g_blo + 1) * bin_hours / 24.0
    span = nb * bin_hours / 24.0
    out = {}
    # own rows of each gap in its bins [g_blo, g_bhi], and in its days (daily evidence)
    d_lo, d_hi = np.floor_divide(t_start, 86400 * 10**9), np.floor_divide(t_end, 86400 * 10**9)
    # rows whose bin's day is in [d_lo, d_hi]: bin*bin_s//86400 >= d_lo <=> bin >= ceil(d_lo*86400/bin_s)
    bmin_day = -np.floor_divide(-d_lo * 86400, bin_s)
    bmax_day = np.floor_divide((d_hi + 1) * 86400 - 1, bin_s)
    a3 = _first_at_least(ts, vs, gi + 1, g_blo * bin_ns)
    z3 = _first_at_least(ts, gi + 1, ve, (g_bhi + 1) * bin_ns)
    ad = _first_at_least(ts, vs, gi + 1, bmin_day * bin_ns)
    zd = _first_at_least(ts, gi + 1, ve, (bmax_day + 1) * bin_ns)
    if int((z3 - a3).sum() + (zd - ad).sum()) > n:
        return None
    # 3-hour totals over every vessel: cumulative counts per (cell, bin)
    key = c * nb
    key += rb
    n3 = _Counts(key, nc * nb)
    # (cell, day of the bin) of every row, days counted from dd0: from the (cell, bin) key by
    # one look-up in a table over all (cell, bin) when that is dense
    day_of_bin = (np.arange(nb) + b0) * bin_s // 86400
    dd0 = int(day_of_bin[0]) - 1
    nd = int(day_of_bin[-1]) - dd0 + 2
    lut = None
    if n3.dense:
        k = np.arange(nc * nb)
        lut = (k // nb) * nd + (day_of_bin - dd0)[k % nb]
        keyd = lut[key]
    else:
        keyd = c * nd
        keyd += (day_of_bin - dd0)[rb]
    del key

    def cxy(rows):                                 # cells (x, y) of some rows
        return c[rows] // ny + cx0, c[rows] % ny + cy0

    k3, r3 = _expand(a3, z3)
    rx, ry = cxy(r3)
    for end, row in (("start", gi), ("end", gi + 1)):
        ex, ey = cxy(row)
        tot = np.zeros(G, np.int64)
        usual = np.zeros(G, np.int64)
        for dx in range(-ring, ring + 1):
            for dy in range(-ring, ring + 1):
                cc = (ex + dx - cx0) * ny + (ey + dy - cy0)
                tot += n3.range(cc * nb + (g_blo - b0), cc * nb + (g_bhi - b0))
                usual += n3.range(cc * nb, cc * nb + nb - 1)
        near = (np.abs(rx - ex[k3]) <= ring) & (np.abs(ry - ey[k3]) <= ring)
        own = np.bincount(k3[near], minlength=G)
        out[f"others_{end}"] = tot - own
        out[f"usual_{end}"] = usual
    # runs of one (vessel, cell, day of the bin) in row order: they give the vessel's own
    # positions per (vessel, cell) over the whole span (summed run lengths) and the distinct
    # vessel-days per (cell, day)
    run = np.empty(n, bool)
    run[0] = True
    np.not_equal(keyd[1:], keyd[:-1], out=run[1:])
    run |= new
    rs = np.flatnonzero(run)
    del run
    rlen = np.diff(np.r_[rs, n])
    rv = np.cumsum(new[rs]) - 1                    # vessel of each run (every vessel starts one)
    nv = len(starts)
    rk, rc = keyd[rs], c[rs]
    nvc = _Counts(rv * nc + rc, nv * nc, rlen.astype(float), ranges=False)
    for end, row in (("start", gi), ("end", gi + 1)):
        ex, ey = cxy(row)
        own = np.zeros(G, np.int64)
        for dx in range(-ring, ring + 1):
            for dy in range(-ring, ring + 1):
                cc = (ex + dx - cx0) * ny + (ey + dy - cy0)
                own += nvc.at(vg * nc + cc)
        out[f"others_{end}"] = out[f"others_{end}"] / days
        out[f"usual_{end}"] = (out.pop(f"usual_{end}") - own) / span
    del nvc
    counts3 = np.diff(n3.cum) if n3.dense else None
    if counts3 is not None:                        # positions per cell: the 3 h counts summed
        per_cell = counts3.reshape(nc, nb).sum(axis=1)
        cells = np.flatnonzero(per_cell)
        out["typical"] = typical_rate(cells // ny, cells % ny, per_cell[cells], span, ring)
    else:
        cells, cnt = np.unique(c, return_counts=True)
        out["typical"] = typical_rate(cells // ny, cells % ny, cnt, span, ring)
    # daily: positions and distinct vessel-days per (cell, day of the bin), ring 0 at the start
    if counts3 is not None:                        # positions per (cell, day) from the 3 h counts
        ndc = _Counts(lut, nc * nd, counts3.astype(float))
    else:
        ndc = _Counts(keyd, nc * nd)
    grp = rv * nd + rk % nd                        # (vessel, day): contiguous
    gstart = np.flatnonzero(np.r_[True, grp[1:] != grp[:-1]])
    longest = int(np.diff(np.r_[gstart, len(grp)]).max()) if len(grp) else 0
    if longest <= MAX_LAGS:
        # a run repeats an earlier one of its (vessel, day) when it has the same cell: one key
        gk = grp * nc + rc                         # < nv * nd * nc, checked above
        dup = np.zeros(len(rk), bool)
        for lag in range(2, longest):              # lag 1 differs by construction
            dup[lag:] |= gk[lag:] == gk[:-lag]
        nvd = _Counts(rk[~dup], nc * nd)
    else:
        nvd = _Counts(np.unique(rv * (nc * nd) + rk) % (nc * nd), nc * nd)
    sc = c[gi]
    qlo = sc * nd + np.clip(d_lo - dd0, 0, nd - 1)
    qhi = sc * nd + np.clip(d_hi - dd0, 0, nd - 1)
    pos_n = ndc.range(qlo, qhi)
    vdays = nvd.range(qlo, qhi)
    kd, rd_ = _expand(ad, zd)
    day = keyd[rd_] % nd + dd0
    hit = (c[rd_] == sc[kd]) & (day >= d_lo[kd]) & (day <= d_hi[kd])
    kd, day = kd[hit], day[hit]
    first = np.r_[True, (kd[1:] != kd[:-1]) | (day[1:] != day[:-1])]
    pos_n = pos_n - np.bincount(kd, minlength=G)
    vdays = vdays - np.bincount(kd[first], minlength=G)
    out["reception_start"] = np.where(vdays > 0, pos_n / np.maximum(vdays, 1), 0.0)
    # own positions in [start - before_hours, start], times floored to seconds as in _count_before
    sec0 = np.floor_divide(t_start, 10**9) - int(before_hours * 3600)
    lo = _first_at_least(ts, vs, gi + 1, sec0 * 10**9)
    hi = _first_at_least(ts, gi + 1, ve, (np.floor_divide(t_start, 10**9) + 1) * 10**9)
    out["n_before"] = (hi - lo).astype(np.int64)
    return out


def typical_rate(cell_x: np.ndarray, cell_y: np.ndarray, n: np.ndarray, span_days: float, ring: int) -> float:
    """The data's own reception level: the median, over every position, of the positions per day
    heard in the (2 ring + 1)^2 cells around the position's cell over the whole time span
    (all vessels). `cell_x`, `cell_y`, `n`: positions per cell (distinct cells). Deterministic:
    the lower weighted median."""
    if len(n) == 0 or span_days <= 0:
        return 0.0
    cx, cy, n = (np.asarray(a, np.int64) for a in (cell_x, cell_y, n))
    x0, y0 = int(cx.min()) - ring, int(cy.min()) - ring
    ny = int(cy.max()) - y0 + ring + 1
    key = (cx - x0) * ny + (cy - y0)
    order = np.argsort(key)
    key, cnt = key[order], n[order]
    around = np.zeros(len(key), np.int64)
    for dx in range(-ring, ring + 1):
        for dy in range(-ring, ring + 1):
            q = key + dx * ny + dy
            j = np.minimum(np.searchsorted(key, q), len(key) - 1)
            around += np.where(key[j] == q, cnt[j], 0)
    rate = around / span_days
    o = np.argsort(rate, kind="stable")
    cum = np.cumsum(cnt[o])
    return float(rate[o][np.searchsorted(cum * 2, cum[-1], side="left")])


def cell_of(lon, lat, cell_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Integer grid cell (x, y) of each point: floor(lon / cell_deg), floor(lat / cell_deg)."""
    return (np.floor(np.asarray(lon, float) / cell_deg).astype(np.int64),
            np.floor(np.asarray(lat, float) / cell_deg).astype(np.int64))
