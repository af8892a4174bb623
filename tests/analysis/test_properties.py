"""Property tests (hypothesis) of the dark-period and port-call passes.

helpers.gaps.find_gaps: gaps ordered by (mmsi, start), never overlapping per vessel, each longer
than the threshold, exactly the consecutive silences a plain loop finds, and the same whatever
the input row order and however often rows are repeated.
helpers.analysis.port_calls.port_calls: calls ordered, never overlapping per vessel, each at least the minimum
dwell, exactly the runs a plain loop finds, and the same whatever the input row order.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from helpers.analysis import gaps, port_calls

T0 = pd.Timestamp("2023-09-01T00:00:00Z")
MMSIS = [273000001, 273000002, 273000003]
FENCES = gpd.GeoDataFrame({"port": ["Alpha", "Bravo"]},
                          geometry=[box(130.0, 42.0, 130.1, 42.1), box(132.0, 42.8, 132.1, 42.9)],
                          crs="EPSG:4326")
CENTRE = {"Alpha": (130.05, 42.05), "Bravo": (132.05, 42.85), "out": (131.0, 42.5)}
SETTINGS = settings(max_examples=60, deadline=None)


def _tracks(step_minutes: int, zones: bool):
    """Positions of up to three vessels: strictly increasing times per vessel (no ties)."""
    step = st.fixed_dictionaries({
        "dt": st.integers(1, step_minutes),
        "zone": st.sampled_from(["Alpha", "Bravo", "out"]) if zones else st.just("out"),
        "jitter": st.integers(-30, 30),
        "sog": st.sampled_from([0.0, 0.4, 1.5, 3.0, 12.0, np.nan]),
    })
    return st.dictionaries(st.sampled_from(MMSIS), st.lists(step, max_size=25), max_size=3)


def _frame(tracks: dict) -> pd.DataFrame:
    rows = []
    for mmsi, steps in tracks.items():
        t = 0
        for s in steps:
            t += s["dt"]
            lon, lat = CENTRE[s["zone"]]
            rows.append({"mmsi": mmsi, "ts": T0 + pd.Timedelta(minutes=t),
                         "lat": lat + s["jitter"] / 1000, "lon": lon + s["jitter"] / 1000,
                         "sog_kn": s["sog"]})
    df = pd.DataFrame(rows, columns=["mmsi", "ts", "lat", "lon", "sog_kn"])
    df["mmsi"] = df["mmsi"].astype("int64")
    df["ts"] = pd.to_datetime(df["ts"], utc=True)
    return df.astype({"lat": "float64", "lon": "float64", "sog_kn": "float64"})


def _shuffled(df: pd.DataFrame, seed: int) -> pd.DataFrame:
    return df.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def _duplicated(df: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Every row once, some twice or three times (exact copies), in a shuffled order."""
    rng = np.random.default_rng(seed)
    reps = rng.integers(1, 4, size=len(df))
    return _shuffled(df.loc[df.index.repeat(reps)], seed)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


# ---------------------------------------------------------------------------------------------
# Dark periods: find_gaps
# ---------------------------------------------------------------------------------------------

def _loop_gaps(df: pd.DataFrame, min_hours: float) -> list[tuple]:
    """(mmsi, start, end) of every silence longer than min_hours, by a plain loop."""
    out = []
    for mmsi, g in df.groupby("mmsi", sort=True):
        t = sorted(g["ts"].unique())
        for a, b in zip(t[:-1], t[1:]):
            if (b - a) / pd.Timedelta(hours=1) > min_hours:
                out.append((mmsi, a, b))
    return out


@SETTINGS
@given(tracks=_tracks(step_minutes=36 * 60, zones=False),
       min_hours=st.sampled_from([0.5, 6.0, 12.0, 24.0]), seed=st.integers(0, 2**16))
def test_find_gaps_properties(tracks, min_hours, seed):
    df = _frame(tracks)
    g = gaps.find_gaps(df, min_hours)
    start, end = pd.to_datetime(g["start_ts"], utc=True), pd.to_datetime(g["end_ts"], utc=True)
    # exactly the gaps of a plain loop, in (mmsi, start) order
    assert list(zip(g["mmsi"], start, end)) == _loop_gaps(df, min_hours)
    key = list(zip(g["mmsi"], start))
    assert key == sorted(key)
    # every gap longer than the threshold, hours = end - start
    assert (g["hours"] > min_hours).all()
    np.testing.assert_allclose(g["hours"], (end - start) / pd.Timedelta(hours=1))
    # no overlaps per vessel
    same = g["mmsi"].to_numpy()[1:] == g["mmsi"].to_numpy()[:-1]
    assert (end.to_numpy()[:-1][same] <= start.to_numpy()[1:][same]).all()
    # invariant to row order and to exact duplication of rows
    _same(g, gaps.find_gaps(_shuffled(df, seed), min_hours))
    _same(g, gaps.find_gaps(_duplicated(df, seed), min_hours))


