"""Port calls on small hand-made tracks with known answers."""

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

from helpers.analysis import port_calls
from tests.factories import T0, track, two_fences


def fences():
    return two_fences()


def test_port_call_bounds_and_gap_inside_fence_does_not_split():
    # 0-6 h slow in A (with a 3 h reception gap at 2-5 h), sail, 20-22 h slow in B (too short).
    t = track(273000001, [0, 1, 2, 5, 6, 8, 12, 20, 21, 22],
              [0.05, 0.05, 0.05, 0.05, 0.05, 0.5, 0.9, 1.05, 1.05, 1.05],
              [0.1, 0.0, 0.2, 0.1, 0.3, 11, 11, 0.1, 0.0, 0.1])
    calls = port_calls.port_calls(t, fences(), max_sog_kn=1.0, min_dwell_hours=4, names={273000001: "X"})
    assert len(calls) == 1
    c = calls.iloc[0]
    assert (c.port, c.vessel, c.n_positions) == ("A", "X", 5)
    assert c.arrival == T0 and c.departure == T0 + pd.Timedelta(hours=6)
    assert c.call_id == "273000001-A-20230801T0000"
    calls2 = port_calls.port_calls(t, fences(), max_sog_kn=1.0, min_dwell_hours=2)
    assert list(calls2["port"]) == ["A", "B"]


def test_fast_positions_inside_fence_do_not_count():
    t = track(273000001, [0, 1, 2, 3, 4, 5], [0.05] * 6, [8, 9, 10, 9, 8, 9])
    assert port_calls.port_calls(t, fences(), max_sog_kn=1.0, min_dwell_hours=1).empty


def test_rectangular_fence_fast_path_equals_the_polygon_test():
    """A rectangle is labelled by its bounds, which must agree with shapely's `contains`
    (boundary excluded), also beside a non-rectangular fence sharing grid cells."""
    import shapely
    from shapely.geometry import Polygon

    fences = gpd.GeoDataFrame({"port": ["R", "T"]}, crs="EPSG:4326",
                              geometry=[box(130.0, 42.0, 130.1, 42.1),
                                        Polygon([(130.1, 42.0), (130.2, 42.0), (130.1, 42.1)])])
    rng = np.random.default_rng(3)
    lon = np.r_[rng.uniform(129.95, 130.25, 20000), 130.0, 130.1, 130.05, 130.05]
    lat = np.r_[rng.uniform(41.95, 42.15, 20000), 42.05, 42.05, 42.0, 42.1]   # + 4 boundary points
    got = port_calls.port_labels(lon, lat, fences)
    want = np.full(len(lon), -1)
    for i, g in enumerate(fences.geometry):
        want[(want < 0) & shapely.contains_xy(g, lon, lat)] = i
    assert (got == want).all() and (got[-4:] == -1).all()
    assert (got == 0).sum() > 1000 and (got == 1).sum() > 500
