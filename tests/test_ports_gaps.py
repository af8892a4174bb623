"""Port calls and dark periods on small hand-made tracks with known answers."""

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

from helpers import gaps, ports

T0 = pd.Timestamp("2023-08-01T00:00:00Z")


def fences():
    return gpd.GeoDataFrame({"port": ["A", "B"]}, geometry=[box(0, 0, 0.1, 0.1), box(1, 0, 1.1, 0.1)],
                            crs="EPSG:4326")


def track(mmsi, hours, lons, sogs, lat=0.05):
    return pd.DataFrame({"mmsi": mmsi, "ts": [T0 + pd.Timedelta(hours=h) for h in hours],
                         "lat": lat, "lon": lons, "sog_kn": sogs})


def test_port_call_bounds_and_gap_inside_fence_does_not_split():
    # 0-6 h slow in A (with a 3 h reception gap at 2-5 h), sail, 20-22 h slow in B (too short).
    t = track(273000001, [0, 1, 2, 5, 6, 8, 12, 20, 21, 22],
              [0.05, 0.05, 0.05, 0.05, 0.05, 0.5, 0.9, 1.05, 1.05, 1.05],
              [0.1, 0.0, 0.2, 0.1, 0.3, 11, 11, 0.1, 0.0, 0.1])
    calls = ports.port_calls(t, fences(), max_sog_kn=1.0, min_dwell_hours=4, names={273000001: "X"})
    assert len(calls) == 1
    c = calls.iloc[0]
    assert (c.port, c.vessel, c.n_positions) == ("A", "X", 5)
    assert c.arrival == T0 and c.departure == T0 + pd.Timedelta(hours=6)
    assert c.call_id == "273000001-A-20230801T0000"
    calls2 = ports.port_calls(t, fences(), max_sog_kn=1.0, min_dwell_hours=2)
    assert list(calls2["port"]) == ["A", "B"]


def test_fast_positions_inside_fence_do_not_count():
    t = track(273000001, [0, 1, 2, 3, 4, 5], [0.05] * 6, [8, 9, 10, 9, 8, 9])
    assert ports.port_calls(t, fences(), max_sog_kn=1.0, min_dwell_hours=1).empty


def test_dark_periods_found_measured_and_classified():
    # vessel 1 silent 10:00 -> 40:00 (30 h) while vessel 2 next to it reports hourly: likely disabled.
    # vessel 3 silent 14 h far away where nobody else is heard: reception.
    v1 = track(273000001, [0, 5, 10, 40, 41], [0.5, 0.5, 0.5, 0.75, 0.75], [10] * 5)
    v2 = track(273000002, list(range(0, 48)), [0.52] * 48, [10] * 48)
    v3 = track(273000003, [0, 14, 15], [5.0, 5.5, 5.5], [10] * 3, lat=3.0)
    pos = pd.concat([v2, v3, v1], ignore_index=True)        # unsorted on purpose
    d = gaps.dark_periods(pos, 12, radius_nm=30, min_per_day=20, names={273000001: "ONE"})
    assert list(d["mmsi"]) == [273000001, 273000003]
    one, three = d.iloc[0], d.iloc[1]
    assert one.hours == 30.0 and one["class"] == "likely-disabled" and one.vessel == "ONE"
    assert one.start_ts == T0 + pd.Timedelta(hours=10) and one.end_ts == T0 + pd.Timedelta(hours=40)
    assert np.isclose(one.distance_nm, 15.0, rtol=0.01)         # 0.25 deg of longitude at the equator
    assert np.isclose(one.implied_speed_kn, 0.5, rtol=0.01)
    assert "29 positions of other vessels" in one.reason       # v2 at hours 11..39
    assert three["class"] == "reception" and three.hours == 14.0
    assert one.gap_id == "273000001-gap-20230801T1000"


def test_no_gap_at_threshold_and_between_vessels():
    v1 = track(273000001, [0, 12], [0.5, 0.5], [0, 0])         # exactly 12 h: not longer
    v2 = track(273000002, [30], [0.5], [0])                     # a different vessel later
    assert gaps.dark_periods(pd.concat([v1, v2]), 12).empty


def test_last_before_dark_takes_the_longest_likely_disabled_gap():
    v1 = track(273000001, [0, 5, 10, 40, 41, 100], [0.5, 0.5, 0.5, 0.75, 0.75, 0.8], [10] * 6)
    v2 = track(273000002, list(range(0, 110)), [0.52] * 110, [10] * 110)
    d = gaps.dark_periods(pd.concat([v1, v2]), 12, names={273000001: "ONE"})
    last = gaps.last_before_dark(d)
    assert list(last["vessel"]) == ["ONE"]
    assert last.iloc[0].ts == T0 + pd.Timedelta(hours=41) and last.iloc[0].dark_days == 2.5
