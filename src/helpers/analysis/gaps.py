"""AIS dark periods: gaps between consecutive positions of one vessel, and their class.

Three separate steps, each one vectorised pass (no per-gap or per-vessel Python loop):

1. `find_gaps`: silences longer than `min_hours` between consecutive positions of a vessel,
   over positions sorted by (mmsi, ts).
2. `reception_grid`: how well each place was received, measured once from all the data per
   grid cell and time bin, as Global Fishing Watch does (Welch et al. 2022): positions counted
   per (vessel, cell, time bin). The counts are additive, so partitions can be gridded apart.
3. `classify`: evidence for each gap (other vessels heard around its start and end while it
   lasted, the vessel's own transmissions just before it, distance from shore, ports at its ends)
   and a class under a named rule:

   - ``rule="gfw"``: GFW's published open-sea rule. Likely disabled when the gap lasts at least
     12 h, starts more than 50 nm from shore, starts where reception is good (more than 10
     positions per vessel-day in its cell) and the vessel sent at least 14 positions in the 12 h
     before. Gaps nearer the shore are outside the rule ("unassessed").
   - ``rule="coastal"`` (default): the same evidence without the offshore condition, because a
     coastal route (Rajin-Dunai lies within 50 nm of shore all the way) is received by coastal
     stations and the 50 nm rule can never flag it. Port-aware: a vessel at a berth transmits
     less often than one under way (AIS reports every 3 min moored, every few seconds under way,
     and archives thin both), so a gap that starts inside a port needs fewer positions before it.
     Good reception must hold around the start (where the silence began) and around the end.

Classes (`helpers.schema.GAP_CLASSES`): "likely-disabled" (reception was good, so the silence
is likely the transponder being off), "reception" (poor reception cannot be excluded),
"unassessed" (outside the rule's scope), "short" (shorter than the rule's minimum).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from ..errors import ParamsError
from ..geo import EARTH_RADIUS_NM, distance_to_shore_nm, haversine_nm
from ..schema import in_vessel_time_order, utc_ns, validate
from . import reasons
from .reception import cell_of, evidence_from_positions, typical_rate  # noqa: F401 - cell_of, typical_rate: API

RULES = ("coastal", "gfw")
GFW = dict(min_gap_hours=12.0, min_shore_nm=50.0, min_per_vessel_day=10.0, min_before=14,
           before_hours=12.0)
GRID_KEYS = ["mmsi", "cell_x", "cell_y", "bin"]
_EPOCH = np.datetime64("1970-01-01T00:00:00", "ns")


def _ns(ts) -> np.ndarray:
    """Times as int64 nanoseconds since 1970 UTC."""
    return utc_ns(ts).view(np.int64)


def _sorted(positions: pd.DataFrame, assume_sorted: bool) -> pd.DataFrame:
    """Positions ordered by (mmsi, ts), ties (same vessel and time) by (lat, lon), so the output
    never depends on input row order. No sort when already strictly ordered (one numpy pass)."""
    if assume_sorted:
        return positions
    m, t = positions["mmsi"].to_numpy(), _ns(positions["ts"])
    if len(m) < 2:
        return positions
    dm, dt = np.diff(m), np.diff(t)
    if ((dm > 0) | ((dm == 0) & (dt > 0))).all():
        return positions
    ties = [positions[c].to_numpy(float) for c in ("lon", "lat") if c in positions.columns]
    order = np.lexsort((*ties, t, m))
    return positions.iloc[order]


def find_gaps(positions: pd.DataFrame, min_hours: float, *, assume_sorted: bool = False
              ) -> pd.DataFrame:
    """Gaps longer than `min_hours` between consecutive positions of the same vessel.

    `assume_sorted=True` skips the sort when the caller knows positions are ordered by
    (mmsi, ts, lat, lon); otherwise order is checked with numpy and the sort done only if needed.
    Columns: mmsi, start_ts, end_ts, hours, start/end lat-lon, distance_nm, implied_speed_kn.
    """
    return _find_gaps(_sorted(positions, assume_sorted), min_hours)[0]


def _find_gaps(pos: pd.DataFrame, min_hours: float):
    """find_gaps on sorted positions, with the row of each gap's start and the arrays read."""
    mmsi = pos["mmsi"].to_numpy()
    ts = _ns(pos["ts"])                    # int64 ns: never an object array of Timestamps
    lat, lon = pos["lat"].to_numpy(float), pos["lon"].to_numpy(float)
    same = mmsi[1:] == mmsi[:-1]
    hours = (ts[1:] - ts[:-1]) / 3.6e12
    i = np.flatnonzero(same & (hours > min_hours))
    out = pd.DataFrame({
        "mmsi": mmsi[i], "start_ts": pd.to_datetime(ts[i], utc=True),
        "end_ts": pd.to_datetime(ts[i + 1], utc=True), "hours": hours[i].astype(float),
        "start_lat": lat[i], "start_lon": lon[i], "end_lat": lat[i + 1], "end_lon": lon[i + 1],
    })
    out["distance_nm"] = haversine_nm(out["start_lat"].to_numpy(), out["start_lon"].to_numpy(),
                                      out["end_lat"].to_numpy(), out["end_lon"].to_numpy())
    out["implied_speed_kn"] = out["distance_nm"] / out["hours"]
    return out, i, (mmsi, ts, lon, lat)


