"""The reference scenario: a seeded simulator of the Rajin-Dunai shuttle and its observers.

No real AIS of ANGARA and MARIA is public. This module builds a *simulated* world from the
public facts (../shared/facts.md) plus stated assumptions, then observes it the way real
sources would, and writes what those sources publish, in their real formats:

- ``data/raw/ais/coastal_receivers_2023.nmea``: raw NMEA 0183 ``!AIVDM`` sentences with NMEA 4
  tag blocks (receiver, unix time) from three simulated Russian coastal receivers;
- ``data/raw/ais/provider_export_2023.csv``: a satellite-AIS provider export in the NOAA
  MarineCadastre column layout;
- ``data/raw/imagery/stac/``: a STAC catalog of simulated optical acquisitions (daily
  PlanetScope-like, 5-day Sentinel-2-like) with footprints and cloud cover;
- ``data/raw/imagery/sightings.csv``: the analyst's annotations of clear acquisitions;
- ``data/raw/imagery/depot_annotations.csv``: the analyst's counts at the Tikhoretsk depot (claim 6);
- ``data/truth/``: what really happened in the simulation (never read by the analysis notebooks);
- ``data/raw/MANIFEST``: every raw file with sha256, generator and seed.

Everything is driven by one seed; the same seed writes the same bytes. Regenerate with
``make scenario`` (``python -m helpers scenario``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Polygon, box

from . import geo, paths
from .fileio import write_csv

SEED = 20231016
START = pd.Timestamp("2023-07-01T00:00:00Z")
END = pd.Timestamp("2023-11-01T00:00:00Z")
GENERATOR = "helpers.scenario (rajin-dunai)"

# Assumptions (not public facts) are stated here and written to data/truth/assumptions.csv.
ASSUMPTIONS = {
    "ANGARA ais_off": "2023-08-13: ANGARA switches AIS off at sea after leaving Vladivostok",
    "MARIA ais_off": "2023-08-21: MARIA switches AIS off at sea after leaving Nakhodka",
    "ais_on": "both ships switch AIS back on about two hours before reaching home after their last round trip "
              "(late September)",
    "round trips": "ANGARA 4, MARIA 3 Rajin->Dunai->Rajin round trips, 5-11 days apart (public: at least 5-6)",
    "cargo": "ANGARA 260-330, MARIA 150-210 containers a trip (public: >1,000 in total)",
    "speeds": "ANGARA and MARIA sail at 10-12.5 kn; background ships 8-14 kn",
    "dimensions": "ANGARA 120 x 18 m, MARIA 100 x 16 m (not public)",
    "MARIA identity": "MMSI 273000002 and call signs are placeholders; IMO 8517839 unverified",
    "receivers": "terrestrial AIS receivers at Vladivostok, Nakhodka and Posyet, ~45 nm range",
    "depot": "Tikhoretsk depot: 60 pits (52 filled) before; 40 new pits dug over ~30 days from a few days before "
             "the first loading; trains reach the depot 14-17 days after the ship leaves Dunai; 40 containers fill "
             "a pit; the depot scene of 28 Sep 2023 (date of the published imagery) is clear (not public)",
    "imagery": "daily 3 m scenes per port (PlanetScope-like), 0.5 m tasked scenes of Rajin and Dunai daily "
               "(SkySat/Maxar-like), 5-day 10 m scenes (Sentinel-2-like)",
}

RECEIVERS = {  # name: (lon, lat)
    "RU-VLADIVOSTOK": (131.90, 43.10),
    "RU-NAKHODKA": (132.88, 42.80),
    "RU-POSYET": (130.80, 42.65),
}

UNDERWAY_STEP = pd.Timedelta(minutes=12)   # transmissions kept in the archive, under way
MOORED_STEP = pd.Timedelta(minutes=90)     # ... and at a berth (archive thinning)


@dataclass
class Vessel:
    name: str
    mmsi: int
    imo: int | None
    callsign: str
    flag: str
    ship_type: int
    length_m: float
    beam_m: float
    speed_kn: tuple[float, float]
    of_interest: bool = False
    segments: list = field(default_factory=list)   # ("stay", port, t0, t1) | ("sail", line, t0, t1)
    ais_off: list = field(default_factory=list)    # [(t0, t1)] transponder off


# --------------------------------------------------------------------------------------------
# The world: schedules of every vessel
# --------------------------------------------------------------------------------------------

class World:
    def __init__(self, seed: int = SEED):
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        self.ports = geo.load_ports()
        self.port = {r.port: r for r in self.ports.itertuples()}
        self._routes: dict = {}
        self._spots: dict = {}
        self.vessels: list[Vessel] = []
        self.visits: list[dict] = []   # truth port visits
        self.trips: list[dict] = []    # truth round trips

    # routes ---------------------------------------------------------------------------------
    def berth(self, port: str, vessel: Vessel) -> tuple[float, float]:
        """A berth position for `vessel` at `port`: the fence's berth point for ships of
        interest, a deterministic offset along the quay for the others."""
        p = self.port[port]
        if vessel.of_interest:
            return (p.berth_lon, p.berth_lat)
        spots = self.mooring_spots(port)
        return spots[vessel.mmsi % len(spots)]

    def mooring_spots(self, port: str) -> list[tuple[float, float]]:
        """Places for other ships: in water, inside the fence, a little off the main berth."""
        if port not in self._spots:
            p = self.port[port]
            ang = np.radians(np.arange(0, 360, 15))
            cand = [(p.berth_lon + r * np.cos(a) / np.cos(np.radians(p.berth_lat)), p.berth_lat + r * np.sin(a))
                    for r in (0.0025, 0.004, 0.006) for a in ang]
            xy = np.array(cand)
            fence = self.ports.loc[self.ports["port"] == port].geometry.iloc[0]
            ok = ~geo.on_land(xy[:, 0], xy[:, 1]) & shapely.contains_xy(fence, xy[:, 0], xy[:, 1])
            ok &= geo.distance_to_shore_nm(xy[:, 0], xy[:, 1]) > 0.06
            anchorage = (p.anchorage_lon, p.anchorage_lat)
            spots = [tuple(map(float, c)) for c in xy[ok]]
            # keep spots from which a ship can sail out without crossing land
            spots = [c for c in spots if not geo.crosses_land(geo.sea_route(c, anchorage))]
            self._spots[port] = spots or [(p.berth_lon, p.berth_lat)]
        return self._spots[port]

    def route(self, a: tuple[float, float], b: tuple[float, float]) -> LineString:
        key = (round(a[0], 4), round(a[1], 4), round(b[0], 4), round(b[1], 4))
        if key not in self._routes:
            self._routes[key] = geo.sea_route(a, b)
        return self._routes[key]

    def sail(self, v: Vessel, a, b, t0: pd.Timestamp) -> pd.Timestamp:
        line = self.route(a, b)
        speed = self.rng.uniform(*v.speed_kn)
        hours = geo.length_nm(line) / speed
        t1 = t0 + pd.Timedelta(hours=hours)
        v.segments.append(("sail", line, t0, t1))
        return t1

    def stay(self, v: Vessel, port: str, t0, t1, activity: str, containers: int | None = None):
        v.segments.append(("stay", self.berth(port, v), t0, t1))
        if v.of_interest:
            self.visits.append(dict(vessel=v.name, port=port, arrival=t0, departure=t1,
                                    activity=activity, containers=containers))

    # vessels ----------------------------------------------------------------------------------
    def trade(self, v: Vessel, ports: list[str], t: pd.Timestamp, until: pd.Timestamp,
              start_port: str, dwell_days=(1.0, 3.5)) -> tuple[pd.Timestamp, str]:
        """Ordinary trade between `ports` from `t` until about `until`; returns time and port."""
        here = start_port
        while True:
            dwell = pd.Timedelta(days=self.rng.uniform(*dwell_days))
            if t + dwell >= until:
                return t, here
            self.stay(v, here, t, t + dwell, "trade")
            t = t + dwell
            nxt = [p for p in ports if p != here]
            there = nxt[int(self.rng.integers(len(nxt)))]
            t = self.sail(v, self.berth(here, v), self.berth(there, v), t)
            here = there

    def shuttle(self, v: Vessel, t: pd.Timestamp, n_trips: int, cargo: tuple[int, int],
                last_return: pd.Timestamp, wait_days: tuple[float, float]) -> pd.Timestamp:
        """Rajin -> Dunai -> Rajin round trips, loading at Rajin and unloading at Dunai."""
        rajin, dunai = self.berth("Rajin", v), self.berth("Dunai", v)
        wait = pd.Timedelta(0)
        for i in range(n_trips):
            containers = int(self.rng.integers(cargo[0], cargo[1] + 1))
            load = wait + pd.Timedelta(days=self.rng.uniform(2.0, 3.5))
            self.stay(v, "Rajin", t, t + load, "load", containers)
            dep_r = t + load
            arr_d = self.sail(v, rajin, dunai, dep_r)
            unload = pd.Timedelta(days=self.rng.uniform(1.5, 3.0))
            self.stay(v, "Dunai", arr_d, arr_d + unload, "unload", containers)
            dep_d = arr_d + unload
            t = self.sail(v, dunai, rajin, dep_d)
            self.trips.append(dict(vessel=v.name, trip_no=i + 1, depart_rajin=dep_r,
                                   arrive_dunai=arr_d, depart_dunai=dep_d, return_rajin=t,
                                   containers=containers))
            # waiting at Rajin for the next cargo is part of the next visit
            wait = pd.Timedelta(days=self.rng.uniform(*wait_days))
        if t > last_return:
            raise RuntimeError(f"{v.name}: last return {t} after {last_return}; change the seed")
        return t

    def build(self) -> "World":
        rng = self.rng
        angara = Vessel("ANGARA", 273210440, 9179842, "UBCF9", "RU", 79, 120, 18, (10.0, 12.5), True)
        maria = Vessel("MARIA", 273000002, 8517839, "UBMR2", "RU", 79, 100, 16, (10.0, 12.0), True)
        self.vessels += [angara, maria]
        window_end = END - pd.Timedelta(hours=1)

        for v, home, trade_ports, off_day, n_trips, cargo, wait in (
            (angara, "Vladivostok", ["Vladivostok", "Vostochny", "Nakhodka"],
             "2023-08-13T04:00Z", 4, (260, 330), (5.0, 8.5)),
            (maria, "Nakhodka", ["Nakhodka", "Vladivostok", "Zarubino"],
             "2023-08-21T02:00Z", 3, (150, 210), (7.0, 11.0)),
        ):
            off = pd.Timestamp(off_day)
            # Normal trade with AIS on, ending at `home` shortly before the switch-off.
            t, here = self.trade(v, trade_ports, START, off - pd.Timedelta(days=4), home,
                                 dwell_days=(1.5, 4.0))
            if here != home:
                t = self.sail(v, self.berth(here, v), self.berth(home, v), t)
            self.stay(v, home, t, off - pd.Timedelta(hours=3), "trade")
            # Leave home, switch AIS off a few hours out, sail dark to Rajin.
            t_arr = self.sail(v, self.berth(home, v), self.berth("Rajin", v),
                              off - pd.Timedelta(hours=3))
            t = self.shuttle(v, t_arr, n_trips, cargo, pd.Timestamp("2023-10-14T23:00Z"), wait)
            # Wait at Rajin, then home, dark; AIS back on when approaching home again.
            t_dep = t + pd.Timedelta(days=rng.uniform(1.5, 3.0))
            self.stay(v, "Rajin", t, t_dep, "wait")
            t_home = self.sail(v, self.berth("Rajin", v), self.berth(home, v), t_dep)
            on = t_home - pd.Timedelta(hours=2)
            v.ais_off.append((off, on))
            self.stay(v, home, t_home, t_home + pd.Timedelta(days=2), "trade")
            t, here = self.trade(v, trade_ports, t_home + pd.Timedelta(days=2), window_end, home)
            self.stay(v, here, t, window_end, "trade")

        self._background(window_end)
        return self

    def _background(self, window_end: pd.Timestamp) -> None:
        """Thirty-two ordinary vessels: coastal trade, Rajin traffic and through transits."""
        rng = self.rng
        mids = [273, 273, 273, 273, 412, 413, 440, 431, 636, 538, 445]
        types = [70, 70, 70, 79, 80, 80, 30, 52, 60]
        groups = (
            [("coastal", ["Vladivostok", "Nakhodka", "Vostochny"])] * 14
            + [("coastal", ["Vladivostok", "Posyet", "Zarubino"])] * 6
            + [("rajin", ["Rajin", "Vladivostok"])] * 4
            + [("rajin", ["Rajin", "Posyet", "Nakhodka"])] * 2
            + [("transit", ["Vostochny", "Nakhodka", "Vladivostok"])] * 6
        )
        entries = [(131.30, 41.35), (132.60, 41.35), (133.90, 42.20), (130.40, 41.30)]
        for i, (kind, ports) in enumerate(groups):
            mid = mids[int(rng.integers(len(mids)))] if kind != "rajin" else int(rng.choice([273, 445, 413]))
            mmsi = mid * 1_000_000 + int(rng.integers(100_000, 999_999))
            ship_type = int(types[int(rng.integers(len(types)))])
            length = float(np.round(rng.uniform(60, 230)))
            v = Vessel(f"SIM {['TRADER', 'CARRIER', 'STAR', 'OCEAN', 'PRIMORYE'][i % 5]} {i + 1:02d}",
                       mmsi, int(9_000_000 + rng.integers(100_000, 899_999)) if length > 80 else None,
                       f"SIM{i + 1:02d}", "XX", ship_type, length, float(np.round(length / 6.5)),
                       (8.0, 14.0))
            self.vessels.append(v)
            t0 = START + pd.Timedelta(hours=float(rng.uniform(0, 48)))
            if kind == "transit":
                t = t0
                while t < window_end - pd.Timedelta(days=6):
                    a = entries[int(rng.integers(len(entries)))]
                    port = ports[int(rng.integers(len(ports)))]
                    t = self.sail(v, a, self.berth(port, v), t)
                    dwell = pd.Timedelta(days=rng.uniform(1, 3))
                    self.stay(v, port, t, t + dwell, "trade")
                    t = self.sail(v, self.berth(port, v), a, t + dwell)
                    t = t + pd.Timedelta(days=rng.uniform(4, 12))  # out of the area: no positions
            else:
                t, here = self.trade(v, ports, t0, window_end, ports[int(rng.integers(len(ports)))])
                self.stay(v, here, t, window_end, "trade")
            # Some vessels switch AIS off briefly at their berth (ordinary, not a shuttle).
            if rng.random() < 0.15:
                s = START + pd.Timedelta(days=float(rng.uniform(10, 110)))
                v.ais_off.append((s, s + pd.Timedelta(hours=float(rng.uniform(14, 40)))))


# --------------------------------------------------------------------------------------------
# Motion: every vessel's true positions at transmission times
# --------------------------------------------------------------------------------------------

def _line_arrays(line: LineString) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xy = np.asarray(line.coords)
    d = geo.haversine_nm(xy[:-1, 1], xy[:-1, 0], xy[1:, 1], xy[1:, 0])
    return xy[:, 0], xy[:, 1], np.concatenate([[0.0], np.cumsum(d)])


def _bearing(lat1, lon1, lat2, lon2):
    p1, p2, dl = np.radians(lat1), np.radians(lat2), np.radians(lon2 - lon1)
    x = np.sin(dl) * np.cos(p2)
    y = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)
    return (np.degrees(np.arctan2(x, y)) + 360.0) % 360.0


def _grid(t0: pd.Timestamp, t1: pd.Timestamp, step: pd.Timedelta) -> pd.DatetimeIndex:
    """Transmission times on a fixed UTC grid (so the same transmission has one time)."""
    first = t0.ceil(step)
    return pd.date_range(first, t1, freq=step, inclusive="left") if first < t1 else pd.DatetimeIndex([], tz="UTC")


def true_positions(world: World) -> pd.DataFrame:
    """Every vessel's position at each transmission time, with `ais_on` (transponder state)."""
    rng = np.random.default_rng(world.seed + 1)
    frames = []
    for v in world.vessels:
        for seg in v.segments:
            kind, geom, t0, t1 = seg
            t0, t1 = max(t0, START), min(t1, END)
            if t1 <= t0:
                continue
            if kind == "stay":
                ts = _grid(t0, t1, MOORED_STEP)
                n = len(ts)
                lon = np.full(n, geom[0]) + rng.normal(0, 0.00004, n)
                lat = np.full(n, geom[1]) + rng.normal(0, 0.00003, n)
                sog = np.round(np.abs(rng.normal(0, 0.1, n)), 1)
                cog = np.round(rng.uniform(0, 360, n), 1) % 360
                heading = np.full(n, float(int(rng.integers(0, 360))))
                status = np.full(n, 5)
            else:
                ts = _grid(t0, t1, UNDERWAY_STEP)
                n = len(ts)
                xs, ys, cum = _line_arrays(geom)
                frac = ((ts - seg[2]) / (seg[3] - seg[2])).to_numpy(dtype=float)
                dist = frac * cum[-1]
                lon, lat = np.interp(dist, cum, xs), np.interp(dist, cum, ys)
                ahead = np.minimum(dist + 0.5, cum[-1])
                cog = np.round(_bearing(lat, lon, np.interp(ahead, cum, ys), np.interp(ahead, cum, xs)), 1) % 360
                speed = cum[-1] / ((seg[3] - seg[2]).total_seconds() / 3600)
                sog = np.round(speed + rng.normal(0, 0.3, n), 1)
                heading = np.round(cog + rng.normal(0, 2, n)) % 360
                status = np.zeros(n, dtype=int)
            frames.append(pd.DataFrame({"mmsi": v.mmsi, "vessel": v.name, "ts": ts, "lat": lat,
                                        "lon": lon, "sog_kn": sog, "cog_deg": cog,
                                        "heading_deg": heading, "nav_status": status}))
    pos = pd.concat(frames, ignore_index=True)
    pos = pos.drop_duplicates(["mmsi", "ts"]).sort_values(["mmsi", "ts"], kind="stable")
    on = np.ones(len(pos), dtype=bool)
    for v in world.vessels:
        for a, b in v.ais_off:
            on &= ~((pos["mmsi"].to_numpy() == v.mmsi) & (pos["ts"] >= a).to_numpy() & (pos["ts"] < b).to_numpy())
    pos["ais_on"] = on
    return pos.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Observation: what AIS receivers and satellites record
