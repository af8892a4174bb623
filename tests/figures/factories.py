"""Synthetic inputs for the figure tests (and the report test): hand-made tables, one maker
per figure, and the image comparison against the committed baselines in tests/baseline/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, box

from helpers import figures as F
from helpers import geo

UTC = "UTC"
WINDOW = (pd.Timestamp("2023-08-01", tz=UTC), pd.Timestamp("2023-11-01", tz=UTC))
SOURCE = "Data: simulated reference scenario (synthetic test data), not real observations"
# the colours of the synthetic inputs' cast (a Palette never changes, so one serves every test)
PALETTE = F.Palette.for_cast(["ANGARA", "MARIA"], "Rajin", "Dunai")


def _ts(s: str) -> pd.Timestamp:
    return pd.Timestamp(s, tz=UTC)


def synthetic_inputs() -> dict:
    """Two square 'land' blocks, three ports, a route, tracks, sightings and a reconstruction."""
    land = gpd.GeoDataFrame(
        {"name": ["west", "north"]},
        geometry=[box(129.0, 41.0, 130.29, 42.6), box(130.9, 42.9, 134.5, 44.0)], crs=4326)
    berths = {"Rajin": (130.30, 42.25, "origin"), "Dunai": (132.34, 42.88, "destination"),
              "Vladivostok": (131.89, 43.11, "other")}
    ports = gpd.GeoDataFrame(
        {"port": list(berths), "role": [v[2] for v in berths.values()],
         "berth_lon": [v[0] for v in berths.values()],
         "berth_lat": [v[1] for v in berths.values()]},
        geometry=[Point(v[0], v[1]).buffer(0.006) for v in berths.values()], crs=4326)
    route = LineString([(130.31, 42.24), (130.6, 42.05), (131.5, 42.25), (132.2, 42.6),
                        (132.34, 42.87)])
    last_positions = pd.DataFrame({
        "vessel": ["ANGARA", "MARIA"], "ts": [_ts("2023-08-12 06:10"), _ts("2023-08-20 21:40")],
        "lat": [42.62, 42.55], "lon": [132.05, 132.30]})
    tracks = pd.DataFrame({
        "vessel": ["ANGARA"] * 4 + ["MARIA"] * 3,
        "ts": [_ts("2023-08-11 00:00"), _ts("2023-08-11 06:00"), _ts("2023-08-11 12:00"),
               _ts("2023-08-12 06:10"), _ts("2023-08-20 09:00"), _ts("2023-08-20 15:00"),
               _ts("2023-08-20 21:40")],
        "lat": [43.05, 42.9, 42.75, 42.62, 42.85, 42.7, 42.55],
        "lon": [131.9, 131.95, 132.0, 132.05, 132.34, 132.32, 132.30]})
    rows = [("s1", "2023-08-25 02:00", "Rajin", "ANGARA", "identified"),
            ("s2", "2023-09-03 02:00", "Dunai", "ANGARA", "identified"),
            ("s3", "2023-09-20 02:00", "Rajin", "MARIA", "identified"),
            ("s4", "2023-10-02 02:00", "Dunai", "MARIA", "identified"),
            ("s5", "2023-10-10 02:00", "Rajin", None, "unidentified"),
            ("s6", "2023-10-15 02:00", "Rajin", "ANGARA", "identified")]
    sightings = pd.DataFrame({
        "sighting_id": [r[0] for r in rows], "acq_id": [f"a{r[0]}" for r in rows],
        "datetime": [_ts(r[1]) for r in rows], "port": [r[2] for r in rows],
        "lat": [berths[r[2]][1] + 0.001 * i for i, r in enumerate(rows)],
        "lon": [berths[r[2]][0] - 0.001 * i for i, r in enumerate(rows)],
        "length_m": 110.0, "vessel": [r[3] for r in rows], "id_confidence": "high",
        "match": [r[4] for r in rows]})
    st = []
    for v, off in (("ANGARA", 0), ("MARIA", 6)):
        t = _ts("2023-08-01") + pd.Timedelta(days=off)
        seq = ["at Dunai", "in transit", "at Rajin", "in transit"] * 5
        for i, s in enumerate(seq):
            d = pd.Timedelta(days=2 if s == "in transit" else 3)
            st.append((v, s if i != 5 else "unknown", t, min(t + d, WINDOW[1])))
            t = t + d
            if t >= WINDOW[1]:
                break
    states = pd.DataFrame(st, columns=["vessel", "state", "start", "end"])
    dark = pd.DataFrame({
        "vessel": ["ANGARA", "MARIA", "MARIA"],
        "start_ts": [_ts("2023-08-12 06:10"), _ts("2023-08-20 21:40"), _ts("2023-08-08")],
        "end_ts": [_ts("2023-10-31"), _ts("2023-10-31"), _ts("2023-08-09")],
        "class": ["likely-disabled", "likely-disabled", "reception"]})
    trips = pd.DataFrame({
        "vessel": ["ANGARA"] * 3 + ["MARIA"] * 2, "trip_no": [1, 2, 3, 1, 2],
        "start": [_ts("2023-08-04"), _ts("2023-08-14"), _ts("2023-08-24"), _ts("2023-08-10"),
                  _ts("2023-08-20")],
        "end": [_ts("2023-08-14"), _ts("2023-08-24"), _ts("2023-09-03"), _ts("2023-08-20"),
                _ts("2023-08-30")]})
    sightings["heading_deg"] = [30.0, 200.0, 45.0, 10.0, 90.0, 215.0]
    sightings["containers"] = pd.array([180, 150, 120, 110, None, 200], dtype="Int64")
    # AIS positions per day: hourly for ANGARA until it goes dark, every 2 h for MARIA
    hours = pd.date_range("2023-08-01", "2023-08-12 06:00", freq="h", tz=UTC)
    positions = pd.concat([
        pd.DataFrame({"vessel": "ANGARA", "ts": hours[::1]}),
        pd.DataFrame({"vessel": "MARIA", "ts": pd.date_range("2023-08-01", "2023-08-20 21:00",
                                                           freq="2h", tz=UTC)}),
        pd.DataFrame({"vessel": "ANGARA", "ts": pd.date_range("2023-10-31", periods=12,
                                                            freq="h", tz=UTC)})],
        ignore_index=True)
    days = pd.date_range("2023-08-01", "2023-10-31", freq="D", tz=UTC)
    cov = []
    for i, d in enumerate(days):
        for port, k in (("Rajin", 0), ("Dunai", 1)):
            for j in range((i + k) % 3):
                cov.append((port, d.date().isoformat(), f"acq-{port}-{i}-{j}", (i + j) % 4 != 0))
    coverage = pd.DataFrame(cov, columns=["port", "date", "acq_id", "clear"])
    acquisitions = gpd.GeoDataFrame(
        {"acq_id": sightings["acq_id"], "sensor": ["test sensor 0.5 m"] * 5 + ["test sensor 3 m"]},
        geometry=[box(lon - 0.05, lat - 0.05, lon + 0.05, lat + 0.05) if i != 1 else
                  box(lon - 0.001, lat - 0.05, lon + 0.05, lat + 0.05)
                  for i, (lon, lat) in enumerate(zip(sightings["lon"], sightings["lat"]))],
        crs=4326)
    visits = [("ANGARA", "Rajin", "2023-08-15", 200, 200, 250),
              ("ANGARA", "Dunai", "2023-08-18", 190, 190, 238),
              ("MARIA", "Rajin", "2023-08-24", 150, 150, 188),
              ("MARIA", "Dunai", "2023-08-27", 140, 140, 175),
              ("ANGARA", "Rajin", "2023-09-01", 260, 260, 325),
              ("ANGARA", "Dunai", "2023-09-04", 255, 255, 319),
              ("MARIA", "Dunai", "2023-09-20", 300, 300, 375),
              ("ANGARA", "Dunai", "2023-10-05", 280, 280, 350)]
    cont = pd.DataFrame(visits, columns=["vessel", "port", "date", "counted", "low", "high"])
    cont["visit_id"] = cont["vessel"] + "-" + cont["port"] + "-" + cont["date"]
    cont["datetime"] = pd.to_datetime(cont.pop("date"), utc=True)
    at = cont["port"] == "Dunai"
    cont["cumulative_low"] = cont["low"].where(at).cumsum().where(at)
    cont["cumulative_high"] = cont["high"].where(at).cumsum().where(at)
    # depot scenes: three a week apart or closer, a 14-day gap, then four 5 days apart
    depot = pd.DataFrame({"date": pd.to_datetime(["2023-08-01", "2023-08-06", "2023-08-12", "2023-08-26",
                                                  "2023-08-31", "2023-09-05", "2023-09-10"], utc=True),
                          "pits_count": [10, 10, 12, 14, 16, 16, 17],
                          "pits_filled": [1, 1, 2, 4, 6, 7, 9],
                          "railcars_with_containers": [0, 0, 0, 0, 30, 0, 45],
                          "cloud_cover": [5.0, 1.0, 2.0, 9.0, 0.5, 3.0, 4.0]})
    sens = pd.DataFrame([(r, c, g, 7, 7 - r // 3, 1.0 if r < 9 else 0.9,
                          max(0.0, 1.0 - 0.04 * (r - 1) * (1 + c)))
                         for r in (1, 2, 4, 7, 10) for c in (0.2, 0.5) for g in (12, 24)],
                        columns=["revisit_days", "cloud_prob", "gap_hours", "n_truth",
                                 "n_reconstructed", "precision", "recall"])
    # the locator's land is the committed coarse region file (bundled reference data)
    region_land = geo.load_region_land()
    region_borders = geo.load_region_land(layer="borders")
    return dict(land=land, ports=ports, route=route, last_positions=last_positions,
                region_land=region_land, region_borders=region_borders,
                tracks=tracks, sightings=sightings, states=states, dark=dark, trips=trips,
                positions=positions, coverage=coverage, acquisitions=acquisitions,
                containers=cont, depot=depot, sensitivity=sens)


POSSIBLE = pd.DataFrame({"vessel": ["ANGARA"], "trip_no": [1], "start": [_ts("2023-09-20")],
                         "end": [_ts("2023-09-26")]})


def make_map(d=None, title="ANGARA and MARIA shuttled between Rajin and Dunai", region=True, layout=F.HOUSE):
    d = d or synthetic_inputs()
    return F.route_map(d["land"], d["ports"], palette=PALETTE, route=d["route"],
                       last_positions=d["last_positions"], sightings=d["sightings"],
                       tracks=d["tracks"], title=title,
                       region_land=d["region_land"] if region else None,
                       region_borders=d["region_borders"] if region else None,
                       subtitle="Satellite images place both ships at both ports while their "
                                "transponders were off", source_line=SOURCE, layout=layout)


def make_timeline(d=None, title="Both ships made at least five round trips with AIS off", layout=F.HOUSE,
                  possible=False):
    d = d or synthetic_inputs()
    return F.timeline(d["states"], palette=PALETTE, sightings=d["sightings"], dark_periods=d["dark"],
                      possible_trips=POSSIBLE if possible else None,
                      round_trips=d["trips"], window=WINDOW, title=title,
                      subtitle="Where each ship was, August to October 2023",
                      source_line=SOURCE, layout=layout)


def make_ais(d=None, title="ANGARA went dark for 80 days", layout=F.HOUSE):
    d = d or synthetic_inputs()
    return F.ais_activity(d["positions"], d["dark"], palette=PALETTE, window=WINDOW, title=title,
                          subtitle="AIS positions per day", source_line=SOURCE, layout=layout)


def make_coverage(d=None, title="Rajin was imaged on most days", layout=F.HOUSE):
    d = d or synthetic_inputs()
    return F.coverage_calendar(d["coverage"], d["sightings"], palette=PALETTE, ports=["Rajin", "Dunai"],
                               window=WINDOW, title=title, subtitle="Scenes per port and day",
                               source_line=SOURCE, layout=layout)


def make_containers(d=None, title="At least 1,065 containers delivered at Dunai", layout=F.HOUSE):
    d = d or synthetic_inputs()
    return F.containers_chart(d["containers"], d["depot"], palette=PALETTE, window=WINDOW, claimed=1000,
                              claim_date=_ts("2023-10-13"), title=title,
                              subtitle="Containers counted per visit", source_line=SOURCE, layout=layout)


def make_validation(d=None, title="Every trip is found with daily imagery", layout=F.HOUSE):
    d = d or synthetic_inputs()
    return F.sensitivity_chart(d["sensitivity"], gap_hours=12, default_revisit=1, title=title,
                               subtitle="Recall and precision", source_line=SOURCE, layout=layout)


def make_cards(d=None, title="Five sightings put both ships at both berths", layout=F.HOUSE):
    d = d or synthetic_inputs()
    cards = F.key_sightings(d["sightings"], ["Rajin", "Dunai"], palette=PALETTE)
    return F.sighting_cards(cards, d["acquisitions"], d["ports"], d["land"], palette=PALETTE, title=title,
                            subtitle="Berth-scale cards", source_line=SOURCE,
                            beams={"ANGARA": 18.0, "MARIA": 16.0}, layout=layout)


def make_lede(d=None, title=None, layout=F.HOUSE):
    d = d or synthetic_inputs()
    n = F.lede_numbers(d["trips"], POSSIBLE, d["dark"], ["ANGARA", "MARIA"])
    return F.lede_strip(n, palette=PALETTE, window=WINDOW, title=title or F.lede_title(n, "Rajin", "Dunai"),
                        subtitle="Each block one round trip", source_line=SOURCE, layout=layout)


MAKERS = {"fig00_lede": make_lede, "fig01_route_map": make_map, "fig02_timeline": make_timeline,
          "fig03_ais_activity": make_ais, "fig04_coverage": make_coverage,
          "fig05_containers": make_containers, "fig06_validation": make_validation,
          "fig07_sighting_cards": make_cards}


# ---------------------------------------------------------------------------------------------
# Image regression against committed baselines (nbval does not compare images).
# Regenerate after an intended change:
#   RAJIN_DUNAI_UPDATE_BASELINES=1 .venv/bin/pytest tests/figures -k baseline
# then look at every image in tests/baseline/ before committing it.
# ---------------------------------------------------------------------------------------------
BASELINE = Path(__file__).parent.parent / "baseline"
BASELINE_DPI = 60          # small files; the layout is the same as the 200 dpi PNG
TOLERANCE = 2.0            # RMS of 0-255 pixel values (matplotlib.testing.compare)


def assert_matches_baseline(name: str, fig, tmp_path: Path) -> None:
    """Save `fig` at 60 dpi and compare it with tests/baseline/`name`.png."""
    from matplotlib.testing.compare import compare_images

    actual = tmp_path / f"{name}.png"
    with F.use_style():
        fig.savefig(actual, dpi=BASELINE_DPI, metadata={"Software": None})
    expected = BASELINE / f"{name}.png"
    if os.environ.get("RAJIN_DUNAI_UPDATE_BASELINES"):
        BASELINE.mkdir(exist_ok=True)
        shutil.copyfile(actual, expected)
    assert expected.is_file(), (f"no baseline {expected.name}: run with "
                                "RAJIN_DUNAI_UPDATE_BASELINES=1 to create it")
    err = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert err is None, err


def recast(d: dict, ships: dict[str, str], ports: dict[str, str]) -> dict:
    """The synthetic inputs with ships and ports renamed (`ships`, `ports`: old -> new name), to
    draw another cast."""
    d = {k: (v.copy() if hasattr(v, "copy") else v) for k, v in d.items()}
    for k in ("last_positions", "tracks", "sightings", "states", "dark", "trips", "positions",
              "containers"):
        d[k]["vessel"] = d[k]["vessel"].replace(ships)
    for k in ("ports", "sightings", "coverage", "containers"):
        d[k]["port"] = d[k]["port"].replace(ports)
    d["states"]["state"] = d["states"]["state"].replace({f"at {a}": f"at {b}" for a, b in ports.items()})
    return d