# --------------------------------------------------------------------------------------------
# Reception per grid cell and time bin
# --------------------------------------------------------------------------------------------

def bin_of(ts, bin_hours: float) -> np.ndarray:
    """Integer time bin of each time: floor(hours since 1970-01-01 UTC / bin_hours)."""
    return np.floor_divide(_ns(ts), int(round(bin_hours * 3600e9))).astype(np.int64)


def reception_grid(positions: pd.DataFrame, *, cell_deg: float = 0.25,
                   bin_hours: float = 3.0) -> pd.DataFrame:
    """Positions counted per (mmsi, cell_x, cell_y, bin): how well each place was received.

    Keys are integers (`cell_of`, `bin_of`); `n_positions` is the count. The count is ADDITIVE:
    the grid of a concatenation of partitions equals the group-by-sum over the keys of the
    partitions' grids (`combine_grids`), whatever the partitioning (by vessel or by time), so
    a distributed engine grids each partition and adds. Sorted by the keys.
    """
    cx, cy = cell_of(positions["lon"].to_numpy(float), positions["lat"].to_numpy(float), cell_deg)
    keys = pd.DataFrame({"mmsi": positions["mmsi"].to_numpy(np.int64), "cell_x": cx, "cell_y": cy,
                         "bin": bin_of(positions["ts"], bin_hours)})
    g = keys.groupby(GRID_KEYS, sort=True).size().rename("n_positions").reset_index()
    g["n_positions"] = g["n_positions"].astype(np.int64)
    return g


def combine_grids(grids) -> pd.DataFrame:
    """Add reception grids of partitions into the grid of their union (sum over the keys)."""
    frames = [g for g in grids if len(g)]
    if not frames:
        return pd.DataFrame({k: pd.Series(dtype=np.int64) for k in GRID_KEYS + ["n_positions"]})
    g = pd.concat(frames, ignore_index=True).groupby(GRID_KEYS, sort=True)["n_positions"].sum()
    return g.astype(np.int64).reset_index()


