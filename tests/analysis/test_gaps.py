"""Gaps and dark periods on small hand-made tracks with known answers."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from helpers.analysis import gaps, reception
from helpers.errors import ParamsError
from tests.factories import T0, track

LAND = gpd.GeoDataFrame(geometry=[box(128.0, 41.0, 129.0, 46.0)], crs="EPSG:4326")  # coast at 129 E


def every(mmsi, start, end, step, lon, lat=42.05):
    """Positions every `step` hours from `start` to `end` (inclusive) at one place."""
    return track(mmsi, list(np.arange(start, end + step / 2, step)), lon, 5.0, lat=lat)


def scene():
    """Hand-made gaps with known answers (T0 = 2023-08-01 00:00 UTC, 3 h bins start on it).

    1: silent 10 -> 40 h at 42.05 N 130.5 E (67 nm from the coast at 129 E) where 2 and 3
       report hourly: likely disabled.
    4: silent 10 -> 24 h at 45 N 135 E, where nobody else is heard: reception.
    5: silent 10 -> 40 h at 129.05 E (2 nm from shore) next to 6 reporting hourly.
    7: silent 10 -> 40 h at 43 N 132 E, where 8 is usually heard hourly but also falls silent
       10 -> 40 h (a receiver outage): reception.
    """
    parts = [
        pd.concat([every(273000001, 0, 10, 0.5, 130.5),
                   track(273000001, [40, 41], [130.75, 130.75], 5.0, lat=42.05)]),
        every(273000002, 0, 47, 1, 130.52), every(273000003, 0, 47, 1, 130.53),
        pd.concat([every(273000004, 0, 10, 0.5, 135.0, lat=45.0),
                   every(273000004, 24, 26, 1, 135.0, lat=45.0)]),
        pd.concat([every(273000005, 0, 10, 0.5, 129.05), every(273000005, 40, 42, 1, 129.05)]),
        every(273000006, 0, 47, 1, 129.06),
        pd.concat([every(273000007, 0, 10, 0.5, 132.0, lat=43.0),
                   every(273000007, 40, 42, 1, 132.0, lat=43.0)]),
        pd.concat([every(273000008, 0, 10, 1, 132.01, lat=43.0),
                   every(273000008, 40, 100, 1, 132.01, lat=43.0)]),
    ]
    return pd.concat(parts, ignore_index=True)


def test_find_gaps_counts_hours_and_ends():
    g = gaps.find_gaps(scene(), 12)
    assert list(g["mmsi"]) == [273000001, 273000004, 273000005, 273000007, 273000008]
    assert list(g["hours"]) == [30.0, 14.0, 30.0, 30.0, 30.0]
    one = g.iloc[0]
    assert one.start_ts == T0 + pd.Timedelta(hours=10) and one.end_ts == T0 + pd.Timedelta(hours=40)
    assert np.isclose(one.distance_nm, 11.15, rtol=0.01)        # 0.25 deg of longitude at 42 N
    assert np.isclose(one.implied_speed_kn, 11.15 / 30, rtol=0.01)
    assert len(gaps.find_gaps(scene(), 30)) == 0                   # longer than, not equal to


def test_coastal_rule_classifies_known_gaps():
    d = gaps.dark_periods(scene(), 12, min_per_day=20, land=LAND, names={273000001: "ONE"})
    by = d.set_index("mmsi")
    assert by.loc[273000001, "class"] == "likely-disabled" and by.loc[273000001, "vessel"] == "ONE"
    # 2 and 3 heard hourly in the 11 three-hour bins the gap spans (hours 9..41): 66 in 1.375 days
    assert by.loc[273000001, "others_start"] == 48.0
    assert by.loc[273000001, "n_before"] == 21                      # every 30 min from -2 h to 10 h
    assert np.isclose(by.loc[273000001, "shore_nm"], 66.9, rtol=0.02)
    assert by.loc[273000004, "class"] == "reception" and by.loc[273000004, "others_start"] == 0.0
    assert by.loc[273000005, "class"] == "likely-disabled"
    assert by.loc[273000007, "class"] == "reception"               # outage: others far below usual
    assert by.loc[273000007, "others_start"] < 0.6 * by.loc[273000007, "usual_start"]
    assert "poor reception cannot be excluded" in by.loc[273000004, "reason"]
    assert "(need 20/day and 60%); 21 own positions in the 12 h before (need 6)" in by.loc[273000001, "reason"]
    assert d["gap_id"].iloc[0] == "273000001-gap-20230801T1000"
    assert set(d["rule"]) == {"coastal"}


def test_gfw_rule_flags_only_the_far_offshore_gap():
    d = gaps.dark_periods(scene(), 12, rule="gfw", land=LAND).set_index("mmsi")
    assert d.loc[273000001, "class"] == "likely-disabled"          # 67 nm out, 24 positions/vessel-day
    assert d.loc[273000001, "reception_start"] == 24.0
    assert d.loc[273000005, "class"] == "unassessed"               # 2 nm from shore: outside the rule
    assert d.loc[273000004, "class"] == "reception"                # far out, nobody heard there
    assert "outside the rule" in d.loc[273000005, "reason"]


def test_port_aware_ends():
    port = gpd.GeoDataFrame({"port": ["P"], "berth_lon": [130.5], "berth_lat": [42.05]},
                            geometry=[box(130.45, 42.0, 130.55, 42.1)], crs="EPSG:4326")
    d = gaps.dark_periods(scene(), 12, min_per_day=20, land=LAND, ports=port).set_index("mmsi")
    assert d.loc[273000001, "start_port"] == "P" and pd.isna(d.loc[273000001, "end_port"])
    assert pd.isna(d.loc[273000004, "start_port"])
    assert "starts in P" in d.loc[273000001, "reason"]


def test_reception_grid_is_additive_and_sort_skip_is_identical():
    pos = scene()
    whole = gaps.reception_grid(pos, cell_deg=0.25, bin_hours=3)
    assert list(whole.columns) == ["mmsi", "cell_x", "cell_y", "bin", "n_positions"]
    assert whole["n_positions"].sum() == len(pos)
    by_time = [pos[pos["ts"] < T0 + pd.Timedelta(hours=20)], pos[pos["ts"] >= T0 + pd.Timedelta(hours=20)]]
    by_vessel = [pos[pos["mmsi"] % 2 == 0], pos[pos["mmsi"] % 2 == 1]]
    for parts in (by_time, by_vessel):
        added = gaps.combine_grids([gaps.reception_grid(p, cell_deg=0.25, bin_hours=3) for p in parts])
        pd.testing.assert_frame_equal(added, whole)
    ordered = pos.sort_values(["mmsi", "ts"], kind="stable").reset_index(drop=True)
    a = gaps.dark_periods(pos.sample(frac=1, random_state=1), 12, land=LAND)
    b = gaps.dark_periods(ordered, 12, land=LAND, assume_sorted=True)
    c = gaps.dark_periods(ordered, 12, land=LAND, grid=whole)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)


def test_no_gap_at_threshold_and_between_vessels():
    v1 = track(273000001, [0, 12], [0.5, 0.5], [0, 0])         # exactly 12 h: not longer
    v2 = track(273000002, [30], [0.5], [0])                     # a different vessel later
    assert gaps.dark_periods(pd.concat([v1, v2]), 12, land=LAND).empty


def test_last_before_dark_takes_the_longest_likely_disabled_gap():
    pos = pd.concat([scene(), every(273000001, 41, 60, 1, 130.75),
                     every(273000001, 100, 101, 1, 130.8)], ignore_index=True)
    pos = pd.concat([pos, every(273000002, 48, 110, 1, 130.52), every(273000002, 48, 110, 1, 130.77)])
    d = gaps.dark_periods(pos, 12, min_per_day=20, land=LAND, names={273000001: "ONE"})
    one = d[d["vessel"] == "ONE"]
    assert list(one["hours"]) == [30.0, 40.0] and list(one["class"]) == ["likely-disabled"] * 2
    last = gaps.last_before_dark(d)
    assert list(last["vessel"]) == ["ONE"]
    assert last.iloc[0].ts == T0 + pd.Timedelta(hours=60) and last.iloc[0].dark_days == 1.7


# --------------------------------------------------------------------------------------------
# dark_periods' fast evidence (summed from the sorted positions) against classify on the grid
# --------------------------------------------------------------------------------------------

def reference(pos, min_hours=12, **kw):
    """The grid implementation: find_gaps + reception_grid + classify (the oracle)."""
    p = gaps._sorted(pos, False)
    cell, bins = kw.get("cell_deg", 0.25), kw.get("bin_hours", 3.0)
    g = gaps.find_gaps(p, min_hours, assume_sorted=True)
    grid = gaps.reception_grid(p, cell_deg=cell, bin_hours=bins)
    return gaps.finish(gaps.classify(g, grid, p, min_hours=min_hours, land=LAND, assume_sorted=True,
                                     **kw), None)


def random_positions(seed, n_vessels=40, n=3000, span_h=200.0, box_deg=1.5, silences=0.02):
    """Vessels wandering in a small box (crossing cells, returning to them within a day),
    reporting at random times with silences, ties in time and repeated positions."""
    rng = np.random.default_rng(seed)
    mmsi = rng.choice(np.arange(273000000, 273000000 + 10 * n_vessels), n_vessels, replace=False)
    m = rng.choice(mmsi, n)
    step = rng.exponential(0.3, n)
    quiet = rng.random(n) < silences
    step[quiet] += rng.uniform(5, 60, quiet.sum())
    h = np.zeros(n)
    order = np.argsort(m, kind="stable")
    m = m[order]
    for v in np.unique(m):                                      # small test data: a loop is fine
        k = m == v
        h[k] = np.cumsum(step[k]) + rng.uniform(-20, 20)
    h = np.round(h * 4) / 4 if seed % 2 else h                 # some seeds: ties on the quarter hour
    lon = 130.0 + np.cumsum(rng.normal(0, 0.08, n)) % box_deg
    lat = 42.0 + np.cumsum(rng.normal(0, 0.08, n)) % (box_deg / 2)
    return pd.DataFrame({"mmsi": m, "ts": [T0 + pd.Timedelta(hours=float(x)) for x in h],
                         "lat": lat, "lon": lon, "sog_kn": 5.0}).sample(frac=1, random_state=seed)


PORT = gpd.GeoDataFrame({"port": ["P"], "berth_lon": [130.5], "berth_lat": [42.3]},
                        geometry=[box(130.4, 42.2, 130.6, 42.4)], crs="EPSG:4326")


def test_fast_evidence_equals_the_grid_on_varied_inputs(monkeypatch):
    cases = [({}, 12), ({"rule": "gfw"}, 12), ({"ring": 2, "ports": PORT}, 6),
             ({"bin_hours": 5.0, "cell_deg": 0.1}, 3), ({"bin_hours": 1.0, "ring": 0}, 0.5),
             ({"min_per_day": 5, "before_hours": 7.5}, 12)]
    for seed in range(4):
        pos = random_positions(seed)
        for kw, hours in cases:
            want = reference(pos, hours, **kw)
            pd.testing.assert_frame_equal(gaps.dark_periods(pos, hours, land=LAND, **kw), want)
            with monkeypatch.context() as mp:                   # the sparse (sorting) counts
                mp.setattr(reception, "DENSE_LIMIT", 0)
                mp.setattr(reception, "MAX_LAGS", 1)                  # and the distinct-key fallback
                pd.testing.assert_frame_equal(gaps.dark_periods(pos, hours, land=LAND, **kw), want)
    pd.testing.assert_frame_equal(gaps.dark_periods(scene(), 12, land=LAND, min_per_day=20),
                                  reference(scene(), 12, min_per_day=20))


def test_fast_evidence_falls_back_to_the_grid_when_gaps_hold_many_own_rows(monkeypatch):
    pos = random_positions(3)
    calls = []
    real = gaps.reception_grid
    monkeypatch.setattr(gaps, "reception_grid", lambda *a, **k: calls.append(1) or real(*a, **k))
    # a gap threshold below the reporting interval makes nearly every pair a gap: its own
    # rows in the gaps' bins then outnumber the positions, and the grid is used instead
    a = gaps.dark_periods(pos, 0.0, land=LAND, bin_hours=24.0)
    assert calls
    pd.testing.assert_frame_equal(a, reference(pos, 0.0, bin_hours=24.0))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31), n_vessels=st.integers(1, 12), box_deg=st.sampled_from([0.1, 0.6, 3.0]),
       bin_hours=st.sampled_from([1.0, 3.0, 7.0, 24.0]), ring=st.integers(0, 2),
       hours=st.sampled_from([1.0, 6.0, 12.0]), rule=st.sampled_from(["coastal", "gfw"]))
def test_fast_evidence_property(seed, n_vessels, box_deg, bin_hours, ring, hours, rule):
    pos = random_positions(seed, n_vessels=n_vessels, n=400, box_deg=box_deg, silences=0.05)
    kw = {"bin_hours": bin_hours, "ring": ring, "rule": rule}
    pd.testing.assert_frame_equal(gaps.dark_periods(pos, hours, land=LAND, **kw), reference(pos, hours, **kw))


# --------------------------------------------------------------------------------------------
# The coastal rule's threshold from the data (min_per_day="auto")
# --------------------------------------------------------------------------------------------

def test_typical_rate_is_the_position_weighted_median_of_the_neighbourhood_rate():
    pos = random_positions(5)
    cx, cy = gaps.cell_of(pos["lon"], pos["lat"], 0.25)
    b = gaps.bin_of(pos["ts"], 3.0)
    span = (b.max() - b.min() + 1) * 3.0 / 24.0
    per_position = []                                         # the plain definition, per position
    for x, y in zip(cx, cy):
        near = (np.abs(cx - x) <= 1) & (np.abs(cy - y) <= 1)
        per_position.append(near.sum() / span)
    want = np.sort(per_position)[(len(per_position) - 1) // 2]   # lower median
    cells = pd.DataFrame({"x": cx, "y": cy}).value_counts().reset_index()
    got = gaps.typical_rate(cells["x"].to_numpy(), cells["y"].to_numpy(), cells["count"].to_numpy(), span, 1)
    assert np.isclose(got, want)


def test_auto_threshold_is_share_of_the_typical_rate_and_same_on_both_paths():
    pos = random_positions(2)
    grid = gaps.reception_grid(gaps._sorted(pos, False))
    level = gaps._typical_from_grid(grid, 3.0, 1)
    auto = gaps.dark_periods(pos, 6, land=LAND, min_per_day="auto", reception_share=0.4)
    fixed = gaps.dark_periods(pos, 6, land=LAND, min_per_day=0.4 * level)
    pd.testing.assert_frame_equal(auto.drop(columns="reason"), fixed.drop(columns="reason"))
    pd.testing.assert_frame_equal(auto, reference(pos, 6, min_per_day="auto", reception_share=0.4))
    assert f"(need {0.4 * level:.1f}/day (0.4 x the data's typical {level:.0f}/day) and 60%)" in auto["reason"].iloc[0]
    with pytest.raises(ParamsError):
        gaps.dark_periods(pos, 6, land=LAND, min_per_day="often")


def test_port_at_matches_testing_every_point_against_every_port():
    """gaps._port_at tests only each port's band of latitude; the same names as testing every
    point against every fence and berth (the loop before issue 14), first port first."""
    from shapely.geometry import Point

    from helpers.geo import haversine_nm

    rng = np.random.default_rng(3)
    lon0, lat0 = rng.uniform(130, 131, 12), rng.uniform(42, 43, 12)
    ports = gpd.GeoDataFrame({"port": [f"P{i}" for i in range(12)]}, crs="EPSG:4326",
                             geometry=[box(x - 0.03, y - 0.02, x + 0.03, y + 0.02) if i % 4 else
                                       Point(x, y).buffer(0.05) for i, (x, y) in enumerate(zip(lon0, lat0))])
    ports["berth_lon"], ports["berth_lat"] = lon0 + 0.01, lat0 - 0.04   # berths outside some fences
    ports.loc[3, ["berth_lon", "berth_lat"]] = np.nan
    lon = np.r_[rng.uniform(129.9, 131.1, 20000), np.nan, 130.5]
    lat = np.r_[rng.uniform(41.9, 43.1, 20000), 42.5, np.nan]

    def every(ports, lon, lat, radius_nm):
        out = np.full(len(lon), None, dtype=object)
        for row in ports.itertuples(index=False):
            hit = shapely.intersects_xy(row.geometry, lon, lat)
            if hasattr(row, "berth_lon"):
                hit |= haversine_nm(lat, lon, row.berth_lat, row.berth_lon) <= radius_nm
            out[hit & (out == None)] = row.port  # noqa: E711
        return out

    for radius in (0.5, 2.0, 7.0):
        for p in (ports, ports.drop(columns=["berth_lon", "berth_lat"])):
            got = gaps._port_at(p, lon, lat, radius)
            assert (got == every(p, lon, lat, radius)).all()
            assert (got != None).sum() > 100  # noqa: E711


def test_gap_ids_are_the_numpy_string_ids():
    """gaps._gap_ids (integers written by Arrow) against the numpy string version, across leap
    days, before 1970 and after 2038 (nanosecond times span 1677-2262, so the string version's
    turn, years outside 1000-9999, cannot come up here)."""
    rng = np.random.default_rng(5)
    ns = np.r_[rng.integers(-2 * 10**18, 5 * 10**18, 5000), 0, -60 * 10**9, 951782400 * 10**9,
               951868799 * 10**9, 1078012800 * 10**9]
    for extra in ([], [-9 * 10**18], [9 * 10**18]):
        ts = pd.Series(pd.to_datetime(np.r_[ns, extra].astype(np.int64), unit="ns", utc=True))
        mmsi = rng.integers(100_000_000, 999_999_999, len(ts))
        got = gaps._gap_ids(mmsi, ts)
        assert got.dtype == "str"
        assert list(got) == list(gaps._gap_ids_text(mmsi, ts))
