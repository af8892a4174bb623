"""The simulated world: its period, vessels, routes and voyages, and every vessel's true track.

A `World` holds the ports (helpers.geo) and vessels, and builds each vessel's schedule as
segments (a stay at a berth, or sailing a sea route) from one seed; `true_positions` samples
every vessel's position at its transmission times, with the transponder's state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString

from .. import geo
from . import config as config_mod
from .chips import moored_heading

SEED = 20231016
START = pd.Timestamp("2023-07-01T00:00:00Z")
END = pd.Timestamp("2023-11-01T00:00:00Z")
UNDERWAY_STEP = pd.Timedelta(minutes=12)   # transmissions kept in the archive, under way
MOORED_STEP = pd.Timedelta(minutes=90)     # ... and at a berth (archive thinning)


@dataclass
class Vessel:
    """A simulated ship: its identity, speed range, schedule (`segments`) and transponder-off
    windows (`ais_off`)."""
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


# Sea routes and mooring spots depend only on the bundled land and ports: shared by every World of
# a process (a study of many seeds computes each once).
_ROUTES: dict = {}
_SPOTS: dict = {}


class World:
    """The simulated ports and vessels, their schedules, and the truth (port visits of the ships of
    interest, their round trips), all drawn from one seeded random stream."""

    def __init__(self, seed: int = SEED, config: dict | None = None):
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        self.config = config if config is not None else config_mod.load(None)
        self.land = geo.load_land()      # the bundled clip: the reference scenario's region
        self.ports = geo.load_ports()
        self.port = {r.port: r for r in self.ports.itertuples()}
        self._routes: dict = _ROUTES
        self._spots: dict = _SPOTS
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
            ok = ~geo.on_land(xy[:, 0], xy[:, 1], self.land) & shapely.contains_xy(fence, xy[:, 0], xy[:, 1])
            ok &= geo.distance_to_shore_nm(xy[:, 0], xy[:, 1], self.land) > 0.06
            anchorage = (p.anchorage_lon, p.anchorage_lat)
            spots = [tuple(map(float, c)) for c in xy[ok]]
            # keep spots from which a ship can sail out without crossing land
            spots = [c for c in spots if not geo.crosses_land(geo.sea_route(c, anchorage, self.land), self.land)]
            self._spots[port] = spots or [(p.berth_lon, p.berth_lat)]
        return self._spots[port]

    def route(self, a: tuple[float, float], b: tuple[float, float]) -> LineString:
        key = (round(a[0], 4), round(a[1], 4), round(b[0], 4), round(b[1], 4))
        if key not in self._routes:
            self._routes[key] = geo.sea_route(a, b, self.land)
        return self._routes[key]

    def _anchorage(self, xy) -> tuple[float, float] | None:
        """The anchorage of the port whose berth `xy` is at (within about 1 nm), else None."""
        for p in self.ports.itertuples():
            if abs(xy[0] - p.berth_lon) < 0.02 and abs(xy[1] - p.berth_lat) < 0.015:
                return (float(p.anchorage_lon), float(p.anchorage_lat))
        return None

    def _via_anchorages(self, a, b) -> LineString:
        """`simulation.fast`: berth -> its anchorage -> the other's anchorage -> berth, each piece
        a cached sea route."""
        pts = [a, self._anchorage(a), self._anchorage(b), b]
        pts = [p for p in pts if p is not None]
        coords: list = []
        for p, q in zip(pts[:-1], pts[1:]):
            if p == q:
                continue
            c = list(self.route(p, q).coords)
            coords += c if not coords else c[1:]
        return LineString(coords) if len(coords) > 1 else self.route(a, b)

    def sail(self, v: Vessel, a, b, t0: pd.Timestamp) -> pd.Timestamp:
        fast = self.config["simulation"]["fast"] and not v.of_interest
        line = self._via_anchorages(a, b) if fast else self.route(a, b)
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
        stays = self.config["stays"]
        wait = pd.Timedelta(0)
        for i in range(n_trips):
            containers = int(self.rng.integers(cargo[0], cargo[1] + 1))
            load = wait + pd.Timedelta(days=self.rng.uniform(*stays["load_days"]))
            self.stay(v, "Rajin", t, t + load, "load", containers)
            dep_r = t + load
            arr_d = self.sail(v, rajin, dunai, dep_r)
            unload = pd.Timedelta(days=self.rng.uniform(*stays["unload_days"]))
            self.stay(v, "Dunai", arr_d, arr_d + unload, "unload", containers)
            dep_d = arr_d + unload
            t = self.sail(v, dunai, rajin, dep_d)
            self.trips.append(dict(vessel=v.name, trip_no=i + 1, depart_rajin=dep_r,
                                   arrive_dunai=arr_d, depart_dunai=dep_d, return_rajin=t,
                                   containers=containers))
            # waiting at Rajin for the next cargo is part of the next visit
            wait = pd.Timedelta(days=self.rng.uniform(*wait_days))
        if t > last_return:
            raise config_mod.ConfigError(
                f"scenario config {self.config['name']} (seed {self.seed})", "stays.last_return",
                f"{v.name}'s {n_trips} round trips end {t:%Y-%m-%d %H:%M} UTC, after {last_return:%Y-%m-%d %H:%M}",
                "give the ship fewer trips, shorter stays or waits, an earlier dark_from, or another seed")
        return t

    def build(self) -> "World":
        """The reference scenario's schedules: ANGARA and MARIA trade, go dark and shuttle
        Rajin -> Dunai -> Rajin, then come home; background traffic around them."""
        rng = self.rng
        ships = []
        for s in self.config["ships"]:
            beam = s["beam_m"] if s["beam_m"] is not None else round(s["length_m"] / 6.5)
            v = Vessel(s["name"], int(s["mmsi"]), s["imo"], s["callsign"], s["flag"], int(s["ship_type"]),
                       s["length_m"], beam, tuple(s["speed_kn"]), True)
            ships.append((v, s["home"], list(s["trade_ports"]), s["dark_from"], int(s["trips"]),
                          tuple(s["cargo"]), tuple(s["wait_days"])))
        self.vessels += [sh[0] for sh in ships]
        window_end = END - pd.Timedelta(hours=1)
        last_return = pd.Timestamp(self.config["stays"]["last_return"])

        for v, home, trade_ports, off_day, n_trips, cargo, wait in ships:
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
            t = self.shuttle(v, t_arr, n_trips, cargo, last_return, wait)
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
                heading = np.full(n, moored_heading(world, v, geom, int(rng.integers(0, 360))))
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


def vessels_table(world: World) -> pd.DataFrame:
    """The world's vessels in the canonical vessels columns (mmsi, imo, name, ... beam_m)."""
    return pd.DataFrame([dict(mmsi=v.mmsi, imo=v.imo, name=v.name, callsign=v.callsign, flag=v.flag,
                              ship_type=v.ship_type, length_m=v.length_m, beam_m=v.beam_m)
                         for v in world.vessels])
