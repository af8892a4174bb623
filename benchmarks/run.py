"""Benchmark of the per-vessel passes: pandas and Dask engines, movingpandas, the one-pass limit.

    .venv/bin/python benchmarks/run.py --sizes 1e6 1e7            # about 10 min on 2 cores
    .venv/bin/python benchmarks/run.py --sizes 1e8 --engines dask  # the 100M run

Generates synthetic AIS (seeded; thousands of vessels sailing between 20 ports with port stays,
irregular reporting and silences of 12-96 h) as Parquet partitioned by vessel into a scratch
directory (default build/bench, not committed), then times read -> clean (helpers.ais.clean)
-> dark periods -> port calls with each engine, with rows per second and peak memory (this
process plus its children, i.e. the Dask workers). On the smallest size it also runs
movingpandas (ObservationGapSplitter, TrajectoryStopDetector) on a subsample of vessels,
extrapolates its time per row, and checks that its gaps and stops agree with ours; and it times
the single-pass limit (numpy diff over mmsi and ts plus one bounding-box test per fence).
Appends to benchmarks/results.csv and redraws benchmarks/results.png.
"""

from __future__ import annotations

import argparse
import gc
import platform
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

from measure import Peak  # benchmarks/measure.py (this folder is on sys.path when run as a script)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
T0 = pd.Timestamp("2023-08-01T00:00:00Z")
SPAN_DAYS = 30
N_PORTS = 20


# --------------------------------------------------------------------------------------------
# Synthetic AIS
# --------------------------------------------------------------------------------------------

def synthetic_ports(seed: int = 7):
    """20 square port fences (0.1 deg) in a 10 x 6 degree sea; berths at their centres."""
    import geopandas as gpd
    from shapely.geometry import box
    rng = np.random.default_rng(seed)
    lon = 120 + rng.uniform(0, 10, N_PORTS)
    lat = 30 + rng.uniform(0, 6, N_PORTS)
    f = gpd.GeoDataFrame({"port": [f"P{i:02d}" for i in range(N_PORTS)]},
                         geometry=[box(x - 0.05, y - 0.05, x + 0.05, y + 0.05) for x, y in zip(lon, lat)],
                         crs="EPSG:4326")
    f["berth_lon"], f["berth_lat"] = lon, lat
    return f


