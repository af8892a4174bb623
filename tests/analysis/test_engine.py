"""Both engines (pandas, Dask) give identical port calls and dark periods on the same data."""

import dask
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from helpers import schema
from helpers.analysis import engine, gaps, port_calls
from helpers.steps import common
from tests.factories import two_fences

T0 = pd.Timestamp("2023-08-01T00:00:00Z")
LAND = gpd.GeoDataFrame(geometry=[box(0.0, 1.0, 1.2, 1.5)], crs="EPSG:4326")   # coast north of the tracks


def fences():
    return two_fences()


def synthetic() -> pd.DataFrame:
    """Six vessels over five days, every 30 min: a stay in port A (slow), a passage to B, a stay
    in B; vessel k goes silent for 13 + 3k hours at sea from hour 40. Canonical columns."""
    rows = []
    for k in range(6):
        h = np.arange(0, 120, 0.5)
        h = h[(h <= 40) | (h >= 40 + 13 + 3 * k)]
        lon = np.interp(h, [0, 20, 80, 120], [0.05, 0.05, 1.05, 1.05])
        sog = np.where((h <= 20) | (h >= 80), 0.2, 11.0)
        rows.append(pd.DataFrame({
            "mmsi": 273000100 + 7919 * k, "ts": T0 + pd.to_timedelta(h, unit="h"),
            "lat": 0.05 + 0.001 * k, "lon": lon, "sog_kn": sog, "cog_deg": 90.0,
            "heading_deg": 90.0, "nav_status": pd.array([0] * len(h), dtype="Int64"),
            "source": "test", "msg_type": pd.array([1] * len(h), dtype="Int64")}))
    return pd.concat(rows, ignore_index=True)


OPTS = {"ports": None, "land": LAND}


@pytest.fixture(scope="module")
def layouts(tmp_path_factory):
    pos = synthetic()
    root = tmp_path_factory.mktemp("parts")
    return pos, {"vessel": engine.write_partitioned(pos, root / "by_vessel", by="vessel", n_buckets=3),
                 "day": engine.write_partitioned(pos, root / "by_day", by="day")}


def test_layouts_split_vessels_as_described(layouts):
    pos, paths_ = layouts
    assert engine.layout(paths_["vessel"]) == "vessel" and engine.layout(paths_["day"]) == "day"
    by_day = sorted(p.parent.name for p in paths_["day"].glob("*/*.parquet"))
    assert by_day == [f"day=2023-08-0{d}" for d in range(1, 6)]           # vessels span files
    per_file = [set(pd.read_parquet(p)["mmsi"]) for p in paths_["vessel"].glob("*/*.parquet")]
    assert sum(len(s) for s in per_file) == 6 and len(set().union(*per_file)) == 6  # disjoint


def test_pandas_engine_matches_the_modules_with_known_values(layouts):
    pos, _ = layouts
    f = fences()
    r = engine.run(pos.sample(frac=1, random_state=1), f, dark_options={"ports": f, "land": LAND})  # unsorted in
    assert r.n_read == r.n_kept == len(pos) == 6 * 240 - sum(26 + 6 * k - 1 for k in range(6))
    d = r.dark_periods
    assert list(d["hours"]) == [13.0 + 3 * k for k in range(6)]
    assert (d["start_ts"] == T0 + pd.Timedelta(hours=40)).all()
    pd.testing.assert_frame_equal(d, engine.canonical(gaps.dark_periods(pos, 12, ports=f, land=LAND), "dark_periods"))
    c = r.port_calls
    assert len(c) == 12 and list(c["port"][:2]) == ["A", "B"]
    assert (c[c["port"] == "A"]["departure"] == T0 + pd.Timedelta(hours=20)).all()
    pd.testing.assert_frame_equal(c, engine.canonical(port_calls.port_calls(pos, f), "port_calls"))
    assert r.vessel_positions.sum() == len(pos) and len(r.vessel_positions) == 6