def test_find_gaps_ties_do_not_depend_on_row_order():
    df = _frame({MMSIS[0]: [{"dt": 60, "zone": "out", "jitter": 0, "sog": 10.0},
                            {"dt": 20 * 60, "zone": "out", "jitter": 0, "sog": 10.0}]})
    tie = df.iloc[[0]].assign(lat=df["lat"].iloc[0] + 0.01)   # same vessel and time, ~0.6 nm off
    a = pd.concat([df.iloc[[0]], tie, df.iloc[[1]]], ignore_index=True)
    b = pd.concat([tie, df.iloc[[0]], df.iloc[[1]]], ignore_index=True)
    ga, gb = gaps.find_gaps(a, 12.0), gaps.find_gaps(b, 12.0)
    _same(ga, gb)
    # one 20 h gap, 01:00 -> 21:00, whichever of the two tied rows comes first in the input;
    # the tie is resolved the same way in both orders (the start is the row 0.01 deg north)
    assert len(ga) == 1 and ga["hours"].tolist() == [20.0]
    assert (ga["start_ts"].iloc[0], ga["end_ts"].iloc[0]) == (T0 + pd.Timedelta(hours=1), T0 + pd.Timedelta(hours=21))
    assert ga["start_lat"].iloc[0] == gb["start_lat"].iloc[0] == df["lat"].iloc[0] + 0.01


# ---------------------------------------------------------------------------------------------
# Port calls
# ---------------------------------------------------------------------------------------------

def _loop_calls(df: pd.DataFrame, max_sog: float, min_dwell: float) -> list[tuple]:
    """(mmsi, port, arrival, departure, n) of every call, by a plain loop over sorted rows."""
    out = []
    for mmsi, g in df.sort_values(["mmsi", "ts"], kind="stable").groupby("mmsi", sort=True):
        run_port, slow = None, []
        rows = list(g.itertuples(index=False)) + [None]
        for r in rows:
            port = None
            if r is not None:
                inside = [p for p, geom in zip(FENCES["port"], FENCES.geometry)
                          if geom.contains(gpd.points_from_xy([r.lon], [r.lat])[0])]
                port = inside[0] if inside else None
            if port != run_port or r is None:
                if run_port is not None and slow and \
                        (slow[-1] - slow[0]) / pd.Timedelta(hours=1) >= min_dwell:
                    out.append((mmsi, run_port, slow[0], slow[-1], len(slow)))
                run_port, slow = port, []
            if r is not None and port is not None and not (r.sog_kn > max_sog):
                slow.append(r.ts)
    return out


@SETTINGS
@given(tracks=_tracks(step_minutes=6 * 60, zones=True),
       min_dwell=st.sampled_from([0.0, 1.0, 4.0, 12.0]), seed=st.integers(0, 2**16))
def test_port_calls_properties(tracks, min_dwell, seed):
    df = _frame(tracks)
    c = port_calls.port_calls(df, FENCES, max_sog_kn=1.5, min_dwell_hours=min_dwell)
    got = list(zip(c["mmsi"], c["port"], c["arrival"], c["departure"], c["n_positions"]))
    assert got == _loop_calls(df, 1.5, min_dwell)
    key = list(zip(c["mmsi"], c["arrival"]))
    assert key == sorted(key)
    assert ((c["departure"] - c["arrival"]) / pd.Timedelta(hours=1) >= min_dwell).all()
    assert (c["departure"] >= c["arrival"]).all()
    same = c["mmsi"].to_numpy()[1:] == c["mmsi"].to_numpy()[:-1]
    assert (c["departure"].to_numpy()[:-1][same] < c["arrival"].to_numpy()[1:][same]).all()
    assert c["call_id"].is_unique
    # invariant to row order; repeated rows change only the position counts
    _same(c, port_calls.port_calls(_shuffled(df, seed), FENCES, max_sog_kn=1.5,
                              min_dwell_hours=min_dwell))
    d = port_calls.port_calls(_duplicated(df, seed), FENCES, max_sog_kn=1.5, min_dwell_hours=min_dwell)
    _same(c.drop(columns="n_positions"), d.drop(columns="n_positions"))
