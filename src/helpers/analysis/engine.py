"""Engines for the per-vessel passes: cleaning, dark periods, port calls (pandas or Dask).

Both engines run the same functions on the same kind of input, a table of positions in
(mmsi, ts) order: `engine="pandas"` runs them once over the whole table; `engine="dask"` runs
them once per partition of a dask.dataframe in which every vessel lies in one partition
(Parquet written by `write_partitioned(by="vessel")`; any other layout is first shuffled on
mmsi). Each partition returns small tables (gaps, port calls, the reception grid) that are
combined on the client: gaps and calls are concatenated, grids are summed (the grid of a
concatenation is the sum of the partitions' grids), and the gaps are classified once against
the combined grid. So both engines give identical tables (tests/test_engine.py).

Dask runs on whatever scheduler is active: `dask_client()` starts a `distributed.LocalCluster`
(scripts need an `if __name__ == "__main__":` guard) or connects to any cluster by address.
Big inputs are read with column and row filters (time window, bounding box) pushed down to
Parquet before anything else (`read_positions`).
"""

from __future__ import annotations

import inspect
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import ais
from ..errors import InputError
from ..schema import utc_ns, validate
from . import gaps as gaps_mod
from . import port_calls as ports_mod

ENGINES = ("pandas", "dask")
PASS_COLUMNS = ["mmsi", "ts", "lat", "lon", "sog_kn"]     # what dark periods and port calls read
BUCKET = "vessel_bucket"                                    # hive key of the by-vessel layout
DAY = "day"                                                 # hive key of the by-time layout


# --------------------------------------------------------------------------------------------
# Reading and writing partitioned Parquet
# --------------------------------------------------------------------------------------------

def _utc(t) -> pd.Timestamp | None:
    if t is None:
        return None
    t = pd.Timestamp(t)
    return t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC")


def row_filters(start=None, end=None, bbox=None) -> list[tuple] | None:
    """Parquet (pyarrow) filters for ts in [start, end) and (lon, lat) in bbox (x0, y0, x1, y1)."""
    f = []
    if start is not None:
        f.append(("ts", ">=", _utc(start)))
    if end is not None:
        f.append(("ts", "<", _utc(end)))
    if bbox is not None:
        x0, y0, x1, y1 = bbox
        f += [("lon", ">=", float(x0)), ("lon", "<=", float(x1)),
              ("lat", ">=", float(y0)), ("lat", "<=", float(y1))]
    return f or None


def layout(path) -> str:
    """'vessel' (hive directories vessel_bucket=k), 'day' (day=YYYY-MM-DD) or 'file'."""
    p = Path(path)
    if p.is_dir():
        names = [c.name for c in p.iterdir() if c.is_dir()]
        if any(n.startswith(BUCKET + "=") for n in names):
            return "vessel"
        if any(n.startswith(DAY + "=") for n in names):
            return "day"
    return "file"


def read_positions(path, *, engine: str = "pandas", columns: list[str] | None = None,
                   start=None, end=None, bbox=None):
    """Positions from a Parquet file or partitioned directory, filtered while reading.

    Only `columns` are read (default: all canonical columns present), and the time window
    [start, end) and bounding box (lon0, lat0, lon1, lat1) are pushed down to Parquet, so row
    groups and partitions outside them are skipped. Returns a pandas DataFrame or, with
    engine="dask", a dask DataFrame (lazy).
    """
    check_engine(engine)
    p = Path(path)
    if not p.exists():
        raise InputError(p.name, "path", "no such Parquet file or directory",
                         "check the path (relative paths are taken from the project root)")
    filters = row_filters(start, end, bbox)
    if engine == "pandas":
        df = pd.read_parquet(p, columns=columns, filters=filters)
        df = df.drop(columns=[c for c in (BUCKET, DAY) if c in df.columns and
                              (columns is None or c not in columns)])
        return df.reset_index(drop=True)
    import dask.dataframe as dd
    ddf = dd.read_parquet(str(p), columns=columns, filters=filters)
    drop = [c for c in (BUCKET, DAY) if c in ddf.columns and (columns is None or c not in columns)]
    return ddf.drop(columns=drop) if drop else ddf