# --------------------------------------------------------------------------------------------

def _outages(rng, n: int, hours: tuple[float, float]) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
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


def observe_terrestrial(pos: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Coastal receivers: reception probability falls from 0.85 within 15 nm to 0 at 45 nm;
    each station has a few outages; a message heard by two stations is logged by both."""
    rng = np.random.default_rng(seed + 2)
    live = pos[pos["ais_on"]]
    heard = []
    for name, (lon, lat) in RECEIVERS.items():
        d = geo.haversine_nm(live["lat"].to_numpy(), live["lon"].to_numpy(), lat, lon)
        p = np.clip(0.85 * (45.0 - d) / 30.0, 0.0, 0.85)
        keep = rng.random(len(live)) < p
        keep &= ~_in_any(live["ts"], _outages(rng, 3, (6, 30)))
        heard.append(live[keep].assign(receiver=name))
    return pd.concat(heard, ignore_index=True).sort_values(["ts", "mmsi", "receiver"], kind="stable")


def satellite_passes(seed: int) -> tuple[pd.DatetimeIndex, list]:
    """About eight satellite passes a day at irregular times, with three provider outages."""
    rng = np.random.default_rng(seed + 3)
    days = pd.date_range(START, END, freq="D", inclusive="left")
    times = []
    for d in days:
        n = int(rng.integers(6, 11))
        times.extend(d + pd.to_timedelta(np.sort(rng.uniform(0, 24, n)), unit="h"))
    outages = _outages(rng, 3, (16, 26))
    times = pd.DatetimeIndex(times)
    keep = ~_in_any(pd.Series(times), outages)
    return times[keep], outages


def observe_satellite(pos: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Each pass hears each transmitting vessel's nearest transmission with probability 0.55."""
    rng = np.random.default_rng(seed + 4)
    passes, _ = satellite_passes(seed)
    live = pos[pos["ais_on"]].sort_values("ts", kind="stable")
    rows = []
    for _mmsi, g in live.groupby("mmsi", sort=True):
        gt = g["ts"].to_numpy()
        idx = np.searchsorted(gt, passes.to_numpy())
        idx = np.clip(idx, 0, len(gt) - 1)
        close = np.abs(gt[idx] - passes.to_numpy()) <= np.timedelta64(45, "m")
        idx = np.unique(idx[close])
        idx = idx[rng.random(len(idx)) < 0.55]
        rows.append(g.iloc[idx])
    return pd.concat(rows, ignore_index=True).sort_values(["ts", "mmsi"], kind="stable")


# --------------------------------------------------------------------------------------------
# Imagery: acquisitions and the analyst's sightings
# --------------------------------------------------------------------------------------------

IMAGERY_PORTS = ["Rajin", "Dunai", "Vladivostok"]


def acquisitions(world: World) -> gpd.GeoDataFrame:
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
            cloud = float(np.round(100 * rng.beta(0.6, 1.5 if d.month in (7, 8) else 1.8), 1))
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
            cloud = float(np.round(100 * rng.beta(0.5, 1.8), 1))
            rows.append(dict(acq_id=f"SIM-HR_{t:%Y%m%dT%H%M%S}_{port[:3].upper()}", platform="SIM-HR",
                             sensor="simulated very-high-resolution 0.5 m (SkySat/Maxar-like)", datetime=t,
                             cloud_cover=cloud, gsd_m=0.5, provider="simulated (tasked VHR)",
                             footprint=box(cx - 0.04, cy - 0.025, cx + 0.04, cy + 0.025)))
    for tile, lon0, lat0 in (("T52TEN", 130.0, 41.8), ("T52TGN", 131.8, 42.5)):
        for d in pd.date_range(START + pd.Timedelta(days=int(rng.integers(0, 5))), END,
                               freq="5D", inclusive="left"):
            t = d + pd.Timedelta(hours=2, minutes=float(rng.uniform(0, 20)))
            cloud = float(np.round(100 * rng.beta(0.8, 1.5), 1))
            fp = Polygon([(lon0, lat0), (lon0 + 1.33, lat0), (lon0 + 1.33, lat0 + 0.9), (lon0, lat0 + 0.9)])
            rows.append(dict(acq_id=f"SIM-S2_{t:%Y%m%dT%H%M%S}_{tile}", platform="SIM-S2",
                             sensor="simulated Sentinel-2-like MSI 10 m", datetime=t, cloud_cover=cloud,
                             gsd_m=10.0, provider="simulated (Sentinel-2-like)", footprint=fp))
    df = gpd.GeoDataFrame(rows, geometry="footprint", crs="EPSG:4326")
    df["datetime"] = pd.to_datetime(df["datetime"], utc=True).dt.floor("s")
    return df.sort_values(["datetime", "acq_id"], kind="stable").reset_index(drop=True)


def sightings(world: World, acq: gpd.GeoDataFrame, pos: pd.DataFrame, max_cloud: float = 20.0) -> pd.DataFrame:
    """For each clear acquisition over a port, every ship moored at that port's quay."""
    # separate random streams, so background traffic does not change what is seen of the ships
    rng_interest, rng_other = np.random.default_rng(world.seed + 6), np.random.default_rng(world.seed + 7)
    names = {v.mmsi: v for v in world.vessels}
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
                    if conf == "low" and v.of_interest and rng.random() < 0.3:
                        named = "MARIA" if v.name == "ANGARA" else "ANGARA"   # a misidentification
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


# --------------------------------------------------------------------------------------------
# The depot near Tikhoretsk (claim 6): rail deliveries and the analyst's annotations
# --------------------------------------------------------------------------------------------

DEPOT = dict(pits_before=60, filled_before=52, new_pits=40, containers_per_pit=40,
             rail_days=(14.0, 17.0), train_days=(1.5, 3.0))
DEPOT_TASKED = pd.Timestamp("2023-09-28T00:00:00Z")   # date of the published depot imagery (facts, claim 6)


def depot(world: World, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Trains from Dunai to the depot and the analyst's counts in clear depot scenes.

    Its own random stream (seed + 11), so adding it changes no other file. Assumptions (not
    public): each delivery leaves Dunai by rail when the ship leaves and reaches the depot 14-17
    days later; the depot had 60 pits (52 filled) and digs 40 new ones over about 30 days from
    a few days before the first loading at Rajin; each 40 containers fill one pit over 3 days;
    the scene of 28 Sep 2023 (the date of the published imagery) was tasked and is clear.
    """
    rng = np.random.default_rng(seed + 11)
    trips = sorted(world.trips, key=lambda r: (r["depart_dunai"], r["vessel"]))
    trains = []
    for r in trips:
        arr = r["depart_dunai"] + pd.Timedelta(days=float(rng.uniform(*DEPOT["rail_days"])))
        dep = arr + pd.Timedelta(days=float(rng.uniform(*DEPOT["train_days"])))
        trains.append(dict(trip_id=f"{r['vessel']}-T{r['trip_no']}", vessel=r["vessel"],
                           containers=int(r["containers"]), train_arrival=arr.floor("s"),
                           train_departure=dep.floor("s")))
    trains = pd.DataFrame(trains)
    dig0 = min(r["depart_rajin"] for r in trips) - pd.Timedelta(days=float(rng.uniform(2, 8)))
    dig_days = float(rng.uniform(25, 35))
    rows = []
    for d in pd.date_range(START, END, freq="D", inclusive="left"):
        skip = rng.random() < 0.3     # no scene that day
        t = (d + pd.Timedelta(hours=float(rng.uniform(7.5, 9.0)))).floor("s")
        cloud = float(np.round(100 * rng.beta(0.6, 1.6), 1))
        if d == DEPOT_TASKED:         # the published scene: tasked, and clear
            skip, cloud = False, min(cloud, 10.0)
        if skip or cloud > 20.0:      # the analyst annotates clear scenes only
            continue
        dug = np.clip((t - dig0) / pd.Timedelta(days=dig_days), 0.0, 1.0)
        pits = DEPOT["pits_before"] + int(round(DEPOT["new_pits"] * dug))
        fill = 0.0
        for tr in trains.itertuples():
            f = np.clip((t - tr.train_arrival) / pd.Timedelta(days=3), 0.0, 1.0)
            fill += f * tr.containers / DEPOT["containers_per_pit"]
        filled = min(pits, DEPOT["filled_before"] + int(np.floor(fill)))
        here = trains[(trains["train_arrival"] <= t) & (trains["train_departure"] > t)]
        cars = int(sum(round(c / 2 * rng.uniform(0.5, 1.0)) for c in here["containers"]))
        pits_seen = max(0, pits + int(rng.integers(-2, 3)))
        filled_seen = int(np.clip(filled + int(rng.integers(-2, 3)), 0, pits_seen))
        notes = []
        if 0.0 < dug < 1.0:
            notes.append("fresh excavation: new pits")
        if cars:
            notes.append("train with containers on the depot siding")
        rows.append(dict(date=t, acq_id=f"SIM-HR_{t:%Y%m%dT%H%M%S}_TIK",
                         sensor="simulated very-high-resolution 0.5 m (SkySat/Maxar-like)",
                         pits_count=pits_seen, pits_filled=filled_seen,
                         railcars_with_containers=cars, cloud_cover=cloud,
                         analyst_note="simulated annotation: " + ("; ".join(notes) or "no change seen")))
    return pd.DataFrame(rows), trains


# --------------------------------------------------------------------------------------------
# Writing the scenario
# --------------------------------------------------------------------------------------------

def vessels_table(world: World) -> pd.DataFrame:
    return pd.DataFrame([dict(mmsi=v.mmsi, imo=v.imo, name=v.name, callsign=v.callsign, flag=v.flag,
                              ship_type=v.ship_type, length_m=v.length_m, beam_m=v.beam_m)
                         for v in world.vessels])


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def write_manifest(raw: Path, seed: int, described: dict[str, str]) -> Path:
    lines = ["# MANIFEST of data/raw: every input file, its sha256, and where it comes from.",
             "# THE DATA IS A SIMULATED REFERENCE SCENARIO, not real AIS or imagery.",
             f"# generator: {GENERATOR}; seed: {seed}; regenerate: make scenario",
             "file\tsha256\tgenerator\tseed\tsimulates"]
    files = sorted(p for p in raw.rglob("*") if p.is_file() and p.name != "MANIFEST")
    for p in files:
        rel = p.relative_to(raw).as_posix()
        what = next((d for k, d in described.items() if rel.startswith(k)), "simulated input")
        lines.append(f"{rel}\t{_sha256(p)}\t{GENERATOR}\t{seed}\t{what}")
    out = raw / "MANIFEST"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def corrupt(lines: list[str], seed: int, rate: float = 0.002) -> list[str]:
    """Real receiver logs are imperfect: damage a few lines (truncated in transmission, one
    payload character flipped) and add a receiver's own GPS sentences and a header comment."""
    rng = np.random.default_rng(seed + 8)
    out = list(lines)
    idx = np.sort(rng.choice(len(out), size=int(len(out) * rate), replace=False))
    for k, i in enumerate(idx):
        line = out[i]
        if k % 2 == 0:
            out[i] = line[: int(len(line) * 0.7)]                   # truncated
        else:
            j = line.rindex(",", 0, line.rindex("*")) - 3            # inside the payload
            out[i] = line[:j] + ("A" if line[j] != "A" else "B") + line[j + 1:]
    gps = [i for i in range(0, len(out), 20000)]
    for i in reversed(gps):
        out.insert(i, "$GPRMC,000000,A,4306.00,N,13154.00,E,0.0,0.0,010723,,,A*7E")
    return ["# simulated coastal AIS receivers (rajin-dunai helpers.scenario): NOT REAL DATA"] + out


def generate(root: Path | None = None, seed: int = SEED) -> dict:
    """Simulate the world, observe it, and write raw inputs, truth and MANIFEST under `root`."""
    from . import imagery
    from .ais import writers

    root = Path(root) if root is not None else paths.DATA
    raw, truth = root / "raw", root / "truth"
    world = World(seed).build()
    pos = true_positions(world)
    vessels = vessels_table(world)

    terr = observe_terrestrial(pos, seed)
    lines = corrupt(writers.to_nmea(terr, vessels, receiver_col="receiver"), seed)
    writers.write_lines(lines, raw / "ais" / "coastal_receivers_2023.nmea")
    sat = observe_satellite(pos, seed)
    write_csv(writers.to_marinecadastre(sat, vessels), raw / "ais" / "provider_export_2023.csv")

    acq = acquisitions(world)
    stac_dir = raw / "imagery" / "stac"
    imagery.write_stac(acq, stac_dir)
    sig = sightings(world, acq, pos)
    imagery.write_sightings(sig, raw / "imagery" / "sightings.csv")
    depot_scenes, depot_trains = depot(world, seed)
    write_csv(depot_scenes, raw / "imagery" / "depot_annotations.csv")

    write_manifest(raw, seed, {
        "ais/coastal_receivers": "raw NMEA 0183 AIVDM with NMEA 4 tag blocks from 3 simulated coastal receivers",
        "ais/provider_export": "satellite-AIS provider export, NOAA MarineCadastre column layout (simulated)",
        "imagery/stac": "STAC catalog of simulated optical acquisitions (PlanetScope-like, Sentinel-2-like)",
        "imagery/sightings": "simulated analyst annotations of ships at berths in clear acquisitions",
        "imagery/depot_annotations": "simulated analyst counts at the Tikhoretsk depot (pits, filled pits, "
                                     "railcars with containers) in clear scenes",
    })

    # Ground truth, kept apart: never read by the analysis notebooks.
    trips = pd.DataFrame(world.trips).sort_values(["vessel", "trip_no"], kind="stable")
    trips.insert(0, "trip_id", [f"{r.vessel}-T{r.trip_no}" for r in trips.itertuples()])
    write_csv(trips, truth / "round_trips.csv")
    visits = pd.DataFrame(world.visits).sort_values(["vessel", "arrival"], kind="stable")
    write_csv(visits, truth / "port_visits.csv")
    switches = pd.DataFrame([dict(vessel=v.name, mmsi=v.mmsi, ais_off=a, ais_on=b)
                             for v in world.vessels if v.of_interest for a, b in v.ais_off])
    write_csv(switches, truth / "ais_switches.csv")
    write_csv(depot_trains, truth / "depot_trains.csv")
    track = pos[pos["vessel"].isin(["ANGARA", "MARIA"])].set_index("ts").groupby("vessel")[["lat", "lon"]] \
        .resample("1h").first().dropna().reset_index()
    write_csv(track.round({"lat": 5, "lon": 5}), truth / "tracks_of_interest_hourly.csv")
    write_csv(pd.DataFrame([dict(item=k, assumption=v) for k, v in ASSUMPTIONS.items()]),
               truth / "assumptions.csv")
    (truth / "README.md").write_text(
        "# Ground truth of the simulated reference scenario\n\n"
        "What really happened in the simulation (`helpers.scenario`, seed "
        f"{seed}). Read only by `notebooks/70_validation` and the tests; the analysis never sees it.\n\n"
        "- `round_trips.csv`: one row per true Rajin -> Dunai -> Rajin round trip (UTC).\n"
        "- `port_visits.csv`: every port visit of ANGARA and MARIA (activity: trade, load, unload).\n"
        "- `ais_switches.csv`: when each ship's transponder was switched off and on.\n"
        "- `depot_trains.csv`: each delivery's train at the Tikhoretsk depot (arrival, departure, containers).\n"
        "- `tracks_of_interest_hourly.csv`: true hourly positions of ANGARA and MARIA (simulated).\n"
        "- `assumptions.csv`: what the scenario assumes where the public facts are silent.\n",
        encoding="utf-8")
    return dict(positions_true=len(pos), nmea_lines=len(lines), terrestrial=len(terr),
                satellite=len(sat), acquisitions=len(acq), sightings=len(sig), trips=len(trips))


def main() -> None:
    stats = generate()
    print(json.dumps(stats, indent=1))
