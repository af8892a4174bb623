"""The nearest shore segment of many points at once (for `land.shore_distance_m`).

A k-d tree over sample points placed along the shore at most 2 x SAMPLE_M apart finds, for every
point, the few shore segments that can be the nearest; their distances are then taken with
GEOS (`shapely.distance`), the same call the land model's STRtree of shore pieces makes in
`query_nearest`, so the distances are the same numbers, bit for bit.

Why the candidates are enough: every sample lies on a segment, so the distance u to the nearest
sample is at least the distance d* to the nearest segment; the nearest point of that segment is
within SAMPLE_M of one of its samples, which is therefore within d* + SAMPLE_M <= u + SAMPLE_M
of the point. So the segments of the samples within u + SAMPLE_M hold the nearest. The tree
returns the K nearest samples; a point with all K inside that radius (there may be more) is
looked at again with more, then left unresolved, and the caller measures it the old way (the STRtree over the pieces).
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import cKDTree

SAMPLE_M = 100.0               # every point of the shore is within this of a sample point
K = (16, 128)                  # nearest samples looked at per point: first, then for the rest
SLACK = 1e-6                   # metres added to every bound (rounding of the sample points)


class ShoreIndex:
    """Shore segments (in the land model's local metres) and a k-d tree of samples along them."""

    def __init__(self, pieces: np.ndarray):
        a, b = [], []
        for p in pieces:
            xy = shapely.get_coordinates(p)
            a.append(xy[:-1])
            b.append(xy[1:])
        self.a = np.concatenate(a) if a else np.zeros((0, 2))
        self.b = np.concatenate(b) if b else np.zeros((0, 2))
        self.segments = shapely.linestrings(np.stack([self.a, self.b], axis=1))
        length = np.hypot(*(self.b - self.a).T)
        n_sub = np.maximum(1, np.ceil(length / (2 * SAMPLE_M)).astype(np.int64))
        seg = np.repeat(np.arange(len(length)), n_sub)
        first = np.cumsum(n_sub) - n_sub
        frac = (np.arange(len(seg)) - first[seg] + 0.5) / n_sub[seg]
        samples = self.a[seg] + frac[:, None] * (self.b - self.a)[seg]
        self.sample_segment = seg
        self.tree = cKDTree(samples)

    def nearest(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(distance, segment index, points) of each point (x, y): the distance to the nearest
        shore segment and that segment, with segment -1 (distance NaN) where not resolved
        (non-finite point, or more than the largest K samples near the bound: measure those
        another way); points: the shapely points of (x, y)."""
        n = len(x)
        dist, seg = np.full(n, np.nan), np.full(n, -1, np.int64)
        pts = shapely.points(x, y)
        todo = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
        for k in K:
            if len(todo) == 0:
                break
            todo = self._nearest(x, y, pts, todo, k, dist, seg)
        return dist, seg, pts

    def _nearest(self, x, y, pts, rows, k, dist, seg) -> np.ndarray:
        """Resolve `rows` looking at k samples each (writes dist, seg); the rows left open."""
        k_all = min(k, len(self.sample_segment))
        if k_all == 0:
            return rows
        px, py = x[rows], y[rows]
        d, j = self.tree.query(np.column_stack([px, py]), k=k_all)
        d, j = d.reshape(len(rows), k_all), j.reshape(len(rows), k_all)
        cand = d <= (d[:, :1] + SAMPLE_M + SLACK)
        full = cand[:, -1] & (k_all == k)             # all k inside the bound: maybe more
        s = np.where(cand, self.sample_segment[np.minimum(j, len(self.sample_segment) - 1)], -1)
        s.sort(axis=1)                                 # candidates' segments, once each
        cand = s >= 0
        cand[:, 1:] &= s[:, 1:] != s[:, :-1]
        # approximate point-segment distances (numpy) to pick the few to measure exactly
        ax, ay = self.a[s, 0], self.a[s, 1]
        dx, dy = self.b[s, 0] - ax, self.b[s, 1] - ay
        qx, qy = px[:, None] - ax, py[:, None] - ay
        len2 = dx * dx + dy * dy
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.clip(np.where(len2 > 0, (qx * dx + qy * dy) / len2, 0.0), 0.0, 1.0)
        approx = np.where(cand, np.hypot(qx - t * dx, qy - t * dy), np.inf)
        best = approx.min(axis=1)
        close = cand & (approx <= best[:, None] * (1 + 1e-9) + SLACK) & ~full[:, None]
        r, c = np.nonzero(close)                       # row-major: by point, then segment
        sg = s[r, c]
        exact = shapely.distance(self.segments[sg], pts[rows[r]])
        # per point: the smallest exact distance, ties to the lowest segment index
        order = np.lexsort((sg, exact, r))
        r, exact, sg = r[order], exact[order], sg[order]
        first = np.r_[True, r[1:] != r[:-1]] if len(r) else np.zeros(0, bool)
        dist[rows[r[first]]] = exact[first]
        seg[rows[r[first]]] = sg[first]
        return rows[full]