def bucket_of(mmsi: np.ndarray, n_buckets: int) -> np.ndarray:
    """Stable hash bucket of each MMSI (multiplicative hash, same on every machine)."""
    h = (np.asarray(mmsi, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)
    return (h % np.uint64(n_buckets)).astype(np.int64)


def write_partitioned(positions: pd.DataFrame, path, *, by: str = "vessel", n_buckets: int = 16,
                      row_group_size: int = 1_000_000) -> Path:
    """Write positions as Parquet partitioned by vessel (hash of mmsi) or by day (UTC).

    Each partition is one file sorted by (mmsi, ts). By vessel, every vessel lies in one file
    (the Dask engine then needs no shuffle); by day, a vessel spans files (the Dask engine
    shuffles on mmsi first). Existing files under `path` with the same names are replaced.
    """
    out = Path(path)
    pos = ports_mod.sort_by_vessel_time(positions)
    if by == "vessel":
        key, name = bucket_of(pos["mmsi"].to_numpy(), n_buckets), BUCKET
        labels = {k: str(k) for k in range(n_buckets)}
    elif by == "day":
        day = utc_ns(pos["ts"]).astype("datetime64[D]")
        uniq = np.unique(day)
        key, name = np.searchsorted(uniq, day), DAY
        labels = {i: str(d) for i, d in enumerate(uniq)}
    else:
        raise InputError("write_partitioned", "by", f"unknown layout '{by}'", "use 'vessel' or 'day'")
    order = np.argsort(key, kind="stable")                   # keeps (mmsi, ts) order per key
    k_sorted = key[order]
    cuts = np.flatnonzero(np.r_[True, k_sorted[1:] != k_sorted[:-1], True])
    table = pa.Table.from_pandas(pos.take(order), preserve_index=False)
    for a, b in zip(cuts[:-1], cuts[1:]):
        d = out / f"{name}={labels[int(k_sorted[a])]}"
        d.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.slice(a, b - a), d / "part-0.parquet", row_group_size=row_group_size)
    return out


# --------------------------------------------------------------------------------------------
# The passes on one partition (or on the whole table)
# --------------------------------------------------------------------------------------------

def check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise InputError("parameters", "engine", f"unknown engine '{engine}'",
                         f"use one of {list(ENGINES)}")


def _before_rows(pos: pd.DataFrame, g: pd.DataFrame, hours: float) -> pd.DataFrame:
    """Rows (mmsi, ts) of each gap's vessel in [start - hours - 1 s, start + 1 s]: what
    `gaps.classify` needs of the positions (a vessel's own transmissions before its gaps), so
    a partition sends these few rows instead of all its positions."""
    if not len(g):
        return pd.DataFrame({"mmsi": pd.Series(dtype=np.int64),
                             "ts": pd.Series(dtype="datetime64[ns, UTC]")})
    m = pos["mmsi"].to_numpy(np.int64)
    t = utc_ns(pos["ts"]).astype(np.int64)
    ids, v = np.unique(m, return_inverse=True)                # pos is in (mmsi, ts) order
    sec = t // 10**9 - (int(t.min()) // 10**9 - 1)              # seconds, >= 1
    key = v.astype(np.int64) * (1 << 34) + sec                   # (vessel, second), sorted
    q = np.searchsorted(ids, g["mmsi"].to_numpy(np.int64)).astype(np.int64)
    s = utc_ns(g["start_ts"]).astype(np.int64) // 10**9 - (int(t.min()) // 10**9 - 1)
    lo = np.searchsorted(key, q * (1 << 34) + s - int(hours * 3600) - 1, side="left")
    hi = np.searchsorted(key, q * (1 << 34) + s + 1, side="right")
    mark = np.zeros(len(pos) + 1, np.int64)
    np.add.at(mark, lo, 1)
    np.add.at(mark, hi, -1)
    keep = np.cumsum(mark[:-1]) > 0
    return pos.loc[keep, ["mmsi", "ts"]].reset_index(drop=True)


def _clean(pos: pd.DataFrame, start, end, max_implied_speed_kn: float) -> pd.DataFrame:
    """ais.clean on a positions table holding whole vessels: the kept rows, in (mmsi, ts) order.

    The table is handed over as one input per `source` value (ais.clean accounts per source);
    duplicates heard by two sources keep the copy of the source first in name order."""
    rejects = validate(pd.DataFrame({c: [] for c in ("source", "locator", "reason", "raw")}),
                       "rejects")
    data = [ais.AisData(positions=part, vessels=ais.merge_vessels([]), rejects=rejects,
                        qa={"source": src, "rows_read": len(part), "positions": len(part),
                            "static": 0, "skipped": 0})
            for src, part in pos.groupby("source", sort=True)]     # a few sources, not rows
    return ais.clean(data, start, end, max_implied_speed_kn).positions