@pytest.mark.parametrize("layout", ["vessel", "day"])
def test_dask_engine_gives_identical_tables(layouts, layout):
    pos, paths_ = layouts
    f = fences()
    want = engine.run(pos, f, dark_options={"ports": f, "land": LAND})
    with dask.config.set(scheduler="synchronous"):
        got = engine.run(paths_[layout], f, engine="dask", dark_options={"ports": f, "land": LAND})
    pd.testing.assert_frame_equal(got.dark_periods, want.dark_periods)
    pd.testing.assert_frame_equal(got.port_calls, want.port_calls)
    pd.testing.assert_series_equal(got.vessel_positions, want.vessel_positions)


def test_cleaning_inside_the_engines_is_identical(layouts):
    pos, paths_ = layouts
    pos = pos.copy()
    pos.loc[10, "lat"] = 5.0                       # one implausible jump, rejected by ais.clean
    clean = {"start": T0, "end": T0 + pd.Timedelta(days=4), "max_implied_speed_kn": 40.0}
    want = engine.run(pos, fences(), clean=clean, dark_options={"land": LAND})
    assert want.n_read - want.n_kept == 1 + (pos["ts"] >= clean["end"]).sum()
    with dask.config.set(scheduler="synchronous"):
        got = engine.run(pos, fences(), engine="dask", clean=clean,    # from pandas: shuffled
                         dark_options={"land": LAND})
    pd.testing.assert_frame_equal(got.dark_periods, want.dark_periods)
    pd.testing.assert_frame_equal(got.port_calls, want.port_calls)
    assert got.n_kept == want.n_kept


def test_read_pushes_time_and_box_filters_down(layouts):
    pos, paths_ = layouts
    start, end = T0 + pd.Timedelta(days=1), T0 + pd.Timedelta(days=2)
    bbox = (0.0, 0.0, 0.5, 0.1)
    want = pos[(pos["ts"] >= start) & (pos["ts"] < end) & (pos["lon"] <= 0.5)]
    for p in paths_.values():
        got = engine.read_positions(p, columns=engine.PASS_COLUMNS, start=start, end=end, bbox=bbox)
        assert list(got.columns) == engine.PASS_COLUMNS and len(got) == len(want) > 0
        d = engine.read_positions(p, engine="dask", columns=engine.PASS_COLUMNS, start=start,
                                  end=end, bbox=bbox)
        assert len(d.compute(scheduler="synchronous")) == len(want)
    by_day = engine.read_positions(paths_["day"], engine="dask", start=start, end=end)
    assert by_day.npartitions == 1                 # the other days' files are never opened


def test_sort_is_skipped_only_when_ordered():
    pos = synthetic()
    assert schema.in_vessel_time_order(pos["mmsi"].to_numpy(), schema.utc_ns(pos["ts"]))
    assert port_calls.sort_by_vessel_time(pos) is pos
    shuffled = pos.sample(frac=1, random_state=0)
    assert not schema.in_vessel_time_order(shuffled["mmsi"].to_numpy(), schema.utc_ns(shuffled["ts"]))
    pd.testing.assert_frame_equal(port_calls.sort_by_vessel_time(shuffled).reset_index(drop=True), pos)


def test_unknown_engine_is_an_input_error():
    from helpers.errors import InputError
    with pytest.raises(InputError, match="engine"):
        engine.run(synthetic(), fences(), engine="spark")


@pytest.mark.slow
def test_scenario_identical_on_a_local_cluster(run, tmp_path):
    """The default run's positions (the session's pipeline run): both engines, same tables."""
    from helpers import geo
    P = run.P
    scenario = P.processed("positions.parquet")
    f = geo.load_ports(P.input("ports"))
    opts = common.dark_options(P, f, common.load_land(P))
    opts.pop("min_hours")
    want = engine.run(scenario, f, dark_options=opts)
    assert len(want.port_calls) == len(pd.read_parquet(P.processed("port_calls.parquet"))) == 1401
    part = engine.write_partitioned(pd.read_parquet(scenario), tmp_path / "pos", n_buckets=4)
    with engine.dask_client(n_workers=2, processes=False):
        got = engine.run(part, f, engine="dask", dark_options=opts)
    pd.testing.assert_frame_equal(got.dark_periods, want.dark_periods)
    pd.testing.assert_frame_equal(got.port_calls, want.port_calls)