def synthetic_vessels(mmsi: np.ndarray, rows_per_vessel: int, ports, seed: int) -> pd.DataFrame:
    """Positions of the given vessels in (mmsi, ts) order, all vectorised over vessels.

    Each vessel cycles port stay (6-48 h, 0-0.3 kn, within ~20 m of the berth) -> passage at
    10-14 kn to another port; reports at exponential intervals (mean span / rows); about 1 in
    `rows_per_vessel / 4` intervals is a silence of 12-96 h (the vessel keeps moving meanwhile).
    """
    rng = np.random.default_rng(seed)
    nv, k = len(mmsi), rows_per_vessel
    span_s = SPAN_DAYS * 86400.0
    step = 10 + rng.exponential(span_s / k, size=(nv, k))   # receivers dedupe within 10 s
    silent = rng.random((nv, k)) < 4.0 / k
    step[silent] = rng.uniform(12.5, 96, silent.sum()) * 3600
    t = np.cumsum(step, axis=1) - step[:, :1]                # seconds from each vessel's start
    t += rng.uniform(0, 86400, (nv, 1))
    # schedule: alternating stay / passage segments, enough to cover the span
    n_seg = 64
    plon, plat = ports["berth_lon"].to_numpy(), ports["berth_lat"].to_numpy()
    port_seq = rng.integers(0, N_PORTS, (nv, n_seg + 1))
    same = port_seq[:, 1:] == port_seq[:, :-1]
    port_seq[:, 1:][same] = (port_seq[:, 1:][same] + 1) % N_PORTS
    x0, y0 = plon[port_seq[:, :-1]], plat[port_seq[:, :-1]]
    x1, y1 = plon[port_seq[:, 1:]], plat[port_seq[:, 1:]]
    dist_nm = np.hypot((x1 - x0) * np.cos(np.radians(33)), y1 - y0) * 60
    speed = rng.uniform(10, 14, (nv, n_seg))
    stay = rng.uniform(6, 48, (nv, n_seg)) * 3600
    sail = dist_nm / speed * 3600
    seg_end_stay = np.cumsum(stay + sail, axis=1) - sail      # end of each stay
    seg_end_sail = seg_end_stay + sail                         # end of each passage
    # the segment of each report
    j = np.minimum(np.sum(t[:, :, None] >= seg_end_sail[:, None, :], axis=2), n_seg - 1)
    v = np.arange(nv)[:, None]
    stay_end, sail_end = seg_end_stay[v, j], seg_end_sail[v, j]
    at_port = t < stay_end
    frac = np.clip((t - stay_end) / np.maximum(sail_end - stay_end, 1), 0, 1)
    jit = rng.normal(0, 0.0002, (2, nv, k))                  # ~20 m around the berth
    lon = np.where(at_port, x0[v, j] + jit[0], x0[v, j] + frac * (x1[v, j] - x0[v, j]))
    lat = np.where(at_port, y0[v, j] + jit[1], y0[v, j] + frac * (y1[v, j] - y0[v, j]))
    sog = np.where(at_port, rng.uniform(0, 0.3, (nv, k)), speed[v, j] + rng.normal(0, 0.3, (nv, k)))
    n = nv * k
    ts = T0.as_unit("ns") + pd.to_timedelta(np.round(t.ravel()), unit="s")
    return pd.DataFrame({
        "mmsi": np.repeat(mmsi.astype(np.int64), k), "ts": ts,
        "lat": lat.ravel(), "lon": lon.ravel(), "sog_kn": np.clip(sog.ravel(), 0, 30).round(1),
        "cog_deg": rng.uniform(0, 359.9, n).round(1), "heading_deg": np.nan,
        "nav_status": pd.array(np.where(at_port.ravel(), 5, 0), dtype="Int64"),
        "source": "synthetic", "msg_type": pd.array(np.ones(n, np.int64), dtype="Int64"),
    })


