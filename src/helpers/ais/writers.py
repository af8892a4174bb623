"""AIS writers: positions and vessels as NMEA 4 sentences, MarineCadastre or DMA CSV.

Used by the simulator (helpers.sim) and the tests only; the analysis never writes AIS, so
helpers.ais does not import this module (import `helpers.ais.writers`). Output is deterministic:
the same tables give the same bytes.
"""

from __future__ import annotations

from functools import reduce
from operator import xor
from pathlib import Path

import numpy as np
import pandas as pd
import pyais

from ..fileio import atomic_write
from .providers import DMA_COLUMNS, DMA_NAV_STATUS, DMA_SHIP_TYPE, MC_COLUMNS
from .records import STATIC_KEY

_EPOCH = pd.Timestamp(0, tz="UTC")


def _epoch_seconds(ts: pd.Series) -> np.ndarray:
    t = pd.to_datetime(ts, utc=True)
    return ((t - _EPOCH) // pd.Timedelta(seconds=1)).to_numpy(dtype="int64")


def tag_block(sentence: str, **fields) -> str:
    """`sentence` behind an NMEA 4 tag block of `fields` in order (e.g. g=, s=, c=) with its checksum."""
    body = ",".join(f"{k}:{v}" for k, v in fields.items())
    return f"\\{body}*{reduce(xor, body.encode('ascii'), 0):02X}\\{sentence}"


def _split_dim(total, hi: int) -> tuple[int, int]:
    if total is None or pd.isna(total) or total <= 0:
        return 0, 0
    t = min(int(round(float(total))), 2 * hi)
    return (t + 1) // 2, t // 2


def _type5(v, sec: int, station: str, seq: int, group: int) -> list[str]:
    bow, stern = _split_dim(v.get("length_m"), 511)
    port, starboard = _split_dim(v.get("beam_m"), 63)
    imo = v.get("imo")
    stype = v.get("ship_type")
    data = {"type": 5, "mmsi": int(v["mmsi"]),
            "imo": 0 if imo is None or pd.isna(imo) else int(imo),
            "callsign": "" if not isinstance(v.get("callsign"), str) else v["callsign"].upper(),
            "shipname": "" if not isinstance(v.get("name"), str) else v["name"].upper(),
            "ship_type": 0 if stype is None or pd.isna(stype) else int(stype),
            "to_bow": bow, "to_stern": stern, "to_port": port, "to_starboard": starboard}
    parts = pyais.encode_dict(data, talker_id="AI", sentence_type="VDM", radio_channel="A",
                              seq_id=seq)
    n = len(parts)
    return [tag_block(p, g=f"{i}-{n}-{group}", s=station, c=sec) for i, p in enumerate(parts, 1)]


def to_nmea(positions: pd.DataFrame, vessels: pd.DataFrame, *, receiver_col: str = "receiver",
            static_every_hours: float = 6) -> list[str]:
    """NMEA 4 lines (tag block + sentence) for `positions`, sorted by time.

    One type-1 sentence per position (channel A/B alternating in time order) and each vessel's
    type-5 static report (2 sentences, `g:` group fields) at its first position and then at the
    first position at least `static_every_hours` after the previous report. Deterministic.
    """
    if len(positions) == 0:
        return []
    secs = _epoch_seconds(positions["ts"])
    order = np.argsort(secs, kind="stable")
    cols = {c: positions[c].to_numpy() for c in
            ("mmsi", "lat", "lon", "sog_kn", "cog_deg", "heading_deg", "nav_status")}
    receivers = positions[receiver_col].astype(str).to_numpy()
    static = {}
    if vessels is not None and len(vessels):
        v = vessels.copy()
        if "last_seen" in v.columns:
            v = v.sort_values(["mmsi", "last_seen"], kind="stable")
        for rec in v.drop_duplicates("mmsi", keep="last").to_dict("records"):
            static[int(rec["mmsi"])] = rec
    every = int(round(static_every_hours * 3600))
    last_static: dict[int, int] = {}
    out: list[str] = []
    seq = group = 0
    for k, i in enumerate(order):
        mmsi, sec, station = int(cols["mmsi"][i]), int(secs[i]), receivers[i]
        if mmsi in static and (mmsi not in last_static or sec - last_static[mmsi] >= every):
            group += 1
            out.extend(_type5(static[mmsi], sec, station, seq % 10, group))
            seq += 1
            last_static[mmsi] = sec
        sog, cog, hdg, nav = (cols["sog_kn"][i], cols["cog_deg"][i], cols["heading_deg"][i],
                              cols["nav_status"][i])
        data = {"type": 1, "mmsi": mmsi,
                "status": 15 if pd.isna(nav) else int(nav),
                "speed": 102.3 if pd.isna(sog) else min(float(sog), 102.2),
                "lat": float(cols["lat"][i]), "lon": float(cols["lon"][i]),
                "course": 360.0 if pd.isna(cog) else min(round(float(cog) % 360.0, 1), 359.9),
                "heading": 511 if pd.isna(hdg) else int(round(float(hdg))) % 360,
                "second": sec % 60}
        sentence = pyais.encode_dict(data, talker_id="AI", sentence_type="VDM",
                                     radio_channel="AB"[k % 2])[0]
        out.append(tag_block(sentence, s=station, c=sec))
    return out


def write_lines(lines, path) -> Path:
    """Write `lines` with '\\n' endings, UTF-8, atomically (temporary file, then rename)."""
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            for line in lines:
                fh.write(line)
                fh.write("\n")
    return atomic_write(path, write)


def to_marinecadastre(positions: pd.DataFrame, vessels: pd.DataFrame) -> pd.DataFrame:
    """Positions (+ the latest static record per MMSI) in the MarineCadastre CSV layout."""
    pos = positions.reset_index(drop=True)
    ts = pd.to_datetime(pos["ts"], utc=True)
    out = pd.DataFrame({
        "MMSI": pos["mmsi"].astype("int64"),
        "BaseDateTime": ts.dt.strftime("%Y-%m-%dT%H:%M:%S"),
        "LAT": pos["lat"].astype("float64").round(5),
        "LON": pos["lon"].astype("float64").round(5),
        "SOG": pos["sog_kn"].astype("float64").round(1).fillna(102.3),
        "COG": pos["cog_deg"].astype("float64").round(1).fillna(360.0),
        "Heading": pos["heading_deg"].astype("float64").round(0).fillna(511).astype("int64"),
        "Status": pd.array(pos["nav_status"], dtype="Int64"),
    })
    v = vessels.copy() if vessels is not None else pd.DataFrame(columns=STATIC_KEY)
    if "last_seen" in v.columns:
        v = v.sort_values(["mmsi", "last_seen"], kind="stable")
    v = v.drop_duplicates("mmsi", keep="last").set_index("mmsi")
    m = out["MMSI"]
    imo = pd.array(m.map(v["imo"]) if len(v) else [pd.NA] * len(m), dtype="Int64")
    out["VesselName"] = m.map(v["name"]) if len(v) else None
    out["IMO"] = ["" if pd.isna(x) else f"IMO{int(x)}" for x in imo]
    out["CallSign"] = m.map(v["callsign"]) if len(v) else None
    out["VesselType"] = pd.array(m.map(v["ship_type"]) if len(v) else [pd.NA] * len(m),
                                 dtype="Int64")
    out["Length"] = (m.map(v["length_m"]) if len(v) else np.nan)
    out["Width"] = (m.map(v["beam_m"]) if len(v) else np.nan)
    out["Draft"] = np.nan
    out["Cargo"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["TransceiverClass"] = "A"
    out = out.assign(_t=ts.to_numpy())
    out = out.sort_values(["_t", "MMSI"], kind="stable", ignore_index=True).drop(columns="_t")
    return out[MC_COLUMNS]


def to_dma(positions: pd.DataFrame, vessels: pd.DataFrame) -> pd.DataFrame:
    """Positions (+ the latest static record per MMSI) in the Danish Maritime Authority CSV
    layout: day-first times, text codes for status and ship type, "Unknown" for missing text."""
    mc = to_marinecadastre(positions, vessels)
    status = {v: k.capitalize() for k, v in reversed(list(DMA_NAV_STATUS.items()))}
    ship = {v: k.capitalize() for k, v in reversed(list(DMA_SHIP_TYPE.items()))}
    ts = pd.to_datetime(mc["BaseDateTime"], utc=True)
    unknown = lambda s: s.astype(object).where(s.notna() & (s.astype(str) != ""), "Unknown")  # noqa: E731
    out = pd.DataFrame({
        "# Timestamp": ts.dt.strftime("%d/%m/%Y %H:%M:%S"),
        "Type of mobile": "Class A",
        "MMSI": mc["MMSI"],
        "Latitude": mc["LAT"].map("{:.6f}".format),
        "Longitude": mc["LON"].map("{:.6f}".format),
        "Navigational status": mc["Status"].map(status).fillna("Unknown value"),
        "ROT": "",
        "SOG": mc["SOG"],
        "COG": mc["COG"],
        "Heading": mc["Heading"],
        "IMO": unknown(mc["IMO"].str.removeprefix("IMO")),
        "Callsign": unknown(mc["CallSign"]),
        "Name": unknown(mc["VesselName"]),
        "Ship type": mc["VesselType"].map(ship).fillna("Undefined"),
        "Cargo type": "",
        "Width": mc["Width"].map(lambda x: "" if pd.isna(x) else f"{x:g}"),
        "Length": mc["Length"].map(lambda x: "" if pd.isna(x) else f"{x:g}"),
        "Type of position fixing device": "GPS",
        "Draught": "", "Destination": "", "ETA": "", "Data source type": "AIS",
        "A": "", "B": "", "C": "", "D": "",
    })
    return out[DMA_COLUMNS]