_GAP_DEFAULTS = {k: v.default for k, v in inspect.signature(gaps_mod.dark_periods).parameters.items()
                 if v.default is not inspect.Parameter.empty}


def _dark_options(min_hours: float, options: dict | None) -> dict:
    o = {k: v for k, v in _GAP_DEFAULTS.items() if k not in ("names", "assume_sorted", "grid")}
    unknown = set(options or {}) - set(o)
    if unknown:
        raise InputError("parameters", ", ".join(sorted(unknown)), "unknown dark-period option",
                         f"use options of helpers.gaps.dark_periods: {sorted(o)}")
    o.update(options or {})
    o["min_hours"] = float(min_hours)
    return o


@dataclass
class PartResult:
    """What one partition returns: small tables only."""
    n_read: int
    n_kept: int
    gaps: pd.DataFrame | None
    grid: pd.DataFrame | None
    before: pd.DataFrame | None
    calls: pd.DataFrame | None
    per_vessel: pd.Series | None = None


def run_partition(pos: pd.DataFrame, *, fences=None, clean: dict | None = None,
                  dark: dict | None = None, port: dict | None = None) -> PartResult:
    """Clean (optional), then find gaps, the reception grid and port calls of one partition.

    `pos` must hold every position of each of its vessels. It is sorted by (mmsi, ts) unless
    already in that order (checked in one pass).
    """
    n_read = len(pos)
    pos = ports_mod.sort_by_vessel_time(pos.reset_index(drop=True))
    if clean is not None:
        pos = _clean(pos, **clean)                     # ais.clean returns (mmsi, ts) order
    # Naive UTC datetime64[ns] times: numpy arithmetic instead of per-element Timestamp
    # objects (what .to_numpy() gives for tz-aware columns); the outputs are UTC-aware again.
    pos = pos.assign(ts=utc_ns(pos["ts"]))
    g = grid = before = calls = None
    if dark is not None:
        g = gaps_mod.find_gaps(pos, dark["min_hours"], assume_sorted=True)
        grid = gaps_mod.reception_grid(pos, cell_deg=dark["cell_deg"], bin_hours=dark["bin_hours"])
        before = _before_rows(pos, g, dark["before_hours"])
    if port is not None:
        calls = ports_mod.port_calls(pos, fences, assume_sorted=True, **port)
    per_vessel = pos["mmsi"].value_counts(sort=False)
    return PartResult(n_read, len(pos), g, grid, before, calls, per_vessel)


def finish_dark(parts: list[PartResult], dark: dict, names) -> pd.DataFrame:
    """Classify the partitions' gaps once, against the sum of their grids (as gaps.dark_periods)."""
    g = pd.concat([p.gaps for p in parts], ignore_index=True)
    g = g.sort_values(["mmsi", "start_ts"], kind="stable").reset_index(drop=True)
    grid = gaps_mod.combine_grids([p.grid for p in parts])
    before = pd.concat([p.before for p in parts], ignore_index=True)
    opts = {k: v for k, v in dark.items()}
    return gaps_mod.finish(gaps_mod.classify(g, grid, before, **opts), names)


# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------

@dataclass
class Result:
    """Tables of one run of the passes, in canonical order, and row counts."""
    port_calls: pd.DataFrame | None
    dark_periods: pd.DataFrame | None
    n_read: int
    n_kept: int
    vessel_positions: pd.Series          # positions per mmsi (after cleaning), sorted by mmsi


