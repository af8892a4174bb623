"""Tests of helpers.ais.clean: the analysis window, cross-feed duplicates, implausible jumps (the
vectorised filter against its sequential definition) and the QA table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import ais
from helpers.ais import writers
from helpers.ais.clean import jump_mask
from helpers.geo import haversine_nm
from tests.factories import ANGARA, MARIA, TWO_VESSELS


def _feed(tmp_path, name, rows, receiver="R"):
    pos = pd.DataFrame(rows, columns=["mmsi", "ts", "lat", "lon"])
    pos["ts"] = pd.to_datetime(pos["ts"], utc=True)
    pos = pos.assign(sog_kn=10.0, cog_deg=90.0, heading_deg=90.0, nav_status=0,
                     receiver=receiver)
    return ais.read(writers.write_lines(writers.to_nmea(pos, TWO_VESSELS), tmp_path / name))


def test_clean(tmp_path):
    a = _feed(tmp_path, "a.nmea", [
        (ANGARA, "2023-07-31T23:00:00", 42.2, 130.3),   # outside window
        (ANGARA, "2023-08-01T00:00:00", 42.2, 130.3),
        (ANGARA, "2023-08-01T01:00:00", 42.3, 130.4),   # also in feed b -> duplicate
        (ANGARA, "2023-08-01T02:00:00", 45.0, 135.0),   # implausible jump (~270 nm in 1 h)
        (ANGARA, "2023-08-01T03:00:00", 42.4, 130.5),   # fine vs the last kept position
        (MARIA, "2023-08-01T00:30:00", 43.0, 131.7),
    ])
    b = _feed(tmp_path, "b.nmea", [(ANGARA, "2023-08-01T01:00:00", 42.3, 130.4),
                                   (MARIA, "2023-08-02T00:00:00", 43.1, 131.8)], receiver="S")
    c = ais.clean([a, b], "2023-08-01", "2023-08-02")
    assert c.positions[["mmsi", "ts"]].equals(
        c.positions[["mmsi", "ts"]].sort_values(["mmsi", "ts"], ignore_index=True))
    assert c.positions["mmsi"].tolist() == [ANGARA] * 3 + [MARIA]
    reasons = c.rejects["reason"].tolist()
    assert reasons.count("time outside analysis window") == 2
    jumps = [r for r in reasons if r.startswith("implausible jump: implied speed ")]
    assert len(jumps) == 1 and float(jumps[0].split()[-2]) > 200
    qa = c.qa.set_index("source")
    assert qa.loc["a.nmea", "duplicates"] + qa.loc["b.nmea", "duplicates"] == 1
    assert qa.loc["total", "kept"] == 4 and qa.loc["total", "duplicates"] == 1
    assert qa.loc["a.nmea", "rejected_positions"] == 2
    for _src, r in qa.iterrows():
        assert r["positions_read"] == r["kept"] + r["rejected_positions"] + r["duplicates"]
        assert r["rows_read"] == r["kept"] + r["rejected"] + r["duplicates"] + r["static"] \
            + r["skipped"]
    assert len(c.vessels) == 2 and set(c.vessels["source"]) == {"a.nmea;b.nmea"}
    assert c.positions["flag"].isna().all() and qa.loc["a.nmea", "flagged"] == 1

    # jump_policy="keep": the same position stays, flagged; nothing else changes
    k = ais.clean([a, b], "2023-08-01", "2023-08-02", jump_policy="keep")
    assert len(k.positions) == 5 and len(k.rejects) == len(c.rejects) - 1
    flagged = k.positions[k.positions["flag"].notna()]
    assert flagged["ts"].tolist() == [pd.Timestamp("2023-08-01T02:00:00Z")]
    assert flagged["flag"].iloc[0] == jumps[0]
    kq = k.qa.set_index("source")
    assert kq.loc["a.nmea", "flagged"] == 1 and kq.loc["a.nmea", "rejected_positions"] == 1
    assert kq.loc["total", "kept"] == 5
    with pytest.raises(ValueError, match="jump_policy"):
        ais.clean([a], "2023-08-01", "2023-08-02", jump_policy="drop")


def sequential_jumps(mmsi, t, lat, lon, limit_kn):
    """The definition, one row at a time: a fix is rejected when its implied speed from the
    previous kept fix of the same vessel exceeds the limit (same time, other place: infinite)."""
    expect = np.zeros(len(mmsi), dtype=bool)
    last = None
    for i in range(len(mmsi)):
        if last is not None and mmsi[last] == mmsi[i]:
            d = haversine_nm(lat[last], lon[last], lat[i], lon[i])
            h = (t[i] - t[last]) / 3600
            if (d / h if h > 0 else (np.inf if d > 1e-6 else 0)) > limit_kn:
                expect[i] = True
                continue
        last = i
    return expect


def test_jump_filter_matches_sequential_definition():
    rng = np.random.default_rng(7)
    n = 400
    mmsi = np.sort(rng.choice([ANGARA, MARIA, 412000001], n))
    t = np.sort(rng.uniform(0, 86400 * 3, n))
    order = np.lexsort((t, mmsi))
    mmsi, t = mmsi[order], t[order]
    lat = 42.5 + rng.normal(0, 0.02, n) + (rng.random(n) < 0.1) * 2.0
    lon = 130.5 + rng.normal(0, 0.02, n)
    rej, _ = jump_mask(mmsi, t, lat, lon, 40.0)
    expect = sequential_jumps(mmsi, t, lat, lon, 40.0)
    assert rej.any() and (rej == expect).all()


@pytest.mark.parametrize("noise", [0.0, 0.1, 0.6])
def test_jump_filter_noisy_tracks_and_bad_first_fix(noise):
    rng = np.random.default_rng(11)
    n = 3000
    mmsi = np.repeat([ANGARA, MARIA, 412000001], n // 3)
    t = np.concatenate([np.sort(rng.uniform(0, 86400 * 5, n // 3)) for _ in range(3)])
    lat = 42.5 + np.cumsum(rng.normal(0, 0.002, n)) + (rng.random(n) < noise) * rng.normal(0, 1, n)
    lon = 130.5 + rng.normal(0, 0.01, n)
    lat[0] = 10.0  # a vessel whose first fix is wrong
    t[5] = t[4]  # same time, different place: infinite speed
    rej, spd = jump_mask(mmsi, t, lat, lon, 40.0, window=8)
    expect = sequential_jumps(mmsi, t, lat, lon, 40.0)
    assert (rej == expect).all()
    assert (spd[rej] > 40).all() and np.isnan(spd[~rej]).all()


def test_clean_with_nothing_to_reject_keeps_everything(tmp_path):
    """Regression: a clean input (no row outside the window, no jump) must not fail."""
    from helpers import schema
    pos = schema.validate(pd.DataFrame({
        "mmsi": [273210440, 273210440], "ts": pd.to_datetime(["2023-08-01T00:00Z", "2023-08-01T01:00Z"], utc=True),
        "lat": [42.0, 42.01], "lon": [131.0, 131.0], "sog_kn": [1.0, 1.0], "cog_deg": [0.0, 0.0],
        "heading_deg": [0.0, 0.0], "nav_status": [0, 0], "source": "x", "msg_type": [1, 1]}), "positions")
    data = ais.AisData(pos, schema.empty("vessels"), schema.empty("rejects"),
                       {"source": "x", "rows_read": 2, "positions": 2, "static": 0, "rejected": 0,
                        "by_reason": {}, "skipped": 0, "vessels": 1, "first_ts": None, "last_ts": None})
    out = ais.clean([data], pd.Timestamp("2023-07-01", tz="UTC"), pd.Timestamp("2023-11-01", tz="UTC"))
    assert len(out.positions) == 2 and out.rejects.empty


def test_duplicates_across_feeds_that_round_coordinates_differently():
    """The same message in an NMEA feed (AIS resolution) and a CSV export (5 decimals) is one
    duplicate, even when the two roundings fall either side of a 4th-decimal boundary."""
    from helpers import schema

    def data(lat, source):
        pos = schema.validate(pd.DataFrame({
            "mmsi": [273000002], "ts": pd.to_datetime(["2023-07-16T18:00Z"], utc=True), "lat": [lat],
            "lon": [131.08855], "sog_kn": [0.1], "cog_deg": [None], "heading_deg": [None], "nav_status": [5],
            "source": source, "msg_type": [1]}), "positions")
        return ais.AisData(pos, schema.empty("vessels"), schema.empty("rejects"),
                           {"source": source, "rows_read": 1, "positions": 1, "static": 0, "rejected": 0,
                            "by_reason": {}, "skipped": 0, "vessels": 1, "first_ts": None, "last_ts": None})

    out = ais.clean([data(42.638015, "a.nmea"), data(42.63802, "b.csv")],
                    pd.Timestamp("2023-07-01", tz="UTC"), pd.Timestamp("2023-11-01", tz="UTC"))
    qa = out.qa.set_index("source")
    assert len(out.positions) == 1 and out.positions.iloc[0].source == "a.nmea" and out.rejects.empty
    assert qa.loc["b.csv", "duplicates"] == 1 and qa.loc["total", "duplicates"] == 1