class _Cumulative:
    """Range sums over time bins for (group, cell) series, by cumulative sums + searchsorted."""

    def __init__(self, group, cx, cy, b, values: dict[str, np.ndarray]):
        self.cx0, self.cy0 = int(cx.min()) - 2, int(cy.min()) - 2
        self.ny = int(cy.max()) - self.cy0 + 3
        self.nc = (int(cx.max()) - self.cx0 + 3) * self.ny
        self.b0 = int(b.min()) - 1
        self.nb = int(b.max()) - self.b0 + 2
        key = self._key(group, cx, cy, b)
        order = np.argsort(key, kind="stable")
        self.key = key[order]
        self.cum = {k: np.concatenate([[0], np.cumsum(v[order])]) for k, v in values.items()}

    def _key(self, group, cx, cy, b):
        cell = (cx - self.cx0) * self.ny + (cy - self.cy0)
        return (np.asarray(group, np.int64) * self.nc + cell) * self.nb + (b - self.b0)

    def sum(self, group, cx, cy, b_lo, b_hi) -> dict[str, np.ndarray]:
        """Sums over bins b_lo..b_hi (inclusive) of (group, cell); cells off the grid give 0."""
        inside = ((cx - self.cx0 >= 0) & (cx - self.cx0 < self.nc // self.ny)
                  & (cy - self.cy0 >= 0) & (cy - self.cy0 < self.ny))
        lo_b = np.clip(b_lo, self.b0, self.b0 + self.nb - 1)
        hi_b = np.clip(b_hi, self.b0, self.b0 + self.nb - 1)
        cxs, cys = np.where(inside, cx, self.cx0), np.where(inside, cy, self.cy0)
        lo = np.searchsorted(self.key, self._key(group, cxs, cys, lo_b), side="left")
        hi = np.searchsorted(self.key, self._key(group, cxs, cys, hi_b), side="right")
        return {k: np.where(inside, c[hi] - c[lo], 0) for k, c in self.cum.items()}


class _Around:
    """Other vessels' positions and vessel-bins in the (2 ring + 1)^2 cells around points over
    bin ranges: totals of the grid minus the vessel's own rows. Built once per grid."""

    def __init__(self, grid: pd.DataFrame):
        self.empty = len(grid) == 0
        if self.empty:
            return
        g_cx, g_cy = grid["cell_x"].to_numpy(np.int64), grid["cell_y"].to_numpy(np.int64)
        g_b, g_n = grid["bin"].to_numpy(np.int64), grid["n_positions"].to_numpy(np.int64)
        vals = {"n": g_n, "rows": np.ones(len(grid), np.int64)}
        self.total = _Cumulative(np.zeros(len(grid), np.int64), g_cx, g_cy, g_b, vals)
        self.ids, g_idx = np.unique(grid["mmsi"].to_numpy(np.int64), return_inverse=True)
        self.own = _Cumulative(g_idx, g_cx, g_cy, g_b, vals)
        self.first_bin, self.last_bin = int(g_b.min()), int(g_b.max())

    def others(self, mmsi, cx, cy, b_lo, b_hi, ring: int) -> tuple[np.ndarray, np.ndarray]:
        n = len(mmsi)
        n_other, vb_other = np.zeros(n, np.int64), np.zeros(n, np.int64)
        if n == 0 or self.empty:
            return n_other, vb_other
        mmsi = np.asarray(mmsi, np.int64)
        q = np.minimum(np.searchsorted(self.ids, mmsi), len(self.ids) - 1)
        known = self.ids[q] == mmsi
        zeros = np.zeros(n, np.int64)
        for dx in range(-ring, ring + 1):
            for dy in range(-ring, ring + 1):
                t = self.total.sum(zeros, cx + dx, cy + dy, b_lo, b_hi)
                o = self.own.sum(q, cx + dx, cy + dy, b_lo, b_hi)
                n_other += t["n"] - np.where(known, o["n"], 0)
                vb_other += t["rows"] - np.where(known, o["rows"], 0)
        return n_other, vb_other


def _daily(grid: pd.DataFrame, bin_hours: float) -> pd.DataFrame:
    """The grid re-binned to UTC days (for GFW's positions per vessel-day)."""
    g = grid.assign(bin=np.floor_divide(grid["bin"].to_numpy(np.int64) * int(round(bin_hours * 3600)),
                                        86400))
    return combine_grids([g])


def _count_before(positions: pd.DataFrame, mmsi, start_ts, hours: float,
                  assume_sorted: bool) -> np.ndarray:
    """The vessel's own positions in [start - hours, start] (the gap's first point included)."""
    pos = _sorted(positions, assume_sorted)
    p_m = pos["mmsi"].to_numpy(np.int64)
    ids, p_idx = np.unique(p_m, return_inverse=True)
    q = np.searchsorted(ids, np.asarray(mmsi, np.int64))
    q = np.minimum(q, max(len(ids) - 1, 0))
    sec = _ns(pos["ts"]) // 10**9
    t0 = int(sec.min()) if len(sec) else 0
    key = p_idx.astype(np.int64) * (1 << 33) + (sec - t0)
    s = _ns(pd.Series(start_ts)) // 10**9 - t0
    hi = np.searchsorted(key, q * (1 << 33) + s, side="right")
    lo = np.searchsorted(key, q * (1 << 33) + s - int(hours * 3600), side="left")
    return (hi - lo).astype(np.int64)


def _typical_from_grid(grid: pd.DataFrame, bin_hours: float, ring: int) -> float:
    if not len(grid):
        return 0.0
    per = grid.groupby(["cell_x", "cell_y"], sort=True)["n_positions"].sum().reset_index()
    span = (int(grid["bin"].max()) - int(grid["bin"].min()) + 1) * bin_hours / 24.0
    return typical_rate(per["cell_x"].to_numpy(), per["cell_y"].to_numpy(), per["n_positions"].to_numpy(), span,
                        ring)


def _port_at(ports, lon, lat, radius_nm: float) -> np.ndarray:
    """Name of the port whose fence holds each point, or whose berth is within radius_nm.

    Only the points in each port's band of latitude (its fence's, and the berth's +- radius_nm)
    are tested, found by bisection in the points sorted by latitude: a point outside the band
    is outside the fence and farther than radius_nm from the berth (a great circle is never
    shorter than its difference in latitude)."""
    out = np.full(len(lon), None, dtype=object)
    if ports is None or len(ports) == 0 or len(lon) == 0:
        return out
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    order = np.argsort(lat, kind="stable")
    s_lat = lat[order]
    band = np.degrees(radius_nm / EARTH_RADIUS_NM) * 1.001 + 1e-9
    for row in ports.itertuples(index=False):   # a handful of ports, vectorised over points
        _, y0, _, y1 = shapely.bounds(row.geometry)
        berth = hasattr(row, "berth_lon")
        if berth:
            y0, y1 = np.fmin(y0, row.berth_lat - band), np.fmax(y1, row.berth_lat + band)
        if not (y0 <= y1):                      # no fence, no berth: nothing can match
            continue
        i = order[np.searchsorted(s_lat, y0, side="left"):np.searchsorted(s_lat, y1, side="right")]
        hit = shapely.intersects_xy(row.geometry, lon[i], lat[i])
        if berth:
            hit |= haversine_nm(lat[i], lon[i], row.berth_lat, row.berth_lon) <= radius_nm
        i = i[hit]
        out[i[out[i] == None]] = row.port  # noqa: E711 - elementwise on an object array
    return out


def _grid_evidence(g: pd.DataFrame, grid: pd.DataFrame, positions, *, cell_deg, bin_hours, ring,
                   before_hours, assume_sorted) -> None:
    """The reception columns and n_before of `g` from the grid and positions (see `classify`)."""
    mmsi = g["mmsi"].to_numpy(np.int64)
    b_lo, b_hi = bin_of(g["start_ts"], bin_hours), bin_of(g["end_ts"], bin_hours)
    days = (b_hi - b_lo + 1) * bin_hours / 24.0
    around = _Around(grid)
    span = ((around.last_bin - around.first_bin + 1) * bin_hours / 24.0) if not around.empty else 1.0
    full_lo = np.full(len(g), 0 if around.empty else around.first_bin, np.int64)
    full_hi = np.full(len(g), 0 if around.empty else around.last_bin, np.int64)
    for end in ("start", "end"):
        cx, cy = cell_of(g[f"{end}_lon"].to_numpy(float), g[f"{end}_lat"].to_numpy(float), cell_deg)
        n, _ = around.others(mmsi, cx, cy, b_lo, b_hi, ring)
        usual, _ = around.others(mmsi, cx, cy, full_lo, full_hi, ring)
        g[f"others_{end}"] = (n / days).astype(float)
        g[f"usual_{end}"] = (usual / span).astype(float)
    daily = _Around(_daily(grid, bin_hours))
    cx, cy = cell_of(g["start_lon"].to_numpy(float), g["start_lat"].to_numpy(float), cell_deg)
    n, vd = daily.others(mmsi, cx, cy, bin_of(g["start_ts"], 24.0), bin_of(g["end_ts"], 24.0), 0)
    g["reception_start"] = np.where(vd > 0, n / np.maximum(vd, 1), 0.0).astype(float)
    g["n_before"] = (pd.array(_count_before(positions, mmsi, g["start_ts"], before_hours,
                                            assume_sorted), dtype="Int64")
                     if positions is not None and len(g) else pd.array([pd.NA] * len(g), dtype="Int64"))


def classify(gaps: pd.DataFrame, grid: pd.DataFrame, positions: pd.DataFrame | None = None, *,
             rule: str = "coastal", cell_deg: float = 0.25, bin_hours: float = 3.0,
             ring: int = 1, min_hours: float = 12.0, min_per_day: float | str = 60.0,
             min_ratio: float = 0.6, min_before: int = 6, min_before_in_port: int = 3,
             before_hours: float = 12.0, ports=None, port_radius_nm: float = 2.0, land=None,
             assume_sorted: bool = False, evidence: dict | None = None,
             reception_share: float = 0.3) -> pd.DataFrame:
    """Add evidence columns and `class`/`reason` to `gaps` (from `find_gaps`) under `rule`.

    `grid` is `reception_grid(positions, cell_deg=..., bin_hours=...)` with the same cell_deg
    and bin_hours. Evidence columns:
    `others_start`/`others_end`: other vessels' positions per day in the cells within `ring` of
    the start/end, over the time bins the gap spans; `usual_start`/`usual_end`: the same cells'
    rate over the whole grid (so a receiver outage shows as others << usual);
    `reception_start`: positions per vessel-day in the start's own cell on the gap's days (GFW's
    reception measure); `n_before`: the vessel's own positions in the `before_hours` before the
    gap (needs `positions`, else null); `shore_nm`: the start's distance from shore of `land`
    (required: the run's coastline, as in geo.distance_to_shore_nm); `start_port`/`end_port`:
    the port whose fence holds the point or whose berth is within `port_radius_nm` (needs
    `ports`). `evidence` (internal, from `dark_periods`' fast path) holds the reception
    columns and `n_before` already computed from the positions; `grid` is then not read.

    Coastal rule: likely disabled when, around both ends, other vessels were heard at least
    `min_per_day` times a day while the gap lasted and at least `min_ratio` of their usual rate
    there, and the vessel itself was heard `min_before` times in the `before_hours` before
    (`min_before_in_port` when it starts in a port). ``rule="gfw"`` uses GFW's thresholds (`GFW`).

    ``min_per_day="auto"`` derives the threshold from the data instead of a fixed number:
    `reception_share` x the data's typical reception (`typical_rate`: the median over all
    positions of the positions per day heard in the cells around them over the whole span), so
    a region or archive received ten times better needs ten times more. On the reference
    scenario the typical level is 192/day, so the default share 0.3 gives 57.6/day.
    """
    if rule not in RULES:
        raise ParamsError("<parameters>", "dark_rule", f"unknown rule {rule!r}",
                          f"use one of {list(RULES)}")
    if land is None:
        raise ValueError("dark periods need the land (the run's coastline) for the distance "
                         "from shore: pass land=helpers.geo.load_land(<inputs.coastline>)")
    if isinstance(min_per_day, str):
        if min_per_day != "auto":
            raise ParamsError("<parameters>", "reception_min_per_day", f"unknown value {min_per_day!r}",
                              "give a number of positions per day or 'auto'")
        level = (evidence["typical"] if evidence is not None
                 else _typical_from_grid(grid, bin_hours, ring))
        min_per_day = reception_share * level
        per_day = f"{min_per_day:.1f}/day ({reception_share:g} x the data's typical {level:.0f}/day)"
    else:
        per_day = f"{min_per_day:g}/day"
    g = gaps.reset_index(drop=True).copy()
    if rule == "gfw":
        before_hours = GFW["before_hours"]
    if evidence is not None:
        for k in ("others_start", "usual_start", "others_end", "usual_end", "reception_start"):
            g[k] = np.asarray(evidence[k], float)
        g["n_before"] = pd.array(evidence["n_before"], dtype="Int64")
    else:
        _grid_evidence(g, grid, positions, cell_deg=cell_deg, bin_hours=bin_hours, ring=ring,
                       before_hours=before_hours, assume_sorted=assume_sorted)
    g["shore_nm"] = (distance_to_shore_nm(g["start_lon"].to_numpy(float),
                                          g["start_lat"].to_numpy(float), land)
                     if len(g) else np.zeros(0))
    for end in ("start", "end"):                # "str" columns, as the table has them
        g[f"{end}_port"] = pd.array(_port_at(ports, g[f"{end}_lon"].to_numpy(float),
                                             g[f"{end}_lat"].to_numpy(float), port_radius_nm), dtype="str")
    if rule == "gfw":
        cls, reason = _gfw(g)
    else:
        cls, reason = _coastal(g, per_day=per_day, min_hours=min_hours, min_per_day=min_per_day, min_ratio=min_ratio,
                               min_before=min_before, min_before_in_port=min_before_in_port,
                               before_hours=before_hours)
    g["class"], g["reason"] = cls, reason
    g["rule"] = rule
    return g


def _fmt_before(n, need, hours) -> str:
    return ("own positions before: not measured" if pd.isna(n)
            else f"{int(n)} own positions in the {hours:g} h before (need {need:g})")


def _gfw(g: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """GFW's open-sea rule (Welch et al. 2022) with its published thresholds."""
    p = GFW
    long_ = g["hours"].to_numpy(float) >= p["min_gap_hours"]
    offshore = g["shore_nm"].to_numpy(float) > p["min_shore_nm"]
    good = g["reception_start"].to_numpy(float) > p["min_per_vessel_day"]
    nb = g["n_before"].to_numpy(dtype=float, na_value=np.nan)
    active = np.nan_to_num(nb, nan=0) >= p["min_before"]
    cls = np.where(~long_, "short", np.where(~offshore, "unassessed",
                   np.where(good & active, "likely-disabled", "reception")))
    reason = [
        f"GFW rule: starts {s:.0f} nm from shore ({'>' if o else '<='} {p['min_shore_nm']:g} nm"
        f"{'' if o else ': outside the rule'}); reception where it starts {r:.1f} positions per "
        f"vessel-day (need > {p['min_per_vessel_day']:g}); "
        f"{_fmt_before(n, p['min_before'], p['before_hours'])}"
        for s, o, r, n in zip(g["shore_nm"], offshore, g["reception_start"], nb)]
    return cls, reason


def _coastal(g: pd.DataFrame, *, per_day, min_hours, min_per_day, min_ratio, min_before,
             min_before_in_port, before_hours) -> tuple[np.ndarray, object]:
    """The coastal, port-aware rule (see the module docstring and `classify`)."""
    long_ = g["hours"].to_numpy(float) >= min_hours
    o0, o1 = g["others_start"].to_numpy(float), g["others_end"].to_numpy(float)
    u0, u1 = g["usual_start"].to_numpy(float), g["usual_end"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        r0, r1 = np.where(u0 > 0, o0 / u0, 0.0), np.where(u1 > 0, o1 / u1, 0.0)
    busy = (o0 >= min_per_day) & (o1 >= min_per_day)
    normal = (r0 >= min_ratio) & (r1 >= min_ratio)
    in_port = g["start_port"].notna().to_numpy()
    need = np.where(in_port, min_before_in_port, min_before)
    nb = g["n_before"].to_numpy(dtype=float, na_value=np.nan)
    active = np.isnan(nb) | (np.nan_to_num(nb, nan=0) >= need)
    cls = np.where(~long_, "short", np.where(busy & normal & active, "likely-disabled", "reception"))
    reason = reasons.coastal(cls, o0, o1, r0, r1, nb, in_port, g["start_port"].to_numpy(object),
                             g["shore_nm"].to_numpy(float), per_day=per_day, min_ratio=min_ratio,
                             need_in_port=min_before_in_port, need_elsewhere=min_before,
                             before_hours=before_hours)
    return cls, reason


def dark_periods(positions: pd.DataFrame, min_hours: float = 12.0, *, rule: str = "coastal",
                 cell_deg: float = 0.25, bin_hours: float = 3.0, ring: int = 1,
                 min_per_day: float | str = 60.0, min_ratio: float = 0.6, min_before: int = 6,
                 min_before_in_port: int = 3, before_hours: float = 12.0,
                 ports=None, port_radius_nm: float = 2.0, land=None,
                 names: dict[int, str] | None = None, assume_sorted: bool = False,
                 grid: pd.DataFrame | None = None, reception_share: float = 0.3) -> pd.DataFrame:
    """Dark periods (gaps > min_hours) with evidence and class: find_gaps + reception_grid +
    classify (see `classify` for the options). A precomputed `grid` (same cell_deg, bin_hours)
    may be passed, e.g. added up from partitions by a distributed engine. Without one, the
    evidence is summed straight from the sorted positions (`reception.evidence_from_positions`: the same numbers as
    `classify` on `reception_grid(positions)`, which stays the reference in the tests).
    Returns the canonical "dark_periods" table, sorted by mmsi and start."""
    pos = _sorted(positions, assume_sorted)
    gaps, rows, (mmsi, ts, lon, lat) = _find_gaps(pos, min_hours)
    evidence = None
    if grid is None and len(gaps):
        evidence = evidence_from_positions(mmsi.astype(np.int64, copy=False), ts, lon, lat, rows,
                                           cell_deg=cell_deg, bin_hours=bin_hours, ring=ring,
                                           before_hours=GFW["before_hours"] if rule == "gfw" else before_hours)
    if grid is None and evidence is None:
        grid = reception_grid(pos, cell_deg=cell_deg, bin_hours=bin_hours)
    out = classify(gaps, grid, pos, rule=rule, evidence=evidence, cell_deg=cell_deg, bin_hours=bin_hours, ring=ring,
                   min_hours=min_hours, min_per_day=min_per_day, min_ratio=min_ratio,
                   min_before=min_before, min_before_in_port=min_before_in_port,
                   before_hours=before_hours, ports=ports, port_radius_nm=port_radius_nm,
                   land=land, assume_sorted=True, reception_share=reception_share)
    return finish(out, names)


def _gap_ids(mmsi: np.ndarray, start_ts: pd.Series):
    """f"{mmsi}-gap-{start:%Y%m%dT%H%M}" of each gap (UTC), as a "str" array: the date and time
    taken apart as integers with numpy, written and joined by Arrow (`_gap_ids_text`, the
    string version, for years outside 1000-9999)."""
    m8 = utc_ns(start_ts).astype("datetime64[m]")
    if len(m8) == 0 or np.isnat(m8).any():
        return pd.array(_gap_ids_text(mmsi, start_ts), dtype="str")
    month, day = m8.astype("datetime64[M]"), m8.astype("datetime64[D]")
    year = month.astype(np.int64) // 12 + 1970
    if year.min() < 1000 or year.max() > 9999:
        return pd.array(_gap_ids_text(mmsi, start_ts), dtype="str")
    day_of_month = (day - month.astype("datetime64[D]")).astype(np.int64) + 1
    ymd = (year * 100 + month.astype(np.int64) % 12 + 1) * 100 + day_of_month
    minutes = (m8 - day).astype(np.int64)
    hhmm = pc.utf8_lpad(pc.cast(pa.array(minutes // 60 * 100 + minutes % 60), pa.string()), 4, "0")
    text = pc.binary_join_element_wise(pc.cast(pa.array(np.asarray(mmsi, np.int64)), pa.string()),
                                       "-gap-", pc.cast(pa.array(ymd), pa.string()), "T", hhmm, "")
    return pd.array(text, dtype="str")


def _gap_ids_text(mmsi: np.ndarray, start_ts: pd.Series) -> np.ndarray:
    """`_gap_ids` with numpy string ops (any year)."""
    if len(mmsi) == 0:
        return np.zeros(0, dtype=object)
    minute = np.datetime_as_string(utc_ns(start_ts).astype("datetime64[m]"), unit="m")
    stamp = np.char.replace(np.char.replace(minute, "-", ""), ":", "")     # 20230801T1000
    return np.char.add(np.char.add(np.asarray(mmsi).astype(str), "-gap-"), stamp).astype(object)


def finish(classified: pd.DataFrame, names: dict[int, str] | None = None) -> pd.DataFrame:
    """Classified gaps as the canonical "dark_periods" table: vessel names, UTC times, ids built
    from content, sorted by mmsi and start (shared with helpers.engine's partitioned runs)."""
    out = classified
    out["vessel"] = out["mmsi"].map(names or {})
    out["start_ts"] = pd.to_datetime(out["start_ts"], utc=True)
    out["end_ts"] = pd.to_datetime(out["end_ts"], utc=True)
    out["gap_id"] = _gap_ids(out["mmsi"].to_numpy(), out["start_ts"])
    if not in_vessel_time_order(out["mmsi"].to_numpy(), utc_ns(out["start_ts"])):
        out = out.sort_values(["mmsi", "start_ts"], kind="stable")
    return validate(out, "dark_periods")


def by_rule(dark: pd.DataFrame, other: pd.DataFrame, vessels) -> pd.DataFrame:
    """Side by side: each named vessel's dark periods longer than a day, class under two rules."""
    a = dark[dark["vessel"].isin(vessels) & (dark["hours"] > 24)]
    b = other.set_index("gap_id")
    return pd.DataFrame({
        "vessel": a["vessel"].to_numpy(), "start": a["start_ts"].dt.strftime("%Y-%m-%d %H:%M").to_numpy(),
        "days": (a["hours"] / 24).round(1).to_numpy(), "shore_nm": a["shore_nm"].round(1).to_numpy(),
        f"{a['rule'].iloc[0] if len(a) else 'rule'}": a["class"].to_numpy(),
        f"{other['rule'].iloc[0] if len(other) else 'other'}": b.loc[a["gap_id"], "class"].to_numpy(),
    })


def last_before_dark(dark_periods: pd.DataFrame) -> pd.DataFrame:
    """Each named vessel's last AIS position before its longest likely-disabled dark period."""
    d = dark_periods[dark_periods["vessel"].notna() & (dark_periods["class"] == "likely-disabled")]
    d = d.sort_values(["vessel", "hours", "start_ts"], ascending=[True, False, True], kind="stable")
    d = d.drop_duplicates("vessel")
    return pd.DataFrame({"vessel": d["vessel"], "ts": d["start_ts"], "lat": d["start_lat"],
                         "lon": d["start_lon"], "dark_until": d["end_ts"],
                         "dark_days": (d["hours"] / 24).round(1)}).reset_index(drop=True)