def canonical(df: pd.DataFrame | None, table: str) -> pd.DataFrame | None:
    """A table in its canonical row order (port_calls by mmsi, arrival; dark_periods by mmsi, start)."""
    if df is None:
        return None
    keys = {"port_calls": ["mmsi", "arrival", "port"], "dark_periods": ["mmsi", "start_ts"]}[table]
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def _to_dask(positions, by_vessel: bool | None, columns: list[str] | None = None):
    """A dask DataFrame whose partitions each hold whole vessels (shuffled on mmsi if needed)."""
    import dask.dataframe as dd
    if isinstance(positions, (str, Path)):
        by_vessel = layout(positions) == "vessel" if by_vessel is None else by_vessel
        ddf = read_positions(positions, engine="dask", columns=columns)
    elif isinstance(positions, pd.DataFrame):
        n = max(1, min(8, len(positions) // 50_000 + 1))
        ddf, by_vessel = dd.from_pandas(positions, npartitions=n, sort=False), False
    else:
        ddf = positions
    if not by_vessel:
        ddf = ddf.shuffle(on="mmsi", npartitions=ddf.npartitions)
    return ddf


def run(positions, fences=None, *, engine: str = "pandas", passes=("dark", "ports"),
        names: dict[int, str] | None = None, clean: dict | None = None,
        dark_min_hours: float = 12.0, dark_options: dict | None = None,
        max_sog_kn: float = 1.5, min_dwell_hours: float = 4.0,
        columns: list[str] | None = None, by_vessel: bool | None = None) -> Result:
    """Run the passes on `positions` with the chosen engine; tables come back canonical.

    `positions`: a pandas DataFrame, a Parquet path (file or partitioned directory) or a dask
    DataFrame. `clean`: None (positions are already clean) or {start, end,
    max_implied_speed_kn} to run ais.clean first. `passes`: any of "dark" and "ports".
    `dark_options`: keyword options of helpers.gaps.dark_periods (rule, cell_deg, ports, ...).
    `columns`: columns to read from a path (default all). `by_vessel`: whether each partition
    already holds whole vessels (default: from the layout of a path; False otherwise).
    """
    check_engine(engine)
    dark = _dark_options(dark_min_hours, dark_options) if "dark" in passes else None
    port = {"max_sog_kn": max_sog_kn, "min_dwell_hours": min_dwell_hours,
            "names": names} if "ports" in passes else None
    kw = {"fences": fences, "clean": clean, "dark": dark, "port": port}
    if engine == "pandas":
        pos = read_positions(positions, columns=columns) if isinstance(positions, (str, Path)) \
            else positions
        parts = [run_partition(pos, **kw)]
    else:
        import dask
        ddf = _to_dask(positions, by_vessel, columns)
        parts = list(dask.compute(*[dask.delayed(run_partition)(p, **kw) for p in ddf.to_delayed()]))
    calls = dark_tbl = None
    if port is not None:
        frames = [p.calls for p in parts if len(p.calls)]
        calls = canonical(validate(pd.concat(frames, ignore_index=True), "port_calls")
                          if frames else parts[0].calls, "port_calls")
    if dark is not None:
        dark_tbl = canonical(finish_dark(parts, dark, names), "dark_periods")
    per_vessel = pd.concat([p.per_vessel for p in parts]).groupby(level=0).sum().sort_index()
    per_vessel = per_vessel.rename("n_positions").rename_axis("mmsi").astype(np.int64)
    return Result(calls, dark_tbl, sum(p.n_read for p in parts), sum(p.n_kept for p in parts),
                  per_vessel)


def dark_periods(positions, min_hours: float = 12.0, *, engine: str = "pandas",
                 names: dict[int, str] | None = None, **options) -> pd.DataFrame:
    """Dark periods with the chosen engine: the table of helpers.gaps.dark_periods(positions,
    min_hours, names=names, **options), in canonical order."""
    return run(positions, engine=engine, passes=("dark",), dark_min_hours=min_hours, names=names,
               dark_options=options).dark_periods


def port_calls(positions, fences, *, engine: str = "pandas", **options) -> pd.DataFrame:
    """Port calls with the chosen engine (same table as helpers.ports.port_calls)."""
    return run(positions, fences, engine=engine, passes=("ports",), **options).port_calls


@contextmanager
def session(engine: str = "pandas", address: str | None = None, n_workers: int = 2, **kw):
    """Nothing for the pandas engine; a Dask client (`dask_client`) for the dask engine."""
    check_engine(engine)
    if engine == "pandas":
        yield None
        return
    with dask_client(address, n_workers, **kw) as client:
        yield client


@contextmanager
def dask_client(address: str | None = None, n_workers: int = 2, *, processes: bool = True,
                threads_per_worker: int = 1, memory_limit: str | int = "auto"):
    """A distributed Client: to the cluster at `address`, or to a new LocalCluster.

    Scripts that start a LocalCluster with processes need an `if __name__ == "__main__":` guard.
    """
    from distributed import Client, LocalCluster
    if address:
        client = Client(address)
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=threads_per_worker,
                           processes=processes, memory_limit=memory_limit,
                           dashboard_address=None)
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()