def generate(n_rows: int, out: Path, seed: int = 20231016, n_vessels: int | None = None
             ) -> tuple[Path, int, int]:
    """Write about n_rows positions, partitioned by vessel, one bucket at a time (bounded memory);
    `n_vessels` defaults to n_rows / 5,000 within 2,000-20,000."""
    from helpers.analysis import engine
    ports = synthetic_ports()
    n_vessels = int(n_vessels or min(20_000, max(2_000, n_rows // 5_000)))
    k = max(10, n_rows // n_vessels)
    n_buckets = max(4, n_rows // 1_000_000)
    mmsi = np.sort(np.random.default_rng(seed).choice(np.arange(200_000_000, 800_000_000),
                                                      n_vessels, replace=False))
    bucket = engine.bucket_of(mmsi, n_buckets)
    if (out / "_SUCCESS").is_file():
        return out, n_vessels, n_vessels * k
    import pyarrow as pa
    import pyarrow.parquet as pq
    for b in range(n_buckets):
        pos = synthetic_vessels(mmsi[bucket == b], k, ports, seed + b)
        d = out / f"{engine.BUCKET}={b}"
        d.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pandas(pos, preserve_index=False), d / "part-0.parquet",
                       row_group_size=1_000_000)
        del pos
    (out / "_SUCCESS").write_text(f"{n_vessels} vessels x {k} rows\n")
    return out, n_vessels, n_vessels * k


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------

ROWS: list[dict] = []


def record(size, engine, step, seconds, rows, peak, note=""):
    row = {"date": pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ"), "size": int(size),
           "engine": engine, "step": step, "seconds": round(seconds, 3), "rows": int(rows),
           "rows_per_s": round(rows / seconds) if seconds > 0 else None,
           "peak_gb": round(peak / 1e9, 2) if peak else None, "note": note,
           "machine": f"{platform.machine()} {psutil.cpu_count()} cpu "
                      f"{psutil.virtual_memory().total / 2**30:.0f} GiB"}
    ROWS.append(row)
    print(f"  {engine:>12} {step:<28} {seconds:8.2f} s  {row['rows_per_s'] or 0:>12,} rows/s  "
          f"peak {row['peak_gb']} GB  {note}", flush=True)


def dark_kw():
    from helpers import geo
    # the bundled coastline clip, as in every earlier benchmark (distance from shore of each gap)
    return {"rule": "coastal", "ports": synthetic_ports(), "land": geo.load_land()}


def bench_pandas(path: Path, size: int, window):
    from helpers import schema
    from helpers.analysis import engine
    from helpers.analysis import port_calls as ports_mod
    fences = synthetic_ports()
    with Peak() as p:
        pos = engine.read_positions(path, start=window[0], end=window[1])
    record(size, "pandas", "read", p.seconds, len(pos), p.peak)
    n = len(pos)
    with Peak() as p:
        kept = engine._clean(pos, *window, 40.0)
    record(size, "pandas", "clean", p.seconds, n, p.peak, f"{n - len(kept):,} rejected")
    del pos
    gc.collect()
    pos = kept.assign(ts=schema.utc_ns(kept["ts"]))      # what run_partition hands the passes
    with Peak() as p:
        r = engine.run_partition(pos, fences=fences, dark=engine._dark_options(12, dark_kw()))
    record(size, "pandas", "gaps+grid+port calls", p.seconds, n, p.peak)
    with Peak() as p:
        d = engine.finish_dark([r], engine._dark_options(12, dark_kw()), None)
    record(size, "pandas", "classify gaps", p.seconds, n, p.peak, f"{len(d):,} dark periods")
    # the detection passes alone, on time-ordered input, against the one-pass limit
    from helpers.analysis import gaps
    with Peak() as p:
        g = gaps.find_gaps(pos, 12, assume_sorted=True)
        c = ports_mod.port_calls(pos, fences)              # checks the order, does not sort
    record(size, "pandas", "gaps+port calls", p.seconds, n, p.peak,
           f"{len(g):,} gaps, {len(c):,} calls")
    t_limit = single_pass_limit(pos, fences)
    record(size, "numpy", "single-pass limit", t_limit, n, 0,
           "diff(mmsi, ts) + one bbox test per fence")
    return pos, g, c


def single_pass_limit(pos: pd.DataFrame, fences) -> float:
    m = pos["mmsi"].to_numpy()
    t = pos["ts"].to_numpy().view("int64")
    lon, lat = pos["lon"].to_numpy(), pos["lat"].to_numpy()
    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        i = np.flatnonzero((m[1:] == m[:-1]) & (np.diff(t) > 12 * 3600 * 10**9))
        lab = np.full(len(m), -1)
        for k, (x0, y0, x1, y1) in enumerate(fences.geometry.bounds.to_numpy()):
            lab[(lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)] = k
        best = min(best, time.perf_counter() - t0)
    assert len(i) >= 0 and len(lab) == len(m)
    return best


def best_of(f, repeat: int = 3) -> tuple[float, object]:
    """Best wall time of `repeat` calls of f (a loaded machine adds noise, never removes it)."""
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out


def bench_dark_periods(scratch: Path, size: int, n_vessels: int, repeat: int = 3):
    """`gaps.dark_periods` (gaps + reception evidence + coastal classification) against
    `gaps.find_gaps` on the same time-ordered positions, in the same run (issue 14's target:
    within 3x). The evidence pass alone (`reception.evidence_from_positions`) is timed too: the rest of
    dark_periods is per gap (distance from shore, ports at the ends, reasons, ids)."""
    from helpers.analysis import gaps, reception
    from helpers.schema import utc_ns
    path, nv, n = generate(size, scratch / f"n{size:.0e}_v{n_vessels}".replace("+", ""), n_vessels=n_vessels)
    pos = pd.read_parquet(path, columns=["mmsi", "ts", "lat", "lon", "sog_kn"]).drop(
        columns=["vessel_bucket"], errors="ignore")
    pos = pos.sort_values(["mmsi", "ts"], kind="stable").reset_index(drop=True)
    pos = pos.assign(ts=utc_ns(pos["ts"]))               # naive UTC ns, as the engine hands it
    kw = dark_kw()
    t_gaps, g = best_of(lambda: gaps.find_gaps(pos, 12, assume_sorted=True), repeat)
    _, rows, (m, ts, lon, lat) = gaps._find_gaps(pos, 12)
    t_ev, _ = best_of(lambda: reception.evidence_from_positions(
        m.astype(np.int64), ts, lon, lat, rows, cell_deg=0.25, bin_hours=3.0, ring=1, before_hours=12.0), repeat)
    t_dark, d = best_of(lambda: gaps.dark_periods(pos, 12, assume_sorted=True, **kw), repeat)

    def via_grid():                                       # the grid implementation (the reference)
        grid = gaps.reception_grid(pos)
        return gaps.finish(gaps.classify(gaps.find_gaps(pos, 12, assume_sorted=True), grid, pos,
                                         assume_sorted=True, **kw), None)
    t_grid, ref = best_of(via_grid, 1)
    pd.testing.assert_frame_equal(d, ref)                 # same table
    note = f"{nv:,} vessels, time-ordered; {len(g):,} gaps"
    record(n, "pandas", "find_gaps", t_gaps, n, 0, note)
    record(n, "pandas", "dark_periods", t_dark, n, 0, f"{note}; classes {d['class'].value_counts().to_dict()}")
    record(n, "pandas", "dark_periods evidence pass", t_ev, n, 0, "reception + n_before from the positions")
    record(n, "pandas", "dark_periods via the grid", t_grid, n, 0, "find_gaps + reception_grid + classify "
           "(the implementation before issue 14, now the tests' reference); same table")
    record(n, "ratio", "dark_periods / find_gaps", t_dark / t_gaps, n, 0, "ratio, not seconds; target <= 3")
    record(n, "ratio", "via the grid / find_gaps", t_grid / t_gaps, n, 0, "ratio, not seconds")
    record(n, "ratio", "evidence pass / find_gaps", t_ev / t_gaps, n, 0, "ratio, not seconds")


def bench_dask(path: Path, size: int, window, n_workers: int):
    from helpers.analysis import engine
    fences = synthetic_ports()
    clean = {"start": window[0], "end": window[1], "max_implied_speed_kn": 40.0}
    with engine.dask_client(n_workers=n_workers, memory_limit="4GiB") as client:
        client.run(gc.collect)
        with Peak() as p:
            r = engine.run(path, fences, engine="dask", clean=clean, dark_options=dark_kw())
        record(size, "dask", "read+clean+dark+port calls", p.seconds, r.n_read, p.peak,
               f"{n_workers} workers; {len(r.dark_periods):,} dark periods, "
               f"{len(r.port_calls):,} calls")
    return r


def bench_pandas_end_to_end(path: Path, size: int, window):
    from helpers.analysis import engine
    clean = {"start": window[0], "end": window[1], "max_implied_speed_kn": 40.0}
    with Peak() as p:
        r = engine.run(engine.read_positions(path, start=window[0], end=window[1]),
                       synthetic_ports(), clean=clean, dark_options=dark_kw())
    record(size, "pandas", "read+clean+dark+port calls", p.seconds, r.n_read, p.peak,
           f"{len(r.dark_periods):,} dark periods, {len(r.port_calls):,} calls")
    return r


# --------------------------------------------------------------------------------------------
# movingpandas
# --------------------------------------------------------------------------------------------

def bench_movingpandas(pos: pd.DataFrame, g: pd.DataFrame, c: pd.DataFrame, size: int,
                       n_vessels: int, t_ours: float):
    import warnings
    warnings.filterwarnings("ignore")
    import geopandas as gpd
    import movingpandas as mpd
    ids = np.unique(pos["mmsi"].to_numpy())[:n_vessels]
    sub = pos[pos["mmsi"].isin(ids)].copy()
    sub["ts"] = pd.to_datetime(sub["ts"])                 # naive UTC, as movingpandas expects
    gdf = gpd.GeoDataFrame(sub, geometry=gpd.points_from_xy(sub["lon"], sub["lat"]), crs="EPSG:4326")
    with Peak() as p:
        tc = mpd.TrajectoryCollection(gdf, "mmsi", t="ts")
        pieces = mpd.ObservationGapSplitter(tc).split(gap=timedelta(hours=12))
    t_gaps = p.seconds
    with Peak() as p2:
        stops = mpd.TrajectoryStopDetector(tc).get_stop_time_ranges(
            max_diameter=2000, min_duration=timedelta(hours=4))
    t_stops = p2.seconds
    scale = len(pos) / len(sub)
    note = f"on {len(sub):,} rows ({len(ids)} vessels), extrapolated x{scale:.1f}"
    record(size, "movingpandas", "gaps (ObservationGapSplitter)", t_gaps * scale, len(pos), p.peak, note)
    record(size, "movingpandas", "stops (TrajectoryStopDetector)", t_stops * scale, len(pos),
           p2.peak, note)
    record(size, "ratio", "movingpandas / ours (gaps+stops)", (t_gaps + t_stops) * scale / t_ours,
           len(pos), 0, "speed ratio, not seconds")
    # agreement on the subsample: gap ends matched on (mmsi, start, end); stops by time overlap
    mp_gaps = []
    for tr in pieces.trajectories:
        mp_gaps.append((int(str(tr.id).split("_")[0]), tr.get_start_time(), tr.get_end_time()))
    mp = pd.DataFrame(mp_gaps, columns=["mmsi", "start", "end"]).sort_values(["mmsi", "start"])
    mp["next_start"] = mp.groupby("mmsi")["start"].shift(-1)
    mp_g = mp.dropna(subset=["next_start"])
    ours = g[g["mmsi"].isin(ids)]
    key_ours = set(zip(ours["mmsi"], pd.to_datetime(ours["start_ts"]).dt.tz_localize(None)
                       if getattr(ours["start_ts"].dtype, "tz", None) else ours["start_ts"]))
    key_mp = set(zip(mp_g["mmsi"], mp_g["end"]))
    both = len(key_ours & key_mp)
    gaps_note = (f"gaps: ours {len(ours)}, movingpandas {len(mp_g)}, same start {both} "
                 f"(movingpandas drops one-point pieces, so a lone position between two "
                 f"silences merges them)")
    oc = c[c["mmsi"].isin(ids)]
    st = pd.DataFrame({"mmsi": [int(str(r.traj_id).split("_")[0]) for r in stops],
                       "s": [pd.Timestamp(r.t_0) for r in stops],
                       "e": [pd.Timestamp(r.t_n) for r in stops]})
    a = oc.assign(s=pd.to_datetime(oc["arrival"]).dt.tz_localize(None),
                  e=pd.to_datetime(oc["departure"]).dt.tz_localize(None))
    m = a.merge(st, on="mmsi", suffixes=("", "_mp"))
    overlap = m[(m["s"] <= m["e_mp"]) & (m["s_mp"] <= m["e"])]
    stops_note = (f"stops: our port calls {len(oc)}, movingpandas stops {len(st)}, calls "
                  f"overlapping a stop {overlap[['mmsi', 's']].drop_duplicates().shape[0]}, "
                  f"stops overlapping a call {overlap[['mmsi', 's_mp']].drop_duplicates().shape[0]} "
                  f"(stops need 4 h within 2 km; calls need 4 h slow inside a fence, and a "
                  f"silence inside a stay splits a movingpandas stop but not a call)")
    record(size, "agreement", "gaps", 0, len(sub), 0, gaps_note)
    record(size, "agreement", "stops vs port calls", 0, len(sub), 0, stops_note)


# --------------------------------------------------------------------------------------------

def figure(df: pd.DataFrame, out: Path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    e2e = df[df["step"] == "read+clean+dark+port calls"]
    steps = ["find_gaps", "dark_periods evidence pass", "dark_periods", "dark_periods via the grid"]
    dark = df[df["step"].isin(steps)]
    fig, ax = plt.subplots(1, 3 if len(dark) else 2, figsize=(13.5 if len(dark) else 9, 3.6))
    for eng, sub in e2e.groupby("engine"):
        sub = sub.sort_values("size").drop_duplicates("size", keep="last")
        ax[0].plot(sub["size"], sub["seconds"], "o-", label=eng)
        ax[1].plot(sub["size"], sub["peak_gb"], "o-", label=eng)
    if len(dark):                                       # the latest run's dark_periods vs find_gaps
        last = dark[dark["date"] >= dark["date"].max()[:13]].drop_duplicates("step", keep="last")
        last = last.set_index("step").reindex(steps).dropna(subset=["seconds"])
        ax[2].barh(list(last.index), last["seconds"], color=["grey", "tab:blue", "tab:orange", "tab:red"][:len(last)])
        ax[2].invert_yaxis()
        for k, sec in enumerate(last["seconds"]):
            ax[2].text(sec, k, f" {sec:.2f} s ({sec / last['seconds'].iloc[0]:.1f}x)", va="center", fontsize=8)
        ax[2].set_xlim(0, last["seconds"].max() * 1.5)
        ax[2].set_title(f"seconds on {int(last['size'].iloc[0]):,} time-ordered positions", fontsize=9)
    for a, lab in zip(ax[:2], ["seconds, read -> clean -> dark periods -> port calls", "peak memory, GB"]):
        a.set_xscale("log")
        a.set_yscale("log")
        a.set_xlabel("positions")
        a.set_title(lab, fontsize=9)
        a.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        a.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        a.legend()
    ax[1].set_yscale("linear")
    ax[1].set_ylim(0, 9)
    ax[1].axhline(8, color="grey", ls=":", lw=1)
    ax[1].text(1.2e6, 8, "target: 8 GB", va="bottom", fontsize=8, color="grey")
    fig.suptitle("Per-vessel passes on synthetic AIS (2 cores)", fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=120, metadata={"Software": None})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="*", type=float, default=[1e6, 1e7],
                    help="sizes of the engine runs (none: only the dark_periods comparison)")
    ap.add_argument("--engines", nargs="+", default=["pandas", "dask"])
    ap.add_argument("--scratch", default=str(ROOT / "build" / "bench"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--mp-vessels", type=int, default=100,
                    help="movingpandas runs on this many vessels of the smallest size")
    ap.add_argument("--no-movingpandas", action="store_true")
    ap.add_argument("--dark-size", type=float, default=5e6,
                    help="positions for dark_periods vs find_gaps (0: skip)")
    ap.add_argument("--dark-vessels", type=int, default=5000)
    args = ap.parse_args()
    window = (T0 - pd.Timedelta(days=1), T0 + pd.Timedelta(days=SPAN_DAYS + 40))
    if args.dark_size:
        bench_dark_periods(Path(args.scratch), int(args.dark_size), args.dark_vessels)
        gc.collect()
    for i, s in enumerate(sorted(int(x) for x in args.sizes)):
        t0 = time.perf_counter()
        path, nv, n = generate(s, Path(args.scratch) / f"n{s:.0e}".replace("+", ""))
        print(f"{n:,} positions of {nv:,} vessels in {path} ({time.perf_counter() - t0:.0f} s)",
              flush=True)
        if "pandas" in args.engines and s <= 20_000_000:
            bench_pandas_end_to_end(path, n, window)
            gc.collect()
            pos, g, c = bench_pandas(path, n, window)
            if i == 0 and not args.no_movingpandas:
                ours = [r["seconds"] for r in ROWS if r["size"] == n and r["step"] == "gaps+port calls"][-1]
                bench_movingpandas(pos, g, c, n, args.mp_vessels, ours)
            del pos
            gc.collect()
        if "dask" in args.engines:
            bench_dask(path, n, window, args.workers)
    out = HERE / "results.csv"
    new = pd.DataFrame(ROWS)
    old = pd.read_csv(out) if out.is_file() else None
    df = pd.concat([old, new], ignore_index=True) if old is not None else new
    df.to_csv(out, index=False)
    figure(df, HERE / "results.png")
    print(f"wrote {out.relative_to(ROOT)} and benchmarks/results.png")


if __name__ == "__main__":
    main()
