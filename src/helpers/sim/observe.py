"""Observing the world: what AIS receivers, satellites and imagery record of it.

Terrestrial receivers hear ships within range (with outages); satellite passes hear a share of
the transmitting ships a few times a day; optical acquisitions (PlanetScope-, SkySat/Maxar- and
Sentinel-2-like) cover the ports, and the analyst annotates the ships moored in clear scenes.
Each observer draws from its own random stream (the world's seed plus a fixed offset).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Polygon, box

from .. import geo
from . import config as config_mod
from .world import END, MOORED_STEP, START, Vessel, World

RECEIVERS = {  # name: (lon, lat)
    "RU-VLADIVOSTOK": (131.90, 43.10),
    "RU-NAKHODKA": (132.88, 42.80),
    "RU-POSYET": (130.80, 42.65),
}



# --------------------------------------------------------------------------------------------
# AIS: what receivers and satellites record
# --------------------------------------------------------------------------------------------

def _outages(rng, n: int, hours: tuple[float, float]) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """`n` outage windows lasting `hours` (a range), starting at random in the period."""
    out = []
    for _ in range(n):
        s = START + pd.Timedelta(days=float(rng.uniform(3, 118)))
        out.append((s, s + pd.Timedelta(hours=float(rng.uniform(*hours)))))
    return out


def _in_any(ts: pd.Series, windows) -> np.ndarray:
    m = np.zeros(len(ts), dtype=bool)
    for a, b in windows:
        m |= ((ts >= a) & (ts < b)).to_numpy()
    return m


def _reception(cfg: dict | None) -> dict:
    return (cfg if cfg is not None else config_mod.DEFAULT)["reception"]


def observe_terrestrial(pos: pd.DataFrame, seed: int, cfg: dict | None = None) -> pd.DataFrame:
    """Coastal receivers: reception probability falls from 0.85 (config: reception.terrestrial_p)
    within 15 nm to 0 at 45 nm; each station has a few outages; a message heard by two stations
    is logged by both."""
    rc = _reception(cfg)
    rng = np.random.default_rng(seed + 2)
    live = pos[pos["ais_on"]]
    heard = []
    for name, (lon, lat) in RECEIVERS.items():
        d = geo.haversine_nm(live["lat"].to_numpy(), live["lon"].to_numpy(), lat, lon)
        top = rc["terrestrial_p"]
        p = np.clip(top * (45.0 - d) / 30.0, 0.0, top)
        keep = rng.random(len(live)) < p
        keep &= ~_in_any(live["ts"], _outages(rng, rc["terrestrial_outages"], rc["terrestrial_outage_hours"]))
        heard.append(live[keep].assign(receiver=name))
    return pd.concat(heard, ignore_index=True).sort_values(["ts", "mmsi", "receiver"], kind="stable")


def satellite_passes(seed: int, cfg: dict | None = None) -> tuple[pd.DatetimeIndex, list]:
    """About eight satellite passes a day at irregular times, with three provider outages
    (config: reception.satellite_outages)."""
    rc = _reception(cfg)
    rng = np.random.default_rng(seed + 3)
    days = pd.date_range(START, END, freq="D", inclusive="left")
    times = []
    for d in days:
        n = int(rng.integers(6, 11))
        times.extend(d + pd.to_timedelta(np.sort(rng.uniform(0, 24, n)), unit="h"))
    outages = _outages(rng, rc["satellite_outages"], rc["satellite_outage_hours"])
    times = pd.DatetimeIndex(times)
    keep = ~_in_any(pd.Series(times), outages)
    return times[keep], outages


def observe_satellite(pos: pd.DataFrame, seed: int, cfg: dict | None = None) -> pd.DataFrame:
    """Each pass hears each transmitting vessel's nearest transmission with probability 0.55
    (config: reception.satellite_p)."""
    rng = np.random.default_rng(seed + 4)
    passes, _ = satellite_passes(seed, cfg)
    p_sat = _reception(cfg)["satellite_p"]
    live = pos[pos["ais_on"]].sort_values("ts", kind="stable")
    rows = []
    for _mmsi, g in live.groupby("mmsi", sort=True):
        gt = g["ts"].to_numpy()
        idx = np.searchsorted(gt, passes.to_numpy())
        idx = np.clip(idx, 0, len(gt) - 1)
        close = np.abs(gt[idx] - passes.to_numpy()) <= np.timedelta64(45, "m")
        idx = np.unique(idx[close])
        idx = idx[rng.random(len(idx)) < p_sat]
        rows.append(g.iloc[idx])
    return pd.concat(rows, ignore_index=True).sort_values(["ts", "mmsi"], kind="stable")



# --------------------------------------------------------------------------------------------
# Imagery: acquisitions and the analyst's sightings
# --------------------------------------------------------------------------------------------

IMAGERY_PORTS = ["Rajin", "Dunai", "Vladivostok"]



def acquisitions(world: World) -> gpd.GeoDataFrame:
    """Simulated optical scenes over the ports: daily 3 m, daily tasked 0.5 m of Rajin and Dunai,
    5-day 10 m tiles; footprints, times and cloud cover. Config (world.config["imagery"]):
    `revisit_days` keeps the daily scenes of every n-th day only (the 5-day tiles stay),
    `cloud_factor` multiplies every scene's cloud cover (at most 100%). The draws are the same
    whatever the config, so a sparser or cloudier record loses scenes of the default one."""
    im = world.config["imagery"]
    rng = np.random.default_rng(world.seed + 5)
    rows = []
    days = pd.date_range(START, END, freq="D", inclusive="left")
    for port in IMAGERY_PORTS:
        p = world.port[port]
        for d in days:
            if rng.random() < 0.1:   # no acquisition that day
                continue
            t = d + pd.Timedelta(hours=float(rng.uniform(0.8, 2.6)))
            cx, cy = p.berth_lon + rng.uniform(-0.05, 0.05), p.berth_lat + rng.uniform(-0.03, 0.03)
            fp = box(cx - 0.12, cy - 0.06, cx + 0.12, cy + 0.06)
            cloud = _cloud(float(np.round(100 * rng.beta(0.6, 1.5 if d.month in (7, 8) else 1.8), 1)), im)
            rows.append(dict(acq_id=f"SIM-PS_{t:%Y%m%dT%H%M%S}_{port[:3].upper()}", platform="SIM-PS",
                             sensor="simulated PlanetScope-like 3 m", datetime=t, cloud_cover=cloud,
                             gsd_m=3.0, provider="simulated (PlanetScope-like)", footprint=fp))
    for port in ("Rajin", "Dunai"):   # tasked very-high-resolution scenes, daily
        p = world.port[port]
        for d in days:
            if rng.random() < 0.15:
                continue
            t = d + pd.Timedelta(hours=float(rng.uniform(3.0, 5.5)))
            cx, cy = p.berth_lon + rng.uniform(-0.01, 0.01), p.berth_lat + rng.uniform(-0.008, 0.008)
            cloud = _cloud(float(np.round(100 * rng.beta(0.5, 1.8), 1)), im)
            rows.append(dict(acq_id=f"SIM-HR_{t:%Y%m%dT%H%M%S}_{port[:3].upper()}", platform="SIM-HR",
                             sensor="simulated very-high-resolution 0.5 m (SkySat/Maxar-like)", datetime=t,
                             cloud_cover=cloud, gsd_m=0.5, provider="simulated (tasked VHR)",
                             footprint=box(cx - 0.04, cy - 0.025, cx + 0.04, cy + 0.025)))
    for tile, lon0, lat0 in (("T52TEN", 130.0, 41.8), ("T52TGN", 131.8, 42.5)):
        for d in pd.date_range(START + pd.Timedelta(days=int(rng.integers(0, 5))), END,
                               freq="5D", inclusive="left"):
            t = d + pd.Timedelta(hours=2, minutes=float(rng.uniform(0, 20)))
            cloud = _cloud(float(np.round(100 * rng.beta(0.8, 1.5), 1)), im)
            fp = Polygon([(lon0, lat0), (lon0 + 1.33, lat0), (lon0 + 1.33, lat0 + 0.9), (lon0, lat0 + 0.9)])
            rows.append(dict(acq_id=f"SIM-S2_{t:%Y%m%dT%H%M%S}_{tile}", platform="SIM-S2",
                             sensor="simulated Sentinel-2-like MSI 10 m", datetime=t, cloud_cover=cloud,
                             gsd_m=10.0, provider="simulated (Sentinel-2-like)", footprint=fp))
    if im["revisit_days"] > 1:
        day = [(r["datetime"].floor("D") - START) // pd.Timedelta(days=1) for r in rows]
        rows = [r for r, k in zip(rows, day) if r["platform"] == "SIM-S2" or k % im["revisit_days"] == 0]
    df = gpd.GeoDataFrame(rows, geometry="footprint", crs="EPSG:4326")
    df["datetime"] = pd.to_datetime(df["datetime"], utc=True).dt.floor("s")
    return df.sort_values(["datetime", "acq_id"], kind="stable").reset_index(drop=True)


def _cloud(cloud: float, im: dict) -> float:
    return cloud if im["cloud_factor"] == 1.0 else float(min(100.0, round(cloud * im["cloud_factor"], 1)))


def sightings(world: World, acq: gpd.GeoDataFrame, pos: pd.DataFrame, max_cloud: float = 20.0) -> pd.DataFrame:
    """For each clear acquisition over a port, every ship moored at that port's quay."""
    # separate random streams, so background traffic does not change what is seen of the ships
    rng_interest, rng_other = np.random.default_rng(world.seed + 6), np.random.default_rng(world.seed + 7)
    names = {v.mmsi: v for v in world.vessels}
    interest = [v.name for v in world.vessels if v.of_interest]
    im = world.config["imagery"]
    moored = pos[pos["nav_status"] == 5]
    rows = []
    clear = acq[acq["cloud_cover"] <= max_cloud]
    for a in clear.itertuples():
        for port in IMAGERY_PORTS:
            p = world.port[port]
            if not shapely.contains_xy(a.footprint, p.berth_lon, p.berth_lat):
                continue
            near = moored[(moored["ts"] - a.datetime).abs() <= MOORED_STEP / 2]
            near = near[geo.haversine_nm(near["lat"].to_numpy(), near["lon"].to_numpy(),
                                         p.berth_lat, p.berth_lon) < 1.0]
            near = near.sort_values(["mmsi", "ts"]).drop_duplicates("mmsi")
            for r in near.itertuples():
                v = names[r.mmsi]
                rng = rng_interest if v.of_interest else rng_other
                hi_res = a.gsd_m <= 3.0
                sd = 6.0 if hi_res else 15.0
                length = float(np.round(v.length_m + rng.normal(0, sd)))
                if v.of_interest and hi_res:
                    u = rng.random() * (0.6 if a.gsd_m < 1 else 1.0)
                    conf = "high" if u < 0.50 else "medium" if u < 0.85 else "low" if u < 0.95 else "none"
                elif hi_res:
                    conf = "low" if rng.random() < 0.3 else "none"
                else:
                    conf = "none"
                named = None
                if conf != "none":
                    named = v.name
                    if v.of_interest and len(interest) > 1 and (
                            (conf == "low" and rng.random() < im["misid_low"])
                            or (conf == "medium" and im["misid_medium"] > 0 and rng.random() < im["misid_medium"])):
                        # a misidentification: the next ship of interest
                        named = interest[(interest.index(v.name) + 1) % len(interest)]
                containers = None
                if hi_res and port in ("Rajin", "Dunai"):
                    containers = _containers_on_quay(world, v, port, a.datetime, rng)
                note = ("ro-ro at pier 3 berth" if port == "Rajin" else "ro-ro at the military quay"
                        if port == "Dunai" else "at commercial berth")
                rows.append(dict(acq_id=a.acq_id, datetime=a.datetime, port=port,
                                 lat=round(r.lat + rng.normal(0, 0.0002), 5),
                                 lon=round(r.lon + rng.normal(0, 0.0003), 5),
                                 length_m=length, heading_deg=float(r.heading_deg),
                                 vessel=named, id_confidence=conf, containers=containers,
                                 analyst_note=f"simulated annotation: {note}"))
    df = pd.DataFrame(rows).sort_values(["datetime", "port", "lon"], kind="stable").reset_index(drop=True)
    df.insert(0, "sighting_id", [f"S{r.datetime:%Y%m%d}-{r.port[:3].upper()}-{i:03d}"
                                 for i, r in enumerate(df.itertuples())])
    df["containers"] = df["containers"].astype("Int64")
    return df


def _containers_on_quay(world: World, v: Vessel, port: str, t: pd.Timestamp, rng) -> int | None:
    """Containers visible on the quay next to a ship of interest (0 for other ships)."""
    if not v.of_interest:
        return int(rng.integers(0, 15))
    for vis in world.visits:
        if vis["vessel"] == v.name and vis["port"] == port and vis["arrival"] <= t < vis["departure"]:
            c = vis["containers"] or 0
            f = (t - vis["arrival"]) / (vis["departure"] - vis["arrival"])
            # Rajin: the stack is there before loading and shrinks; Dunai: it grows as unloaded.
            share = (1.0 - 0.6 * f) if vis["activity"] == "load" else min(1.0, 0.3 + f)
            if vis["activity"] not in ("load", "unload"):
                share = 0.05
            return int(round(c * share * rng.uniform(0.8, 1.0)))
    return None
