"""Screening: components and score on hand-made tables; the shuttle ships first on the scenario."""

import pandas as pd
import pytest

from helpers import paths
from helpers.analysis import screening
from tests.factories import two_fences

T0 = pd.Timestamp("2023-08-01T00:00:00Z")


def ports():
    return two_fences(2.0, names=("O", "D"))


def gap(mmsi, hours, start_lon, end_lon, cls="likely-disabled"):
    return {"mmsi": mmsi, "start_ts": T0, "end_ts": T0 + pd.Timedelta(hours=hours), "hours": hours,
            "start_lat": 0.05, "start_lon": start_lon, "end_lat": 0.05, "end_lon": end_lon,
            "class": cls}


def vessels():
    return pd.DataFrame({"mmsi": [1, 2, 2, 3], "imo": pd.array([11, 22, 23, None], dtype="Int64"),
                         "name": ["ONE", "TWO", "TWO B", "THREE"],
                         "last_seen": [T0, T0, T0 + pd.Timedelta(days=1), T0]})


def test_components_and_score_by_hand():
    # route O-D 120 nm (2 deg of longitude at the equator); round trip at 12 kn + 2 x 24 h = 68 h.
    d = pd.DataFrame([
        gap(1, 300.0, 0.3, 0.3),                   # silent near O for 300 h: 4 round trips fit
        gap(1, 20.0, 0.05, 2.05, "reception"),     # O -> D in 20 h: a leg (>= 120/16 = 7.5 h)
        gap(2, 20.0, 0.05, 2.05, "reception"),     # another leg
        gap(3, 500.0, 5.0, 5.0),                   # silent far from both ports: no evidence
        gap(3, 5.0, 0.05, 2.05, "short"),          # too fast for the leg (< 7.5 h)
    ])
    r = screening.screen(d, vessels(), ports(), origin="O", destination="D", route_nm=120.0,
                         max_speed_kn=16.0, near_nm=30.0, cruise_kn=12.0, port_hours=24.0,
                         leg_max_hours=72.0, n_positions=pd.Series({1: 10, 2: 5, 3: 7, 4: 9}))
    r = r.set_index("mmsi")
    assert list(r.index) == [1, 2, 3, 4]
    assert r.loc[1, ["dark_near_ports", "round_trips_fit", "implied_legs", "identity_changes",
                     "score"]].tolist() == [1, 4, 1, 0, 6]
    assert r.loc[2, ["implied_legs", "identity_changes", "score", "name", "imo"]].tolist() == \
        [1, 2, 3, "TWO B", 23]                      # renamed and re-numbered: 2 changes
    assert r.loc[3, "score"] == 0 and r.loc[3, "dark_days"] == 20.8 and r.loc[3, "n_dark"] == 2
    assert r.loc[3, "rank"] == 3                   # ties broken by days dark in good reception
    assert r.loc[4, "n_positions"] == 9 and r.loc[4, "score"] == 0


def test_unknown_port_is_an_input_error():
    from helpers.errors import InputError
    with pytest.raises(InputError, match="Rajin"):
        screening.screen(pd.DataFrame([gap(1, 20, 0, 0)]), vessels(), ports(), origin="Rajin",
                         destination="D", route_nm=100.0, max_speed_kn=16.0)


@pytest.mark.slow
def test_notebook_ranks_the_shuttle_first_on_both_engines(run, tmp_path):
    """Notebook 80 on the session's pipeline run, once per engine: same ranking, shuttle first."""
    import shutil

    import papermill as pm
    outputs = {k: str(tmp_path / k) for k in ("processed", "figures", "build")}
    (tmp_path / "processed").mkdir()
    for name in ("positions", "vessels", "vessels_of_interest"):   # what notebook 80 reads
        shutil.copy(run.P.processed(f"{name}.parquet"), tmp_path / "processed")
    ranks = {}
    for eng in ("pandas", "dask"):
        pm.execute_notebook(str(paths.NOTEBOOKS / "80_screening.ipynb"), str(tmp_path / f"{eng}.ipynb"),
                            parameters={"overrides": {"engine": eng, "outputs": outputs}},
                            cwd=str(paths.NOTEBOOKS), progress_bar=False)
        ranks[eng] = pd.read_parquet(tmp_path / "processed" / "screening.parquet")
    r = ranks["pandas"]
    assert list(r["name"][:2]) == ["ANGARA", "MARIA"]
    assert list(r["mmsi"][:2]) == [273210440, 273000002]
    assert r["score"][1] > r["score"][2]           # a clear margin over the third vessel
    assert len(r) == 34
    pd.testing.assert_frame_equal(ranks["dask"], r)
